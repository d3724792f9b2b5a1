// The printed source's pages on the reader page (the fixture
// tests/fixtures/pages, SCHOLION_PAGES): each page's mark stands in the
// margin on the line where the page begins (above the first line of a
// passage the page begins, or whose first line it begins in), clear of the
// text, the ¶ numbers and the sidenotes, and takes no room in the lines;
// its address (#page-5) scrolls to it;
// screen readers hear "Page 5"; print shows |5| inline; the ¶ popover cites
// a paragraph with its pages; axe finds nothing, in both themes and on a
// phone.
'use strict';
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { PAGES, pagesHttpBase, PHONE, NARROW, WIDE, TABLET, setup, open, audit } = require('./harness');

setup();

if (!PAGES || !fs.existsSync(path.join(PAGES, 'texts', 'declaration.html'))) {
  throw new Error('SCHOLION_PAGES must name the built fixture tests/fixtures/pages (run tests/browser/run.sh)');
}
const TEXT = 'texts/declaration.html';

/** Every page mark, measured: its box, its label's glyphs, the line of the
    page's first character, the block it is in, that block's ¶ number, and
    (for a page that begins a block) the block before it. */
function measureMarks() {
  const box = (r) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom });
  return Array.from(document.querySelectorAll('.text-body .page-mark')).map((m) => {
    const block = m.closest('p[id], li[id], .block[id], h1, h2, h3, h4, h5, h6');
    // The first character after the mark: the page's first letter (not
    // the drawn link to the page's facsimile, which has no text to see).
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let node = null;
    while (walker.nextNode()) {
      const n = walker.currentNode;
      if (m.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING && !m.contains(n) && !n.parentElement.closest('.page-facsimile') && n.data.trim()) { node = n; break; }
    }
    // The passage's own first letter (not its ¶ number's or a mark's).
    const lead = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let head = null;
    while (lead.nextNode()) {
      const n = lead.currentNode;
      if (n.data.trim() && !n.parentElement.closest('.pnum, .page-mark, .page-facsimile')) { head = n; break; }
    }
    const headRange = document.createRange();
    headRange.setStart(head, head.data.search(/\S/));
    headRange.setEnd(head, head.data.search(/\S/) + 1);
    const range = document.createRange();
    const at = node.data.search(/\S/);
    range.setStart(node, at);
    range.setEnd(node, at + 1);
    const glyphs = document.createRange();
    glyphs.selectNodeContents(m);
    const pnum = block.querySelector(':scope > .pnum');
    const digits = document.createRange();
    if (pnum) digits.selectNodeContents(pnum);
    const before = block.previousElementSibling;
    const beforeNum = before && before.querySelector(':scope > .pnum');
    const beforeDigits = document.createRange();
    if (beforeNum) beforeDigits.selectNodeContents(beforeNum);
    return {
      id: m.id, top: m.classList.contains('page-top') || m.classList.contains('is-above'), label: m.textContent, name: m.getAttribute('aria-label'),
      mark: box(m.getBoundingClientRect()), glyphs: box(glyphs.getBoundingClientRect()),
      first: box(range.getBoundingClientRect()), char: node.data[at],
      onFirstLine: Math.abs(range.getBoundingClientRect().top - headRange.getBoundingClientRect().top) < 2,
      inList: block.tagName === 'LI', block: box(block.getBoundingClientRect()), pnum: pnum ? box(pnum.getBoundingClientRect()) : null, pnumGlyphs: pnum ? box(digits.getBoundingClientRect()) : null,
      before: before ? box(before.getBoundingClientRect()) : null, beforePnum: beforeNum ? box(beforeDigits.getBoundingClientRect()) : null,
      text: box(document.querySelector('.text-body').getBoundingClientRect()),
    };
  });
}

