#!/usr/bin/env node
// The screenshots of the reader shown in README.md and docs/reader.md
// (docs/screenshots/*.png): the default site built with the release binary
// and opened in headless Chromium at 1440, 1024 and 390 px, light and dark,
// and a page printed to PDF on A4 (rasterised with pdftoppm), and the same
// views of the fixture with the printed source's pages (tests/fixtures/pages,
// pages-*.png). Each PNG is reduced to a palette with pngquant. Run after a
// release build:
//   node scripts/reader-screenshots.js [default | pages]
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

const PAGES = 'texts/declaration.html';

// site, name, page, viewport, colour scheme, what to bring to the top (or null), what to do first
const VIEWS = [
  ['default', 'desktop-1440', DECLARATION, { width: 1440, height: 900 }, 'light', '#p4', null],
  ['default', 'tablet-1024', DECLARATION, { width: 1024, height: 768 }, 'light', '#p19', null],
  ['default', 'dark-1440-commentary', APPEAL, { width: 1440, height: 900 }, 'dark', '#p2', null],
  ['default', 'phone-390', DECLARATION, { width: 390, height: 844 }, 'light', null, null],
  ['default', 'phone-390-dark-note', DECLARATION, { width: 390, height: 844 }, 'dark', '#p5', async (p) => {
    await p.click('#ref-hungary-party');
    await p.waitForSelector('.popover');
  }],
  // The printed source's pages, on the fixture tests/fixtures/pages.
  ['pages', 'pages-desktop-1440', PAGES, { width: 1440, height: 900 }, 'light', '#p2', null],
  ['pages', 'pages-dark-1024', PAGES, { width: 1024, height: 768 }, 'dark', '#p8', null],
  ['pages', 'pages-phone-390', PAGES, { width: 390, height: 844 }, 'light', '#p5', null],
];
// site, name, page, the page of the PDF to keep
const PRINTS = [
  ['default', 'print-a4', DECLARATION, 2],
  ['pages', 'pages-print-a4', PAGES, 1],
];

async function main() {
  // `node scripts/reader-screenshots.js pages` makes one site's shots only.
  const only = process.argv[2] || null;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scholion-shots-'));
  const roots = { default: repo, pages: path.join(repo, 'tests/fixtures/pages') };
  const sites = {};
  for (const [name, root] of Object.entries(roots)) {
    if (only && only !== name) continue;
    sites[name] = path.join(tmp, name);
    execFileSync(bin, ['build', '--root', root, '--out', sites[name], '--quiet']);
  }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const made = [];
  for (const [site, name, page, viewport, colorScheme, top, act] of VIEWS) {
    if (!sites[site]) continue;
    const p = await browser.newPage({ viewport, colorScheme, hasTouch: viewport.width < 640 });
    await p.goto('file://' + sites[site] + '/' + page);
    await p.evaluate(() => document.fonts.ready);
    await p.waitForTimeout(300);
    if (top) await p.evaluate((s) => window.scrollTo(0, document.querySelector(s).getBoundingClientRect().top + window.scrollY - 24), top);
    if (act) await act(p);
    await p.waitForTimeout(300);
    await p.screenshot({ path: path.join(out, `${name}.png`) });
    made.push(`${name}.png`);
    await p.close();
  }
  // Print: a page of the text on A4, as Chromium prints it.
  for (const [site, name, page, sheet] of PRINTS) {
    if (!sites[site]) continue;
    const p = await browser.newPage();
    await p.goto('file://' + sites[site] + '/' + page);
    await p.evaluate(() => document.fonts.ready);
    const pdf = path.join(tmp, `${name}.pdf`);
    await p.pdf({ path: pdf, format: 'A4', displayHeaderFooter: false, preferCSSPageSize: true });
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', String(sheet), '-l', String(sheet), '-singlefile', pdf, path.join(out, name)]);
    made.push(`${name}.png`);
    await p.close();
  }
  await browser.close();
  for (const f of made) {
    try {
      execFileSync('pngquant', ['--force', '--skip-if-larger', '--quality=60-90', '--strip', '--ext', '.png', path.join(out, f)]);
    } catch (e) {
      if (e.status !== 98 && e.status !== 99) throw e; // kept as it was: smaller, or too coarse quantised
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((e) => { console.error(e); process.exit(1); });
