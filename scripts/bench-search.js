// The browser half of scripts/bench-search.sh: Scholion's search against
// Pagefind's on the same built pages, each in its own box, in headless
// Chromium (not part of the test suite). Prints one JSON line per query,
// engine and measurement.
//
//   node scripts/bench-search.js SITE PAGEFIND_SITE QUERIES
//
// SITE is a site built by `scholion build`; PAGEFIND_SITE a copy of it
// indexed by `pagefind --site` (its files under pagefind/); QUERIES names a
// set of test queries below (`default` for the default site, `corpus` for
// the collection of examples/gen_corpus.rs), each with the places a reader
// asking it looks for. Both sites are served over http://127.0.0.1 (Pagefind
// does not work from file://) by a small server that records every response,
// raw and as gzip -6 would send it (Pagefind's index files are gzipped
// already, so they do not shrink). Each measurement is made in a fresh
// browser context, so nothing is cached:
//
// - `pasted`: the query put into the box at once, from the focus to the
//   first results on screen with their text, or "No results" (Scholion: the box of a text
//   page, which searches a paste 60 ms after it; Pagefind: its own UI,
//   `pagefind-ui.js` on a page of its own, which waits 300 ms), median of
//   three; the bytes of the index and the engine fetched (Scholion's
//   `search/` and `search-engine.js`; Pagefind's `pagefind/` but its UI: the
//   box's own script comes with the page on both sides), and the first
//   result's address.
// - `engine`: the same without the box's wait (ScholionSearch.run; Pagefind's
//   API, import() to the data of its first 5 results), median of three.
// - `typed`: the query typed at 120 ms a key, the bytes fetched until the
//   last results are on screen and nothing more comes.
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const zlib = require('node:zlib');
const { chromium } = require(path.join(__dirname, '../tests/browser/node_modules/playwright-core'));

// The test queries: what a reader types, and the places that answer it
// (for an entry, its glossary entry or its own page). Each place was found
// by the words: the only paragraph, note or work of the bibliography that
// has them all (an entry's own page repeats its definition), the heading
// they are, the entry that is the name, the text that is the title.
const DECL = 'texts/1957-moscow-declaration.html';
const APPEAL = 'texts/1998-cpsu-appeal.html';
const entry = (id) => [`glossary.html#${id}`, `glossary/${id}.html`];
const QUERIES = {
  default: [
    ['bandung', entry('bandung-conference')],
    ['gomulka', entry('wladyslaw-gomulka')],
    ['imperalism', entry('imperialism')],
    ['warsaw pact', entry('warsaw-pact')],
    ['hydrogen weapons', [`${DECL}#p21`]],
    ['diametrically opposed', [`${DECL}#p9`]],
    ['languishing in slavery', [`${DECL}#p8`]],
    ['jacobo arbenz', [`${DECL}#en-guatemala`]],
    ['oman imam', [`${DECL}#en-oman`]],
    ['nuclear tests moratorium', [`${DECL}#en-nuclear-tests`]],
    ['revolutionary situation lenin signs', [`${APPEAL}#en-revolutionary-situation`]],
    ["publisher's note", [`${DECL}#h-publisher-s-note`]],
  ],
  corpus: [
    ['karol halasz', entry('karol-halasz')],
    ['oskar quarenghi', entry('oskar-quarenghi')],
    ['quarengi', entry('oskar-quarenghi')],
    ['union of mine workers of stasta', entry('union-of-mine-workers-of-stasta')],
    ['vibergor', entry('vibergor')],
    ['dannasta', entry('dannasta')],
    ['governments of the frontier', ['texts/00001-governments-frontier.html']],
    ['committee of the veterans', ['texts/00002-committee-veterans.html']],
    ['women workers solidarity of the treaties', ['texts/00500-women-workers-solidarity-treaties.html']],
    ['targets frontier of the towns', ['texts/00999-targets-frontier-towns.html']],
  ],
};