const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe('the printed source\'s pages', () => {
  test('each mark stands in the margin on its page\'s first line, clear of the text, the ¶ numbers and the sidenotes', async () => {
    for (const viewport of [WIDE, TABLET, PHONE, NARROW]) {
      for (const colorScheme of ['light', 'dark']) {
        const s = await open(pagesHttpBase(), TEXT, { viewport, colorScheme });
        const p = s.page;
        await p.evaluate(() => document.fonts.ready);
        const marks = await p.evaluate(measureMarks);
        const where = `${viewport.width} px, ${colorScheme}`;
        assert.deepEqual(marks.map((m) => m.label), ['2', '3', '4', '5', '6', '7', '8'], where);
        assert.deepEqual(marks.map((m) => m.char), ['P', 'S', 'B', 'H', 'W', 'N', 'W'], `${where}: each mark is just before its page's first letter`);
        // A page that begins in the first line of a passage, beside its ¶
        // number (page 6, in ¶ 8's first line from 390 px up),
        // is marked above it too; a page further down, on its line.
        for (const m of marks) assert.equal(m.top, m.onFirstLine, `${where}: page ${m.label} ${m.onFirstLine ? 'above its passage' : 'on its line'}`);
        if (viewport.width >= 390) assert.ok(marks[4].onFirstLine, `${where}: page 6 begins in ¶ 8's first line`);
        const sidenotes = await p.$$eval('.sidenote', (ns) => ns.map((n) => { const r = n.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; }));
        if (viewport.width >= 960) assert.ok(sidenotes.length >= 6, `${where}: the notes are beside the text`);
        for (const m of marks) {
          const at = `${where}, page ${m.label}`;
          // In the margin: left of the text (of a list item's bullet),
          // wholly inside the window.
          const edge = m.inList ? m.block.left - 18 : m.text.left;
          assert.ok(m.glyphs.right <= edge - 2, `${at}: left of the text (${m.glyphs.right} vs ${edge})`);
          assert.ok(m.glyphs.left >= 0, `${at}: inside the window (${m.glyphs.left})`);
          const line = m.first;
          if (!m.top) {
            // On the line of the page's first word: the label's glyphs
            // within that line's, on its baseline (Source Serif 4's
            // baseline is 1.036 of its 1.371 em glyph box down) to 2 px.
            const baseline = (r) => r.top + (r.bottom - r.top) * (1.036 / 1.371);
            assert.ok(m.glyphs.top >= line.top - 1 && m.glyphs.bottom <= line.bottom + 1, `${at}: on the line of its first word (${JSON.stringify(m.glyphs)} in ${JSON.stringify(line)})`);
            assert.ok(Math.abs(baseline(m.glyphs) - baseline(line)) < 2, `${at}: on the line's baseline (${baseline(m.glyphs)} vs ${baseline(line)})`);
          } else {
            // A page that begins a passage: in the space right above its
            // first line, below the passage before, and off its ¶ number.
            const floor = m.pnumGlyphs ? Math.min(m.pnumGlyphs.top + 1, line.top + 5) : line.top + 2;
            assert.ok(m.glyphs.bottom <= floor && m.glyphs.bottom >= line.top - 12, `${at}: right above the first line and its ¶ number (${m.glyphs.bottom} vs ${floor})`);
            // (The label's box is taller than the gap between paragraphs, and
            // than that between list items: it may reach into the leading of
            // the line above, in the margin.)
            if (m.before) assert.ok(m.glyphs.top >= m.before.bottom - (m.inList ? 8 : 4), `${at}: below the passage before (${m.glyphs.top} vs ${m.before.bottom})`);
            if (m.beforePnum) assert.ok(!overlap(m.glyphs, m.beforePnum), `${at}: off the ¶ number of the passage before`);
          }
          if (m.pnum) {
            const num = m.pnum;
            assert.ok(!overlap(m.glyphs, { ...num, top: num.top + 4, bottom: num.bottom - 4 }), `${at}: off the ¶ number`);
          }
          for (const n of sidenotes) assert.ok(!overlap(m.mark, n), `${at}: not over a sidenote`);
        }
        if (viewport.width < 960) {
          const wide = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          assert.equal(wide, 0, `${where}: no sideways scrolling`);
        }
        await s.done();
      }
    }
  });

  test('the marks take no room: the lines and the sidenotes stay where they are without them', async () => {
    for (const viewport of [WIDE, TABLET, PHONE]) {
      const s = await open(pagesHttpBase(), TEXT, { viewport });
      const p = s.page;
      await p.evaluate(() => document.fonts.ready);
      await p.waitForTimeout(100);
      const layout = () => p.evaluate(() => {
        const lines = [];
        for (const b of document.querySelectorAll('.text-body [id^="p"]')) {
          if (!/^p\d+$/.test(b.id)) continue;
          const r = document.createRange();
          r.selectNodeContents(b);
          // Every line's top, from the text's own rectangles.
          const tops = [...new Set(Array.from(r.getClientRects()).filter((x) => x.width > 1 && x.left >= b.getBoundingClientRect().left - 1).map((x) => Math.round(x.top)))];
          lines.push([b.id, b.getBoundingClientRect().height, tops.length]);
        }
        const words = Array.from(document.querySelectorAll('.text-body .anchored')).map((a) => { const r = a.getClientRects()[0]; return [a.getAttribute('data-note'), Math.round(r.left), Math.round(r.top + scrollY)]; });
        const notes = Array.from(document.querySelectorAll('.sidenote')).map((n) => { const r = n.getBoundingClientRect(); return [n.getAttribute('data-note'), Math.round(r.left), Math.round(r.top + scrollY)]; });
        return { lines, words, notes };
      });
      const withMarks = await layout();
      await p.evaluate(() => document.querySelectorAll('.page-mark, .page-bar').forEach((m) => m.remove()));
      // The notes are placed again when the width changes: change it and back.
      await p.setViewportSize({ width: viewport.width - 40, height: viewport.height });
      await p.waitForTimeout(150);
      await p.setViewportSize(viewport);
      await p.waitForTimeout(250);
      const without = await layout();
      assert.deepEqual(withMarks.lines, without.lines, `${viewport.width} px: every paragraph keeps its height and lines`);
      assert.deepEqual(withMarks.words, without.words, `${viewport.width} px: every annotated passage stays where it was`);
      assert.deepEqual(withMarks.notes, without.notes, `${viewport.width} px: every sidenote stays where it was`);
      if (viewport.width >= 960) assert.ok(withMarks.notes.length >= 6);
      await s.done();
    }
  });

  test('a page\'s address scrolls to its mark, and screen readers hear "Page 5"', async () => {
    const fileBase = pathToFileURL(PAGES).href.replace(/\/?$/, '/');
    for (const base of [pagesHttpBase(), fileBase]) {
      const s = await open(base, `${TEXT}#page-5`, { viewport: TABLET });
      const p = s.page;
      await p.evaluate(() => document.fonts.ready);
      const r = await p.evaluate(() => { const m = document.getElementById('page-5'); const b = m.getBoundingClientRect(); return { top: b.top, bottom: b.bottom, h: innerHeight, target: m.matches(':target'), y: scrollY, colour: getComputedStyle(m).color, quiet: getComputedStyle(document.getElementById('page-6')).color }; });
      assert.ok(r.y > 200, `${base}: the page scrolled (${r.y})`);
      assert.ok(r.target && r.top >= 0 && r.bottom <= r.h / 2, `${base}: #page-5 is near the top of the window (${r.top})`);
      assert.notEqual(r.colour, r.quiet, 'the page arrived at is marked');
      // A page break as DPUB-ARIA has it, named for screen readers, whose
      // label ("p. 5") is not read again as text.
      const cdp = await s.context.newCDPSession(p);
      const { nodes } = await cdp.send('Accessibility.getFullAXTree');
      const named = (n) => (n.name && n.name.value) || '';
      // (The tree comes in no particular order.)
      const breaks = nodes.filter((n) => n.role && n.role.value === 'doc-pagebreak' && !n.ignored).map(named).sort();
      assert.deepEqual(breaks, ['Page 2', 'Page 3', 'Page 4', 'Page 5', 'Page 6', 'Page 7', 'Page 8']);
      assert.ok(!nodes.some((n) => !n.ignored && /^p\.\s/.test(named(n))), 'no "p. 5" read as text');
      await s.done();
    }
  });

  test('printed, each page is marked |5| inline where it begins', async () => {
    const s = await open(pagesHttpBase(), TEXT, { viewport: WIDE });
    const p = s.page;
    await p.emulateMedia({ media: 'print' });
    await p.evaluate(() => document.fonts.ready);
    const printed = await p.evaluate(() => Array.from(document.querySelectorAll('.page-mark')).map((m) => {
      const cs = getComputedStyle(m), r = m.getBoundingClientRect(), block = m.closest('p, li, h2').getBoundingClientRect();
      const after = m.nextSibling ? m.nextSibling.textContent.slice(0, 1) : '';
      return {
        shown: [getComputedStyle(m, '::before').content, m.textContent, getComputedStyle(m, '::after').content].map((c) => c.replace(/ \/ ""$/, '')).join(''),
        position: cs.position, inside: r.left >= block.left - 1 && r.right <= block.right + 1, after,
        bar: m.previousElementSibling && m.previousElementSibling.classList.contains('page-bar') ? getComputedStyle(m.previousElementSibling).display : 'none',
      };
    }));
    assert.deepEqual(printed.map((m) => m.shown), ['"|"2"|"', '"|"3"|"', '"|"4"|"', '"|"5"|"', '"|"6"|"', '"|"7"|"', '"|"8"|"']);
    for (const m of printed) {
      assert.equal(m.position, 'static', 'in the line, not the margin');
      assert.ok(m.inside, 'inside its paragraph');
      assert.equal(m.bar, 'none', 'no hairline on paper');
    }
    // The text of the page: "|5|He has dissolved".
    const line = await p.evaluate(() => document.getElementById('p6').innerText.replace(/\s+/g, ' '));
    assert.ok(line.includes('5He has dissolved') || line.includes('5 He has dissolved'), line);
    const pdf = await p.pdf({ format: 'A4', preferCSSPageSize: true });
    assert.ok(pdf.length > 10000);
    await s.done();
  });

  test('the ¶ popover cites a paragraph with the pages it is on', async () => {
    const s = await open(pagesHttpBase(), TEXT, { viewport: WIDE });
    const p = s.page;
    await p.click('#p2 > .pnum');
    await p.waitForSelector('.popover details.cite-paragraph');
    await p.click('.popover details.cite-paragraph summary');
    const cite = await p.evaluate(() => ({
      summary: document.querySelector('.popover details.cite-paragraph summary').textContent,
      chicago: document.querySelector('.popover .cite-text[data-style="chicago"]').textContent,
      mla: document.querySelector('.popover .cite-text[data-style="mla"]').textContent,
      bibtex: document.querySelector('.popover .cite-text[data-style="bibtex"]').textContent,
    }));
    assert.equal(cite.summary, 'Cite ¶ 2 (pp. 1–2)');
    assert.ok(cite.chicago.includes('“The Declaration of Independence, ¶ 2, pp. 1–2.”'), cite.chicago);
    assert.ok(cite.mla.includes('4 July 1776, par. 2, pp. 1–2.'), cite.mla);
    assert.ok(cite.bibtex.includes('note = {¶ 2, pp. 1–2}'), cite.bibtex);
    assert.ok(!/\{page\}|\{n\}/.test(cite.chicago + cite.mla + cite.bibtex), 'every placeholder filled');
    await p.keyboard.press('Escape');
    await p.click('#p9 > .pnum');
    await p.waitForSelector('.popover details.cite-paragraph');
    const one = await p.evaluate(() => document.querySelector('.popover .cite-text[data-style="chicago"]').textContent);
    assert.ok(one.includes('¶ 9, p. 8.”'), one);
    // The endnotes name each note's page.
    const en = await p.evaluate(() => document.querySelector('#en-brethren .backlinks').textContent);
    assert.ok(en.includes('(¶ 8, p. 7)'), en);
    await s.done();
  });

  test('axe-core finds no violation on the pages fixture, in both themes, wide and on a phone', async () => {
    for (const colorScheme of ['light', 'dark']) {
      for (const viewport of [WIDE, PHONE]) {
        for (const page of ['index.html', TEXT, 'glossary.html']) {
          const s = await open(pagesHttpBase(), page, { colorScheme, viewport });
          await s.page.evaluate(() => document.fonts.ready);
          await audit(s.page, `pages fixture ${page} (${colorScheme}, ${viewport.width} px)`);
          await s.done();
        }
      }
    }
  });
});
