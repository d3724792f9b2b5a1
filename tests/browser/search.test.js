// Search in a real browser (see harness.js and docs/search.md): the box in
// the header, results while typing, the keyboard, arriving at the exact
// paragraph with the words marked, over http and from file://; forgiving
// matching (case, accents, stems, prefixes) and exact phrases; what is
// downloaded when; accessibility with the results open, in both themes.
'use strict';
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const { execFileSync } = require('node:child_process');
const { pathToFileURL } = require('node:url');
const { SITE, PHONE, NARROW, WIDE, setup, open, audit, BASES, httpBase } = require('./harness');

setup();

const APPEAL = 'texts/1998-cpsu-appeal.html';
const DECLARATION = 'texts/1957-moscow-declaration.html';
const STEMS = fs.readFileSync(path.join(__dirname, '../../src/search/stems.txt'), 'utf8')
  .split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.trim().split(/\s+/));

/** Types `q` into the box and waits for its results. */
async function search(p, q) {
  await p.focus('#search-input');
  await p.fill('#search-input', q);
  await p.waitForSelector('#search-results[aria-busy="false"]', { state: 'attached' });
  return results(p);
}

/** The results on screen, in order. */
async function results(p) {
  return p.$$eval('#search-results a.search-result', (os) => os.map((o) => ({
    id: o.id,
    href: o.getAttribute('href').replace(/^(\.\.\/)+/, ''),
    kind: o.className.replace(/.*kind-/, ''),
    title: o.querySelector('.search-title').textContent,
    label: o.querySelector('.search-label').textContent,
    text: o.textContent.replace(/\s+/g, ' '),
    marks: [...o.querySelectorAll('mark')].map((m) => m.textContent),
    group: o.closest('.search-group').querySelector('.search-group-title').textContent,
  })));
}

/** How many results "N more in …" and More results keep back. */
async function keptBack(p) {
  return p.evaluate(() => ({
    inGroups: [...document.querySelectorAll('#search-results .search-group-more')].reduce((n, b) => n + parseInt(b.textContent, 10), 0),
    more: !document.querySelector('#search-panel .search-more').hidden,
  }));
}

