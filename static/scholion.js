/* Scholion reader: enhancements only. Every feature here has a plain-link
   fallback in the HTML (markers link to endnotes, terms to the glossary,
   cross-links to their targets), so the page is whole without this file.
   A classic script, not a module, so pages work from file:// too; no
   dependencies; no requests. See docs/reader.md for the choices. */
(function () {
  'use strict';
  var doc = document, root = doc.documentElement, KEY = 'scholion-theme';
  var WIDE = '(min-width: 69em)'; /* keep in step with scholion.css */

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

  /* Copies of note bodies and previews: no ids (they would repeat), no
     back-links (they belong to the endnote). */
  function cleanCopy(from, into) {
    $$(':scope > *', from).forEach(function (c) {
      if (c.classList.contains('backlinks')) return;
      var k = c.cloneNode(true);
      k.removeAttribute('id');
      $$('[id]', k).forEach(function (x) { x.removeAttribute('id'); });
      into.appendChild(k);
    });
    return into;
  }

  /* ---------- Popovers (notes below the sidenote width, terms, cross-links, ¶) */
  var pop = null, openTimer = 0, closeTimer = 0, quiet = false, lastPointer = 'mouse', seq = 0;
  var wide = window.matchMedia(WIDE);

  function kindOf(a) {
    if (!a || !a.classList) return null;
    if (a.classList.contains('noteref')) return wide.matches && doc.querySelector('.sidenote') ? null : 'note';
    if (a.classList.contains('term') && a.getAttribute('data-term')) return previewFor('term-previews', 'data-term', a.getAttribute('data-term')) ? 'term' : null;
    if (a.classList.contains('xref') && a.getAttribute('data-link')) return previewFor('xref-previews', 'data-link', a.getAttribute('data-link')) ? 'xref' : null;
    return null;
  }
  function triggerOf(t) {
    var a = t && t.closest ? t.closest('a.noteref, a.term, a.xref') : null;
    return a && !a.closest('.popover, .sidenote') && kindOf(a) ? a : null;
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

  function buildContent(a, kind, box) {
    var title;
    if (kind === 'note') {
      var id = a.getAttribute('data-note'), li = doc.getElementById('en-' + id);
      title = 'Note ' + a.textContent;
      var h = el('p', 'preview-title', title);
      box.appendChild(h);
      if (li) cleanCopy(li, box);
      var more = el('p', 'preview-more');
      var go = el('a', null, 'Go to the note');
      go.href = '#en-' + id;
      more.appendChild(go);
      box.appendChild(more);
      highlightNote(id, true);
    } else if (kind === 'term') {
      var src = previewFor('term-previews', 'data-term', a.getAttribute('data-term'));
      title = src.querySelector('.preview-title').textContent;
      cleanCopy(src, box);
      var m = el('p', 'preview-more'), full = el('a', null, 'Full entry in the glossary');
      full.href = a.getAttribute('href');
      m.appendChild(full);
      box.appendChild(m);
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
      var btn = el('button', 'copy', 'Copy link'), status = el('span', 'copy-status');
      btn.type = 'button';
      status.setAttribute('role', 'status');
      btn.addEventListener('click', function () {
        copyText(url, field).then(function () { status.textContent = 'Copied.'; },
          function () { field.select(); status.textContent = 'Press Ctrl+C to copy.'; });
      });
      box.appendChild(field);
      var row = el('p', 'copy-row');
      row.appendChild(btn);
      row.appendChild(status);
      box.appendChild(row);
      citeParagraph(box, num);
    }
    return title;
  }

  /* "Cite this paragraph": the text's citation templates (in
     <template id="cite-paragraph">) filled in with ¶ number and permalink. */
  function citeParagraph(box, num) {
    var tpl = doc.getElementById('cite-paragraph');
    if (!tpl) return;
    var url = (tpl.getAttribute('data-url') || location.href.replace(/#.*$/, '')) + '#p' + num;
    var details = el('details', 'cite-paragraph');
    details.appendChild(el('summary', null, 'Cite ¶ ' + num));
    [['chicago', 'Chicago'], ['mla', 'MLA'], ['bibtex', 'BibTeX']].forEach(function (st) {
      var text = (tpl.getAttribute('data-' + st[0]) || '').split('{n}').join(num).split('{url}').join(url);
      var field = el('textarea', 'citation');
      field.readOnly = true;
      field.rows = st[0] === 'bibtex' ? 6 : 3;
      field.value = text;
      field.setAttribute('aria-label', st[1] + ' citation of ¶ ' + num);
      var b = el('button', 'copy', 'Copy ' + st[1]), said = el('span', 'copy-status');
      b.type = 'button';
      said.setAttribute('role', 'status');
      b.addEventListener('click', function () {
        copyText(text, field).then(function () { said.textContent = 'Copied.'; },
          function () { field.select(); said.textContent = 'Press Ctrl+C to copy.'; });
      });
      var line = el('p', 'copy-row');
      line.appendChild(el('span', 'cite-style', st[1]));
      line.appendChild(b);
      line.appendChild(said);
      details.appendChild(line);
      details.appendChild(field);
    });
    box.appendChild(details);
  }

  function copyText(text, field) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (ok, fail) {
      field.select();
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
    var close = el('button', 'popover-close', '×');
    close.type = 'button';
    close.setAttribute('aria-label', 'Close');
    close.addEventListener('click', function () { closePopover(true); });
    box.insertBefore(close, box.firstChild);
    var after = a.parentNode.classList.contains('noteref-wrap') ? a.parentNode : a;
    after.parentNode.insertBefore(box, after.nextSibling);
    pop = { el: box, trigger: a, kind: kind, pinned: pinned };
    a.setAttribute('aria-expanded', 'true');
    a.setAttribute('aria-describedby', box.id);
    place(box, a);
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
     on the roomier side, cut to fit (it scrolls). */
  function place(box, a) {
    /* Measured far to the left, where it cannot widen the page (a wider
       page would make a phone zoom out). */
    box.style.left = '-10000px';
    box.style.top = '0px';
    box.style.maxHeight = '';
    var vw = root.clientWidth, vh = window.innerHeight;
    var origin = box.getBoundingClientRect().toJSON(), r = a.getBoundingClientRect();
    origin.left += 10000;
    var first = a.getClientRects()[0] || r;
    var w = origin.width, h = origin.height, gap = 6;
    var below = vh - r.bottom - gap - 8, above = r.top - gap - 8;
    if (h > below && h > above) {
      h = Math.max(below, above);
      box.style.maxHeight = h + 'px';
    }
    var x = Math.max(8, Math.min(first.left - 16, vw - w - 8));
    var y = h <= below ? r.bottom + gap : r.top - gap - h;
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
    window.addEventListener('resize', function () { if (pop) place(pop.el, pop.trigger); });
  }

  /* ---------- Sidenotes on wide screens */
  var sidenotes = [];

  function highlightNote(id, on) {
    $$('.anchored[data-note="' + cssEscape(id) + '"]').forEach(function (s) { s.classList.toggle('is-active', on); });
    sidenotes.forEach(function (s) { if (s.id === id) s.el.classList.toggle('is-active', on); });
  }

  function buildSidenotes() {
    if (sidenotes.length || !doc.querySelector('.endnotes')) return;
    if (pop && pop.kind === 'note') closePopover(false);
    $$('.text-body a.noteref').forEach(function (a) {
      var id = a.getAttribute('data-note'), li = doc.getElementById('en-' + id);
      if (!li) return;
      var s = el('span', 'sidenote'), body = el('span', 'sidenote-body');
      s.setAttribute('role', 'note');
      s.setAttribute('aria-label', 'Note ' + a.textContent);
      var n = el('span', 'sidenote-num', a.textContent + '.');
      n.setAttribute('aria-hidden', 'true');
      body.appendChild(n);
      cleanCopy(li, body);
      $$('.sources', body).forEach(function (x) { x.parentNode.removeChild(x); });
      var more = el('button', 'sidenote-more', 'More');
      more.type = 'button';
      more.setAttribute('aria-label', 'More of note ' + a.textContent);
      more.setAttribute('aria-expanded', 'false');
      body.insertBefore(more, n.nextSibling);
      s.appendChild(body);
      var wrap = a.parentNode.classList.contains('noteref-wrap') ? a.parentNode : a;
      wrap.parentNode.insertBefore(s, wrap.nextSibling);
      var note = { id: id, el: s, body: body, more: more, ref: a, anchor: doc.getElementById('n-' + id) || a };
      var hover = function (on) { return function () { if (!s.classList.contains('is-open')) highlightNote(id, on); }; };
      [a, s].forEach(function (x) {
        x.addEventListener('mouseenter', hover(true));
        x.addEventListener('mouseleave', hover(false));
      });
      a.addEventListener('focus', hover(true));
      a.addEventListener('blur', hover(false));
      more.addEventListener('click', function () { openSidenote(note, !s.classList.contains('is-open')); });
      sidenotes.push(note);
    });
    root.classList.add('has-sidenotes');
    layoutSidenotes();
  }

  /* A clamped sidenote opens in place, over the ones below it, until Esc,
     a click elsewhere, or focus leaving it. */
  var openNote = null;
  function openSidenote(note, on) {
    if (on && openNote && openNote !== note) openSidenote(openNote, false);
    note.el.classList.toggle('is-open', on);
    note.more.setAttribute('aria-expanded', on ? 'true' : 'false');
    note.more.textContent = on ? 'Less' : 'More';
    note.more.setAttribute('aria-label', (on ? 'Less of note ' : 'More of note ') + note.ref.textContent);
    highlightNote(note.id, on);
    openNote = on ? note : (openNote === note ? null : openNote);
  }

  function removeSidenotes() {
    if (openNote) openSidenote(openNote, false);
    sidenotes.forEach(function (s) { s.el.parentNode.removeChild(s.el); });
    sidenotes = [];
    root.classList.remove('has-sidenotes');
  }

  /* Beside the passage's first line, pushed down below the previous note so
     that none overlap. A note longer than the room before the next note's
     passage is cut to that room (two lines at least) and can be opened.
     Reads first, then writes, to lay out once. */
  function layoutSidenotes() {
    if (!sidenotes.length) return;
    var body = doc.querySelector('.text-body');
    if (!body) return;
    sidenotes.forEach(function (s) {
      s.el.style.left = '0px';
      s.el.style.top = '0px';
      s.body.style.maxHeight = '';
      s.el.classList.remove('is-clamped');
    });
    var right = body.getBoundingClientRect().right;
    var rem = parseFloat(getComputedStyle(root).fontSize), gap = rem * 2.5, space = rem * 0.6;
    var line = sidenotes.length ? parseFloat(getComputedStyle(sidenotes[0].body).lineHeight) || rem * 1.1 : 0;
    var m = sidenotes.map(function (s) {
      var first = s.anchor.getClientRects()[0] || s.anchor.getBoundingClientRect();
      return { o: s.el.getBoundingClientRect(), h: s.body.getBoundingClientRect().height, top: first.top };
    });
    var bottom = -Infinity;
    sidenotes.forEach(function (s, i) {
      var y = Math.max(m[i].top, bottom + space), h = m[i].h;
      var next = i + 1 < m.length ? m[i + 1].top : Infinity;
      var room = Math.max(2 * line, Math.floor((next - space - y) / line) * line);
      if (h > room + line * 1.5) {
        h = room;
        s.body.style.maxHeight = h + 'px';
        s.el.classList.add('is-clamped');
      }
      bottom = y + h;
      s.el.style.left = Math.round(right + gap - m[i].o.left) + 'px';
      s.el.style.top = Math.round(y - m[i].o.top) + 'px';
    });
  }

  function initSidenotes() {
    var pending = 0;
    function relayout() {
      if (pending) return;
      pending = requestAnimationFrame(function () { pending = 0; layoutSidenotes(); });
    }
    function apply() { if (wide.matches) buildSidenotes(); else removeSidenotes(); }
    apply();
    if (wide.addEventListener) wide.addEventListener('change', apply);
    window.addEventListener('resize', relayout);
    window.addEventListener('load', relayout);
    var body = doc.querySelector('.text-body');
    if (body && window.ResizeObserver) new ResizeObserver(relayout).observe(body);
    function noteOf(t) {
      return sidenotes.filter(function (x) { return x.el.contains(t) || x.ref === t; })[0];
    }
    doc.addEventListener('click', function (e) {
      if (!sidenotes.length) return;
      var a = e.target.closest && e.target.closest('.text-body a.noteref');
      if (!a) {
        if (openNote && !openNote.el.contains(e.target)) openSidenote(openNote, false);
        return;
      }
      e.preventDefault();
      var s = noteOf(a);
      if (!s) return;
      sidenotes.forEach(function (x) { if (x !== s) highlightNote(x.id, false); });
      if (s.el.classList.contains('is-clamped')) openSidenote(s, true);
      else highlightNote(s.id, true);
      s.el.scrollIntoView({ block: 'nearest' });
    });
    doc.addEventListener('focusin', function (e) {
      if (!sidenotes.length) return;
      var s = noteOf(e.target);
      if (openNote && openNote !== s) openSidenote(openNote, false);
      if (s && s.el.contains(e.target) && e.target.matches(':focus-visible') && s.el.classList.contains('is-clamped') && !s.el.classList.contains('is-open')) openSidenote(s, true);
    });
    doc.addEventListener('keydown', function (e) {
      if (e.key !== 'Escape' || !openNote) return;
      var s = openNote;
      openSidenote(s, false);
      if (s.el.contains(doc.activeElement)) s.ref.focus();
    });
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
      var b = el('button', null, 'Close');
      b.type = 'button';
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
    themeButton = el('button', 'theme-toggle', 'Dark theme');
    themeButton.type = 'button';
    themeButton.addEventListener('click', toggleTheme);
    var keys = el('button', 'shortcuts-button', 'Shortcuts');
    keys.type = 'button';
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
          var l = doc.querySelector('.toc a[aria-current]') || doc.querySelector('.toc a');
          if (l) l.focus();
          break;
        }
        default: return;
      }
      e.preventDefault();
    });
  }

  function init() {
    initTools();
    initKeys();
    if (doc.querySelector('.text-body')) {
      initSidenotes();
      initPopovers();
      initToc();
      arrive();
      window.addEventListener('hashchange', arrive);
    }
  }
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', init);
  else init();
})();