const [site, pfSite, set] = process.argv.slice(2);
if (!site || !pfSite || !QUERIES[set]) {
  console.error(`usage: node scripts/bench-search.js SITE PAGEFIND_SITE (${Object.keys(QUERIES).join('|')})`);
  process.exit(2);
}
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml' };
const gz = new Map();
const log = [];

function serve(dir) {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '');
    const file = path.join(dir, rel || 'index.html');
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    const body = fs.readFileSync(file);
    if (!gz.has(file)) gz.set(file, Math.min(body.length, zlib.gzipSync(body, { level: 6 }).length));
    log.push({ url: rel, raw: body.length, gzip: gz.get(file), at: Date.now() });
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

/** Files, raw and gzip bytes of what was fetched that `counts`. */
function fetched(counts) {
  const files = log.filter((e) => counts(e.url));
  return { files: files.length, raw: files.reduce((a, e) => a + e.raw, 0), gzip: files.reduce((a, e) => a + e.gzip, 0) };
}
const OURS = (u) => u.startsWith('search/') || u === 'search-engine.js';
const THEIRS = (u) => u.startsWith('pagefind/') && !/^pagefind\/pagefind-ui\./.test(u);

/** Waits until no request has come for `ms`. */
async function quiet(ms) {
  for (;;) {
    const last = log.length ? log[log.length - 1].at : 0;
    const wait = last + ms - Date.now();
    if (wait <= 0) return;
    await new Promise((ok) => setTimeout(ok, wait));
  }
}

