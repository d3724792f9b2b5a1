// Every page valid and accessible: the W3C Nu HTML checker (vnu.jar from the
// vnu-jar package, run with the machine's Java) finds no error, and axe-core
// no violation, on every page of the default site (SCHOLION_SITE), of the
// fixture with tables and code blocks (SCHOLION_FIXTURE, built by run.sh from
// tests/fixtures/code-tables) and of the fixture with a bibliography
// (SCHOLION_APPARATUS, from tests/fixtures/apparatus), in both themes; code blocks and tables that
// scroll sideways are regions the keyboard reaches and scrolls.
'use strict';
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { SITE, FIXTURE, fixtureHttpBase, APPARATUS, apparatusHttpBase, PHONE, WIDE, setup, open, audit } = require('./harness');

setup();

if (!FIXTURE || !fs.existsSync(path.join(FIXTURE, 'index.html'))) {
  throw new Error('SCHOLION_FIXTURE must name the built fixture tests/fixtures/code-tables (run tests/browser/run.sh)');
}
if (!APPARATUS || !fs.existsSync(path.join(APPARATUS, 'bibliography.html'))) {
  throw new Error('SCHOLION_APPARATUS must name the built fixture tests/fixtures/apparatus (run tests/browser/run.sh)');
}
const VNU = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');
const hasJava = spawnSync('java', ['-version']).status === 0;
const noJava = hasJava ? false : process.env.CI === 'true' ? false : 'no java on this machine (apt-get install default-jre-headless)';

function pages(dir) {
  return ['', 'texts/'].flatMap((sub) => fs.readdirSync(path.join(dir, sub)).filter((f) => f.endsWith('.html')).sort().map((f) => sub + f));
}

describe('validity', () => {
  test('the W3C Nu checker finds no error on any page of the three sites', { skip: noJava }, () => {
    const files = [SITE, FIXTURE, APPARATUS].flatMap((dir) => pages(dir).map((p) => path.join(dir, p)));
    const r = spawnSync('java', ['-jar', VNU, '--errors-only', '--format', 'gnu', ...files], { encoding: 'utf8' });
    assert.ok(!r.error, `java runs vnu.jar: ${r.error}`);
    assert.equal(r.stderr.trim() + r.stdout.trim(), '', 'the Nu checker reports no error');
    assert.equal(r.status, 0);
  });

  test('axe-core finds no violation on any page of the two fixtures, in both themes', async () => {
    for (const [name, dir, base] of [['fixture', FIXTURE, fixtureHttpBase()], ['apparatus', APPARATUS, apparatusHttpBase()]]) {
      for (const colorScheme of ['light', 'dark']) {
        for (const viewport of [WIDE, PHONE]) {
          for (const page of pages(dir)) {
            const s = await open(base, page, { colorScheme, viewport });
            await audit(s.page, `${name} ${page} (${colorScheme}, ${viewport.width} px)`);
            await s.done();
          }
        }
      }
    }
  });

  test('a code block or table that scrolls sideways is a region the keyboard reaches and scrolls', async () => {
    for (const viewport of [WIDE, PHONE]) {
      const s = await open(fixtureHttpBase(), 'texts/zlib-licence.html', { viewport });
      const p = s.page;
      const boxes = await p.$$eval('main pre, main table', (bs) => bs.map((b) => ({ scrolls: b.scrollWidth > b.clientWidth + 1, tab: b.getAttribute('tabindex'), role: b.getAttribute('role'), label: b.getAttribute('aria-label') })));
      const scrolling = boxes.filter((b) => b.scrolls);
      assert.ok(scrolling.length >= 1, `${viewport.width} px: the fixture has a box that scrolls`);
      for (const b of scrolling) assert.ok(b.tab === '0' && b.role === 'region' && b.label, `${viewport.width} px: a scrolling box is a named, focusable region (${JSON.stringify(b)})`);
      // Reached with Tab, scrolled with the arrow keys.
      await p.focus('.text-body a.pnum');
      let found = false;
      for (let i = 0; i < 40 && !found; i++) {
        await p.keyboard.press('Tab');
        found = await p.evaluate(() => document.activeElement.matches('pre.scrolls, table.scrolls'));
      }
      assert.ok(found, `${viewport.width} px: Tab reaches the scrolling box`);
      const which = await p.evaluate(() => document.activeElement.outerHTML.slice(0, 80));
      await p.keyboard.press('ArrowRight');
      await p.keyboard.press('ArrowRight');
      // (Smooth scrolling takes a moment.)
      const moved = await p.waitForFunction(() => document.activeElement.scrollLeft > 0, null, { timeout: 3000 }).then(() => true, () => false);
      assert.ok(moved, `${viewport.width} px: the arrow keys scroll ${which}`);
      await s.done();
    }
  });
});
