// The reader in a real browser: Debian's headless Chromium driven by
// playwright-core against a freshly built default site (SCHOLION_SITE),
// served on 127.0.0.1 by the static server of harness.js and also opened
// from file://. Each test fails on console errors, failed requests and requests
// to any other host. Run by run.sh; see docs/reader.md for what is tested.
'use strict';
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { SITE, PHONE, WIDE, TABLET, setup, open, audit, BASES, httpBase } = require('./harness');
const { notesLayout, activeNote } = require('./measure');

setup();

const TEXTS = fs.readdirSync(path.join(SITE, 'texts')).filter((f) => f.endsWith('.html')).sort().map((f) => 'texts/' + f);
const PAGES = ['index.html', 'glossary.html', ...fs.readdirSync(SITE).filter((f) => f.endsWith('.html') && f !== 'index.html' && f !== 'glossary.html').sort(), ...TEXTS];
// The text with cross-links to the other one, and the one with most notes.
const APPEAL = 'texts/1998-cpsu-appeal.html';
const DECLARATION = 'texts/1957-moscow-declaration.html';

async function hrefOf(p, selector) {
  return p.$eval(selector, (a) => a.getAttribute('href'));
}

describe('every page', () => {
  test('loads its stylesheet and script under the CSP, over http and from file://, with no errors', async () => {
    for (const [scheme, base] of BASES()) {
      for (const page of PAGES) {
        const s = await open(base, page);
        const state = await s.page.evaluate(() => ({
          csp: (document.querySelector('meta[http-equiv="Content-Security-Policy"]') || {}).content || '',
          js: document.documentElement.classList.contains('js'),
          bg: getComputedStyle(document.body).backgroundColor,
          tools: !!document.querySelector('.theme-toggle'),
        }));
        assert.match(state.csp, /default-src 'self'/, `${scheme} ${page}: CSP meta`);
        assert.ok(state.js && state.tools, `${scheme} ${page}: scholion.js ran`);
        assert.equal(state.bg, 'rgb(253, 252, 248)', `${scheme} ${page}: scholion.css applied`);
        await s.done();
      }
    }
  });

  test('has no horizontal scrolling at 360 px', async () => {
    for (const page of PAGES) {
      const s = await open(httpBase(), page, { viewport: { width: 360, height: 740 }, touch: true });
      const w = await s.page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(w[0] <= w[1], `${page}: scrollWidth ${w[0]} > ${w[1]}`);
      if (TEXTS.includes(page)) {
        await s.page.tap('.text-body a.noteref');
        await s.page.waitForSelector('.popover');
        const box = await s.page.$eval('.popover', (e) => e.getBoundingClientRect().toJSON());
        assert.ok(box.left >= 0 && box.right <= 360, `${page}: popover inside the viewport`);
        const w2 = await s.page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(w2 <= 360, `${page}: no scrolling with a popover open`);
      }
      await s.done();
    }
  });

  test('passes axe-core (WCAG 2.2 A and AA) in both themes', async () => {
    for (const colorScheme of ['light', 'dark']) {
      for (const page of PAGES) {
        const s = await open(httpBase(), page, { colorScheme });
        await audit(s.page, `${page} (${colorScheme}, wide)`);
        await s.done();
      }
      for (const page of TEXTS) {
        const s = await open(httpBase(), page, { colorScheme, viewport: PHONE });
        await audit(s.page, `${page} (${colorScheme}, phone)`);
        await s.page.click('.text-body a.noteref');
        await s.page.waitForSelector('.popover');
        await audit(s.page, `${page} (${colorScheme}, phone, note open)`);
        await s.page.keyboard.press('Escape');
        await s.page.hover('.text-body a.term');
        await s.page.waitForSelector('.popover-term');
        await audit(s.page, `${page} (${colorScheme}, phone, term open)`);
        await s.done();
      }
    }
    // The dark theme chosen with the toggle, not the system.
    const s = await open(httpBase(), APPEAL, { colorScheme: 'light' });
    await s.page.click('.theme-toggle');
    await audit(s.page, `${APPEAL} (dark by toggle)`);
    await s.page.click('.text-body a.noteref');
    await audit(s.page, `${APPEAL} (dark by toggle, sidenote open)`);
    await s.done();
  });
});

