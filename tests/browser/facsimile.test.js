// The facsimile pane (scholion-facsimile.js) on the pages fixture
// (tests/fixtures/pages, SCHOLION_PAGES; pages 5, 6 and 7 have images of
// 600 x 900 px): a page's facsimile link opens the pane at that page, its
// image lazy, sized and described; beside the text, the pane keeps clear of
// the text column and its margin, the sidenotes becoming popovers; the
// keyboard opens it, pages, zooms and closes it, focus going back to the
// link; on a phone it is a full-screen dialog, a swipe pages and a pinch
// zooms; over http and from file://; the Nu checker and axe-core find
// nothing with it open; it is not printed.
'use strict';
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { pathToFileURL } = require('node:url');
const { PAGES, pagesHttpBase, PHONE, WIDE, TABLET, setup, open, audit } = require('./harness');

setup();

if (!PAGES || !fs.existsSync(path.join(PAGES, 'texts', 'declaration.html'))) {
  throw new Error('SCHOLION_PAGES must name the built fixture tests/fixtures/pages (run tests/browser/run.sh)');
}
const TEXT = 'texts/declaration.html';
const fileBase = pathToFileURL(PAGES).href.replace(/\/?$/, '/');
const BASES = () => [['http', pagesHttpBase()], ['file', fileBase]];
// Too narrow for the pane in the margin, too wide for a phone: the text
// is narrowed beside it.
const BESIDE = { width: 860, height: 800 };
const link = (n) => `.text-body a.page-facsimile[href$="/p${n}.png"]`;

/** The pane and its image as they are now. */
function paneState() {
  const box = (e) => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height }; };
  const pane = document.querySelector('.facs-pane');
  if (!pane || pane.hidden) return { open: false, focus: document.activeElement.getAttribute('href') };
  const img = pane.querySelector('img');
  return {
    open: true, role: pane.getAttribute('role'), modal: pane.getAttribute('aria-modal'),
    title: pane.querySelector('#facs-title').textContent, labelledBy: pane.getAttribute('aria-labelledby'),
    count: pane.querySelector('.facs-count').textContent, zoomShown: pane.querySelector('.facs-zoom-fit').textContent,
    src: img.getAttribute('src'), alt: img.alt, loading: img.getAttribute('loading'), width: img.getAttribute('width'), height: img.getAttribute('height'),
    natural: [img.naturalWidth, img.naturalHeight], complete: img.complete,
    pane: box(pane), img: box(img), view: box(pane.querySelector('.facs-view')),
    focusInPane: pane.contains(document.activeElement),
    shown: Array.from(document.querySelectorAll('a.page-facsimile.is-shown')).map((a) => a.getAttribute('href')),
  };
}

/** The text column and everything in its margin: ¶ numbers, page marks and facsimile links. */
function textState() {
  const box = (r) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom });
  const text = document.querySelector('.text-body');
  const margin = Array.from(text.querySelectorAll('.pnum, .page-mark, .page-facsimile')).map((e) => {
    const r = document.createRange();
    r.selectNodeContents(e);
    const g = e.matches('.page-facsimile') ? e.getBoundingClientRect() : r.getBoundingClientRect();
    return { what: `${e.className} ${e.textContent.trim()}`, ...box(g), y: g.top + scrollY };
  });
  // Every line box of the text's paragraphs, list items and headings.
  const lines = [];
  for (const b of text.querySelectorAll(':scope > p, :scope li, :scope > h2, :scope > h3')) {
    const r = document.createRange();
    r.selectNodeContents(b);
    for (const x of r.getClientRects()) if (x.width > 1) lines.push({ ...box(x), y: x.top + scrollY });
  }
  return {
    text: box(text.getBoundingClientRect()), margin, lines,
    sidenotes: document.querySelectorAll('.sidenote').length,
    sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    vw: document.documentElement.clientWidth, vh: innerHeight,
  };
}

/** Waits until the pane's image has loaded (changing it before would
    abort its request, as a reader paging on quickly does). */
async function loaded(p) {
  await p.waitForFunction(() => { const i = document.querySelector('.facs-pane img'); return i && i.complete && i.naturalWidth > 0; });
}

async function ready(p) {
  await p.evaluate(() => document.fonts.ready);
  await p.waitForTimeout(150);
}

