#!/usr/bin/env node
// The screenshots of docs/guide.md (docs/guide/*.png), taken as an editor
// sees the steps: a fresh site from `scholion new` with the guide's files
// applied (the same blocks that tests/guide.rs applies), previewed with
// `scholion serve` in headless Chromium. Run after a release build:
//   node scripts/guide-screenshots.js
// (needs `npm ci --prefix tests/browser` and Debian's chromium).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, execFileSync } = require('child_process');
const repo = path.resolve(__dirname, '..');
const { chromium } = require(path.join(repo, 'tests/browser/node_modules/playwright-core'));
const bin = path.join(repo, 'target/release/scholion');
const out = path.join(repo, 'docs/guide');

// The fenced blocks of the guide with a file=, append= or change= attribute.
function steps(markdown) {
  const found = [];
  const re = /^( *)```(\S*)([^\n]*)\n([\s\S]*?)^\1```$/gm;
  for (const m of markdown.matchAll(re)) {
    const attr = /\b(file|append|change)=(\S+)/.exec(m[3]);
    if (!attr) continue;
    const body = m[4].split('\n').map((l) => l.slice(m[1].length)).join('\n');
    found.push({ kind: attr[1], file: attr[2], body });
  }
  return found;
}

function apply(site, s) {
  const file = path.join(site, s.file);
  if (s.kind === 'file') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, s.body);
  } else if (s.kind === 'append') {
    fs.appendFileSync(file, s.body);
  } else {
    const line = s.body.replace(/\n$/, '');
    const key = line.slice(0, line.indexOf(':') + 1);
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.split('\n').map((l) => (l.startsWith(key) ? line : l)).join('\n'));
  }
}

(async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'scholion-guide-'));
  execFileSync(bin, ['new', 'my-reader'], { cwd: home, stdio: 'ignore' });
  const site = path.join(home, 'my-reader');
  const all = steps(fs.readFileSync(path.join(repo, 'docs/guide.md'), 'utf8'));
  const change = all.filter((s) => s.kind === 'change');
  all.filter((s) => s.kind !== 'change').forEach((s) => apply(site, s));

  const serve = spawn(bin, ['serve', '--port', '0'], { cwd: site });
  const url = await new Promise((resolve, reject) => {
    let seen = '';
    serve.stderr.on('data', (d) => {
      seen += d;
      const m = /Serving at (http:\/\/\S+)/.exec(seen);
      if (m) resolve(m[1]);
    });
    serve.on('exit', () => reject(new Error(seen)));
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 520 } });
    await page.goto(url + 'texts/preamble.html');
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(out, 'text.png') });

    await page.setViewportSize({ width: 760, height: 520 });
    const term = page.locator('a.term[data-term="more-perfect-union"]').first();
    await term.scrollIntoViewIfNeeded();
    await term.hover();
    await page.locator('.popover').first().waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(out, 'term.png') });

    await page.mouse.move(0, 0);
    await page.setViewportSize({ width: 1100, height: 480 });
    change.forEach((s) => apply(site, s));
    await page.locator('scholion-serve-overlay').waitFor({ state: 'attached', timeout: 10000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(out, 'error.png') });
  } finally {
    await browser.close();
    serve.kill();
    fs.rmSync(home, { recursive: true, force: true });
  }
  for (const f of ['text.png', 'term.png', 'error.png']) {
    console.log(`docs/guide/${f}: ${fs.statSync(path.join(out, f)).size} bytes`);
  }
})().catch((e) => { console.error(e); process.exit(1); });
