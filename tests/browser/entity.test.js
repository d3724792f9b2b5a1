// The glossary entries' pages (glossary/<id>.html) of the default site in a
// real browser, over http and from file://: each occurrence lands on the
// exact words it quotes; the glossary index links every entry to its page;
// the pages pass axe-core in both themes. See docs/reader.md.
'use strict';
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { SITE, PHONE, setup, open, audit, BASES, httpBase } = require('./harness');

setup();

const ENTRIES = fs.readdirSync(path.join(SITE, 'glossary')).filter((f) => f.endsWith('.html')).sort().map((f) => 'glossary/' + f);

describe('glossary entries\' pages', () => {
  test('every occurrence links to the exact words it shows in context', async () => {
    for (const [scheme, base] of BASES()) {
      const s = await open(base, 'glossary/joseph-stalin.html');
      const p = s.page;
      // The names the entry goes by: its term and aliases.
      const names = await p.evaluate(() => [document.querySelector('h1').textContent]
        .concat(((document.querySelector('.entity-aliases') || {}).textContent || '').replace(/^Also: /, '').split(', '))
        .filter(Boolean).map((x) => x.toLowerCase()));
      // Each text's first occurrence is shown with its line (the link, then
      // the words marked); the text's others follow as compact links.
      const groups = await p.$$eval('.entity-texts > li', (lis) => lis.map((li) => ({
        count: Number(((li.querySelector('small') || {}).textContent || '(1)').replace(/\D/g, '')),
        links: Array.from(li.querySelectorAll('a[href*="#t-"]')).map((a) => ({
          href: a.getAttribute('href'),
          label: a.textContent,
          words: a.nextElementSibling && a.nextElementSibling.tagName === 'MARK' ? a.nextElementSibling.textContent : null,
        })),
      })));
      assert.ok(groups.length >= 1, `${scheme}: Stalin occurs in the texts`);
      const items = groups.flatMap((g) => g.links);
      assert.ok(items.length >= 2, `${scheme}: Stalin occurs more than once`);
      assert.ok(items.some((it) => it.words === null), `${scheme}: some occurrences are compact links`);
      for (const g of groups) {
        // A paragraph with the term twice in a row is one link, "¶ 7 (2×)",
        // its spaces no-break spaces so that the label never wraps.
        for (const it of g.links) assert.match(it.label, /^(?:¶\u00a0\d+|footnote)(?:\u00a0\(\d+\u00d7\))?$/, `${scheme}: the label of ${it.href}`);
        const times = g.links.map((it) => Number((it.label.match(/\u00a0\((\d+)\u00d7\)$/) || [0, 1])[1]));
        assert.equal(times.reduce((a, b) => a + b, 0), g.count, `${scheme}: every one of the text's occurrences is counted`);
        const labels = g.links.map((it) => it.label);
        assert.ok(labels.every((l, i) => i === 0 || l !== labels[i - 1]), `${scheme}: no paragraph is listed twice in a row (${labels})`);
        assert.ok(g.links[0].words, `${scheme}: the text's first occurrence shows its line`);
        assert.ok(g.links.slice(1).every((it) => it.words === null), `${scheme}: the others are links only`);
      }
      for (const it of items) {
        await p.goto(new URL(it.href, p.url()).href);
        const at = await p.evaluate(() => {
          const t = document.querySelector(':target');
          if (!t) return null;
          const r = t.getBoundingClientRect();
          return { text: t.textContent, id: t.id, term: t.matches('a.term, .term-at'), top: r.top, bottom: r.bottom, h: innerHeight, bg: getComputedStyle(t).backgroundColor };
        });
        assert.ok(at, `${scheme} ${it.href}: the fragment names an element`);
        assert.equal(at.id, it.href.split('#')[1], `${scheme} ${it.href}: the element is the one named`);
        assert.ok(at.term, `${scheme} ${it.href}: lands on an occurrence of a term`);
        if (it.words !== null) assert.equal(at.text, it.words, `${scheme} ${it.href}: lands on the words shown`);
        else assert.ok(names.includes(at.text.toLowerCase()), `${scheme} ${it.href}: lands on a name of the entry (${at.text})`);
        assert.ok(at.top >= 0 && at.bottom <= at.h, `${scheme} ${it.href}: the words are in view`);
        assert.notEqual(at.bg, 'rgba(0, 0, 0, 0)', `${scheme} ${it.href}: the words are marked`);
      }
      await s.done();
    }
  });

  test('the glossary index links each entry to its page, and glossary.html#id still works', async () => {
    for (const [scheme, base] of BASES()) {
      const s = await open(base, 'glossary.html#moscow');
      const p = s.page;
      assert.equal(await p.evaluate(() => document.querySelector(':target').tagName), 'DT', `${scheme}: the entry is the target`);
      const link = p.locator('#moscow + dd .entry-page a');
      await Promise.all([p.waitForURL((u) => u.href.endsWith('glossary/moscow.html')), link.click()]);
      assert.equal(await p.textContent('h1'), 'Moscow');
      assert.equal(await p.getAttribute('a.authority', 'href'), 'https://www.wikidata.org/wiki/Q649');
      const ld = JSON.parse(await p.textContent('script[type="application/ld+json"]'));
      assert.equal(ld['@type'], 'Place');
      assert.deepEqual(ld.sameAs.slice(0, 1), ['https://www.wikidata.org/wiki/Q649']);
      assert.equal(ld.geo.latitude, 55.7558);
      await s.done();
    }
  });

  test('the A–Z index follows the sort keys', async () => {
    const s = await open(httpBase(), 'glossary.html');
    const order = await s.page.$$eval('.glossary-index a', (as) => as.map((a) => a.getAttribute('href')));
    // "Vladimir Lenin" sorts as "Lenin, Vladimir": before Mao Zedong, after Nikita Khrushchev.
    const at = (id) => order.indexOf('#' + id);
    assert.ok(at('nikita-khrushchev') < at('vladimir-lenin') && at('vladimir-lenin') < at('mao-zedong'), order.join(' '));
    await s.done();
  });

  test('pass axe-core (WCAG 2.2 A and AA) in both themes, wide and on a phone', async () => {
    for (const colorScheme of ['light', 'dark']) {
      for (const page of ENTRIES) {
        const s = await open(httpBase(), page, { colorScheme });
        await audit(s.page, `${page} (${colorScheme})`);
        await s.done();
      }
      const s = await open(httpBase(), 'glossary/cpsu.html', { colorScheme, viewport: PHONE });
      await audit(s.page, `glossary/cpsu.html (${colorScheme}, phone)`);
      const w = await s.page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(w <= 390, 'no sideways scrolling on a phone');
      await s.done();
    }
  });
});