describe('the facsimile pane', () => {
  test('a page\'s facsimile link opens the pane at that page beside the text, clear of the text and its margin; notes become popovers', async () => {
    for (const [scheme, base] of BASES()) {
      for (const viewport of [WIDE, TABLET, BESIDE]) {
        const where = `${scheme}, ${viewport.width} px`;
        const s = await open(base, TEXT, { viewport });
        const p = s.page;
        await ready(p);
        const before = await p.evaluate(textState);
        if (viewport.width >= 960) assert.ok(before.sidenotes >= 6, `${where}: sidenotes before the pane opens (${before.sidenotes})`);
        // Nothing of the facsimiles is fetched before a link is followed.
        assert.deepEqual(s.requests.filter((u) => u.includes('/facsimiles/')), [], `${where}: no image fetched before`);
        await p.locator(link(6)).scrollIntoViewIfNeeded();
        const linkTop = await p.$eval(link(6), (a) => a.getBoundingClientRect().top);
        await p.click(link(6));
        await p.waitForFunction(() => { const i = document.querySelector('.facs-pane img'); return i && i.complete && i.naturalWidth > 0; });
        const st = await p.evaluate(paneState);
        const alt = await p.$eval(link(6), (a) => a.getAttribute('data-alt'));
        assert.equal(st.role, 'complementary', where);
        assert.equal(st.title, 'Facsimile of p.\u20096', where);
        assert.equal(st.labelledBy, 'facs-title');
        assert.equal(st.count, '2 of 3', where);
        assert.equal(st.src, '../facsimiles/p6.png', where);
        assert.ok(alt.startsWith('Page 6 of the imagined printing') && st.alt === alt, `${where}: the image's alt text is the page's (${st.alt})`);
        assert.equal(st.loading, 'lazy', where);
        assert.deepEqual([st.width, st.height], ['600', '900'], `${where}: the image is sized before it loads`);
        assert.deepEqual(st.natural, [600, 900], `${where}: the image loaded`);
        assert.ok(st.focusInPane, `${where}: focus is in the pane`);
        assert.deepEqual(st.shown, ['../facsimiles/p6.png'], `${where}: the page's link is marked as shown`);
        assert.deepEqual(s.requests.filter((u) => u.includes('/facsimiles/')).map((u) => u.replace(/.*\//, '')), ['p6.png'], `${where}: only the page shown is fetched`);
        // The whole page at zoom 1, in its proportions, inside the pane.
        assert.ok(Math.abs(st.img.width / st.img.height - 600 / 900) < 0.01, `${where}: the image keeps its proportions (${st.img.width} x ${st.img.height})`);
        assert.ok(st.img.left >= st.view.left && st.img.right <= st.view.right + 0.5 && st.img.top >= st.view.top && st.img.bottom <= st.view.bottom + 0.5, `${where}: the whole page in the view`);
        assert.ok(st.img.width >= 280, `${where}: the page is large enough to read (${st.img.width} px)`);
        // From the top of the window to its foot, at its right edge.
        assert.ok(Math.abs(st.pane.top) < 1 && Math.abs(st.pane.bottom - viewport.height) < 1 && Math.abs(st.pane.right - viewport.width) < 1, `${where}: the pane spans the window's height at its right (${JSON.stringify(st.pane)})`);
        assert.ok(st.pane.width >= 300, `${where}: the pane is ${st.pane.width} px wide`);
        const after = await p.evaluate(textState);
        // The text column, its lines and its margin keep clear of the pane.
        assert.ok(after.text.right <= st.pane.left - 16, `${where}: the text column ends left of the pane (${after.text.right} vs ${st.pane.left})`);
        for (const l of after.lines) assert.ok(l.right <= st.pane.left - 16, `${where}: a line ends left of the pane (${l.right})`);
        for (const m of after.margin) assert.ok(m.left >= 0 && m.right <= st.pane.left, `${where}: ${m.what} in the window, off the pane (${m.left}–${m.right})`);
        assert.equal(after.sideways, 0, `${where}: no sideways scrolling`);
        assert.ok(after.text.right - after.text.left >= 330, `${where}: the text keeps a readable measure (${after.text.right - after.text.left} px)`);
        if (viewport.width >= 960) {
          // The pane in the margin: the text does not move.
          assert.deepEqual([after.text.left, after.text.right], [before.text.left, before.text.right], `${where}: the text column stays where it was`);
          assert.ok(Math.abs((await p.$eval(link(6), (a) => a.getBoundingClientRect().top)) - linkTop) <= 1, `${where}: the link stays put`);
        }
        // The margin is the pane's: no sidenote; a note marker opens its
        // note in a popover, left of the pane.
        assert.equal(after.sidenotes, 0, `${where}: no sidenotes while the pane is open`);
        await p.locator('#ref-brethren').scrollIntoViewIfNeeded();
        await p.click('#ref-brethren');
        const pop = await p.waitForSelector('.popover-note');
        const pb = await pop.evaluate((e) => e.getBoundingClientRect().toJSON());
        assert.ok((await pop.textContent()).includes('engrossed copy'), `${where}: the popover shows the note`);
        assert.ok(pb.left >= 0 && pb.bottom <= viewport.height && pb.top >= 0, `${where}: the popover is inside the window`);
        assert.equal(await p.evaluate(() => document.querySelector('.facs-pane').hidden), false, `${where}: the pane stays open`);
        await p.keyboard.press('Escape');
        // Closing gives the margin back to the notes.
        await p.click('.facs-close');
        await p.waitForTimeout(150);
        const closed = await p.evaluate(textState);
        assert.equal((await p.evaluate(paneState)).open, false, where);
        assert.equal(await p.$$eval('a.page-facsimile.is-shown', (e) => e.length), 0);
        assert.equal(closed.sidenotes, before.sidenotes, `${where}: the sidenotes are back`);
        assert.deepEqual([closed.text.left, closed.text.right], [before.text.left, before.text.right], `${where}: the text column is back where it was`);
        await s.done();
      }
    }
  });

  test('the keyboard: Enter on the link opens it, arrows page, + - 0 zoom, Escape closes and focus returns to the link', async () => {
    const s = await open(pagesHttpBase(), TEXT, { viewport: WIDE });
    const p = s.page;
    await ready(p);
    await p.focus(link(5));
    await p.keyboard.press('Enter');
    await p.waitForSelector('.facs-pane:not([hidden])');
    await loaded(p);
    let st = await p.evaluate(paneState);
    assert.equal(st.title, 'Facsimile of p.\u20095');
    assert.ok(st.focusInPane, 'focus moves into the pane');
    assert.equal(new URL(p.url()).hash, '', 'Enter did not follow the link to the image');
    // Escape at once: closed, focus on the link it was opened from.
    await p.keyboard.press('Escape');
    st = await p.evaluate(paneState);
    assert.equal(st.open, false);
    assert.equal(st.focus, '../facsimiles/p5.png', 'focus is back on the link');
    await p.keyboard.press('Enter');
    await p.waitForSelector('.facs-pane:not([hidden])');
    await loaded(p);
    // Arrows page through the pages with images, and the text follows.
    const pages = [];
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowLeft', 'PageUp', 'PageDown']) {
      await p.keyboard.press(key);
      await loaded(p);
      const x = await p.evaluate(paneState);
      const mark = await p.evaluate((n) => { const r = document.getElementById(`page-${n}`).getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }, x.title.slice(-1));
      assert.ok(mark, `${key}: page ${x.title.slice(-1)}'s mark is in view`);
      assert.equal(x.src, `../facsimiles/p${x.title.slice(-1)}.png`);
      pages.push(`${x.title.slice(-1)} (${x.count})`);
    }
    assert.deepEqual(pages, ['6 (2 of 3)', '7 (3 of 3)', '7 (3 of 3)', '6 (2 of 3)', '5 (1 of 3)', '6 (2 of 3)']);
    assert.deepEqual(await p.$$eval('.facs-prev, .facs-next', (bs) => bs.map((b) => [b.disabled, b.getAttribute('aria-label')])),
      [[false, 'Previous facsimile, p.\u20095'], [false, 'Next facsimile, p.\u20097']]);
    // + and - zoom by a quarter, about the view's centre; 0 fits the page.
    const fitWidth = (await p.evaluate(paneState)).img.width;
    const zooms = [];
    for (const key of ['+', '+', '-', '=', '+', '+', '+', '+', '+', '+', '0']) {
      await p.keyboard.press(key);
      const x = await p.evaluate(paneState);
      zooms.push([key, Math.round((x.img.width / fitWidth) * 1000) / 1000, x.zoomShown]);
    }
    assert.deepEqual(zooms, [
      ['+', 1.25, '125%'], ['+', 1.563, '156%'], ['-', 1.25, '125%'], ['=', 1.563, '156%'],
      ['+', 1.953, '195%'], ['+', 2.441, '244%'], ['+', 3.052, '305%'], ['+', 3.815, '381%'], ['+', 4.768, '477%'],
      ['+', 5.96, '596%'], ['0', 1, '100%'],
    ]);
    // At most 6 times, and the zoomed page scrolls inside the view.
    for (let i = 0; i < 10; i++) await p.keyboard.press('+');
    const big = await p.evaluate(() => { const v = document.querySelector('.facs-view'); return { w: document.querySelector('.facs-img').getBoundingClientRect().width, scrolls: v.scrollWidth > v.clientWidth && v.scrollHeight > v.clientHeight, into: document.querySelector('.facs-zoom-in').disabled }; });
    assert.ok(Math.abs(big.w / fitWidth - 6) < 0.01 && big.scrolls && big.into, `zoomed to 6 at most: ${JSON.stringify(big)}`);
    // Escape: closed, focus on the link of the page shown (6), in view.
    await p.keyboard.press('Escape');
    st = await p.evaluate(paneState);
    assert.equal(st.open, false);
    assert.equal(st.focus, '../facsimiles/p6.png', 'focus is on the link of the page last shown');
    const inView = await p.$eval(link(6), (a) => { const r = a.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; });
    assert.ok(inView, 'the link focused is in view');
    // The buttons are reached with Tab and named.
    await p.keyboard.press('Enter');
    await p.waitForSelector('.facs-pane:not([hidden])');
    await loaded(p);
    const names = [];
    for (let i = 0; i < 7; i++) {
      await p.keyboard.press('Tab');
      names.push(await p.evaluate(() => document.activeElement.getAttribute('aria-label') || document.activeElement.textContent));
    }
    // (Zoom out is disabled at the page's fit, so not reached.)
    assert.deepEqual(names.slice(0, 6), ['100% (fit the page)', 'Zoom in', 'Close the facsimile', 'The page\u2019s image: drag to move it when zoomed', 'Previous facsimile, p.\u20095', 'Next facsimile, p.\u20097'], 'Tab reaches the pane\'s controls, named');
    await s.done();
  });

  test('on a phone the pane is a full-screen dialog: a swipe pages, a pinch zooms, the close button gives focus back', async () => {
    for (const [scheme, base] of BASES()) {
      const where = `${scheme}, phone`;
      const s = await open(base, TEXT, { viewport: PHONE, touch: true });
      const p = s.page;
      await ready(p);
      await p.locator(link(5)).scrollIntoViewIfNeeded();
      const target = await p.$eval(link(5), (a) => { const r = a.getBoundingClientRect(); return [r.width, r.height]; });
      assert.ok(target[0] >= 20 && target[1] >= 24, `${where}: the link is a target of ${target.join(' x ')} px`);
      await p.tap(link(5));
      await p.waitForFunction(() => { const i = document.querySelector('.facs-pane img'); return i && i.complete && i.naturalWidth > 0; });
      let st = await p.evaluate(paneState);
      assert.equal(st.role, 'dialog', where);
      assert.equal(st.modal, 'true', where);
      assert.equal(st.title, 'Facsimile of p.\u20095', where);
      assert.deepEqual([st.pane.left, st.pane.top, st.pane.width, st.pane.height], [0, 0, PHONE.width, PHONE.height], `${where}: full screen`);
      assert.ok(Math.abs(st.img.width / st.img.height - 600 / 900) < 0.01 && st.img.left >= 0 && st.img.right <= PHONE.width && st.img.top >= st.view.top && st.img.bottom <= st.view.bottom + 0.5, `${where}: the whole page on the screen`);
      assert.ok(st.img.width >= PHONE.width - 30, `${where}: the page as wide as the screen (${st.img.width})`);
      const behind = await p.evaluate(() => Array.from(document.body.children).filter((c) => !c.matches('.facs-pane')).every((c) => c.inert));
      assert.ok(behind, `${where}: the page behind the dialog is inert`);
      assert.equal(await p.evaluate(() => document.documentElement.scrollHeight > innerHeight && getComputedStyle(document.body).overflow), 'hidden', `${where}: the page behind does not scroll`);
      const cdp = await s.context.newCDPSession(p);
      const touch = async (type, points) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map(([x, y], id) => ({ x, y, id })) });
      const swipe = async (x0, x1, y) => {
        await touch('touchStart', [[x0, y]]);
        for (let i = 1; i <= 6; i++) await touch('touchMove', [[x0 + ((x1 - x0) * i) / 6, y + i]]);
        await touch('touchEnd', []);
        await p.waitForTimeout(100);
        await loaded(p);
      };
      // Swiping left shows the next page, right the one before.
      const y = Math.round((st.view.top + st.view.bottom) / 2);
      const seen = [];
      for (const [x0, x1] of [[320, 80], [320, 80], [320, 80], [80, 320]]) {
        await swipe(x0, x1, y);
        seen.push((await p.evaluate(paneState)).title.slice(-1));
      }
      assert.deepEqual(seen, ['6', '7', '7', '6'], `${where}: swipes page`);
      // A short drag does not page.
      await swipe(200, 170, y);
      assert.equal((await p.evaluate(paneState)).title.slice(-1), '6', `${where}: a 30 px drag does not page`);
      // Two fingers spreading from 100 to 250 px apart zoom 2.5 times;
      // swiping then moves the page instead of paging.
      const fit = (await p.evaluate(paneState)).img.width;
      const c = 195;
      await touch('touchStart', [[c - 50, y], [c + 50, y]]);
      for (let i = 1; i <= 6; i++) await touch('touchMove', [[c - 50 - 12.5 * i, y], [c + 50 + 12.5 * i, y]]);
      await touch('touchEnd', []);
      await p.waitForTimeout(100);
      st = await p.evaluate(paneState);
      const scale = st.img.width / fit;
      assert.ok(Math.abs(scale - 2.5) < 0.05, `${where}: the pinch zoomed ${scale} times`);
      assert.equal(st.zoomShown, '250%');
      const scrolled = await p.evaluate(() => document.querySelector('.facs-view').scrollLeft);
      await swipe(300, 150, y);
      st = await p.evaluate(paneState);
      assert.equal(st.title.slice(-1), '6', `${where}: zoomed, a swipe does not page`);
      const moved = await p.evaluate(() => document.querySelector('.facs-view').scrollLeft);
      assert.ok(moved - scrolled > 100, `${where}: zoomed, a drag moves the page (${scrolled} to ${moved})`);
      // The close button: the page is back, focus on the link of page 6.
      await p.tap('.facs-close');
      st = await p.evaluate(paneState);
      assert.equal(st.open, false);
      assert.equal(st.focus, '../facsimiles/p6.png', `${where}: focus is on the link of the page last shown`);
      assert.ok(await p.evaluate(() => Array.from(document.body.children).every((c) => !c.inert)), `${where}: nothing is inert`);
      assert.notEqual(await p.evaluate(() => getComputedStyle(document.body).overflow), 'hidden', `${where}: the page scrolls again`);
      await s.done();
    }
  });

  test('it is not printed, and the text prints as without it', async () => {
    const s = await open(pagesHttpBase(), TEXT, { viewport: TABLET });
    const p = s.page;
    await ready(p);
    await p.emulateMedia({ media: 'print' });
    const plain = await p.evaluate(textState);
    await p.emulateMedia({ media: 'screen' });
    await p.click(link(7));
    await p.waitForSelector('.facs-pane:not([hidden])');
    await p.emulateMedia({ media: 'print' });
    const printed = await p.evaluate(() => ({ pane: getComputedStyle(document.querySelector('.facs-pane')).display, links: Array.from(document.querySelectorAll('.page-facsimile')).map((a) => getComputedStyle(a).display) }));
    assert.equal(printed.pane, 'none');
    assert.deepEqual(printed.links, ['none', 'none', 'none']);
    const withPane = await p.evaluate(textState);
    assert.deepEqual([withPane.text.left, withPane.text.right], [plain.text.left, plain.text.right], 'the text column is as wide as without the pane');
    await s.done();
  });

  test('with the pane open the W3C Nu checker and axe-core find nothing, in both themes, wide and on a phone', async () => {
    const VNU = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');
    const hasJava = spawnSync('java', ['-version']).status === 0;
    if (!hasJava && process.env.CI === 'true') assert.fail('no java for the W3C Nu checker');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scholion-facs-'));
    const files = [];
    try {
      for (const colorScheme of ['light', 'dark']) {
        for (const viewport of [WIDE, BESIDE, PHONE]) {
          const label = `${colorScheme}, ${viewport.width} px`;
          const s = await open(pagesHttpBase(), TEXT, { colorScheme, viewport, touch: viewport === PHONE });
          const p = s.page;
          await ready(p);
          await p.locator(link(6)).scrollIntoViewIfNeeded();
          await p.click(link(6));
          await p.waitForFunction(() => { const i = document.querySelector('.facs-pane img'); return i && i.complete && i.naturalWidth > 0; });
          await p.keyboard.press('+');
          await audit(p, `the pages fixture with the facsimile pane open (${label})`);
          // The document as the scripts have made it, for the Nu checker.
          const html = await p.evaluate(() => `<!DOCTYPE html>\n${document.documentElement.outerHTML}`);
          const f = path.join(dir, `open-${colorScheme}-${viewport.width}.html`);
          fs.writeFileSync(f, html);
          files.push(f);
          await s.done();
        }
      }
      if (hasJava) {
        const r = spawnSync('java', ['-jar', VNU, '--errors-only', '--format', 'gnu', ...files], { encoding: 'utf8' });
        assert.ok(!r.error, `java runs vnu.jar: ${r.error}`);
        assert.equal(r.stderr.trim() + r.stdout.trim(), '', 'the Nu checker reports no error with the pane open');
        assert.equal(r.status, 0);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
