// The browser half of scripts/bench-search.sh: time to first results and
// bytes fetched for one-word queries, Scholion's search against Pagefind's
// on the same built pages, each query in a fresh browser context (nothing
// cached). Prints one JSON line per engine and word.
//
//   node scripts/bench-search.js SITE PAGEFIND_SITE WORD...
//
// SITE is a site built by `scholion build`; PAGEFIND_SITE is a copy of it
// indexed by Pagefind (its files under pagefind/). Both are served over
// http://127.0.0.1 by a small static server that records the bytes of every
// response, raw and as gzip -6 would send them (Pagefind's index files are
// gzipped already, so they do not shrink). Scholion: the query runs in the
// search box of a text page (ScholionSearch.run, without the typing
// debounce) until the first 10 results are on screen with their snippets.
// Pagefind: its JavaScript API (`pagefind.js`, which loads its WebAssembly)
// on a blank page, from import() to the data of the first 10 results
// (Pagefind's own UI shows 5 at a time).
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const zlib = require('node:zlib');
const { chromium } = require(path.join(__dirname, '../tests/browser/node_modules/playwright-core'));

const [site, pfSite, ...words] = process.argv.slice(2);
if (!site || !pfSite || !words.length) {
  console.error('usage: node scripts/bench-search.js SITE PAGEFIND_SITE WORD...');
  process.exit(2);
}
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
const gz = new Map();

function serve(dir, log) {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '');
    const file = path.join(dir, rel || 'index.html');
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    const body = fs.readFileSync(file);
    if (!gz.has(file)) gz.set(file, Math.min(body.length, zlib.gzipSync(body, { level: 6 }).length));
    log.push({ url: rel, raw: body.length, gzip: gz.get(file) });
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

(async () => {
  const log = [];
  const ours = await serve(path.resolve(site), log);
  const theirs = await serve(path.resolve(pfSite), log);
  const pfPage = path.join(path.resolve(pfSite), 'pagefind-bench.html');
  fs.writeFileSync(pfPage, '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Pagefind</title></head><body></body></html>\n');
  const text = fs.readdirSync(path.join(site, 'texts')).filter((f) => f.endsWith('.html')).sort()[0];
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const sum = (prefix) => log.filter((e) => e.url.startsWith(prefix)).reduce((a, e) => ({ files: a.files + 1, raw: a.raw + e.raw, gzip: a.gzip + e.gzip }), { files: 0, raw: 0, gzip: 0 });
  for (const word of words) {
    for (let round = 0; round < 3; round++) {
      // Scholion
      let context = await browser.newContext();
      let page = await context.newPage();
      await page.goto(`http://127.0.0.1:${ours.address().port}/texts/${text}`);
      log.length = 0;
      const s = await page.evaluate(async (w) => {
        const input = document.getElementById('search-input');
        const t0 = performance.now();
        input.focus();
        input.value = w;
        await window.ScholionSearch.run();
        return { ms: performance.now() - t0, shown: document.querySelectorAll('#search-results [role="option"]').length, count: document.getElementById('search-count').textContent };
      }, word);
      // search.js comes with every page; it is the engine, so it counts.
      const js = fs.readFileSync(path.join(site, 'search.js'));
      log.push({ url: 'search/../search.js', raw: js.length, gzip: zlib.gzipSync(js, { level: 6 }).length });
      const sb = sum('search/');
      await context.close();
      // Pagefind
      context = await browser.newContext();
      page = await context.newPage();
      await page.goto(`http://127.0.0.1:${theirs.address().port}/pagefind-bench.html`);
      log.length = 0;
      const p = await page.evaluate(async (w) => {
        const t0 = performance.now();
        const pf = await import('/pagefind/pagefind.js');
        await pf.init();
        const r = await pf.search(w);
        const data = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
        return { ms: performance.now() - t0, shown: data.length, count: `${r.results.length} pages` };
      }, word);
      const pb = sum('pagefind/');
      await context.close();
      console.log(JSON.stringify({ engine: 'scholion', word, round, ...s, ...sb }));
      console.log(JSON.stringify({ engine: 'pagefind', word, round, ...p, ...pb }));
    }
  }
  await browser.close();
  ours.close();
  theirs.close();
  fs.unlinkSync(pfPage);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