/** `promise`, or an error naming `what` after a minute. */
function within(what, promise) {
  let timer;
  const late = new Promise((_, fail) => { timer = setTimeout(() => fail(new Error(`${what}: no answer in 60 s`)), 60000); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const place = (u) => (u || '').replace(/^(\.\.\/)+/, '').replace(/^\/+/, '');

(async () => {
  const ours = await serve(path.resolve(site));
  const theirs = await serve(path.resolve(pfSite));
  const base = (s) => `http://127.0.0.1:${s.address().port}/`;
  const pfPage = path.join(path.resolve(pfSite), 'pagefind-bench.html');
  fs.writeFileSync(pfPage, '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Pagefind</title>'
    + '<link href="/pagefind/pagefind-ui.css" rel="stylesheet"><script src="/pagefind/pagefind-ui.js"></script></head>'
    + '<body><div id="search"></div><script>window.ui = new PagefindUI({ element: "#search", showSubResults: true });</script></body></html>\n');
  const text = 'texts/' + fs.readdirSync(path.join(site, 'texts')).filter((f) => f.endsWith('.html')).sort()[0];
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  async function fresh(url) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(60000);
    log.length = 0;
    await page.goto(url);
    return { context, page };
  }
  // In the page: from the focus, the query put in at once, to `ready()`.
  const READY = {
    scholion: () => document.getElementById('search-results').getAttribute('aria-busy') === 'false' && (!!document.querySelector('#search-results a.search-result .search-title') || document.getElementById('search-count').textContent === 'No results'),
    pagefind: () => !!document.querySelector('.pagefind-ui__result-link') || /^No results/.test((document.querySelector('.pagefind-ui__message') || {}).textContent || ''),
  };
  const PASTE = async ([sel, q, engine]) => {
    const input = document.querySelector(sel);
    const ready = engine === 'scholion'
      ? () => document.getElementById('search-results').getAttribute('aria-busy') === 'false' && (!!document.querySelector('#search-results a.search-result .search-title') || document.getElementById('search-count').textContent === 'No results')
      : () => !!document.querySelector('.pagefind-ui__result-link') || /^No results/.test((document.querySelector('.pagefind-ui__message') || {}).textContent || '');
    const t0 = performance.now();
    input.focus();
    input.value = q;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((ok) => { const check = () => (ready() ? ok() : requestAnimationFrame(check)); check(); });
    return performance.now() - t0;
  };
  const S_FIRST = () => { const a = document.querySelector('#search-results a.search-result'); return a && a.getAttribute('href'); };
  const P_FIRST = async (q) => {
    const pf = await import('/pagefind/pagefind.js');
    const r = await pf.search(q);
    if (!r.results.length) return { page: null, place: null, count: 0 };
    const d = await r.results[0].data();
    const sub = (d.sub_results || [])[0];
    return { page: d.url, place: sub ? sub.url : d.url, count: r.results.length };
  };
  const emit = (o) => console.log(JSON.stringify(o));
  for (const [q, want] of QUERIES[set]) {
    const pasted = { scholion: [], pagefind: [] };
    const engine = { scholion: [], pagefind: [] };
    for (let round = 0; round < 3; round++) {
      let s = await fresh(base(ours) + text);
      pasted.scholion.push(await within(`Scholion, ${q}`, s.page.evaluate(PASTE, ['#search-input', q, 'scholion'])));
      if (round === 0) {
        await within('quiet', quiet(300));
        const first = place(await s.page.evaluate(S_FIRST));
        const count = await s.page.textContent('#search-count');
        emit({ engine: 'scholion', q, what: 'pasted', ...fetched(OURS), first, right: want.includes(first), rightPage: want.some((w) => w.split('#')[0] === first.split('#')[0]), count });
      }
      await s.context.close();
      s = await fresh(base(theirs) + 'pagefind-bench.html');
      pasted.pagefind.push(await within(`Pagefind, ${q}`, s.page.evaluate(PASTE, ['.pagefind-ui__search-input', q, 'pagefind'])));
      if (round === 0) {
        await within('quiet', quiet(500));
        const bytes = fetched(THEIRS);
        const r = await s.page.evaluate(P_FIRST, q);
        const first = place(r.place);
        emit({ engine: 'pagefind', q, what: 'pasted', ...bytes, first, right: want.includes(first), rightPage: want.some((w) => w.split('#')[0] === place(r.page)), count: `${r.count} pages` });
      }
      await s.context.close();
      s = await fresh(base(ours) + text);
      engine.scholion.push(await within(`Scholion engine, ${q}`, s.page.evaluate(async (w) => {
        const input = document.getElementById('search-input');
        const t0 = performance.now();
        input.focus();
        input.value = w;
        await window.ScholionSearch.run();
        return performance.now() - t0;
      }, q)));
      await s.context.close();
      s = await fresh(base(theirs) + 'pagefind-bench.html');
      engine.pagefind.push(await within(`Pagefind engine, ${q}`, s.page.evaluate(async (w) => {
        const t0 = performance.now();
        const pf = await import('/pagefind/pagefind.js');
        await pf.init();
        const r = await pf.search(w);
        await Promise.all(r.results.slice(0, 5).map((x) => x.data()));
        return performance.now() - t0;
      }, q)));
      await s.context.close();
    }
    for (const e of ['scholion', 'pagefind']) emit({ engine: e, q, what: 'time', pastedMs: median(pasted[e]), engineMs: median(engine[e]) });
    // Typed at 120 ms a key.
    let s = await fresh(base(ours) + text);
    await s.page.focus('#search-input');
    await s.page.keyboard.type(q, { delay: 120 });
    await s.page.waitForFunction(READY.scholion);
    await within('quiet', quiet(600));
    emit({ engine: 'scholion', q, what: 'typed', ...fetched(OURS), first: place(await s.page.evaluate(S_FIRST)) });
    await s.context.close();
    s = await fresh(base(theirs) + 'pagefind-bench.html');
    await s.page.focus('.pagefind-ui__search-input');
    await s.page.keyboard.type(q, { delay: 120 });
    await s.page.waitForFunction(READY.pagefind);
    await within('quiet', quiet(800));
    emit({ engine: 'pagefind', q, what: 'typed', ...fetched(THEIRS) });
    await s.context.close();
  }
  await browser.close();
  ours.close();
  theirs.close();
  fs.unlinkSync(pfPage);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