describe('search', () => {
  test('typing shows results with the words marked, and the count is announced', async () => {
    for (const [scheme, base] of BASES()) {
      const s = await open(base, 'index.html');
      const p = s.page;
      assert.equal(await p.isVisible('#search-input'), true, `${scheme}: the box shows`);
      const found = await search(p, 'bandung');
      assert.ok(found.length >= 3, `${scheme}: several results (${found.length})`);
      assert.equal(found[0].kind, 'g', `${scheme}: the glossary entry comes first`);
      assert.match(found[0].title, /Bandung/);
      for (const r of found) assert.ok(r.marks.some((m) => /^bandung$/i.test(m)), `${scheme}: "${r.text.slice(0, 60)}" marks the word`);
      assert.ok(found.some((r) => r.kind === 'p' && /¶ \d+/.test(r.label)), `${scheme}: a paragraph, with its number`);
      assert.ok(found.some((r) => r.kind === 'n' && /Note \d+/.test(r.label)), `${scheme}: a note`);
      assert.equal(await p.isVisible('#search-panel'), true, `${scheme}: the results show`);
      const count = await p.textContent('#search-count');
      const back = await keptBack(p);
      assert.equal(back.more, false, `${scheme}: every text with results is listed`);
      assert.match(count, new RegExp(`^${found.length + back.inGroups} results?$`));
      assert.equal(await p.getAttribute('#search-input', 'role'), null, `${scheme}: a search box, not a combobox`);
      await p.waitForFunction((c) => document.getElementById('search-status').textContent === c, count);
      // Nothing found is said too.
      assert.deepEqual(await search(p, 'zzzqqq'), []);
      assert.equal(await p.textContent('#search-count'), 'No results');
      await s.done();
    }
  });

  test('arrow keys and Enter go to the paragraph and mark the words there', async () => {
    for (const [scheme, base] of BASES()) {
      const s = await open(base, 'glossary.html');
      const p = s.page;
      await p.keyboard.press('/');
      assert.equal(await p.evaluate(() => document.activeElement.id), 'search-input', `${scheme}: / focuses the box`);
      let found = await search(p, 'warsaw pact');
      // Paragraphs may be among the results a text keeps back: shown on asking.
      for (let n = 0; n < 5 && !found.some((r) => r.kind === 'p') && await p.$('.search-group-more'); n++) {
        await p.click('.search-group-more');
        await p.waitForFunction((k) => document.querySelectorAll('#search-results a.search-result').length > k, found.length);
        found = await results(p);
      }
      await p.focus('#search-input');
      const i = found.findIndex((r) => r.kind === 'p');
      assert.ok(i >= 0, `${scheme}: a paragraph among the results`);
      // ↓ moves the focus through the results (and the buttons between
      // them), in order.
      const focused = () => p.evaluate(() => ({ id: document.activeElement.id, tag: document.activeElement.tagName }));
      for (let k = 0, steps = 0; k <= i; steps++) {
        assert.ok(steps < 30, `${scheme}: ↓ reaches result ${i + 1}`);
        await p.keyboard.press('ArrowDown');
        const f = await focused();
        if (f.tag === 'BUTTON') continue;
        assert.equal(f.id, found[k].id, `${scheme}: ↓ goes to result ${k + 1}`);
        k++;
      }
      const hash = found[i].href.replace(/^[^#]*/, '');
      await Promise.all([p.waitForURL((u) => u.hash === hash && u.pathname.endsWith(found[i].href.replace(/#.*/, ''))), p.keyboard.press('Enter')]);
      await p.waitForSelector(`${hash} mark.search-hit`);
      const there = await p.evaluate((id) => {
        const el = document.getElementById(id);
        return { marks: [...el.querySelectorAll('mark.search-hit')].map((m) => m.textContent.toLowerCase()), arrived: el.classList.contains('arrived') || el.matches(':target') };
      }, hash.slice(1));
      assert.ok(there.marks.includes('warsaw') && there.marks.includes('pact'), `${scheme}: the words are marked in ${hash} (${there.marks})`);
      assert.ok(there.arrived, `${scheme}: the paragraph is the target`);
      // Up from the first result returns to the box; Esc closes, then clears.
      const again = await search(p, 'warsaw pact');
      await p.keyboard.press('ArrowDown');
      assert.equal(await p.evaluate(() => document.activeElement.id), again[0].id);
      await p.keyboard.press('ArrowUp');
      assert.equal(await p.evaluate(() => document.activeElement.id), 'search-input');
      await p.keyboard.press('Escape');
      assert.equal(await p.isVisible('#search-panel'), false, 'Esc closes the results');
      await p.keyboard.press('Escape');
      assert.equal(await p.inputValue('#search-input'), '', 'a second Esc clears the box');
      await s.done();
    }
  });

  test('a click on a note goes to the endnote and marks the words; a glossary result to its entry', async () => {
    for (const [scheme, base] of BASES()) {
      const s = await open(base, APPEAL, { viewport: PHONE, touch: true });
      const p = s.page;
      const found = await search(p, 'warsaw pact');
      const note = found.find((r) => r.kind === 'n');
      await Promise.all([p.waitForURL((u) => u.href.endsWith(note.href)), p.tap(`#${note.id}`)]);
      const id = note.href.replace(/.*#/, '');
      await p.waitForSelector(`#${id} mark.search-hit`);
      const entry = (await search(p, 'democratic centralism')).find((r) => r.kind === 'g');
      assert.ok(entry, `${scheme}: the glossary entry is found`);
      await Promise.all([p.waitForURL((u) => u.href.endsWith(entry.href)), p.click(`#${entry.id}`)]);
      const marked = await p.$$eval(`[id="${entry.href.replace(/.*#/, '')}"] mark.search-hit`, (ms) => ms.map((m) => m.textContent));
      assert.ok(marked.length >= 2, `${scheme}: the term is marked in its entry (${marked})`);
      await s.done();
    }
  });

  test('a name finds its glossary entry first, before the works of the bibliography named after it', async () => {
    const s = await open(httpBase(), 'index.html');
    const p = s.page;
    // The default site's bibliography has reference works called "Warsaw
    // Pact" and "Bandung Conference", and books on imperialism.
    for (const [q, id] of [['warsaw pact', 'warsaw-pact'], ['bandung', 'bandung-conference'], ['imperalism', 'imperialism']]) {
      const found = await search(p, q);
      assert.equal(found[0].href, `glossary.html#${id}`, `"${q}": the entry first (${found.slice(0, 3).map((r) => r.href)})`);
      const kinds = await p.$$eval('.search-filter button', (bs) => bs.map((b) => b.firstChild.textContent.trim()));
      assert.ok(kinds.includes('Bibliography'), `"${q}": the works are found too (${kinds})`);
    }
    // A work's title, which no entry bears, finds the work first.
    const work = await search(p, 'sputnik soviet space challenge');
    assert.equal(work[0].href, 'bibliography.html#bib-siddiqi2003', `the work first (${work.slice(0, 3).map((r) => r.href)})`);
    await s.done();
  });

  test('case, accents, stems and prefixes are forgiven; quoted phrases match exactly', async () => {
    const s = await open(httpBase(), 'index.html');
    const p = s.page;
    const parties = await search(p, 'parties');
    assert.ok(parties.some((r) => r.marks.some((m) => /^party$/i.test(m))), '"parties" finds "party"');
    const party = await search(p, 'PARTY ');
    assert.ok(party.some((r) => r.marks.some((m) => /^parties$/i.test(m))), '"PARTY" finds "parties"');
    const prefix = await search(p, 'revision');
    assert.ok(prefix.some((r) => r.kind === 'g' && /Revisionism/.test(r.title)), '"revision" finds "revisionism" while typing');
    const done = await search(p, 'revision ');
    assert.ok(!done.some((r) => r.marks.some((m) => /^revisionism$/i.test(m))), 'a finished word is not a prefix');
    const tito = await search(p, 'TÍTO');
    assert.ok(tito.length > 0 && tito.every((r) => r.marks.some((m) => /^tito$/i.test(m))), 'accents and case are ignored');
    const loose = await search(p, 'one party one program');
    const phrase = await search(p, '"one party, one program"');
    assert.ok(phrase.length > 0 && phrase.length <= loose.length, 'a phrase finds fewer');
    for (const r of phrase) assert.match(r.text.toLowerCase(), /one party, one program/, 'every result has the phrase');
    assert.deepEqual(await search(p, '"program one party"'), [], 'words out of order are not the phrase');
    await search(p, 'the of ');
    assert.match(await p.textContent('#search-count'), /not indexed/, 'stop words alone are explained');
    // The browser stems as the index did.
    const stems = await p.evaluate((pairs) => pairs.filter(([w, st]) => window.ScholionSearch.stem(w) !== st).map(([w, st]) => `${w}: ${window.ScholionSearch.stem(w)} != ${st}`), STEMS);
    assert.deepEqual(stems, []);
    await s.done();
  });

  test('the index is loaded in pieces: nothing before focus, then the manifest, then what a query needs', async () => {
    for (const [scheme, base] of BASES()) {
      const s = await open(base, DECLARATION);
      const p = s.page;
      const index = () => s.requests.filter((u) => u.includes('/search/')).map((u) => u.replace(/.*\/search\//, ''));
      assert.deepEqual(index(), [], `${scheme}: no index file before the box is used`);
      await p.focus('#search-input');
      for (let i = 0; i < 50 && !index().length; i++) await p.waitForTimeout(20);
      await p.waitForTimeout(100);
      assert.deepEqual(index(), ['manifest.js'], `${scheme}: the manifest on focus`);
      await search(p, 'bandung');
      const files = index();
      const shards = files.filter((f) => /\/t\d+\.js$/.test(f));
      const fragments = files.filter((f) => /\/f\d+\.js$/.test(f));
      const total = fs.readdirSync(path.join(process.env.SCHOLION_SITE, 'search', files[1].split('/')[0]));
      assert.equal(shards.length, 1, `${scheme}: one term shard for one word (${files})`);
      assert.ok(fragments.length >= 1 && fragments.length < total.filter((f) => f.startsWith('f')).length, `${scheme}: only the fragments shown`);
      await s.done();
    }
  });

  test('results are links: a middle-click opens one in a new tab, its address is the paragraph\'s', async () => {
    const s = await open(httpBase(), DECLARATION);
    const p = s.page;
    const found = await search(p, 'bandung');
    assert.ok(found.length >= 3);
    const links = await p.$$eval('#search-results a.search-result', (as) => as.map((a) => ({ href: a.href, tag: a.tagName, inItem: a.parentElement.tagName })));
    for (const l of links) {
      assert.equal(l.inItem, 'LI', 'each link is an item of the list');
      assert.match(l.href, /^http:\/\/127\.0\.0\.1:\d+\/(texts\/[^/]+\.html(#(p\d+|en-[\w-]+|h-[\w-]+))?|glossary\.html#[\w-]+|glossary\/[\w-]+\.html|bibliography\.html#bib-[\w-]+)$/, `an address of the site: ${l.href}`);
    }
    const para = found.find((r) => r.kind === 'p');
    const [tab] = await Promise.all([s.context.waitForEvent('page'), p.click(`#${para.id}`, { button: 'middle' })]);
    await tab.waitForLoadState();
    assert.equal(tab.url(), new URL(para.href, httpBase()).href, 'the new tab is at the paragraph');
    assert.ok(p.url().endsWith(DECLARATION), 'the page itself stays');
    await s.done();
  });

  test('snippets start and end at white space; only the words that matched are marked', async () => {
    const s = await open(httpBase(), 'index.html');
    const p = s.page;
    for (const q of ['internal affairs', 'bandung', 'peaceful coexistence', 'revision']) {
      const found = await search(p, q);
      const shown = await p.evaluate(() => window.ScholionSearch.shown);
      assert.ok(found.length > 0, q);
      found.forEach((r, i) => {
        const text = shown[i].text.replace(/\s+/g, ' ');
        const snip = r.text.replace(/^.*?(?=\S*$)/, '');
        const core = (r.text.split(r.label)[1] || '').trim().replace(/^… /, '').replace(/ …$/, '');
        const at = text.indexOf(core);
        assert.ok(at >= 0, `${q}: the snippet is a piece of the text (${core.slice(0, 40)}…)`);
        assert.ok(at === 0 || /\s/.test(text[at - 1]), `${q}: "${core.slice(0, 30)}" starts after white space, not inside "${text.slice(Math.max(0, at - 10), at + 10)}"`);
        const end = at + core.length;
        assert.ok(end === text.length || /\s/.test(text[end]), `${q}: "${core.slice(-30)}" ends before white space`);
        assert.ok(snip !== undefined);
      });
    }
    // "peaceful" is not "peace": where a result has the word itself, only it is marked.
    const peaceful = await search(p, 'peaceful ');
    assert.ok(peaceful.length > 3);
    const withWord = peaceful.filter((r) => /\bpeaceful\b/i.test(r.text));
    assert.ok(withWord.some((r) => /\bpeace\b/i.test(r.text)), 'a result that also has "peace"');
    for (const r of withWord) assert.ok(r.marks.every((m) => /^peaceful$/i.test(m)), `"peaceful" marks only "peaceful" in "${r.text.slice(0, 80)}" (${r.marks})`);
    const peace = await search(p, 'peace ');
    const both = peace.filter((r) => /\bpeace\b/i.test(r.text) && /\bpeaceful\b/i.test(r.text));
    assert.ok(both.length > 0, 'a result with both words');
    for (const r of both) assert.deepEqual([...new Set(r.marks.map((m) => m.toLowerCase()))], ['peace'], `"peace" marks only "peace" where it occurs (${r.marks})`);
    // Inflections are the word: "parties" marks "party" too where both occur.
    const parties = await search(p, 'parties ');
    assert.ok(parties.some((r) => r.marks.some((m) => /^parties$/i.test(m)) && r.marks.some((m) => /^party$/i.test(m))), 'inflections are marked together');
    // A prefix marks the whole word it begins.
    const prefix = await search(p, 'revisio');
    assert.ok(prefix.length > 0);
    for (const r of prefix) assert.ok(r.marks.every((m) => /^revisio/i.test(m) && !/^revisio$/i.test(m)), `whole words marked for a prefix (${r.marks})`);
    await s.done();
  });

  test('results are grouped by text, the rest of a text on asking, and can be narrowed to a kind', async () => {
    for (const [scheme, base] of BASES()) {
      const s = await open(base, 'index.html');
      const p = s.page;
      const found = await search(p, 'warsaw');
      const groups = await p.$$eval('#search-results > .search-group', (gs) => gs.map((g) => ({
        title: g.querySelector('.search-group-title').textContent,
        pages: [...g.querySelectorAll('a.search-result')].map((a) => a.getAttribute('href').replace(/#.*/, '')),
        more: g.querySelector('.search-group-more') && g.querySelector('.search-group-more').textContent,
      })));
      assert.ok(groups.length >= 2, `${scheme}: several groups (${groups.map((g) => g.title)})`);
      assert.deepEqual(groups.map((g) => g.title).slice().sort(), [...new Set(groups.map((g) => g.title))].sort(), 'each text once');
      for (const g of groups) {
        assert.ok(g.pages.length >= 1 && g.pages.length <= 3, `${scheme}: the first few of ${g.title} (${g.pages.length})`);
        assert.equal(new Set(g.pages).size, 1, `${scheme}: one page per group (${g.pages})`);
      }
      const declaration = groups.find((g) => g.title === 'Moscow Declaration');
      assert.match(declaration.more || '', /^\d+ more in Moscow Declaration$/, `${scheme}: the rest is counted`);
      const kept = parseInt(declaration.more, 10);
      const index = groups.indexOf(declaration);
      await p.click(`#search-results > .search-group:nth-child(${index + 1}) .search-group-more`);
      await p.waitForFunction(([i, n]) => document.querySelectorAll(`#search-results > .search-group:nth-child(${i}) a.search-result`).length === n, [index + 1, 3 + Math.min(kept, 10)]);
      assert.ok(await p.evaluate(() => document.activeElement.classList.contains('search-result')), `${scheme}: the focus goes to the first result shown`);
      assert.equal(await p.isVisible('#search-panel'), true, `${scheme}: the results stay open`);
      // The filter: a button per kind found, with its count; one kind at a time.
      const kinds = await p.$$eval('.search-filter button', (bs) => bs.map((b) => [b.firstChild.textContent.trim(), +b.querySelector('.search-kind-count').textContent, b.getAttribute('aria-pressed')]));
      assert.deepEqual(kinds.map((k) => k[0]), ['All', 'Texts', 'Notes', 'Glossary', 'Entity pages', 'Bibliography']);
      assert.equal(kinds[0][2], 'true');
      const total = parseInt(await p.textContent('#search-count'), 10);
      assert.equal(kinds[0][1], total);
      assert.equal(kinds.slice(1).reduce((sum, k) => sum + k[1], 0), total, `${scheme}: the kinds add up`);
      // The entries' own pages, one kind of their own.
      await p.click('.search-filter button:nth-child(5)');
      await p.waitForSelector('.search-filter button:nth-child(5)[aria-pressed="true"]');
      const pages = await results(p);
      assert.ok(pages.length > 0 && pages.every((r) => r.kind === 'e'), `${scheme}: only entity pages (${pages.map((r) => r.kind)})`);
      assert.ok(await p.$$eval('#search-results a.search-result', (as) => as.length > 0 && as.every((a) => /glossary\/[\w-]+\.html$/.test(a.getAttribute('href')))), `${scheme}: each links the entry's page`);
      await p.click('.search-filter button:nth-child(3)');
      await p.waitForSelector('.search-filter button:nth-child(3)[aria-pressed="true"]');
      const notes = await results(p);
      assert.ok(notes.length > 0 && notes.every((r) => r.kind === 'n'), `${scheme}: only notes (${notes.map((r) => r.kind)})`);
      const shownNotes = notes.length + (await keptBack(p)).inGroups;
      assert.ok(shownNotes === kinds[2][1] || (await keptBack(p)).more, `${scheme}: every note found, shown or counted`);
      await p.click('.search-filter button:nth-child(1)');
      await p.waitForSelector('.search-filter button:nth-child(1)[aria-pressed="true"]');
      assert.ok((await results(p)).some((r) => r.kind !== 'n'), `${scheme}: All shows the others again`);
      assert.equal(found.length > 0, true);
      await s.done();
    }
  });

  test('a search has an address: search.html?q=… (#q=… from file://), kept as one types there', async () => {
    for (const [scheme, base] of BASES()) {
      // From the box: a link to all the results, on a page of their own.
      const s = await open(base, DECLARATION);
      const p = s.page;
      const inBox = await search(p, 'warsaw pact');
      const all = await p.getAttribute('#search-panel a.search-all', 'href');
      assert.equal(all, scheme === 'file' ? '../search.html#q=warsaw+pact' : '../search.html?q=warsaw+pact', `${scheme}: the address of the search`);
      await Promise.all([p.waitForURL(/search\.html/), p.click('#search-panel a.search-all')]);
      await p.waitForSelector('#search-page-results a.search-result');
      await p.waitForSelector('#search-page-results[aria-busy="false"]', { state: 'attached' });
      const listed = await p.$$eval('#search-page-results a.search-result', (as) => as.map((a) => a.getAttribute('href')));
      assert.ok(listed.length >= inBox.length, `${scheme}: the page lists at least what the box showed`);
      assert.equal(await p.inputValue('#search-page-input'), 'warsaw pact');
      assert.match(await p.textContent('#search-page-count'), /^\d+ results?$/);
      assert.equal(await p.isVisible('#search-input'), false, `${scheme}: one search box on the page`);
      // Typing there keeps the query in the address.
      await p.fill('#search-page-input', 'bandung');
      await p.waitForFunction((f) => (f ? location.hash : location.search) === (f ? '#q=bandung' : '?q=bandung'), scheme === 'file');
      await p.waitForFunction(() => document.querySelector('#search-page-results a.search-result .search-title').textContent.includes('Bandung'));
      // The address opened afresh gives the same results.
      const shared = p.url();
      const t = await open(base, null);
      await t.page.goto(shared);
      await t.page.waitForSelector('#search-page-results a.search-result');
      assert.equal(await t.page.inputValue('#search-page-input'), 'bandung');
      const first = await t.page.$eval('#search-page-results a.search-result', (a) => a.textContent);
      assert.match(first, /Bandung/);
      // A result there goes to its place, with the words marked.
      const href = await t.page.getAttribute('#search-page-results .search-group:nth-child(2) a.search-result', 'href');
      await Promise.all([t.page.waitForURL((u) => u.href.endsWith(href)), t.page.click('#search-page-results .search-group:nth-child(2) a.search-result')]);
      await t.page.waitForSelector(`${href.replace(/^[^#]*/, '')} mark.search-hit`);
      await t.done();
      await s.done();
    }
  });

  test('the results page is accessible, in both themes, at 360 px too', async () => {
    for (const colorScheme of ['light', 'dark']) {
      for (const [viewport, name] of [[WIDE, 'wide'], [NARROW, '360 px']]) {
        const s = await open(httpBase(), 'search.html?q=warsaw', { colorScheme, viewport });
        const p = s.page;
        await p.waitForSelector('#search-page-results a.search-result');
        await audit(p, `results page (${colorScheme}, ${name})`);
        const w = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
        assert.ok(w[0] <= w[1], `${name}: no horizontal scrolling (${w})`);
        await s.done();
      }
    }
  });

  test('the results stay inside the window at every width from 320 px', async () => {
    for (const width of [320, 800, 1100, 1440]) {
      for (const page of [DECLARATION, 'index.html', 'glossary.html']) {
        const s = await open(httpBase(), page, { viewport: { width, height: 800 } });
        const p = s.page;
        const found = await search(p, 'warsaw pact');
        assert.ok(found.length > 0);
        const m = await p.evaluate(() => {
          const r = document.getElementById('search-panel').getBoundingClientRect();
          const links = [...document.querySelectorAll('#search-results a')].map((a) => a.getBoundingClientRect());
          return { left: r.left, right: r.right, width: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth, linksOut: links.filter((l) => l.left < r.left - 0.5 || l.right > r.right + 0.5).length };
        });
        assert.ok(m.left >= 0 && m.right <= m.width, `${page} at ${width} px: the panel is inside the window (${m.left.toFixed(0)}–${m.right.toFixed(0)} of ${m.width})`);
        assert.equal(m.linksOut, 0, `${page} at ${width} px: every result inside the panel`);
        assert.ok(m.scroll <= m.width, `${page} at ${width} px: no horizontal scrolling (${m.scroll} > ${m.width})`);
        await s.done();
      }
    }
  });

  test('typing a word costs little more than pasting it: what the final query needs, snippets once typing pauses', async () => {
    // Bytes of every file of the index and the engine fetched, from disk.
    const bytes = (s) => s.requests.filter((u) => /\/search\/|search-engine\.js/.test(u))
      .map((u) => fs.statSync(path.join(SITE, decodeURIComponent(new URL(u).pathname).replace(/^.*?\/(search\/|search-engine)/, '$1'))).size)
      .reduce((a, b) => a + b, 0);
    // The term shards a query loaded, by name.
    const shards = (s) => s.requests.map((u) => (u.match(/\/(t\d+)\.js$/) || [])[1]).filter(Boolean).sort();
    for (const [scheme, base] of BASES()) {
      // "opportunism": on the default site "o" is in one shard of its four
      // (which "opportunism" does not need) and its words in two.
      for (const word of ['independence', 'construction', 'opportunism']) {
        const pasted = await open(base, 'index.html');
        const found = await search(pasted.page, word);
        assert.ok(found.length > 0, `${word} is found`);
        const typed = await open(base, 'index.html');
        await typed.page.focus('#search-input');
        await typed.page.keyboard.type(word, { delay: 120 });
        await typed.page.waitForSelector('#search-results[aria-busy="false"]', { state: 'attached' });
        assert.deepEqual((await results(typed.page)).map((r) => r.href), found.map((r) => r.href), `${scheme}: typed, the same results as pasted`);
        const [a, b] = [bytes(typed), bytes(pasted)];
        assert.ok(a <= 1.5 * b, `${scheme}: typing "${word}" fetched ${a} bytes, pasting it ${b}: at most 1.5×`);
        assert.deepEqual(shards(typed), shards(pasted), `${scheme}: typing "${word}" loads the term shards the word needs, no others`);
        await typed.done();
        await pasted.done();
      }
    }
  });

  test('a misspelt word finds the word meant, below exact hits; a nonsense word finds nothing', async () => {
    for (const [scheme, base] of BASES()) {
      const s = await open(base, 'index.html');
      const p = s.page;
      const files = () => s.requests.filter((u) => /\/v\d+\.js$/.test(u)).length;
      const exact = await search(p, 'imperialism');
      assert.equal(await p.isVisible('.search-correction'), false, `${scheme}: nothing to correct`);
      assert.equal(files(), 0, `${scheme}: a word found as it is loads no list of words`);
      const fixed = await search(p, 'imperalism');
      assert.ok(fixed.length > 0, `${scheme}: "imperalism" finds something`);
      assert.match(await p.textContent('.search-correction'), /^Showing results for imperialism\. Search for "imperalism" only$/);
      assert.ok(fixed.every((r) => r.marks.some((m) => /^imperiali/i.test(m))), `${scheme}: the word meant is marked`);
      assert.deepEqual(fixed.map((r) => r.href).slice(0, 3), exact.map((r) => r.href).slice(0, 3), `${scheme}: the same first results as the word itself`);
      assert.equal(files(), 1, `${scheme}: one list of words fetched`);
      const only = await p.getAttribute('.search-exact', 'href');
      assert.equal(only, scheme === 'file' ? 'search.html#q=%22imperalism%22' : 'search.html?q=%22imperalism%22');
      // Two edits for a long word, one for a shorter one, none for a short one.
      assert.match(await p.textContent('#search-count'), /results?/);
      assert.ok((await search(p, 'imperilaism ')).length > 0, 'a transposition is one edit');
      assert.ok((await search(p, 'imperialsm ')).length > 0);
      assert.deepEqual(await search(p, 'xylophone'), [], `${scheme}: "xylophone" finds nothing`);
      assert.equal(await p.textContent('#search-count'), 'No results');
      assert.ok((await search(p, 'pcat ')).some((r) => r.marks.some((m) => /^pact$/i.test(m))), 'a word of four letters, one edit away, is corrected');
      assert.deepEqual(await search(p, 'pzxt '), [], 'two edits away, it is not');
      // Exact and stemmed hits rank above corrected ones.
      const both = await search(p, 'warsaw pacts ');
      assert.equal(await p.isVisible('.search-correction'), false);
      assert.ok(both.length > 0);
      await s.done();
    }
    // The exact word, asked for, finds nothing and is not corrected.
    const t = await open(httpBase(), 'search.html?q=%22imperalism%22');
    await t.page.waitForSelector('#search-page-results[aria-busy="false"]', { state: 'attached' });
    await t.page.waitForFunction(() => document.getElementById('search-page-count').textContent === 'No results');
    assert.equal(await t.page.isVisible('.search-correction'), false);
    await t.done();
  });

  test('the query\'s words in a row, as typed, rank above the same stems scattered or repeated', async () => {
    // A site of its own: the default one has no title or heading of
    // several words, asked as a query, that shows this. Short texts naming
    // the stems often, the right ones long, so that the scores alone put
    // the wrong ones first.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scholion-order-'));
    const out = path.join(root, 'site');
    const filler = (n) => Array.from({ length: n }, (_, i) => `The delegates met in the hall and read the minutes of meeting ${i}, and the treasurer spoke of dues, printing and the winter.`).join('\n\n');
    const text = (file, title, order, body) => fs.writeFileSync(path.join(root, 'content/texts', file), `---\ntitle: ${title}\ndate: "19${50 + order}"\norder: ${order}\n---\n\n${body}\n`);
    fs.mkdirSync(path.join(root, 'content/texts'), { recursive: true });
    fs.writeFileSync(path.join(root, 'content/site.yaml'), 'title: Order of Words\ndescription: A fixture for search ranking\nlanguage: en\neditors: [{ name: A. Editor }]\nlicence: { name: CC0 1.0, url: https://creativecommons.org/publicdomain/zero/1.0/ }\nedition: "1.0"\nedition_date: 2026-12-07\n');
    text('frontier-government.md', 'On the Frontier Government of the Assemblies', 1, 'The frontier government of the assemblies governed the frontier.');
    text('governments-frontier.md', 'Governments of the Frontier', 2, filler(40));
    text('congress.md', 'Notes of a Congress', 3, '## Committee veterans victory veterans principle\n\nThe veterans of the committee met again.\n\n' + filler(2));
    text('committee-veterans.md', 'Committee of the Veterans', 4, filler(40));
    execFileSync(path.join(__dirname, '../../target/release/scholion'), ['build', '--root', root, '--out', out, '--quiet']);
    try {
      const s = await open(pathToFileURL(out).href + '/', 'index.html');
      const p = s.page;
      for (const [q, first, second] of [
        ['governments of the frontier', 'texts/governments-frontier.html', 'texts/frontier-government.html'],
        ['Governments of the Fron', 'texts/governments-frontier.html', 'texts/frontier-government.html'],
        ['the frontier government', 'texts/frontier-government.html', null],
        ['committee of the veterans', 'texts/committee-veterans.html', 'texts/congress.html'],
      ]) {
        const found = await search(p, q);
        assert.equal(found[0] && found[0].href.split('#')[0], first, `"${q}": the words in a row first (${found.map((r) => r.href).join(', ')})`);
        if (second) assert.ok(found.some((r) => r.href.startsWith(second)), `"${q}": the scattered stems still found`);
      }
      await s.done();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('without JavaScript the box is not there', async () => {
    const s = await open(httpBase(), APPEAL, { javaScriptEnabled: false });
    assert.equal(await s.page.isVisible('#search'), false);
    assert.equal(await s.page.isVisible('#search-input'), false);
    await s.done();
  });

  test('/ is listed among the shortcuts and is ignored while typing in a field', async () => {
    const s = await open(httpBase(), APPEAL);
    const p = s.page;
    await p.keyboard.press('Shift+?');
    await p.waitForSelector('dialog.shortcuts[open]');
    assert.match(await p.textContent('dialog.shortcuts'), /\/\s*Search/);
    await p.keyboard.press('Escape');
    await p.focus('#search-input');
    await p.keyboard.type('a/b');
    assert.equal(await p.inputValue('#search-input'), 'a/b');
    await s.done();
  });

  test('results are accessible in both themes and fit a 360 px screen', async () => {
    for (const colorScheme of ['light', 'dark']) {
      for (const [viewport, name] of [[WIDE, 'wide'], [NARROW, '360 px']]) {
        const s = await open(httpBase(), DECLARATION, { colorScheme, viewport });
        const p = s.page;
        await search(p, 'warsaw pa');
        await p.keyboard.press('ArrowDown');
        await audit(p, `results open (${colorScheme}, ${name})`);
        const box = await p.$eval('#search-panel', (e) => e.getBoundingClientRect().toJSON());
        assert.ok(box.left >= 0 && box.right <= viewport.width, `${name}: the results are inside the viewport`);
        const w = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
        assert.ok(w[0] <= w[1], `${name}: no horizontal scrolling (${w})`);
        await s.done();
      }
    }
  });
  test('an index published again while the page is open is found, not reported missing', async () => {
    const s = await open(httpBase(), 'index.html');
    const p = s.page;
    const manifest = fs.readFileSync(path.join(SITE, 'search/manifest.js'), 'utf8');
    const version = /"version":"([^"]+)"/.exec(manifest)[1];
    // After "publishing", the manifest names a new folder and the old one is gone.
    let published = false;
    const asked = { fresh: 0, moved: 0 };
    await s.context.route('**/search/**', (route) => {
      const u = new URL(route.request().url());
      const rel = u.pathname.replace(/^.*\/search\//, '');
      if (!published) return route.fallback();
      if (rel === 'manifest.js') {
        if (u.search) asked.fresh++;
        return route.fulfill({ contentType: 'text/javascript', body: manifest.replace(version, 'published2') });
      }
      if (rel.startsWith(version + '/')) return route.fulfill({ status: 404, body: 'gone' });
      if (rel.startsWith('published2/')) {
        asked.moved++;
        return route.fulfill({ contentType: 'text/javascript', body: fs.readFileSync(path.join(SITE, 'search', version, rel.slice('published2/'.length))) });
      }
      return route.fallback();
    });
    assert.ok((await search(p, 'bandung')).length >= 3, 'results before');
    published = true;
    const found = await search(p, 'warsaw pact');
    assert.ok(found.some((r) => r.marks.map((m) => m.toLowerCase()).includes('warsaw')), 'results after, from the new index');
    assert.ok(asked.fresh >= 1 && asked.moved >= 1, `the manifest read afresh and the new folder used (${JSON.stringify(asked)})`);
    assert.doesNotMatch(await p.textContent('#search-status'), /not available/);
    await s.context.close();
    // The only failures are the old index's files, asked for once.
    const unexpected = s.problems.filter((m) => !m.includes(`/search/${version}/`) && !/Failed to load resource/.test(m));
    assert.deepEqual(unexpected, []);
  });
});
