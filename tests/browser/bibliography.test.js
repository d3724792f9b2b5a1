// The bibliography page of the apparatus fixture (tests/fixtures/apparatus,
// built by run.sh into SCHOLION_APPARATUS) in a real browser: every "Cited
// in" link lands on the note, glossary entry or page that cites the work,
// shown on screen and holding a citation that leads back to the work's
// entry; and a citation in a note lands on its entry. Over http and from
// file://, on a wide screen and a phone.
'use strict';
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { APPARATUS, apparatusHttpBase, PHONE, WIDE, setup, open } = require('./harness');

setup();

if (!APPARATUS || !fs.existsSync(path.join(APPARATUS, 'bibliography.html'))) {
  throw new Error('SCHOLION_APPARATUS must name the built fixture tests/fixtures/apparatus (run tests/browser/run.sh)');
}
const BASES = () => [['http', apparatusHttpBase()], ['file', pathToFileURL(APPARATUS).href.replace(/\/?$/, '/')]];

/** The element the page's address names, as the reader sees it. */
async function arrived(p) {
  return p.evaluate(() => {
    const id = decodeURIComponent(location.hash.slice(1));
    const e = document.getElementById(id);
    if (!e) return { id, found: false };
    const r = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    return {
      id,
      found: true,
      shown: r.width > 0 && r.height > 0 && style.visibility !== 'hidden',
      inView: r.top >= -1 && r.top < innerHeight,
      text: e.textContent,
      cites: [...e.querySelectorAll('a[href*="bibliography.html#"]')].map((a) => a.getAttribute('href').split('#')[1]),
    };
  });
}