describe('notes', () => {
  test('at phone width a tapped marker opens a popover with its note', async () => {
    for (const [scheme, base] of BASES()) {
      const s = await open(base, APPEAL, { viewport: PHONE, touch: true });
      const p = s.page;
      assert.equal(await p.$$eval('.sidenote', (e) => e.length), 0, 'no sidenotes on a phone');
      const markers = await p.$$('.text-body a.noteref');
      for (const i of [0, 5, markers.length - 1]) {
        const m = markers[i];
        const id = await m.getAttribute('data-note');
        await m.scrollIntoViewIfNeeded();
        await m.tap();
        const popover = await p.waitForSelector('.popover-note');
        const [shown, expected] = await Promise.all([
          popover.evaluate((e) => e.textContent.replace(/\s+/g, '')),
          p.$eval(`#en-${id}`, (e) => [...e.children].filter((c) => !c.matches(".backlinks, .en-place")).map((c) => c.textContent).join('').replace(/\s+/g, '')),
        ]);
        assert.ok(expected.length > 20 && shown.includes(expected), `${scheme}: popover of note ${id} shows its text`);
        assert.equal(new URL(p.url()).hash, '', `${scheme}: the tap did not jump to the endnote`);
        const box = await popover.evaluate((e) => e.getBoundingClientRect().toJSON());
        assert.ok(box.left >= 0 && box.right <= PHONE.width && box.top >= 0 && box.bottom <= PHONE.height, `${scheme}: popover of ${id} inside the viewport`);
        assert.equal(await p.$eval(`.anchored[data-note="${id}"]`, (e) => e.classList.contains('is-active')), true, 'its passage is highlighted');
        // A tap outside closes it.
        await p.tap('h1');
        assert.equal(await p.$('.popover'), null, `${scheme}: a tap outside closes the popover`);
      }
      await s.done();
    }
  });

  test('the keyboard opens a note with Enter and Esc closes it, focus returning to the marker', async () => {
    const s = await open(httpBase(), APPEAL, { viewport: PHONE });
    const p = s.page;
    const marker = p.locator('.text-body a.noteref').nth(2);
    const id = await marker.getAttribute('data-note');
    // Reach the marker with Tab from its paragraph's number (a term's
    // preview on the way opens and is passed through).
    await p.evaluate((id) => document.getElementById(`ref-${id}`).closest('[id^="p"]').querySelector('.pnum').focus(), id);
    for (let i = 0; i < 40 && (await p.evaluate(() => document.activeElement.id)) !== `ref-${id}`; i++) await p.keyboard.press('Tab');
    assert.equal(await p.evaluate(() => document.activeElement.id), `ref-${id}`);
    await p.waitForSelector('.popover-note');
    assert.equal(await p.$$eval('.popover', (e) => e.length), 1, 'focus shows the note, and only it');
    await p.keyboard.press('Escape');
    assert.equal(await p.$('.popover'), null);
    assert.equal(await p.evaluate(() => document.activeElement.id), `ref-${id}`);
    await p.keyboard.press('Enter');
    await p.waitForSelector('.popover-note');
    assert.match(await marker.getAttribute('aria-describedby'), /^popover-/, 'the marker is described by its popover');
    assert.equal(new URL(p.url()).hash, '', 'Enter did not jump to the endnote');
    // Into the popover and out again with Esc.
    await p.keyboard.press('Tab');
    assert.equal(await p.evaluate(() => !!document.activeElement.closest('.popover')), true, 'Tab moves into the popover');
    await p.keyboard.press('Escape');
    assert.equal(await p.$('.popover'), null, 'Esc closes');
    assert.equal(await p.evaluate(() => document.activeElement.id), `ref-${id}`, 'focus is back on the marker');
    await s.done();
  });

  test('a popover opened by hover stays while the pointer moves into it (WCAG 1.4.13)', async () => {
    const s = await open(httpBase(), APPEAL, { viewport: PHONE });
    const p = s.page;
    await p.hover('.text-body a.term');
    const pop = await p.waitForSelector('.popover-term');
    const box = await pop.boundingBox();
    await p.mouse.move(box.x + box.width / 2, box.y + 10, { steps: 8 });
    await p.waitForTimeout(700);
    assert.ok(await p.$('.popover-term'), 'still open with the pointer inside');
    await p.keyboard.press('Escape');
    assert.equal(await p.$('.popover'), null, 'Esc dismisses it');
    await s.done();
  });

  test('at 1440 and 1024 px, in both themes, every note is whole, beside its line or after its paragraph, and none overlap', async () => {
    const seen = {};
    for (const colorScheme of ['light', 'dark']) {
      for (const viewport of [WIDE, TABLET]) {
        for (const page of TEXTS) {
          const s = await open(httpBase(), page, { viewport, colorScheme });
          const r = await s.page.evaluate(notesLayout);
          const where = `${page} at ${viewport.width} px (${colorScheme})`;
          assert.equal(r.placed, r.markers, `${where}: every marker has its note beside the text or after its paragraph`);
          assert.deepEqual(r.cut, [], `${where}: no note is cut`);
          r.side.forEach((n, i) => {
            assert.ok(n.left >= r.bodyRight + 8 && n.right <= r.width, `${where}: note ${n.id} stands in the margin`);
            assert.ok(n.top >= n.passageTop - 4, `${where}: note ${n.id} is not above its passage`);
            r.side.slice(0, i).forEach((o) => {
              const overlap = Math.min(n.bottom, o.bottom) - Math.max(n.top, o.top);
              assert.ok(overlap <= 0.5, `${where}: notes ${o.id} and ${n.id} overlap by ${overlap}px`);
            });
            r.bands.forEach((b) => assert.ok(n.bottom <= b.top || n.top >= b.bottom, `${where}: note ${n.id} overlaps the notes set after a paragraph`));
          });
          // No note stands more than a screen below its marker's line: a
          // sidenote, a note after its paragraph, or a note set inside a
          // long paragraph at the end of a line.
          for (const n of [...r.side, ...r.after]) {
            assert.ok(n.top - n.line <= viewport.height, `${where}: note ${n.id} is ${Math.round(n.top - n.line)} px below its line, more than a screen`);
          }
          seen[`${page} ${viewport.width} ${colorScheme}`] = r;
          await s.done();
        }
      }
    }
    // The declaration keeps its notes in the margin, near their lines; the
    // appeal, whose notes are 3.5 times its text, sets them after its paragraphs.
    const d = seen[`${DECLARATION} 1440 light`];
    assert.equal(d.mode, 'side', 'the declaration has sidenotes at 1440 px');
    const full = d.side.filter((n) => n.whole).length;
    assert.ok(full >= 0.9 * d.side.length, `${full} of ${d.side.length} sidenotes show their full text`);
    const dist = d.side.map((n) => Math.abs(n.top - n.line)).sort((x, y) => x - y);
    const median = dist[Math.floor(dist.length / 2)];
    assert.ok(median < 40, `the median distance from a sidenote to its marker's line is ${median} px`);
    const a = seen[`${APPEAL} 1440 light`];
    assert.equal(a.mode, 'after', 'the appeal sets its notes after its paragraphs');
    assert.ok(a.after.every((n) => n.afterBlock), 'each note of the appeal comes after its own paragraph');
    // Its longest paragraph, whose notes would not fit in a screen after
    // it, has the first of them at the end of a line inside it.
    const inside = a.after.filter((n) => n.inside).length;
    assert.ok(inside > 0 && inside < a.after.length, `${inside} of the appeal's ${a.after.length} notes are set inside their paragraph`);
  });

  test('at 1440 px the active note is whole beside its line, its passage marked; Esc puts it back', async () => {
    const s = await open(httpBase(), DECLARATION, { viewport: WIDE });
    const p = s.page;
    const unmarked = await p.$$eval('.text-body .anchored', (xs) => xs.filter((x) => getComputedStyle(x).backgroundColor !== 'rgba(0, 0, 0, 0)').length);
    assert.equal(unmarked, 0, 'no passage is shaded at rest');
    const ids = await p.$$eval('.sidenote', (xs) => xs.map((x) => x.dataset.note));
    let lifted = 0;
    for (const id of ids) {
      await p.hover(`#ref-${id}`);
      const r = await p.evaluate(activeNote, id);
      assert.ok(r.whole, `note ${id} is whole while active`);
      assert.ok(Math.abs(r.top - r.line) <= r.lineHeight, `active note ${id} is beside its line (${Math.round(r.top - r.line)} px)`);
      assert.ok(r.marked, `the passage of note ${id} is marked while its note is active`);
      if (r.lifted) lifted++;
    }
    assert.ok(lifted > 0, 'a note pushed down by its neighbours is brought up to its line while active');
    // Clicked: it stays until Esc.
    await p.mouse.move(5, 5);
    const far = ids[ids.length > 10 ? 10 : 0];
    await p.click(`#ref-${far}`);
    await p.mouse.move(5, 5);
    await p.waitForTimeout(400);
    assert.equal(await p.$eval(`.sidenote[data-note="${far}"]`, (e) => e.classList.contains('is-active')), true, 'a clicked note stays active');
    assert.equal(new URL(p.url()).hash, '', 'the click did not jump to the endnote');
    await p.keyboard.press('Escape');
    assert.equal(await p.$eval(`.sidenote[data-note="${far}"]`, (e) => e.classList.contains('is-active') || e.classList.contains('is-lifted')), false, 'Esc puts it back');
    await s.done();
    // Reached by address.
    const t = await open(httpBase(), `${DECLARATION}#ref-${far}`, { viewport: WIDE });
    await t.page.waitForFunction((id) => document.querySelector(`.sidenote[data-note="${id}"].is-active`), far);
    const r = await t.page.evaluate(activeNote, far);
    assert.ok(r.whole && r.marked && Math.abs(r.top - r.line) <= r.lineHeight, 'a note reached by its address is active, whole and beside its line');
    await t.done();
  });

  test('at 1440 px a note after its paragraph is active with its marker', async () => {
    const s = await open(httpBase(), APPEAL, { viewport: WIDE });
    const p = s.page;
    const marker = p.locator('.text-body a.noteref').nth(3);
    const id = await marker.getAttribute('data-note');
    await marker.hover();
    const lit = await p.evaluate((id) => [
      document.querySelector(`.comm-note[data-note="${id}"]`).classList.contains('is-active'),
      [...document.querySelectorAll(`.anchored[data-note="${id}"]`)].every((e) => e.classList.contains('is-active') && getComputedStyle(e).backgroundColor !== 'rgba(0, 0, 0, 0)'),
    ], id);
    assert.deepEqual(lit, [true, true], 'hover marks the note after the paragraph and its passage');
    await s.done();
  });

  test('without JavaScript a marker is a plain link to its endnote', async () => {
    for (const [scheme, base] of BASES()) {
      const s = await open(base, APPEAL, { viewport: PHONE, javaScriptEnabled: false });
      const p = s.page;
      const id = await p.getAttribute('.text-body a.noteref', 'data-note');
      await p.click('.text-body a.noteref');
      await p.waitForFunction((id) => location.hash === `#en-${id}`, id);
      assert.equal(await p.evaluate(() => document.querySelector(':target').matches('.endnotes li')), true);
      assert.equal(await p.$$eval('.sidenote, .popover, .theme-toggle', (e) => e.length), 0);
      // And back to the text from the endnote.
      await p.click(`#en-${id} a[role="doc-backlink"]`);
      await p.waitForFunction((id) => location.hash === `#ref-${id}`, id);
      await s.done();
    }
  });
});

