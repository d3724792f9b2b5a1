#!/usr/bin/env node
// The screenshots of the reader shown in README.md and docs/reader.md
// (docs/screenshots/*.png): the default site built with the release binary
// and opened in headless Chromium at 1440, 1024 and 390 px, light and dark,
// and a page printed to PDF on A4 (rasterised with pdftoppm). Each PNG is
// reduced to a palette with pngquant. Run after a release build:
//   node scripts/reader-screenshots.js
// (needs `npm ci --prefix tests/browser`, Debian's chromium, pdftoppm and pngquant).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const repo = path.resolve(__dirname, '..');
const { chromium } = require(path.join(repo, 'tests/browser/node_modules/playwright-core'));
const bin = path.join(repo, 'target/release/scholion');
const out = path.join(repo, 'docs/screenshots');
const DECLARATION = 'texts/1957-moscow-declaration.html';
const APPEAL = 'texts/1998-cpsu-appeal.html';

// name, page, viewport, colour scheme, what to bring to the top (or null), what to do first
const VIEWS = [
  ['desktop-1440', DECLARATION, { width: 1440, height: 900 }, 'light', '#p4', null],
  ['tablet-1024', DECLARATION, { width: 1024, height: 768 }, 'light', '#p19', null],
  ['dark-1440-commentary', APPEAL, { width: 1440, height: 900 }, 'dark', '#p2', null],
  ['phone-390', DECLARATION, { width: 390, height: 844 }, 'light', null, null],
  ['phone-390-dark-note', DECLARATION, { width: 390, height: 844 }, 'dark', '#p5', async (p) => {
    await p.click('#ref-hungary-party');
    await p.waitForSelector('.popover');
  }],
];

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scholion-shots-'));
  const site = path.join(tmp, 'site');
  execFileSync(bin, ['build', '--root', repo, '--out', site, '--quiet']);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const base = 'file://' + site + '/';
  for (const [name, page, viewport, colorScheme, top, act] of VIEWS) {
    const p = await browser.newPage({ viewport, colorScheme, hasTouch: viewport.width < 640 });
    await p.goto(base + page);
    await p.evaluate(() => document.fonts.ready);
    await p.waitForTimeout(300);
    if (top) await p.evaluate((s) => window.scrollTo(0, document.querySelector(s).getBoundingClientRect().top + window.scrollY - 24), top);
    if (act) await act(p);
    await p.waitForTimeout(300);
    await p.screenshot({ path: path.join(out, `${name}.png`) });
    await p.close();
  }
  // Print: the second page of the declaration on A4, as Chromium prints it.
  const p = await browser.newPage();
  await p.goto(base + DECLARATION);
  await p.evaluate(() => document.fonts.ready);
  const pdf = path.join(tmp, 'print.pdf');
  await p.pdf({ path: pdf, format: 'A4', displayHeaderFooter: false, preferCSSPageSize: true });
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '2', '-l', '2', '-singlefile', pdf, path.join(out, 'print-a4')]);
  await browser.close();
  for (const f of fs.readdirSync(out).filter((f) => f.endsWith('.png'))) {
    try {
      execFileSync('pngquant', ['--force', '--skip-if-larger', '--quality=60-90', '--strip', '--ext', '.png', path.join(out, f)]);
    } catch (e) {
      if (e.status !== 98 && e.status !== 99) throw e; // kept as it was: smaller, or too coarse quantised
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((e) => { console.error(e); process.exit(1); });
