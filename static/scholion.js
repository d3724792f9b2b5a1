/* Scholion reader: enhancements only. Every feature here has a plain-link
   fallback in the HTML (markers link to endnotes, terms to the glossary,
   cross-links to their targets), so the page is whole without this file.
   A classic script, not a module, so pages work from file:// too; no
   dependencies; no requests. This file: theme, popovers (previews of
   notes, terms, cross-links and glossary entries; the ¶ link and its
   citations), the header's tools and phone menu, contents, arrival,
   shortcuts, print. scholion-notes.js lays out the notes on wide screens.
   See docs/reader.md for the choices. */
(function () {
  'use strict';
  var doc = document, root = doc.documentElement, KEY = 'scholion-theme';
  var WIDE = '(min-width: 60em)'; /* keep in step with scholion.css */
  var PHONE = '(max-width: 39.99em)';

  /* Theme: applied before the first paint (this script is in <head>). */
  function stored(k) { try { return localStorage.getItem(k); } catch (e) { return null; } }
  function store(k, v) { try { localStorage.setItem(k, v); } catch (e) { /* private mode */ } }
  var theme = stored(KEY);
  if (theme === 'dark' || theme === 'light') root.setAttribute('data-theme', theme);
  root.classList.add('js');
  var systemDark = window.matchMedia('(prefers-color-scheme: dark)');
  function isDark() {
    var t = root.getAttribute('data-theme');
    return t ? t === 'dark' : systemDark.matches;
  }

  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function $$(sel, ctx) { return Array.prototype.slice.call((ctx || doc).querySelectorAll(sel)); }
  function cssEscape(s) { return window.CSS && CSS.escape ? CSS.escape(s) : s; }
  function button(cls, text, label) {
    var b = el('button', cls, text);
    b.type = 'button';
    if (label) b.setAttribute('aria-label', label);
    return b;
  }

  /* Copies of note bodies and previews: no ids (they would repeat), no
     back-links (they belong to the endnote), and `skip` left out. */
  function cleanCopy(from, into, skip) {
    $$(':scope > *', from).forEach(function (c) {
      if (c.classList.contains('backlinks') || c.classList.contains('en-place') || (skip && c.matches(skip))) return;
      var k = c.cloneNode(true);
      k.removeAttribute('id');
      $$('[id]', k).forEach(function (x) { x.removeAttribute('id'); });
      into.appendChild(k);
    });
    return into;
  }

  var wide = window.matchMedia(WIDE), phone = window.matchMedia(PHONE);
  /* Shared with scholion-notes.js. */
  var api = window.Scholion = {
    el: el, $$: $$, cssEscape: cssEscape, button: button, cleanCopy: cleanCopy, wide: wide,
    notesShown: function () { return false; }, /* replaced by scholion-notes.js */
    highlightNote: highlightNote,
    closePopover: function () { closePopover(false); }
  };

  /* A note's passage (every piece of it: a passage may be split across
     markup), its marker and its sidenote or commentary entry. */
  function highlightNote(id, on) {
    $$('.anchored[data-note="' + cssEscape(id) + '"], .sidenote[data-note="' + cssEscape(id) + '"], .comm-note[data-note="' + cssEscape(id) + '"]').forEach(function (s) {
      s.classList.toggle('is-active', on);
    });
  }

  /* ---------- Popovers (notes below the margin width, terms, cross-links,
     glossary entries, ¶) */
  var pop = null, openTimer = 0, closeTimer = 0, quiet = false, lastPointer = 'mouse', seq = 0;

  function kindOf(a) {
    if (!a || !a.classList) return null;
    if (a.classList.contains('noteref')) return api.notesShown() ? null : 'note';
    if (a.classList.contains('term') && a.getAttribute('data-term')) return previewFor('term-previews', 'data-term', a.getAttribute('data-term')) ? 'term' : null;
    if (a.classList.contains('xref') && a.getAttribute('data-link')) return previewFor('xref-previews', 'data-link', a.getAttribute('data-link')) ? 'xref' : null;
    if (a.matches('.glossary-entries a[href^="#"]')) return glossaryEntry(a) ? 'entry' : null;
    return null;
  }
  function triggerOf(t) {
    var a = t && t.closest ? t.closest('a.noteref, a.term, a.xref, .glossary-entries a[href^="#"]') : null;
    return a && !a.closest('.popover, .sidenote, .comm-note') && kindOf(a) ? a : null;
  }
  /* A preview from the page's own <template>, or else, for a glossary
     term, from the site-wide scripts of previews (previews/terms-*.js,
     loaded by the page: window.ScholionTerms maps an id to its HTML),
     parsed once into an inert template of their own. */
  var sharedTerms = null;
  function previewFor(tplId, attr, id) {
    var tpl = doc.getElementById(tplId);
    var found = tpl && tpl.content ? tpl.content.querySelector('[' + attr + '="' + cssEscape(id) + '"]') : null;
    var all = window.ScholionTerms;
    if (found || tplId !== 'term-previews' || !all || !Object.prototype.hasOwnProperty.call(all, id)) return found;
    if (!sharedTerms) sharedTerms = doc.createElement('template');
    found = sharedTerms.content.querySelector('[' + attr + '="' + cssEscape(id) + '"]');
    if (!found) {
      var t = doc.createElement('template');
      t.innerHTML = all[id];
      found = t.content.firstElementChild;
      if (found) sharedTerms.content.appendChild(found);
    }
    return found;
  }
  function glossaryEntry(a) {
    var dt = doc.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
    return dt && dt.tagName === 'DT' && dt.nextElementSibling ? dt : null;
  }
  function moreLink(box, text, href) {
    var m = el('p', 'preview-more'), l = el('a', null, text);
    l.href = href;
    m.appendChild(l);
    box.appendChild(m);
  }

  function buildContent(a, kind, box) {
    var title;
    if (kind === 'note') {
      var id = a.getAttribute('data-note'), li = doc.getElementById('en-' + id);
      title = 'Note ' + a.textContent;
      box.appendChild(el('p', 'preview-title', title));
      if (li) cleanCopy(li, box);
      moreLink(box, 'Go to the note', '#en-' + id);
      highlightNote(id, true);
    } else if (kind === 'term') {
      var src = previewFor('term-previews', 'data-term', a.getAttribute('data-term'));
      title = src.querySelector('.preview-title').textContent;
      cleanCopy(src, box);
      moreLink(box, 'Full entry in the glossary', a.getAttribute('href'));
    } else if (kind === 'entry') {
      var dt = glossaryEntry(a);
      title = dt.textContent;
      box.appendChild(el('p', 'preview-title', title));
      cleanCopy(dt.nextElementSibling, box, '.sources, .occurrences, .see-also');
      moreLink(box, 'Go to the entry', a.getAttribute('href'));
    } else if (kind === 'xref') {
      var x = previewFor('xref-previews', 'data-link', a.getAttribute('data-link'));
      title = x.querySelector('.preview-title').textContent;
      cleanCopy(x, box);
      var q = x.getAttribute('data-quote'), p = box.querySelector('.preview-excerpt p');
      if (q && p) {
        var i = p.textContent.indexOf(q);
        if (i >= 0) {
          var t = p.textContent;
          p.textContent = t.slice(0, i);
          p.appendChild(el('mark', null, q));
          p.appendChild(doc.createTextNode(t.slice(i + q.length)));
        }
      }
      /* Remember the way we came, for "Referenced from" on arrival. */
      $$('a', box).forEach(function (l) { l.setAttribute('data-via', a.getAttribute('data-link')); });
    } else if (kind === 'pnum') {
      var num = a.textContent, url = location.href.replace(/#.*$/, '') + a.getAttribute('href');
      title = 'Paragraph ' + num;
      box.appendChild(el('p', 'preview-title', 'Link to ¶ ' + num));
      var field = el('input', 'permalink');
      field.type = 'text';
      field.readOnly = true;
      field.value = url;
      field.setAttribute('aria-label', 'Address of ¶ ' + num);
      box.appendChild(field);
      box.appendChild(copyRow(null, 'Copy link', 'Copy the link to ¶ ' + num, url, field));
      citeParagraph(box, num);
    }
    return title;
  }

  /* A "Copy" button with its status line; `field` is what is selected
     when the clipboard cannot be written. */
  function copyRow(label, text, aria, value, field) {
    var row = el('p', 'copy-row'), b = button('copy', text, aria), said = el('span', 'copy-status');
    said.setAttribute('role', 'status');
    b.addEventListener('click', function () {
      copyText(value, field).then(function () { said.textContent = 'Copied.'; },
        function () { selectAll(field); said.textContent = 'Press Ctrl+C to copy.'; });
    });
    if (label) row.appendChild(el('span', 'cite-style', label));
    row.appendChild(b);
    row.appendChild(said);
    return row;
  }
  function selectAll(field) {
    if (field.select) { field.select(); return; }
    var r = doc.createRange(), s = window.getSelection();
    r.selectNodeContents(field);
    s.removeAllRanges();
    s.addRange(r);
  }

  /* "Cite this paragraph": the text's citation templates (in
     <template id="cite-paragraph">) filled in with ¶ number, the printed
     source's pages it is on (its data-page, "p. 5") and permalink, each
     shown whole with its own Copy button. */
  function citeParagraph(box, num) {
    var tpl = doc.getElementById('cite-paragraph');
    if (!tpl) return;
    var url = (tpl.getAttribute('data-url') || location.href.replace(/#.*$/, '')) + '#p' + num;
    var para = doc.getElementById('p' + num), pages = para && para.getAttribute('data-page');
    var page = pages ? ', ' + pages : '';
    var details = el('details', 'cite-paragraph');
    details.appendChild(el('summary', null, 'Cite ¶ ' + num + (pages ? ' (' + pages + ')' : '')));
    [['chicago', 'Chicago'], ['mla', 'MLA'], ['bibtex', 'BibTeX']].forEach(function (st) {
      var text = (tpl.getAttribute('data-' + st[0]) || '').split('{n}').join(num).split('{page}').join(page).split('{url}').join(url);
      var shown = el(st[0] === 'bibtex' ? 'pre' : 'p', 'cite-text citation', text);
      shown.setAttribute('data-style', st[0]);
      details.appendChild(copyRow(st[1], 'Copy', 'Copy the ' + st[1] + ' citation of ¶ ' + num, text, shown));
      details.appendChild(shown);
    });
    box.appendChild(details);
  }

  function copyText(text, field) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (ok, fail) {
      selectAll(field);
      try { if (doc.execCommand('copy')) ok(); else fail(); } catch (e) { fail(e); }
    });
  }

  function openPopover(a, kind, pinned) {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    if (pop && pop.trigger === a) { pop.pinned = pop.pinned || pinned; return; }
    closePopover(false);
    var box = el('div', 'popover popover-' + kind);
    box.id = 'popover-' + (++seq);
    box.setAttribute('role', 'note');
    var label = buildContent(a, kind, box);
    box.setAttribute('aria-label', label);
    var close = button('popover-close', '×', 'Close');
    close.addEventListener('click', function () { closePopover(true); });
    box.insertBefore(close, box.firstChild);
    var after = a.parentNode.classList.contains('noteref-wrap') ? a.parentNode : a;
    after.parentNode.insertBefore(box, after.nextSibling);
    pop = { el: box, trigger: a, kind: kind, pinned: pinned };
    a.setAttribute('aria-expanded', 'true');
    a.setAttribute('aria-describedby', box.id);
    if (phone.matches) sheet(box);
    else place(box, a, kind);
  }

  /* On a phone: a sheet at the foot of the screen, with a cue while more
     of it is below. */
  function sheet(box) {
    box.classList.add('sheet');
    var cue = el('span', 'sheet-cue', 'More below ▾');
    cue.setAttribute('aria-hidden', 'true');
    box.appendChild(cue);
    var update = function () { box.classList.toggle('has-more', box.scrollTop + box.clientHeight < box.scrollHeight - 4); };
    box.addEventListener('scroll', update, { passive: true });
    update();
  }

  function closePopover(returnFocus) {
    clearTimeout(closeTimer);
    if (!pop) return;
    var p = pop;
    pop = null;
    p.el.parentNode.removeChild(p.el);
    p.trigger.removeAttribute('aria-expanded');
    p.trigger.removeAttribute('aria-describedby');
    if (p.kind === 'note') highlightNote(p.trigger.getAttribute('data-note'), false);
    if (returnFocus) { quiet = true; p.trigger.focus(); quiet = false; }
  }

  /* Inside the viewport: below the trigger when it fits, else above, else
     on the roomier side, cut to fit (it scrolls). The ¶ popover goes
     beside its number or its paragraph, never over the paragraph. */
  function place(box, a, kind) {
    /* Measured far to the left, where it cannot widen the page (a wider
       page would make a phone zoom out). */
    box.style.left = '-10000px';
    box.style.top = '0px';
    box.style.maxHeight = '';
    var vw = root.clientWidth, vh = window.innerHeight;
    var origin = box.getBoundingClientRect().toJSON(), r = a.getBoundingClientRect();
    origin.left += 10000;
    var first = a.getClientRects()[0] || r;
    var w = origin.width, h = origin.height, gap = 6, x, y;
    if (kind === 'pnum') {
      var block = a.parentNode.getBoundingClientRect(), fit = Math.min(h, vh - 16);
      if (r.left - gap - w >= 8) { x = r.left - gap - w; y = r.top; }
      else if (block.right + 2 * gap + w <= vw - 8) { x = block.right + 2 * gap; y = r.top; }
      else if (block.top - gap - fit >= 8) { x = block.left; y = block.top - gap - fit; }
      else if (block.bottom + gap + fit <= vh - 8) { x = block.left; y = block.bottom + gap; }
      if (x !== undefined) {
        if (fit < h) box.style.maxHeight = fit + 'px';
        y = Math.max(8, Math.min(y, vh - 8 - fit));
        x = Math.max(8, Math.min(x, vw - w - 8));
        box.style.left = Math.round(x - origin.left) + 'px';
        box.style.top = Math.round(y - origin.top) + 'px';
        return;
      }
    }
    var below = vh - r.bottom - gap - 8, above = r.top - gap - 8;
    if (h > below && h > above) {
      h = Math.max(below, above);
      box.style.maxHeight = h + 'px';
    }
    x = Math.max(8, Math.min(first.left - 16, vw - w - 8));
    y = h <= below ? r.bottom + gap : r.top - gap - h;
    box.style.left = Math.round(x - origin.left) + 'px';
    box.style.top = Math.round(y - origin.top) + 'px';
  }

  function initPopovers() {
    doc.addEventListener('pointerdown', function (e) {
      lastPointer = e.pointerType || 'mouse';
      if (pop && !pop.el.contains(e.target) && !pop.trigger.contains(e.target)) closePopover(false);
    }, true);
    doc.addEventListener('pointerover', function (e) {
      if (e.pointerType !== 'mouse') return;
      var a = triggerOf(e.target);
      if (pop && (pop.el.contains(e.target) || pop.trigger === a)) { clearTimeout(closeTimer); return; }
      if (a) {
        clearTimeout(openTimer);
        openTimer = setTimeout(function () { openPopover(a, kindOf(a), false); }, 200);
      }
    });
    doc.addEventListener('pointerout', function (e) {
      if (e.pointerType !== 'mouse') return;
      var a = triggerOf(e.target);
      if (a) clearTimeout(openTimer);
      if (!pop || pop.pinned) return;
      var to = e.relatedTarget;
      if (to && (pop.el.contains(to) || pop.trigger.contains(to))) return;
      if (pop.el.contains(e.target) || pop.trigger.contains(e.target)) {
        clearTimeout(closeTimer);
        closeTimer = setTimeout(function () {
          if (pop && !pop.pinned && doc.activeElement !== pop.trigger && !pop.el.contains(doc.activeElement)) closePopover(false);
        }, 400);
      }
    });
    doc.addEventListener('focusin', function (e) {
      var t = e.target;
      if (pop && !pop.el.contains(t) && pop.trigger !== t) closePopover(false);
      if (quiet) return;
      var a = triggerOf(t);
      if (a && a === t && t.matches(':focus-visible')) openPopover(a, kindOf(a), false);
    });
    doc.addEventListener('click', function (e) {
      var a = triggerOf(e.target);
      if (a) {
        var kind = kindOf(a);
        if (kind === 'note') {
          e.preventDefault();
          if (pop && pop.trigger === a && pop.pinned) closePopover(false);
          else openPopover(a, kind, true);
        } else if (lastPointer !== 'mouse' && lastPointer !== 'pen' && !(pop && pop.trigger === a)) {
          /* A tap shows the preview first; its link, or a second tap, follows. */
          e.preventDefault();
          openPopover(a, kind, true);
        } else if (kind === 'xref') {
          remember(a.getAttribute('data-link'));
        }
        return;
      }
      var via = e.target.closest && e.target.closest('a[data-via]');
      if (via) remember(via.getAttribute('data-via'));
      var pn = e.target.closest && e.target.closest('a.pnum');
      if (pn) setTimeout(function () { openPopover(pn, 'pnum', true); }, 0);
    });
    doc.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && pop) {
        e.preventDefault();
        closePopover(true);
      }
    });
    window.addEventListener('resize', function () { if (pop && !pop.el.classList.contains('sheet')) place(pop.el, pop.trigger, pop.kind); });
  }

  /* ---------- Arrival: the target block and the "Referenced from" line */
  function remember(linkId) {
    try { sessionStorage.setItem('scholion-via', location.pathname.replace(/^.*\//, '') + '#l-' + linkId); } catch (e) { /* none */ }
  }
  function arrive() {
    $$('.arrived, .backref.is-arrival').forEach(function (x) { x.classList.remove('arrived', 'is-arrival'); });
    var id = decodeURIComponent(location.hash.slice(1));
    var t = id && doc.getElementById(id);
    if (!t) return;
    var block = t.closest('.text-body p[id], .text-body li[id], .text-body .block[id]');
    if (!block) return;
    block.classList.add('arrived');
    var via = null;
    try { via = sessionStorage.getItem('scholion-via'); sessionStorage.removeItem('scholion-via'); } catch (e) { /* none */ }
    $$('.referenced-from a.backref', block).forEach(function (b) {
      var h = b.getAttribute('href');
      if (via && (h === via || h.slice(h.indexOf('#')) === via.slice(via.indexOf('#')))) b.classList.add('is-arrival');
    });
  }

  /* ---------- Contents: mark the section being read */
  function initToc() {
    var links = $$('.toc a[href^="#"]');
    if (!links.length) return;
    var heads = links.map(function (l) { return doc.getElementById(decodeURIComponent(l.getAttribute('href').slice(1))); });
    var current = null, pending = 0;
    function update() {
      pending = 0;
      var line = window.innerHeight * 0.25, idx = -1;
      heads.forEach(function (h, i) { if (h && h.getBoundingClientRect().top <= line) idx = i; });
      var now = idx >= 0 ? links[idx] : null;
      if (now === current) return;
      if (current) current.removeAttribute('aria-current');
      if (now) now.setAttribute('aria-current', 'location');
      current = now;
    }
    window.addEventListener('scroll', function () { if (!pending) pending = requestAnimationFrame(update); }, { passive: true });
    update();
  }

  /* Headings copied in capitals are set in small capitals. */
  function smallCaps() {
    $$('.text-body h1, .text-body h2, .text-body h3, .text-body h4, .toc a').forEach(function (h) {
      var t = h.textContent;
      if (/\p{Lu}/u.test(t) && !/\p{Ll}/u.test(t)) h.classList.add('caps');
    });
    /* A contents entry cut to two lines shows the whole heading on hover. */
    $$('.toc a').forEach(function (a) {
      if (a.scrollHeight > a.clientHeight + 1) a.title = a.textContent;
    });
  }

  /* Code blocks and tables wider than the column scroll inside their own
     box: such a box is a named region that takes keyboard focus, so the
     arrow keys scroll it (WCAG 2.1.1). */
  function scrollRegions() {
    $$('main pre, main table').forEach(function (b) {
      var scrolls = b.scrollWidth > b.clientWidth + 1;
      if (scrolls && !b.hasAttribute('tabindex')) {
        var where = b.closest('[id^="p"]');
        b.setAttribute('tabindex', '0');
        b.setAttribute('role', 'region');
        b.setAttribute('aria-label', (b.tagName === 'PRE' ? 'Code' : 'Table') + (where && /^p\d+$/.test(where.id) ? ', ¶ ' + where.id.slice(1) : '') + ', scrolls sideways');
        b.classList.add('scrolls');
      } else if (!scrolls && b.classList.contains('scrolls')) {
        b.removeAttribute('tabindex');
        b.removeAttribute('role');
        b.removeAttribute('aria-label');
        b.classList.remove('scrolls');
      }
    });
  }

  /* ---------- Phones: the header's menu, and the text's details and
     contents folded behind a button each, so the first screen shows the
     title and the beginning of the text. */
  var folds = [];
  function disclosure(target, label, where) {
    var b = button('fold-toggle', label);
    b.setAttribute('aria-expanded', 'false');
    if (!target.id) target.id = 'fold-' + folds.length;
    b.setAttribute('aria-controls', target.id);
    b.addEventListener('click', function () { set(b.getAttribute('aria-expanded') !== 'true'); });
    function set(open) {
      b.setAttribute('aria-expanded', open ? 'true' : 'false');
      target.classList.toggle('is-collapsed', !open);
    }
    where(b);
    var f = { button: b, set: set };
    folds.push(f);
    return f;
  }
  function initPhone() {
    var header = doc.querySelector('.site-header'), nav = doc.querySelector('.site-nav'), title = doc.querySelector('.site-title');
    if (header && nav && title) {
      var menu = button('menu-toggle', 'Menu');
      menu.setAttribute('aria-expanded', 'false');
      nav.id = nav.id || 'site-nav';
      menu.setAttribute('aria-controls', nav.id);
      menu.addEventListener('click', function () {
        var open = !header.classList.contains('is-open');
        header.classList.toggle('is-open', open);
        menu.setAttribute('aria-expanded', open ? 'true' : 'false');
      });
      title.parentNode.insertBefore(menu, title.nextSibling);
      /* "/" searches: open the menu first so that the box can take focus. */
      doc.addEventListener('keydown', function (e) {
        if (e.key === '/' && phone.matches && !header.classList.contains('is-open') && !/^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName)) menu.click();
      }, true);
    }
    var about = doc.querySelector('.text-about'), toc = doc.querySelector('.toc');
    if (about) disclosure(about, 'About this text', function (b) { about.parentNode.insertBefore(b, about); });
    if (toc) {
      var list = toc.querySelector('ol'), h = toc.querySelector('h2');
      if (list && h) {
        var f = disclosure(list, h.textContent, function (b) {
          var label = el('span', 'fold-label', h.textContent);
          h.textContent = '';
          h.appendChild(label);
          h.appendChild(b);
        });
        f.toc = true;
      }
    }
    function apply() { folds.forEach(function (f) { f.set(!phone.matches); }); }
    apply();
    if (phone.addEventListener) phone.addEventListener('change', apply);
  }

  /* ---------- Print: running head with the text's short title (CSS paged
     media, added through the CSSOM, which the CSP allows), every fold open. */
  function initPrint() {
    var art = doc.querySelector('article.text[data-short-title]');
    if (art && window.CSSStyleSheet && 'adoptedStyleSheets' in doc) {
      try {
        var s = new CSSStyleSheet(), t = art.getAttribute('data-short-title').replace(/["\\]/g, '\\$&');
        s.replaceSync('@media print { @page { @top-left { content: "' + t + '"; font: italic 9pt "Source Serif 4", "Scholion Times", serif; color: #444; } } @page :first { @top-left { content: none; } } }');
        doc.adoptedStyleSheets = doc.adoptedStyleSheets.concat([s]);
      } catch (e) { /* page numbers only */ }
    }
    var was = [];
    window.addEventListener('beforeprint', function () {
      was = $$('details:not([open])');
      was.forEach(function (d) { d.open = true; });
      $$('.is-collapsed').forEach(function (x) { x.classList.add('print-open'); x.classList.remove('is-collapsed'); });
    });
    window.addEventListener('afterprint', function () {
      was.forEach(function (d) { d.open = false; });
      $$('.print-open').forEach(function (x) { x.classList.remove('print-open'); x.classList.add('is-collapsed'); });
    });
  }

  /* ---------- Header tools: theme toggle and the shortcuts dialog */
  var themeButton = null, dialog = null;

  function syncTheme() {
    if (themeButton) themeButton.setAttribute('aria-pressed', isDark() ? 'true' : 'false');
  }
  function toggleTheme() {
    var next = isDark() ? 'light' : 'dark';
    root.setAttribute('data-theme', next);
    store(KEY, next);
    syncTheme();
  }

  var KEYS = [
    ['?', 'Show this list'],
    ['/', 'Search'], /* handled by search.js */
    ['n', 'Next text'],
    ['p', 'Previous text'],
    ['j', 'Next paragraph'],
    ['k', 'Previous paragraph'],
    ['c', 'Contents'],
    ['g', 'Glossary'],
    ['t', 'Light or dark theme'],
    ['Esc', 'Close a note or preview']
  ];

  function showShortcuts() {
    if (!dialog) {
      dialog = el('dialog', 'shortcuts');
      dialog.setAttribute('aria-labelledby', 'shortcuts-title');
      var h = el('h2', null, 'Keyboard shortcuts');
      h.id = 'shortcuts-title';
      var dl = el('dl');
      KEYS.forEach(function (k) {
        var dt = el('dt'), kbd = el('kbd', null, k[0]);
        dt.appendChild(kbd);
        dl.appendChild(dt);
        dl.appendChild(el('dd', null, k[1]));
      });
      var b = button(null, 'Close');
      b.addEventListener('click', function () { dialog.close(); });
      dialog.appendChild(h);
      dialog.appendChild(dl);
      dialog.appendChild(b);
      dialog.addEventListener('click', function (e) { if (e.target === dialog) dialog.close(); });
      doc.body.appendChild(dialog);
    }
    if (!dialog.open) dialog.showModal();
  }

  function initTools() {
    var nav = doc.querySelector('.site-nav');
    if (!nav) return;
    var box = el('div', 'tools');
    themeButton = button('theme-toggle', '', 'Dark theme');
    themeButton.title = 'Dark theme (t)';
    themeButton.addEventListener('click', toggleTheme);
    var keys = button('shortcuts-button', '?', 'Keyboard shortcuts');
    keys.title = 'Keyboard shortcuts (?)';
    keys.setAttribute('aria-haspopup', 'dialog');
    keys.setAttribute('aria-keyshortcuts', 'Shift+?');
    keys.addEventListener('click', showShortcuts);
    box.appendChild(themeButton);
    box.appendChild(keys);
    nav.appendChild(box);
    syncTheme();
    var onSystem = function () { syncTheme(); };
    if (systemDark.addEventListener) systemDark.addEventListener('change', onSystem);
  }

  function go(sel) {
    var a = doc.querySelector(sel);
    if (a) location.href = a.href;
  }
  function stepParagraph(dir) {
    var nums = $$('.text-body a.pnum');
    if (!nums.length) return;
    var line = 8, i, target = null;
    if (dir > 0) {
      for (i = 0; i < nums.length && !target; i++) if (nums[i].getBoundingClientRect().top > line + 4) target = nums[i];
    } else {
      for (i = nums.length - 1; i >= 0 && !target; i--) if (nums[i].getBoundingClientRect().top < line - 4) target = nums[i];
    }
    if (!target) return;
    target.focus({ preventScroll: true });
    target.closest('[id]').scrollIntoView({ block: 'start' });
  }

  function initKeys() {
    doc.addEventListener('keydown', function (e) {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      if (dialog && dialog.open) return;
      switch (e.key) {
        case '?': showShortcuts(); break;
        case 't': toggleTheme(); break;
        case 'n': go('a[rel="next"]'); break;
        case 'p': go('a[rel="prev"]'); break;
        case 'g': go('.site-nav a[href$="glossary.html"]'); break;
        case 'j': stepParagraph(1); break;
        case 'k': stepParagraph(-1); break;
        case 'c': {
          folds.forEach(function (f) { if (f.toc) f.set(true); });
          var l = doc.querySelector('.toc a[aria-current]') || doc.querySelector('.toc a');
          if (l) l.focus();
          break;
        }
        default: return;
      }
      e.preventDefault();
    });
  }

  /* A page of the printed source that begins in the first line of a
     numbered passage, beside its ¶ number: its mark goes into the space
     above the passage, as the mark of a page that begins the passage does
     (scholion.css). Measured again whenever the lines may have moved. */
  function pageMarks() {
    $$('.text-body .page-mark:not(.page-top)').forEach(function (m) {
      m.classList.remove('is-above');
      var block = m.closest('p[id], li[id], .block[id]'), num = block && block.querySelector(':scope > .pnum');
      if (!num) return;
      var a = m.getBoundingClientRect(), b = num.getBoundingClientRect();
      if (a.width && a.top < b.bottom - 2 && b.top < a.bottom - 2) m.classList.add('is-above');
    });
  }
  function measured() { scrollRegions(); pageMarks(); }

  function init() {
    measured();
    var sized = 0;
    window.addEventListener('resize', function () { clearTimeout(sized); sized = setTimeout(measured, 150); });
    if (doc.fonts && doc.fonts.ready) doc.fonts.ready.then(measured);
    initTools();
    initPhone();
    initKeys();
    if (doc.querySelector('.text-body')) {
      smallCaps();
      initPopovers();
      initToc();
      initPrint();
      arrive();
      window.addEventListener('hashchange', arrive);
    } else if (doc.querySelector('.glossary-entries')) {
      initPopovers();
    }
  }
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', init);
  else init();
})();