describe('cross-links and the glossary', () => {
  test('a cross-link leads to its target, which shows where it is referenced from, and back', async () => {
    for (const [scheme, base] of BASES()) {
      const s = await open(base, APPEAL, { viewport: WIDE });
      const p = s.page;
      const link = p.locator('.text-body a.xref[id]').first();
      const linkId = (await link.getAttribute('id')).replace(/^l-/, '');
      const href = await link.getAttribute('href');
      await Promise.all([p.waitForURL((u) => u.href.includes(href)), link.click()]);
      const target = await p.evaluate(() => {
        const block = document.querySelector('.arrived');
        return block && { id: block.id, rf: (block.querySelector('.referenced-from') || {}).textContent, arrival: (block.querySelector('.backref.is-arrival') || {}).outerHTML };
      });
      assert.ok(target, `${scheme}: the target paragraph is highlighted`);
      assert.match(target.rf, /Referenced from/, `${scheme}: the target says where it is referenced from`);
      assert.ok(target.arrival && target.arrival.includes(`#l-${linkId}`), `${scheme}: the back-link we came by is marked`);
      await Promise.all([p.waitForURL((u) => u.hash === `#l-${linkId}`), p.click('.arrived .backref.is-arrival')]);
      assert.ok(p.url().includes(APPEAL), `${scheme}: back on the citing text`);
      assert.equal(await p.evaluate(() => document.querySelector(':target').classList.contains('xref')), true, `${scheme}: at the cross-link`);
      await s.done();
    }
  });

  test('a cross-link previews its target passage', async () => {
    for (const [scheme, base] of BASES()) {
      const s = await open(base, APPEAL, { viewport: WIDE });
      const p = s.page;
      const link = p.locator('.text-body a.xref[id]').first();
      const href = await link.getAttribute('href');
      await link.hover();
      const pop = await p.waitForSelector('.popover-xref');
      const shown = await pop.evaluate((e) => e.querySelector('.preview-excerpt').textContent.replace(/\s+/g, ' '));
      const t = await open(base, 'texts/' + href);
      const words = await t.page.evaluate((hash) => {
        const el = document.getElementById(hash.slice(1));
        const c = el.closest('p, li, .block').cloneNode(true);
        c.querySelectorAll('.pnum, .noteref-wrap, .referenced-from').forEach((x) => x.remove());
        return c.textContent.replace(/\s+/g, ' ').trim().split(' ').slice(0, 8).join(' ');
      }, new URL(href, 'http://x/').hash);
      await t.done();
      assert.ok(shown.includes(words), `${scheme}: the preview shows "${words}…" (got "${shown.slice(0, 80)}")`);
      await s.done();
    }
  });

  test('a glossary term shows its definition, links to its entry, and the entry links back', async () => {
    for (const [scheme, base] of BASES()) {
      const s = await open(base, APPEAL, { viewport: WIDE });
      const p = s.page;
      const term = p.locator('.text-body a.term').first();
      const id = await term.getAttribute('data-term');
      const para = await term.evaluate((a) => a.closest('[id^="p"]').id);
      // The previews are not copied into the page: they come from the
      // site's scripts of previews, the same files on every reader page.
      assert.equal(await p.locator('template#term-previews').count(), 0, `${scheme}: no previews in the page`);
      const scripts = await p.$$eval('script[src*="previews/terms-"]', (ss) => ss.map((x) => x.getAttribute('src')));
      assert.ok(scripts.length >= 1, `${scheme}: the page loads the previews' script`);
      const shared = await p.evaluate((i) => { const d = document.createElement('div'); d.innerHTML = (window.ScholionTerms || {})[i] || ''; return d.textContent.replace(/\s+/g, ' ').trim(); }, id);
      assert.ok(shared.length > 40, `${scheme}: the entry is in the shared previews`);
      await term.focus();
      const pop = await p.waitForSelector('.popover-term');
      assert.ok((await pop.textContent()).length > 40, `${scheme}: the definition shows on focus`);
      assert.ok((await pop.textContent()).replace(/\s+/g, ' ').includes(shared.slice(0, 60)), `${scheme}: the popover shows the shared definition`);
      const other = await open(base, DECLARATION, { viewport: WIDE });
      const theirs = await other.page.$$eval('script[src*="previews/terms-"]', (ss) => ss.map((x) => x.getAttribute('src')));
      assert.ok(scripts.some((x) => theirs.includes(x)), `${scheme}: another text loads the same file (${scripts} / ${theirs})`);
      await other.done();
      await Promise.all([p.waitForURL((u) => u.hash === `#${id}`), term.click()]);
      assert.ok(p.url().includes('glossary.html'), `${scheme}: on the glossary`);
      assert.equal(await p.evaluate(() => document.querySelector(':target').tagName), 'DT');
      const back = p.locator(`#${id} + dd .occurrences a[href$="${APPEAL}#${para}"]`);
      await Promise.all([p.waitForURL((u) => u.hash === `#${para}`), back.click()]);
      assert.ok(p.url().includes(APPEAL), `${scheme}: back at the text`);
      await s.done();
    }
  });
});

