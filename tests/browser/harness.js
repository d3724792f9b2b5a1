// What a browser test file needs: the built site (SCHOLION_SITE), the
// fixture sites run.sh builds beside it (SCHOLION_FIXTURE, SCHOLION_APPARATUS), a tiny
// static server on 127.0.0.1, Debian's headless Chromium, and pages that
// record console errors, failed requests and requests to other hosts (each
// test fails on any of them), plus the axe-core audit. Used by every test
// file.
'use strict';
const { before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { chromium } = require('playwright-core');

const SITE = process.env.SCHOLION_SITE;
const FIXTURE = process.env.SCHOLION_FIXTURE || null;
const APPARATUS = process.env.SCHOLION_APPARATUS || null;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
if (!SITE || !fs.existsSync(path.join(SITE, 'index.html'))) {
  throw new Error('SCHOLION_SITE must name a built site (run tests/browser/run.sh)');
}
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const PHONE = { width: 390, height: 844 };
const NARROW = { width: 360, height: 740 };
const WIDE = { width: 1440, height: 900 };
const TABLET = { width: 1024, height: 768 };
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.jsonld': 'application/ld+json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon' };

const state = { server: null, browser: null, httpBase: '' };
const fileBase = pathToFileURL(SITE).href.replace(/\/?$/, '/');

/** Starts the server and the browser for the tests of one file. */
function setup() {
  before(async () => {
    state.server = http.createServer((req, res) => {
      let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '');
      // The fixture sites, when run.sh has built them, under /__fixture/ and /__apparatus/.
      let dir = SITE;
      for (const [prefix, site] of [['__fixture/', FIXTURE], ['__apparatus/', APPARATUS]]) {
        if (site && rel.startsWith(prefix)) { dir = site; rel = rel.slice(prefix.length); }
      }
      const file = path.join(dir, rel || 'index.html');
      if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    });
    await new Promise((ok) => state.server.listen(0, '127.0.0.1', ok));
    state.httpBase = `http://127.0.0.1:${state.server.address().port}/`;
    state.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    if (state.browser) await state.browser.close();
    if (state.server) state.server.close();
  });
}

const httpBase = () => state.httpBase;
const fixtureHttpBase = () => `${state.httpBase}__fixture/`;
const apparatusHttpBase = () => `${state.httpBase}__apparatus/`;
const BASES = () => [['http', state.httpBase], ['file', fileBase]];

/** A page whose console errors, failed requests and foreign requests are kept. */
async function open(base, page, options = {}) {
  const { viewport = WIDE, colorScheme = 'light', javaScriptEnabled = true, touch = false, contextOptions = {} } = options;
  const context = await state.browser.newContext({ viewport, colorScheme, javaScriptEnabled, hasTouch: touch, isMobile: touch, ...contextOptions });
  const p = await context.newPage();
  const problems = [];
  const requests = [];
  p.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  p.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure() && r.failure().errorText}`));
  p.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await context.route('**/*', (route) => {
    const u = route.request().url();
    requests.push(u);
    if (u.startsWith(state.httpBase) || u.startsWith('file:') || u.startsWith('data:')) return route.continue();
    problems.push(`request to another host: ${u}`);
    return route.abort();
  });
  if (page !== null) await p.goto(base + page);
  return {
    page: p,
    context,
    problems,
    requests,
    async done() {
      await context.close();
      assert.deepEqual(problems, [], `no console errors or failed requests on ${page}`);
    },
  };
}

/** axe-core on the page as it is now; fails with the violations found. */
async function audit(p, label) {
  await p.evaluate(AXE);
  const r = await p.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), AXE_TAGS);
  const found = r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(found, [], `axe on ${label}`);
}

module.exports = { SITE, FIXTURE, fixtureHttpBase, APPARATUS, apparatusHttpBase, PHONE, NARROW, WIDE, TABLET, setup, open, audit, BASES, httpBase, fileBase };
