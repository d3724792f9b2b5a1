/* Scholion reader: the notes on wide screens (from 60em, as in
   scholion.css). Every note is set whole, never cut; where it goes is
   measured here when the page loads and whenever its width changes:

   - beside the text (a sidenote), as near its marker's line as the notes
     around it allow: placed by least squares in reading order, a note may
     rise to the first line of its passage, never above it;
   - after its paragraph (commentary), for a paragraph whose notes would
     push the margin more than half a screen below their passages:
     such a paragraph's notes are set beneath it, so the margin catches up;
   - after every paragraph, when that would be the case for half the notes
     or more: a text annotated more than any margin can hold beside it.
   - inside a long paragraph, at the end of a line, for those of its notes
     after it that would stand more than a screen below their lines.

   The active note (its marker pointed at, focused, clicked or reached by
   address) is shown beside its line, over its neighbours, and its passage
   marked. Uses what scholion.js shares as window.Scholion; docs/reader.md
   explains the choices. */
(function () {
  'use strict';
  var S = window.Scholion, doc = document, root = doc.documentElement;
  var body = doc.querySelector('.text-body');
  if (!S || !body || !doc.querySelector('.endnotes')) return;
  var el = S.el, $$ = S.$$;
  var DRIFT = 1 / 2;   /* of a screen: how far below its line a sidenote may go */
  var ALL_AFTER = 0.5; /* share of notes after their paragraphs that sets them all there */
  var FAR = 0.9;       /* of a screen: how far below its line a note after its paragraph may go */
  var notes = [], mode = null, lastWidth = 0, active = null, pinned = null, leaveTimer = 0, metric = null, quiet = false;

  S.notesShown = function () { return mode !== null; };
  /* The margin is free for notes unless the facsimile pane has it. */
  function wide() { return S.wide.matches && !root.classList.contains('facs-open'); }

  function setMode(m) {
    mode = m;
    root.classList.toggle('notes-side', m === 'side');
    root.classList.toggle('notes-after', m === 'after');
  }

  /* Every marker with an endnote, as a note to place. */
  function collect() {
    return $$('a.noteref', body).map(function (a) {
      var id = a.getAttribute('data-note'), li = doc.getElementById('en-' + id);
      if (!li) return null;
      return {
        id: id, ref: a, li: li, num: a.textContent, side: null, comm: null,
        pieces: $$('.anchored[data-note="' + S.cssEscape(id) + '"]', body),
        block: a.closest('p[id], li[id], .block[id]'), top: 0, y: 0, a: 0
      };
    }).filter(Boolean);
  }

  /* ---------- Beside the text */
  function buildSide(n) {
    var s = el('span', 'sidenote'), b = el('span', 'sidenote-body'), num = el('span', 'sidenote-num', n.num + '.');
    s.setAttribute('data-note', n.id);
    s.setAttribute('role', 'note');
    s.setAttribute('aria-label', 'Note ' + n.num);
    num.setAttribute('aria-hidden', 'true');
    b.appendChild(num);
    S.cleanCopy(n.li, b, '.sources');
    s.appendChild(b);
    var wrap = n.ref.parentNode.classList.contains('noteref-wrap') ? n.ref.parentNode : n.ref;
    wrap.parentNode.insertBefore(s, wrap.nextSibling);
    n.side = s;
  }

  /* The tops of the glyph boxes of the first line of a note's passage and
     of the line where it ends (the marker's line). */
  function lines(n) {
    var r = [];
    n.pieces.forEach(function (p) { Array.prototype.forEach.call(p.getClientRects(), function (x) { if (x.width > 0.5) r.push(x); }); });
    if (!r.length) { var m = n.ref.getBoundingClientRect().top; return { first: m, last: m }; }
    return { first: r[0].top, last: r[r.length - 1].top };
  }

  function metrics(sample) {
    var fs = parseFloat(getComputedStyle(body).fontSize), ns = getComputedStyle(sample);
    var nfs = parseFloat(ns.fontSize), line = parseFloat(ns.lineHeight) || nfs * 1.45;
    /* Source Serif 4: ascent 1.036 em, glyph box 1.371 em; the shift sets a
       note's first baseline on its line's baseline. */
    return { line: line, gap: Math.round(line * 0.55), shift: 1.036 * (fs - nfs) - (line - 1.371 * nfs) / 2 };
  }

  /* Tops y for boxes of heights h in order, none overlapping (gap between),
     each at least at lo[i], as near as may be to want[i] in least squares:
     with c[i] the heights above box i, z = y - c must rise, so z is the
     isotonic regression of want - c (pool adjacent violators), then raised
     to the running lower bound. */
  function solve(want, h, lo, gap) {
    var n = want.length, c = new Array(n), acc = 0, i;
    for (i = 0; i < n; i++) { c[i] = acc; acc += h[i] + gap; }
    var blocks = [];
    for (i = 0; i < n; i++) {
      blocks.push({ v: want[i] - c[i], w: 1, end: i });
      while (blocks.length > 1 && blocks[blocks.length - 2].v >= blocks[blocks.length - 1].v) {
        var b = blocks.pop(), a = blocks[blocks.length - 1];
        a.v = (a.v * a.w + b.v * b.w) / (a.w + b.w);
        a.w += b.w;
        a.end = b.end;
      }
    }
    var y = new Array(n), k = 0, floor = -Infinity;
    for (i = 0; i < n; i++) {
      while (blocks[k].end < i) k++;
      floor = Math.max(floor, lo[i] - c[i]);
      y[i] = Math.max(blocks[k].v, floor) + c[i];
    }
    return y;
  }

  /* Places the sidenotes (one read pass, one write pass). Returns the
     block whose notes are the most to blame for a note more than DRIFT
     below its line, or null when all are near enough. */
  function layoutSide() {
    var list = notes.filter(function (n) { return n.side; });
    if (!list.length) return null;
    if (active) lift(active, false);
    list.forEach(function (n) { n.side.style.left = '0px'; n.side.style.top = '0px'; });
    var M = metric = metrics(list[0].side), vh = window.innerHeight;
    var main = doc.querySelector('main'), mr = main.getBoundingClientRect(), padR = parseFloat(getComputedStyle(main).paddingRight) || 0;
    var m = list.map(function (n) {
      var o = n.side.getBoundingClientRect(), r = lines(n);
      return { o: o, h: o.height, a: r.last + M.shift, lo: Math.min(r.first, r.last) + M.shift, bh: n.block ? n.block.getBoundingClientRect().height : 0 };
    });
    var h = m.map(function (x) { return x.h; }), want = m.map(function (x) { return x.a; }), lo = m.map(function (x) { return x.lo; });
    /* Notes set after their paragraph span the margin too: a sidenote that
       would overlap one of them goes below it, and the rest are placed anew. */
    var bands = $$('.commentary', body).map(function (c) { return c.getBoundingClientRect(); }), y;
    for (var round = 0; round <= list.length; round++) {
      y = solve(want, h, lo, M.gap);
      var hit = -1, below = 0;
      for (var i = 0; i < list.length && hit < 0; i++) {
        for (var k = 0; k < bands.length; k++) {
          if (y[i] < bands[k].bottom + M.gap && y[i] + h[i] > bands[k].top - M.gap) { hit = i; below = bands[k].bottom + M.gap; break; }
        }
      }
      if (hit < 0) break;
      lo[hit] = Math.max(lo[hit], below);
    }
    var drift = 0, worst = -1;
    list.forEach(function (n, i) {
      n.top = Math.round(y[i] - m[i].o.top);
      n.y = y[i];
      n.a = m[i].a;
      n.side.style.left = Math.round(mr.right - padR - m[i].o.width - m[i].o.left) + 'px';
      n.side.style.top = n.top + 'px';
      if (y[i] - want[i] > drift) { drift = y[i] - want[i]; if (drift > vh * DRIFT && worst < 0) worst = i; }
    });
    if (active) lift(active, true);
    S.notesLayout = { drift: Math.round(drift), sidenotes: list.length, notes: notes.length, screen: vh };
    if (worst < 0) return null;
    /* In the packed run of notes down to the first one too far below its
       line, the paragraph whose notes overflow it the most. */
    var excess = new Map(), blame = null, most = -Infinity;
    for (var j = worst; j >= 0 && (j === worst || y[j] + h[j] + M.gap >= y[j + 1] - 1); j--) {
      var b = list[j].block;
      if (!b) continue;
      excess.set(b, (excess.get(b) || -m[j].bh) + h[j] + M.gap);
    }
    excess.forEach(function (v, b) { if (v > most) { most = v; blame = b; } });
    return blame;
  }

  /* The active note at its marker's line, over its neighbours. */
  function lift(n, on) {
    if (!n.side) return;
    var moved = on && Math.abs(n.y - n.a) > (metric ? metric.line / 2 : 10);
    n.side.classList.toggle('is-lifted', moved);
    n.side.style.top = (moved ? Math.round(n.top + n.a - n.y) : n.top) + 'px';
  }

  /* ---------- After the paragraph */
  function lemma(n) {
    var words = n.pieces.map(function (p) { return p.textContent; }).join('').trim().split(/\s+/);
    return words.length > 8 ? words.slice(0, 3).join(' ') + ' … ' + words.slice(-2).join(' ') : words.join(' ');
  }
  function buildAfter(block) {
    var box = el('div', 'commentary');
    notes.forEach(function (n) {
      if (n.block !== block) return;
      if (n.side) { n.side.parentNode.removeChild(n.side); n.side = null; }
      var d = el('div', 'comm-note');
      d.setAttribute('data-note', n.id);
      d.setAttribute('role', 'note');
      d.setAttribute('aria-label', 'Note ' + n.num);
      S.cleanCopy(n.li, d, '.sources');
      var first = d.querySelector('p') || d.appendChild(el('p'));
      var num = el('a', 'comm-num', n.num);
      num.href = '#' + n.ref.id;
      num.setAttribute('aria-label', 'Note ' + n.num + ', back to its place in the text');
      var lem = lemma(n);
      if (lem) first.insertBefore(el('span', 'comm-lemma', lem), first.firstChild);
      first.insertBefore(num, first.firstChild);
      box.appendChild(d);
      n.comm = d;
    });
    if (block.tagName === 'LI') block.appendChild(box);
    else block.parentNode.insertBefore(box, block.nextSibling);
    splitAfter(block, box);
  }

  /* How far below its marker's line a note set after its paragraph stands. */
  function below(n) { return n.comm.getBoundingClientRect().top - lines(n).last; }

  /* Where a paragraph's notes after it would stand more than a screen
     below their lines (a long paragraph with many notes), the notes
     cited so far are set at the end of a line inside the paragraph, as a
     page of a printed commentary ends with the notes of its lines, and
     the text goes on after them; again until every note is near. */
  function splitAfter(block, box) {
    var vh = window.innerHeight * FAR;
    function worst(list) { return Math.max.apply(null, list.map(below)); }
    function pending() { return $$('.comm-note', box).map(function (d) { return noteById(d.getAttribute('data-note')); }); }
    for (var list = pending(); list.length && worst(list) > vh; list = pending()) {
      /* The most notes, cited first, that are all near when set at the end
         of the line of the last one's marker. */
      var done = false;
      for (var g = list.length; g >= 1 && !done; g--) {
        var at = lineEnd(block, list[g - 1].ref);
        if (!at) continue;
        var part = el('div', 'commentary commentary-inside'), moved = [];
        list.forEach(function (n) {
          if (n.ref.compareDocumentPosition(at.before) & Node.DOCUMENT_POSITION_FOLLOWING) { moved.push(n); part.appendChild(n.comm); }
        });
        at.parent.insertBefore(part, at.before);
        if (g === 1 || worst(moved) <= vh) { done = true; break; }
        part.parentNode.removeChild(part);
        box.append.apply(box, list.map(function (n) { return n.comm; }));
      }
      if (!done) return;
      if (!box.firstChild) { box.parentNode.removeChild(box); return; }
    }
  }

  /* The place, as a child of the paragraph, where the line after the one
     with marker `ref` begins (null if that line is its last). */
  function lineEnd(block, ref) {
    var top = ref.getBoundingClientRect().top, half = (metric ? metric.line : 20) / 2, start = ref;
    while (start.parentNode !== block) { start = start.parentNode; if (!start || start === doc.body) return null; }
    var range = doc.createRange();
    for (var c = start.nextSibling; c; c = c.nextSibling) {
      if (c.nodeType === 1) {
        if (c.classList.contains('commentary') || getComputedStyle(c).position === 'absolute') continue;
        var r = c.getClientRects();
        if (r.length && r[0].top > top + half) return { parent: block, before: c };
        continue;
      }
      if (c.nodeType !== 3) continue;
      for (var k = 0; k < c.length; k++) {
        range.setStart(c, k);
        range.setEnd(c, k + 1);
        var x = range.getClientRects()[0];
        if (x && x.width > 0 && x.top > top + half) {
          return { parent: block, before: k ? c.splitText(k) : c };
        }
      }
    }
    return null;
  }

  function clear() {
    pin(null);
    if (active) activate(active, false);
    $$('.sidenote, .commentary', body).forEach(function (c) { var p = c.parentNode; p.removeChild(c); p.normalize(); });
    notes = [];
    setMode(null);
  }

  /* Chooses the arrangement for the present width. */
  function apply() {
    lastWidth = root.clientWidth;
    var keep = pinned && pinned.id;
    clear();
    if (!wide()) return;
    S.closePopover();
    notes = collect();
    if (!notes.length) return;
    setMode('side');
    notes.forEach(buildSide);
    var blame, after = 0;
    while ((blame = layoutSide())) {
      buildAfter(blame);
      after = notes.filter(function (n) { return n.comm; }).length;
      if (after >= notes.length * ALL_AFTER) break;
    }
    if (after >= notes.length * ALL_AFTER) {
      var blocks = [];
      notes.forEach(function (n) { if (n.block && !n.comm && blocks.indexOf(n.block) < 0) blocks.push(n.block); });
      blocks.forEach(buildAfter);
      setMode('after');
      S.notesLayout = { drift: 0, sidenotes: 0, notes: notes.length, screen: window.innerHeight };
    }
    if (keep) pin(noteById(keep));
  }

  /* ---------- The active note */
  function view(n) { return n.side || n.comm; }
  function noteById(id) { return notes.filter(function (n) { return n.id === id; })[0] || null; }
  function noteOf(t) { return notes.filter(function (n) { return n.ref === t || (view(n) && view(n).contains(t)); })[0] || null; }
  function activate(n, on) {
    if (on && active && active !== n) activate(active, false);
    if (!on && active !== n) return;
    active = on ? n : null;
    S.highlightNote(n.id, on);
    lift(n, on);
  }
  function pin(n) {
    if (pinned && pinned !== n) { var was = pinned; pinned = null; activate(was, false); }
    pinned = n;
    if (n) activate(n, true);
  }
  function fromHash() {
    var h = decodeURIComponent(location.hash.slice(1)), id = h.replace(/^(ref|n)-/, '');
    var n = id !== h && noteById(id);
    if (n) pin(n);
  }
  function later(n) {
    clearTimeout(leaveTimer);
    leaveTimer = setTimeout(function () { if (pinned !== n) activate(n, false); }, 250);
  }

  function init() {
    S.relayout = apply;
    apply();
    fromHash();
    var timer = 0;
    window.addEventListener('resize', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (wide() !== (mode !== null) || Math.abs(root.clientWidth - lastWidth) > 1) apply();
        else if (mode === 'side') layoutSide();
      }, 120);
    });
    if (doc.fonts && doc.fonts.ready) doc.fonts.ready.then(function () { apply(); fromHash(); });
    if (window.ResizeObserver) {
      var h = body.offsetHeight;
      new ResizeObserver(function () {
        if (Math.abs(body.offsetHeight - h) < 1) return;
        h = body.offsetHeight;
        if (mode === 'side') requestAnimationFrame(layoutSide);
      }).observe(body);
    }
    window.addEventListener('hashchange', fromHash);
    body.addEventListener('mouseover', function (e) {
      var n = mode && noteOf(e.target);
      if (!n) return;
      clearTimeout(leaveTimer);
      activate(n, true);
    });
    body.addEventListener('mouseout', function (e) {
      var n = mode && noteOf(e.target), to = e.relatedTarget;
      if (!n || (to && (n.ref === to || view(n).contains(to)))) return;
      later(n);
    });
    body.addEventListener('focusin', function (e) {
      var n = !quiet && mode && noteOf(e.target);
      if (n) activate(n, true);
    });
    body.addEventListener('focusout', function (e) {
      var n = mode && noteOf(e.target), to = e.relatedTarget;
      if (n && pinned !== n && !(to && (n.ref === to || view(n).contains(to)))) activate(n, false);
    });
    doc.addEventListener('click', function (e) {
      if (!mode) return;
      var a = e.target.closest && e.target.closest('.text-body a.noteref');
      var n = a && noteOf(a);
      if (n) {
        e.preventDefault();
        pin(n);
        view(n).scrollIntoView({ block: 'nearest' });
        return;
      }
      if (pinned && !view(pinned).contains(e.target)) pin(null);
    });
    doc.addEventListener('keydown', function (e) {
      if (e.key !== 'Escape' || !active) return;
      var n = active, inside = view(n).contains(doc.activeElement);
      pin(null);
      activate(n, false);
      if (inside) { quiet = true; n.ref.focus(); quiet = false; }
    });
  }
  init();
})();