describe('the glossary page', () => {
  test('shows each entry\'s kind and aliases, and previews the entries its definitions link', async () => {
    for (const [scheme, base] of BASES()) {
      const s = await open(base, 'glossary.html', { viewport: WIDE });
      const p = s.page;
      const r = await p.evaluate(() => ({
        entries: document.querySelectorAll('.glossary-entries > dt').length,
        facts: [...document.querySelectorAll('.glossary-entries > dd > .entry-facts')].map((f) => f.textContent),
        aliases: document.querySelectorAll('.glossary-entries .alias').length,
      }));
      assert.equal(r.facts.length, r.entries, `${scheme}: every entry says its kind`);
      assert.ok(r.facts.every((f) => /^(concept|person|organisation|place|event|work)\b/.test(f)), `${scheme}: the kind comes first`);
      assert.ok(r.aliases > 10, `${scheme}: aliases are shown (${r.aliases})`);
      const link = p.locator('.glossary-entries dd > p:not(.entry-facts):not(.sources):not(.occurrences) a[href^="#"]').first();
      const href = await link.getAttribute('href');
      await link.hover();
      const pop = await p.waitForSelector('.popover-entry');
      const [shown, term] = await Promise.all([pop.textContent(), p.$eval(href, (dt) => dt.textContent)]);
      assert.ok(shown.includes(term) && shown.length > term.length + 40, `${scheme}: hovering a link to ${href} previews its entry`);
      await p.keyboard.press('Escape');
      assert.equal(await p.$('.popover'), null);
      await s.done();
    }
  });
});