describe('bibliography.html', () => {
  test('every "Cited in" link leads to the note, entry or page that cites the work', async () => {
    for (const [scheme, base] of BASES()) {
      for (const viewport of [WIDE, PHONE]) {
        const s = await open(base, 'bibliography.html', { viewport });
        // Each link with its work and the work's first author's family name,
        // as the entry begins ("Zubok, Vladislav, and …").
        const links = await s.page.$$eval('.work', (works) => works.flatMap((w) => [...w.querySelectorAll('.cited-in a')].map((a) => ({ work: w.id, author: w.querySelector('.entry').textContent.split(',')[0].trim(), href: a.getAttribute('href'), label: a.textContent }))));
        // The fixture cites four works in notes and one on a free page.
        assert.ok(links.length >= 5, `${scheme}: the cited-in links (${JSON.stringify(links)})`);
        assert.ok(links.some((l) => l.href.includes('texts/')) && links.some((l) => !l.href.includes('texts/')), `${scheme}: notes and a page cite works`);
        for (const l of links) {
          await s.page.goto(base + 'bibliography.html');
          await s.page.click(`#${l.work} .cited-in a[href="${l.href}"]`);
          await s.page.waitForLoadState('load');
          const url = s.page.url();
          assert.ok(url.endsWith(l.href), `${scheme} ${viewport.width} px: ${l.label} went to ${url}`);
          if (!l.href.includes('#')) {
            // A free page: it cites the work somewhere in its body.
            const cites = await s.page.$$eval('main a[href*="bibliography.html#"]', (as) => as.map((a) => a.getAttribute('href').split('#')[1]));
            assert.ok(cites.includes(l.work), `${scheme}: ${l.href} cites ${l.work} (${cites})`);
            continue;
          }
          const a = await arrived(s.page);
          assert.ok(a.found, `${scheme}: ${l.href} names an element of its page`);
          assert.ok(a.shown && a.inView, `${scheme} ${viewport.width} px: ${l.href} is shown on screen (${JSON.stringify(a)})`);
          // The note shows the work's citation, linked to the bibliography (a
          // citation of several works links to the first one's entry).
          assert.ok(a.text.includes(l.author), `${scheme}: ${l.href} cites ${l.author} (${a.text})`);
          assert.ok(a.cites.length > 0, `${scheme}: ${l.href} links its citation to the bibliography`);
        }
        await s.done();
      }
    }
  });

  test('entries are set as a printed bibliography: no numbers, a hanging indent, where each is cited in smaller type', async () => {
    for (const viewport of [WIDE, PHONE]) {
      const s = await open(apparatusHttpBase(), 'bibliography.html', { viewport });
      const m = await s.page.evaluate(() => {
        const lines = (e) => {
          const r = document.createRange();
          r.selectNodeContents(e);
          // The leftmost box of each line, lines told apart by their top.
          const byLine = new Map();
          for (const x of r.getClientRects()) {
            if (!x.width) continue;
            const top = Math.round(x.top);
            byLine.set(top, Math.min(byLine.get(top) ?? Infinity, Math.round(x.left)));
          }
          const lefts = [...byLine.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
          return { first: lefts[0], later: Math.min(...lefts.slice(1)) };
        };
        const works = [...document.querySelectorAll('.work')];
        const entries = works.map((w) => w.querySelector('.entry'));
        const long = entries.find((e) => e.getClientRects().length && e.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(e).lineHeight));
        const cited = document.querySelector('.cited-in');
        return {
          marker: getComputedStyle(works[0]).listStyleType,
          entry: long ? lines(long) : null,
          entryLeft: Math.round(entries[0].getBoundingClientRect().left),
          citedLeft: Math.round(cited.getBoundingClientRect().left),
          entrySize: parseFloat(getComputedStyle(entries[0]).fontSize),
          citedSize: parseFloat(getComputedStyle(cited).fontSize),
          overflow: document.documentElement.scrollWidth - innerWidth,
        };
      });
      assert.equal(m.marker, 'none', 'no list numbers');
      assert.ok(m.entry, 'an entry runs over more than one line');
      assert.ok(m.entry.later - m.entry.first >= 16, `the lines after the first are indented under it (${m.entry.first} / ${m.entry.later})`);
      assert.ok(m.citedLeft >= m.entryLeft + 16, `"Cited in" is indented as an entry's later lines (${m.citedLeft} / ${m.entryLeft})`);
      assert.ok(m.citedSize < m.entrySize, 'where a work is cited is in smaller type');
      assert.ok(m.overflow <= 0, `nothing runs past the window (${m.overflow} px)`);
      await s.done();
    }
  });

  test('a work nothing cites is listed without "Cited in"', async () => {
    const s = await open(apparatusHttpBase(), 'bibliography.html');
    const unused = await s.page.$eval('#bib-unused1999', (w) => ({ entry: w.querySelector('.entry').textContent, cited: !!w.querySelector('.cited-in') }));
    assert.match(unused.entry, /Resolutions and Decisions/);
    assert.equal(unused.cited, false);
    await s.done();
  });

  test('a citation in a note leads to its work on the bibliography page', async () => {
    for (const [scheme, base] of BASES()) {
      const s = await open(base, 'texts/declaration.html');
      const hrefs = await s.page.$$eval('.endnotes a[href*="bibliography.html#"]', (as) => [...new Set(as.map((a) => a.getAttribute('href')))]);
      // Four works are cited; a citation of two links to its first one's entry.
      assert.ok(hrefs.length >= 3, `${scheme}: the notes link to the works they cite (${hrefs})`);
      for (const href of hrefs) {
        await s.page.goto(base + 'texts/declaration.html');
        await s.page.click(`.endnotes a[href="${href}"]`);
        await s.page.waitForLoadState('load');
        const a = await arrived(s.page);
        assert.ok(a.found && a.shown && a.inView, `${scheme}: ${href} shows its work (${JSON.stringify(a)})`);
        const text = await s.page.$eval(`#${a.id}`, (w) => w.querySelector('.cited-in') && w.querySelector('.cited-in').textContent);
        assert.match(text || '', /Declaration/, `${scheme}: the work ${a.id} is cited in the declaration`);
      }
      await s.done();
    }
  });
});
