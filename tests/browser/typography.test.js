// The reader's typesetting measured in headless Chromium: the measure in
// characters per line at each width, in print and in the fallback faces;
// note numbers that sit on the text; a clean page at rest; the phone's first
// screen, header and note sheet; print without underlines or dead links.
// Numbers are quoted in docs/reader.md. Run by run.sh.
'use strict';
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const { PHONE, WIDE, TABLET, setup, open, httpBase, BASES } = require('./harness');
const { charsPerLine, markerGaps } = require('./measure');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

setup();

const APPEAL = 'texts/1998-cpsu-appeal.html';
const DECLARATION = 'texts/1957-moscow-declaration.html';

describe('typography', () => {
  test('the measure is 60-75 characters at 1440 and 1024 px and in print, 35-50 on a phone with text of 16 px or more', async () => {
    for (const [viewport, lo, hi] of [[WIDE, 60, 75], [TABLET, 60, 75], [PHONE, 35, 50]]) {
      for (const page of [DECLARATION, APPEAL]) {
        const s = await open(httpBase(), page, { viewport });
        const m = await s.page.evaluate(charsPerLine);
        assert.ok(m.lines > 20, `${page}: enough lines measured`);
        assert.ok(m.median >= lo && m.median <= hi, `${page} at ${viewport.width} px: ${m.median} characters a line`);
        assert.ok(m.fontSize >= 16, `${page} at ${viewport.width} px: text of ${m.fontSize} px`);
        await s.done();
      }
    }
    // Print: the width of an A4 and a Letter page inside their margins.
    for (const [paper, width] of [['A4', 627], ['Letter', 650]]) {
      const s = await open(httpBase(), DECLARATION, { viewport: { width, height: 900 } });
      await s.page.emulateMedia({ media: 'print' });
      const m = await s.page.evaluate(charsPerLine);
      assert.ok(m.median >= 60 && m.median <= 75, `print on ${paper}: ${m.median} characters a line`);
      await s.done();
    }
  });

  test('every reader page of the default site weighs under 50 KB gzipped; the files shared by all pages are named in its head', async () => {
    const dir = path.join(process.env.SCHOLION_SITE, 'texts');
    const pages = fs.readdirSync(dir).filter((f) => f.endsWith('.html'));
    assert.ok(pages.length >= 2, 'both texts are published');
    for (const f of pages) {
      const html = fs.readFileSync(path.join(dir, f));
      const gz = zlib.gzipSync(html, { level: 9 }).length;
      assert.ok(gz < 50 * 1024, `${f}: ${(gz / 1024).toFixed(1)} KB gzipped`);
      // What else the page loads is shared by every page and cached: the
      // stylesheet, the scripts and the term previews, never a page's own.
      const loads = [...html.toString().matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      for (const l of loads.filter((l) => /\.(js|css)$/.test(l))) {
        assert.match(l, /^\.\.\/(scholion[a-z-]*\.(js|css)|search\.js|previews\/terms-[0-9a-f]+\.js)$/, `${f} loads ${l}`);
      }
    }
  });

  test('the text face is Source Serif 4 from the site, and the fallbacks keep the measure', async () => {
    for (const [scheme, base] of BASES()) {
      const s = await open(base, 'index.html');
      assert.equal(await s.page.evaluate(async () => { await document.fonts.ready; return document.fonts.check('1rem "Source Serif 4"'); }), true, `${scheme}: Source Serif 4 loaded`);
      await s.done();
    }
    // Where the face cannot load (Firefox refuses fonts from a parent folder
    // to pages opened from file://), the scaled local faces stand in.
    for (const face of ['"Scholion Times"', '"Scholion DejaVu"']) {
      const s = await open(httpBase(), DECLARATION, { viewport: WIDE });
      const m = await s.page.evaluate((f) => {
        document.documentElement.style.setProperty('--serif', `${f}, serif`);
        return new Promise((ok) => requestAnimationFrame(() => ok()));
      }, face).then(() => s.page.evaluate(charsPerLine));
      assert.ok(m.median >= 60 && m.median <= 75, `${face}: ${m.median} characters a line`);
      await s.done();
    }
  });

  test('a note number leaves no gap before the punctuation after it, and is a 24 px target', async () => {
    for (const viewport of [WIDE, PHONE]) {
      for (const page of [DECLARATION, APPEAL]) {
        const s = await open(httpBase(), page, { viewport });
        const gaps = await s.page.evaluate(markerGaps);
        const measured = gaps.filter((g) => g.gap !== null);
        assert.ok(measured.length > 10, `${page}: markers followed by punctuation`);
        for (const g of measured) assert.ok(Math.abs(g.gap) <= 1, `${page} at ${viewport.width} px: ${g.gap.toFixed(1)} px between note ${g.id} and the punctuation after it`);
        for (const g of gaps) assert.ok(g.width >= 24 && g.height >= 24, `${page}: the target of note ${g.id} is ${g.width.toFixed(0)} x ${g.height.toFixed(0)} px`);
        // The lines keep their spacing: in a paragraph thick with markers,
        // every line stands one line-height below the one before.
        const pitch = await s.page.evaluate(() => {
          const par = [...document.querySelectorAll('.text-body p')].sort((a, b) => b.querySelectorAll('.noteref').length - a.querySelectorAll('.noteref').length)[0];
          // Lines are compared within each run of text between notes set
          // inside the paragraph (which stand between two of its lines).
          const bands = [...par.querySelectorAll('.commentary-inside')];
          const runs = bands.map(() => new Set()).concat([new Set()]), range = document.createRange(), walker = document.createTreeWalker(par, NodeFilter.SHOW_TEXT);
          let t;
          while ((t = walker.nextNode())) {
            if (t.parentElement.closest('.pnum, .noteref-wrap, .sidenote, .referenced-from, .commentary')) continue;
            const run = bands.filter((b) => b.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING).length;
            for (let i = 0; i < t.length; i++) { range.setStart(t, i); range.setEnd(t, i + 1); const r = range.getClientRects()[0]; if (r) runs[run].add(Math.round(r.top * 2) / 2); }
          }
          const steps = runs.flatMap((tops) => { const ts = [...tops].sort((a, b) => a - b); return ts.slice(1).map((x, i) => x - ts[i]); });
          return { lh: parseFloat(getComputedStyle(par).lineHeight), steps };
        });
        for (const st of pitch.steps) assert.ok(Math.abs(st - pitch.lh) <= 1, `${page}: lines ${st} px apart where the line height is ${pitch.lh} px`);
        await s.done();
      }
    }
  });

  test('at rest the page shows text and note numbers; at most one quiet underline for terms and cross-links', async () => {
    for (const colorScheme of ['light', 'dark']) {
      const s = await open(httpBase(), DECLARATION, { viewport: WIDE, colorScheme });
      const r = await s.page.evaluate(() => {
        const bg = (e) => getComputedStyle(e).backgroundColor;
        const text = getComputedStyle(document.querySelector('.text-body p')).color;
        const deco = (e) => { const c = getComputedStyle(e); return `${c.textDecorationLine} ${c.textDecorationStyle} ${c.textDecorationColor} ${c.color}`; };
        return {
          shaded: [...document.querySelectorAll('.text-body .anchored')].filter((e) => bg(e) !== 'rgba(0, 0, 0, 0)').length,
          term: deco(document.querySelector('.text-body a.term')),
          xref: deco(document.querySelector('.text-body a.xref')),
          termColor: getComputedStyle(document.querySelector('.text-body a.term')).color,
          text,
        };
      });
      assert.equal(r.shaded, 0, `${colorScheme}: no passage is shaded at rest`);
      assert.equal(r.term, r.xref, `${colorScheme}: terms and cross-links carry the same mark`);
      assert.equal(r.termColor, r.text, `${colorScheme}: in the colour of the text`);
      await s.done();
    }
  });
});

describe('phones', () => {
  test('the first screen shows the title and the beginning of the text; the header folds behind one button', async () => {
    for (const page of [DECLARATION, APPEAL]) {
      const s = await open(httpBase(), page, { viewport: PHONE, touch: true });
      const p = s.page;
      const r = await p.evaluate(() => {
        const top = (sel) => document.querySelector(sel).getBoundingClientRect();
        return { h1: top('h1').bottom, text: top('.text-body p').top, header: top('.site-header').height, nav: getComputedStyle(document.querySelector('.site-nav > ul')).display };
      });
      assert.ok(r.h1 < PHONE.height && r.text < PHONE.height - 60, `${page}: the text begins at ${Math.round(r.text)} px, on the first screen`);
      assert.ok(r.header < 110, `${page}: a header of ${Math.round(r.header)} px`);
      assert.equal(r.nav, 'none', `${page}: the navigation is folded`);
      await p.tap('.menu-toggle');
      assert.equal(await p.getAttribute('.menu-toggle', 'aria-expanded'), 'true');
      assert.notEqual(await p.$eval('.site-nav > ul', (e) => getComputedStyle(e).display), 'none', `${page}: the menu shows the navigation`);
      assert.ok(await p.isVisible('.theme-toggle'), `${page}: and the tools`);
      await s.done();
    }
    // The twelve issuing parties fold.
    const s = await open(httpBase(), DECLARATION, { viewport: PHONE, touch: true });
    await s.page.tap('.text-header .fold-toggle');
    assert.equal(await s.page.$eval('details.meta-fold', (d) => d.open), false, 'a long list of issuers is folded');
    assert.match(await s.page.textContent('details.meta-fold summary'), /and 11 others/);
    await s.done();
  });

  test('a note opens as a sheet at the foot of the screen, with a cue while more is below', async () => {
    const s = await open(httpBase(), DECLARATION, { viewport: PHONE, touch: true });
    const p = s.page;
    const markers = await p.$$('.text-body a.noteref');
    let cued = false;
    for (const m of markers.slice(0, 12)) {
      await m.scrollIntoViewIfNeeded();
      await m.tap();
      const sheet = await p.waitForSelector('.popover-note.sheet');
      const r = await sheet.evaluate((e) => {
        const b = e.getBoundingClientRect();
        const more = e.scrollHeight > e.clientHeight + 4;
        return { bottom: b.bottom, left: b.left, right: b.right, height: b.height, more, cue: more === e.classList.contains('has-more') && (!more || getComputedStyle(e.querySelector('.sheet-cue')).visibility === 'visible') };
      });
      assert.ok(Math.abs(r.bottom - PHONE.height) <= 1 && r.left === 0 && Math.abs(r.right - PHONE.width) <= 1, 'the note is a sheet across the foot of the screen');
      assert.ok(r.height <= PHONE.height * 0.6, 'it leaves the text above it in view');
      assert.ok(r.cue, 'a cue shows while more of it is below');
      if (r.more) {
        cued = true;
        await sheet.evaluate((e) => { e.scrollTop = e.scrollHeight; e.dispatchEvent(new Event('scroll')); });
        assert.equal(await sheet.evaluate((e) => e.classList.contains('has-more')), false, 'the cue goes at the end');
      }
      await p.tap('h1');
    }
    assert.ok(cued, 'a long note showed the cue');
    await s.done();
  });
});

describe('print', () => {
  test('prints without underlines, navigation or back-links; note numbers in the text face; endnotes numbered with their ¶', async () => {
    const s = await open(httpBase(), DECLARATION, { viewport: WIDE });
    const p = s.page;
    await p.emulateMedia({ media: 'print' });
    const r = await p.evaluate(() => {
      const cs = (sel) => getComputedStyle(document.querySelector(sel));
      return {
        underlined: [...document.querySelectorAll('main a, .anchored')].filter((a) => getComputedStyle(a).textDecorationLine !== 'none').length,
        backlinks: cs('.endnote .backlinks').display,
        place: cs('.endnote .en-place').display,
        placeText: document.querySelector('.endnote .en-place').textContent,
        list: cs('.endnotes ol').listStyleType,
        marker: cs('.noteref').fontFamily === cs('.text-body p').fontFamily,
        weight: cs('.noteref').fontWeight,
        folded: getComputedStyle(document.querySelector('details.meta-fold')).display,
      };
    });
    assert.equal(r.underlined, 0, 'no underlines');
    assert.equal(r.backlinks, 'none', 'no back-links, which lead nowhere on paper');
    assert.notEqual(r.place, 'none', 'each endnote names its paragraph');
    assert.match(r.placeText, /^¶ \d+$/);
    assert.equal(r.list, 'decimal', 'endnotes are a numbered list');
    assert.ok(r.marker && r.weight === '400', 'note numbers in the text face');
    // A PDF: running head and page numbers are CSS paged media.
    const pdf = await p.pdf({ format: 'A4' });
    assert.ok(pdf.length > 10000, 'the page prints to PDF');
    await s.done();
  });
});