describe('reading aids', () => {
  test('the dark theme toggle is remembered across reloads', async () => {
    for (const [scheme, base] of BASES()) {
      const s = await open(base, APPEAL, { colorScheme: 'light' });
      const p = s.page;
      const bg = () => p.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const light = await bg();
      assert.equal(await p.getAttribute('.theme-toggle', 'aria-pressed'), 'false');
      await p.click('.theme-toggle');
      assert.notEqual(await bg(), light, `${scheme}: dark after the toggle`);
      await p.reload();
      assert.equal(await p.evaluate(() => document.documentElement.dataset.theme), 'dark', `${scheme}: remembered`);
      assert.notEqual(await bg(), light);
      assert.equal(await p.getAttribute('.theme-toggle', 'aria-pressed'), 'true');
      await p.goto(base + 'glossary.html');
      assert.notEqual(await bg(), light, `${scheme}: on other pages too`);
      await p.keyboard.press('t');
      assert.equal(await bg(), light, `${scheme}: t switches back`);
      await s.done();
    }
  });

  test('the theme follows the system until chosen', async () => {
    const s = await open(httpBase(), 'index.html', { colorScheme: 'dark' });
    assert.equal(await s.page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(23, 24, 27)');
    assert.equal(await s.page.getAttribute('.theme-toggle', 'aria-pressed'), 'true');
    await s.done();
  });

  test('a paragraph number is a permalink with a copy action', async () => {
    const s = await open(httpBase(), APPEAL, { viewport: WIDE, contextOptions: { permissions: ['clipboard-read', 'clipboard-write'] } });
    const p = s.page;
    await p.click('#p3 > a.pnum');
    await p.waitForSelector('.popover-pnum');
    assert.equal(new URL(p.url()).hash, '#p3');
    assert.ok((await p.inputValue('.popover-pnum input')).endsWith(`${APPEAL}#p3`));
    await p.click('.popover-pnum button.copy');
    await p.waitForFunction(() => document.querySelector('.copy-status').textContent === 'Copied.');
    assert.ok((await p.evaluate(() => navigator.clipboard.readText())).endsWith('#p3'));
    await s.done();
  });

  test('a paragraph number also cites the paragraph in Chicago, MLA and BibTeX, each whole with its own Copy', async () => {
    for (const viewport of [WIDE, TABLET]) {
      const s = await open(httpBase(), APPEAL, { viewport, contextOptions: { permissions: ['clipboard-read', 'clipboard-write'] } });
      const p = s.page;
      await p.click('#p4 > a.pnum');
      await p.waitForSelector('.popover-pnum details.cite-paragraph');
      await p.click('.popover-pnum details.cite-paragraph summary');
      const cites = await p.$$eval('.popover-pnum .cite-text', (t) => t.map((x) => ({ text: x.textContent, whole: x.scrollHeight <= x.clientHeight + 1 && x.scrollWidth <= x.clientWidth + 1 })));
      assert.equal(cites.length, 3);
      assert.ok(cites.every((c) => c.whole), `${viewport.width} px: every format is shown whole`);
      assert.match(cites[0].text, /, ¶ 4\.” 1998\. In The Moscow Declaration of 1957 and the Appeal of 1998/);
      assert.match(cites[0].text, /Edition 1\.0/);
      assert.ok(cites[0].text.endsWith(`${APPEAL}#p4.`), cites[0].text);
      assert.match(cites[1].text, /1998, par\. 4\./);
      assert.match(cites[2].text, /^@misc\{1998-cpsu-appeal-p4,/);
      assert.match(cites[2].text, /note = \{¶ 4\}/);
      assert.equal(await p.$$eval('.popover-pnum .cite-paragraph button.copy', (b) => b.length), 3, 'a Copy button for each format');
      // The popover stands beside its paragraph, not over it.
      const [pop, para] = await p.evaluate(() => [document.querySelector('.popover-pnum').getBoundingClientRect().toJSON(), document.getElementById('p4').getBoundingClientRect().toJSON()]);
      const overlap = Math.min(pop.right, para.right) - Math.max(pop.left, para.left) > 0 && Math.min(pop.bottom, para.bottom) - Math.max(pop.top, para.top) > 0;
      assert.ok(!overlap, `${viewport.width} px: the ¶ popover does not cover its paragraph`);
      await p.click('.popover-pnum .cite-paragraph button.copy >> nth=2');
      await p.waitForFunction(() => [...document.querySelectorAll('.cite-paragraph .copy-status')].some((x) => x.textContent === 'Copied.'));
      assert.match(await p.evaluate(() => navigator.clipboard.readText()), /^@misc\{1998-cpsu-appeal-p4,[^]*¶ 4/);
      await s.done();
    }
  });

  test('the contents mark the section being read', async () => {
    const s = await open(httpBase(), DECLARATION, { viewport: WIDE });
    const p = s.page;
    const toc = await p.$$eval('.toc a', (as) => as.map((a) => a.getAttribute('href')));
    const pick = toc[Math.floor(toc.length / 2)];
    await p.evaluate((id) => document.getElementById(id).scrollIntoView({ block: 'start' }), pick.slice(1));
    await p.waitForFunction((href) => {
      const a = document.querySelector('.toc a[aria-current]');
      return a && a.getAttribute('href') === href;
    }, pick);
    const sticky = await p.$eval('.toc-inner', (e) => e.getBoundingClientRect().top);
    assert.ok(sticky >= 0 && sticky < 100, 'the wide contents sidebar stays in view');
    await s.done();
  });

  test('a long heading takes at most two lines of the contents sidebar, and is read whole', async () => {
    const s = await open(httpBase(), DECLARATION, { viewport: WIDE });
    const p = s.page;
    const entries = await p.$$eval('.toc a', (as) => as.map((a) => {
      const lh = parseFloat(getComputedStyle(a).lineHeight);
      return { text: a.textContent, lines: Math.round(a.getBoundingClientRect().height / lh), title: a.title, height: a.getBoundingClientRect().height };
    }));
    const long = entries.find((e) => e.text.startsWith('DECLARATION OF COMMUNIST AND WORKERS'));
    assert.ok(long, 'the title the source prints in capitals is in the contents');
    for (const e of entries) {
      assert.ok(e.lines <= 2, `"${e.text}" takes ${e.lines} lines of the sidebar`);
      assert.ok(e.height >= 24, `"${e.text}" is a target of ${e.height} px`);
    }
    assert.equal(long.lines, 2, 'the long title is cut to two lines');
    assert.equal(long.title, long.text, 'its whole wording is the link\'s title');
    assert.match(await p.$eval('.toc a', (a) => a.textContent), /SOCIALIST COUNTRIES$/, 'and stays whole in the page for screen readers');
    await s.done();
  });

  test('? lists the shortcuts; n and p go to the next and previous text', async () => {
    const s = await open(httpBase(), TEXTS[0], { viewport: WIDE });
    const p = s.page;
    await p.keyboard.press('Shift+?');
    await p.waitForSelector('dialog.shortcuts[open]');
    assert.match(await p.textContent('dialog.shortcuts'), /Next text/);
    await p.keyboard.press('Escape');
    assert.equal(await p.$('dialog.shortcuts[open]'), null);
    await Promise.all([p.waitForURL((u) => u.href.endsWith(TEXTS[1])), p.keyboard.press('n')]);
    await Promise.all([p.waitForURL((u) => u.href.endsWith(TEXTS[0])), p.keyboard.press('p')]);
    await s.done();
  });

  test('print shows the endnotes and external addresses, no navigation', async () => {
    const s = await open(httpBase(), DECLARATION, { viewport: WIDE, colorScheme: 'dark' });
    const p = s.page;
    await p.emulateMedia({ media: 'print' });
    const r = await p.evaluate(() => {
      const shown = (sel) => { const e = document.querySelector(sel); return !!e && getComputedStyle(e).display !== 'none'; };
      const ext = [...document.querySelectorAll('main a[href^="http"]:not(.url)')][0];
      return {
        header: shown('.site-header'), toc: shown('.toc'), prevNext: shown('.prev-next'), sidenote: shown('.sidenote'),
        endnotes: shown('.endnotes'), bg: getComputedStyle(document.body).backgroundColor,
        after: ext ? getComputedStyle(ext, '::after').content : '"none"',
      };
    });
    assert.deepEqual([r.header, r.toc, r.prevNext, r.sidenote, r.endnotes], [false, false, false, false, true]);
    assert.equal(r.bg, 'rgb(255, 255, 255)', 'paper is white even in the dark theme');
    assert.match(r.after, /http/, 'external links print their address');
    await s.done();
  });
});
