/* Scholion reader: the facsimile pane. Each page with a facsimile has a
   plain link to its image beside its page mark (a.page-facsimile, with the
   image's pixel size and alt text as data attributes), which works without
   this file. Here a click on one opens the image in a pane beside the text
   (a complementary region in the margin, the notes meanwhile in popovers),
   full screen on phones (a modal dialog); the page's other images are the
   other links of the page, so nothing is fetched and it works from
   file://. Keys: Escape closes (focus goes back to the link), arrows and
   PageUp/PageDown page, + - 0 zoom; touch: pinch to zoom, drag to pan,
   swipe to page. The text follows: paging scrolls its page mark into view.
   A classic script with no dependencies; docs/reader.md explains it. */
(function () {
  'use strict';
  var doc = document, root = doc.documentElement, S = window.Scholion;
  if (!S) return;
  var PHONE = window.matchMedia('(max-width: 47.49em)'); /* below 760 px: full screen */
  var MAX = 6, STEP = 1.25, SWIPE = 50;
  var pages = S.$$('.text-body a.page-facsimile').map(function (a) {
    var mark = a.previousElementSibling;
    return {
      link: a, mark: mark, label: mark ? mark.textContent : '',
      w: +a.getAttribute('data-width') || 1, h: +a.getAttribute('data-height') || 1,
      alt: a.getAttribute('data-alt') || ''
    };
  });
  if (!pages.length) return;
  var pane = null, ui = {}, at = -1, zoom = 1, pointers = {}, gesture = null;

  function el(tag, cls, text) { return S.el(tag, cls, text); }
  function build() {
    pane = el('div', 'facs-pane');
    pane.id = 'facsimile';
    pane.tabIndex = -1;
    pane.hidden = true;
    pane.setAttribute('aria-labelledby', 'facs-title');
    var bar = el('div', 'facs-bar');
    ui.title = el('h2', 'facs-title');
    ui.title.id = 'facs-title';
    ui.out = S.button('facs-zoom-out', '\u2212', 'Zoom out');
    ui.fit = S.button('facs-zoom-fit', '100%', '100% (fit the page)');
    ui.into = S.button('facs-zoom-in', '+', 'Zoom in');
    ui.close = S.button('facs-close', '\u00d7', 'Close the facsimile');
    var zooms = el('div', 'facs-zoom');
    zooms.setAttribute('role', 'group');
    zooms.setAttribute('aria-label', 'Zoom');
    zooms.append(ui.out, ui.fit, ui.into);
    bar.append(ui.title, zooms, ui.close);
    ui.view = el('div', 'facs-view');
    ui.view.tabIndex = 0;
    ui.view.setAttribute('role', 'group');
    ui.view.setAttribute('aria-label', 'The page\u2019s image: drag to move it when zoomed');
    ui.img = el('img', 'facs-img');
    ui.img.loading = 'lazy';
    ui.img.decoding = 'async';
    ui.view.appendChild(ui.img);
    var nav = el('div', 'facs-nav');
    ui.prev = S.button('facs-prev', '');
    ui.next = S.button('facs-next', '');
    ui.count = el('span', 'facs-count');
    nav.append(ui.prev, ui.count, ui.next);
    pane.append(bar, ui.view, nav);
    doc.body.appendChild(pane);
    ui.close.addEventListener('click', function () { close(true); });
    ui.prev.addEventListener('click', function () { show(at - 1, true); });
    ui.next.addEventListener('click', function () { show(at + 1, true); });
    ui.into.addEventListener('click', function () { setZoom(zoom * STEP); });
    ui.out.addEventListener('click', function () { setZoom(zoom / STEP); });
    ui.fit.addEventListener('click', function () { setZoom(1); });
    pane.addEventListener('keydown', keys);
    ui.view.addEventListener('pointerdown', down);
    ui.view.addEventListener('pointermove', move);
    ui.view.addEventListener('pointerup', up);
    ui.view.addEventListener('pointercancel', up);
    ui.view.addEventListener('wheel', function (e) {
      if (!e.ctrlKey) return; /* a trackpad's pinch */
      e.preventDefault();
      setZoom(zoom * Math.exp(-e.deltaY / 200), e.clientX, e.clientY);
    }, { passive: false });
    ui.img.addEventListener('dragstart', function (e) { e.preventDefault(); });
    /* A finger on the page is the script's alone: with touch-action only,
       the browser still makes a fling of a quick swipe, which swallows the
       next tap (on Close, say) for a second. */
    ui.view.addEventListener('touchmove', function (e) { if (e.cancelable) e.preventDefault(); }, { passive: false });
  }

  /* Where the pane goes: in the margin right of the text when the margin
     is wide enough, else at the right, the text narrowed beside it; on a
     phone the whole screen (a modal dialog, the page behind inert). */
  function place() {
    var phone = PHONE.matches;
    pane.setAttribute('role', phone ? 'dialog' : 'complementary');
    if (phone) pane.setAttribute('aria-modal', 'true'); else pane.removeAttribute('aria-modal');
    root.classList.toggle('facs-full', phone);
    S.$$('body > *').forEach(function (c) { if (c !== pane) c.inert = phone; });
    pane.style.left = '';
    root.style.removeProperty('--facs-w');
    root.classList.remove('facs-beside');
    if (!phone) {
      var text = doc.querySelector('.text-body').getBoundingClientRect(), vw = root.clientWidth;
      var left = Math.round(text.right + 24);
      if (vw - left >= 360) pane.style.left = left + 'px';
      else {
        root.style.setProperty('--facs-w', Math.round(Math.max(320, vw * 0.4)) + 'px');
        root.classList.add('facs-beside');
      }
    }
    fit();
  }

  /* The image's size: the page whole in the view at zoom 1 (from the
     sizes in the link, so nothing moves when it loads), larger by `zoom`. */
  function size() {
    var p = pages[at], vw = ui.view.clientWidth - 16, vh = ui.view.clientHeight - 16;
    var s = Math.min(vw / p.w, vh / p.h);
    return { w: Math.max(1, p.w * s * zoom), h: Math.max(1, p.h * s * zoom) };
  }
  function fit() {
    var z = size();
    ui.img.style.width = z.w + 'px';
    ui.img.style.height = z.h + 'px';
    ui.view.classList.toggle('is-zoomed', zoom > 1);
    ui.fit.textContent = Math.round(zoom * 100) + '%';
    /* Named by what it shows, then what it does. */
    ui.fit.setAttribute('aria-label', ui.fit.textContent + ' (fit the page)');
    ui.out.disabled = zoom <= 1;
    ui.into.disabled = zoom >= MAX;
  }
  /* Zooms about a point of the view (its centre by default), which stays
     where it is. */
  function setZoom(z, x, y) {
    z = Math.min(MAX, Math.max(1, z));
    var v = ui.view, r = v.getBoundingClientRect();
    var px = (x === undefined ? r.left + v.clientWidth / 2 : x) - r.left;
    var py = (y === undefined ? r.top + v.clientHeight / 2 : y) - r.top;
    var fx = (v.scrollLeft + px) / v.scrollWidth, fy = (v.scrollTop + py) / v.scrollHeight;
    zoom = z;
    fit();
    v.scrollLeft = fx * v.scrollWidth - px;
    v.scrollTop = fy * v.scrollHeight - py;
  }

  function show(i, follow) {
    if (i < 0 || i >= pages.length) return;
    at = i;
    var p = pages[i];
    zoom = 1;
    ui.title.textContent = 'Facsimile of p.\u2009' + p.label;
    ui.img.width = p.w;
    ui.img.height = p.h;
    ui.img.alt = p.alt;
    ui.img.src = p.link.getAttribute('href');
    var before = pages[i - 1], after = pages[i + 1];
    ui.prev.textContent = before ? '\u2190 p.\u2009' + before.label : '\u2190';
    ui.next.textContent = after ? 'p.\u2009' + after.label + ' \u2192' : '\u2192';
    /* Named with the words they show (the arrows are not words). */
    ui.prev.setAttribute('aria-label', before ? 'Previous facsimile, p.\u2009' + before.label : 'No previous facsimile');
    ui.next.setAttribute('aria-label', after ? 'Next facsimile, p.\u2009' + after.label : 'No next facsimile');
    ui.prev.disabled = !before;
    ui.next.disabled = !after;
    ui.count.textContent = (i + 1) + ' of ' + pages.length;
    fit();
    pages.forEach(function (q, k) { q.link.classList.toggle('is-shown', k === i); });
    /* The reader's place follows the page shown. */
    if (follow && p.mark) p.mark.scrollIntoView({ block: 'center' });
  }

  function isOpen() { return pane && !pane.hidden; }
  function open(i) {
    if (!pane) build();
    var link = pages[i].link, top = link.getBoundingClientRect().top;
    S.closePopover();
    pane.hidden = false;
    root.classList.add('facs-open');
    /* The margin is the pane's now: the notes go into popovers. */
    if (S.relayout) S.relayout();
    at = i;
    place();
    show(i, false);
    /* The notes leaving the margin may move the text: keep the link put. */
    window.scrollBy(0, link.getBoundingClientRect().top - top);
    pane.focus();
  }
  function close(returnFocus) {
    if (!isOpen()) return;
    var link = pages[at].link;
    pane.hidden = true;
    root.classList.remove('facs-open', 'facs-full', 'facs-beside');
    root.style.removeProperty('--facs-w');
    S.$$('body > *').forEach(function (c) { c.inert = false; });
    pages.forEach(function (q) { q.link.classList.remove('is-shown'); });
    var top = link.getBoundingClientRect().top;
    if (S.relayout) S.relayout();
    window.scrollBy(0, link.getBoundingClientRect().top - top);
    if (returnFocus) link.focus();
  }

  function keys(e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var k = e.key, done = true;
    if (k === 'Escape') close(true);
    else if (k === 'ArrowLeft' || k === 'PageUp') show(at - 1, true);
    else if (k === 'ArrowRight' || k === 'PageDown') show(at + 1, true);
    else if (k === '+' || k === '=') setZoom(zoom * STEP);
    else if (k === '-' || k === '\u2212') setZoom(zoom / STEP);
    else if (k === '0') setZoom(1);
    else done = false;
    if (done) e.preventDefault();
  }

  /* Pointers: two pinch (zoom about their middle), one drags the zoomed
     image, and a quick sideways swipe (touch or pen) at zoom 1 pages. */
  function down(e) {
    pointers[e.pointerId] = { x: e.clientX, y: e.clientY, x0: e.clientX, y0: e.clientY, type: e.pointerType };
    try { ui.view.setPointerCapture(e.pointerId); } catch (err) { /* already gone */ }
    var ids = Object.keys(pointers);
    if (ids.length === 2) {
      var a = pointers[ids[0]], b = pointers[ids[1]];
      gesture = { pinch: Math.hypot(a.x - b.x, a.y - b.y) || 1, zoom: zoom };
    }
  }
  function move(e) {
    var p = pointers[e.pointerId];
    if (!p) return;
    var dx = e.clientX - p.x, dy = e.clientY - p.y;
    p.x = e.clientX;
    p.y = e.clientY;
    var ids = Object.keys(pointers);
    if (ids.length === 2 && gesture) {
      var a = pointers[ids[0]], b = pointers[ids[1]];
      setZoom(gesture.zoom * Math.hypot(a.x - b.x, a.y - b.y) / gesture.pinch, (a.x + b.x) / 2, (a.y + b.y) / 2);
    } else if (ids.length === 1 && zoom > 1) {
      ui.view.scrollLeft -= dx;
      ui.view.scrollTop -= dy;
    }
  }
  function up(e) {
    var p = pointers[e.pointerId];
    if (!p) return;
    delete pointers[e.pointerId];
    if (Object.keys(pointers).length) return; /* a finger of a pinch still down */
    var pinched = gesture !== null;
    gesture = null;
    if (e.type !== 'pointerup' || pinched || zoom > 1 || p.type === 'mouse') return;
    var dx = e.clientX - p.x0, dy = e.clientY - p.y0;
    if (Math.abs(dx) >= SWIPE && Math.abs(dx) > 1.5 * Math.abs(dy)) show(at + (dx < 0 ? 1 : -1), true);
  }

  doc.addEventListener('click', function (e) {
    if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    var a = e.target.closest && e.target.closest('a.page-facsimile');
    if (!a) return;
    var i = pages.map(function (p) { return p.link; }).indexOf(a);
    if (i < 0) return;
    e.preventDefault();
    if (isOpen()) { show(i, false); pane.focus(); } else open(i);
  });
  var timer = 0;
  window.addEventListener('resize', function () {
    if (!isOpen()) return;
    clearTimeout(timer);
    timer = setTimeout(place, 120);
  });
  S.facsimile = { open: function (i) { open(i || 0); }, close: close };
})();
