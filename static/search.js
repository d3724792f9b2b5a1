/* Scholion search, the box in the header of every page and the results
   page (search.html?q=…, or #q=… from file://): results while one types,
   grouped by text, as links (each to the exact paragraph, note or glossary
   entry, so a middle-click opens it in a new tab and its address can be
   copied), a polite live region that says how many were found, and the
   words marked on the page arrived at. The engine (static/search-engine.js:
   folding, stemming, the index, ranking) is loaded the first time the box
   gets focus, or when a page is reached from a search; nothing is loaded
   before. See docs/search.md. */
(function () {
  'use strict';
  var doc = document;
  var KEY = 'scholion-search';
  var box = doc.getElementById('search');
  var pageForm = doc.getElementById('search-page');
  if (!box && !pageForm) return;
  var root = (pageForm || box).getAttribute('data-root') || '';

  /* ---------- The engine, loaded once */
  var engine = null;
  function getEngine() {
    if (!engine) {
      engine = new Promise(function (resolve, reject) {
        var s = doc.createElement('script');
        s.src = root + 'search-engine.js';
        s.async = true;
        s.onload = function () {
          s.remove();
          var api = window.ScholionSearch;
          if (!api || !api.search) { reject(new Error('search: ' + s.src + ' defined no engine')); return; }
          api.setRoot(root);
          resolve(api);
        };
        s.onerror = function () { s.remove(); engine = null; reject(new Error('search: cannot load ' + s.src)); };
        doc.head.appendChild(s);
      });
    }
    return engine;
  }

  /* ---------- Arriving: the words of the search marked where it led */
  function readSaved() {
    try { return JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch (e) { return null; }
  }
  function arrive() {
    var saved = readSaved();
    if (!saved || !saved.href) return;
    var hash = saved.href.indexOf('#') >= 0 ? saved.href.slice(saved.href.indexOf('#')) : '';
    var path = saved.href.replace(/#.*$/, '');
    var here = decodeURIComponent(location.pathname);
    if (here.slice(-path.length - 1) !== '/' + path || decodeURIComponent(location.hash) !== hash) return;
    try { sessionStorage.removeItem(KEY); } catch (e) { /* none */ }
    getEngine().then(function (api) {
      doc.querySelectorAll('mark.search-hit').forEach(function (m) {
        var p = m.parentNode;
        while (m.firstChild) p.insertBefore(m.firstChild, m);
        p.removeChild(m);
        p.normalize();
      });
      var el = hash ? doc.getElementById(hash.slice(1)) : doc.querySelector('.text-header, .entity-header');
      if (!el) return;
      var marks = new Set(saved.marks || []);
      api.markIn(el, marks, saved.phrases);
      if (el.tagName === 'DT' && el.nextElementSibling) api.markIn(el.nextElementSibling, marks, saved.phrases);
      if (saved.same) el.scrollIntoView({ block: 'start' });
    }, function (e) { if (window.console) console.info(e.message); });
  }

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }
  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /* ---------- Results: grouped by page, narrowed by kind */
  /* A list of results in `list` (with the count, the filter and More
     results in `panel`): the pages in the order of their best result, the
     first `perGroup` results of each, "N more in <title>" for the rest;
     as many pages as make `step` results, More results for the next. */
  function View(panelEl, listEl, opts) {
    this.panel = panelEl;
    this.list = listEl;
    this.opts = opts;
    this.st = null;
    this.seq = 0;
    this.filterBox = null;
    this.moreButton = null;
  }
  View.prototype.show = function (api, st) {
    this.api = api;
    this.st = st;
    this.filter = null;
    this.limit = this.opts.step;
    this.extra = new Map();
    return this.draw(null);
  };
  View.prototype.clear = function () {
    this.st = null;
    this.seq++;
    this.list.textContent = '';
    this.list.hidden = true;
    if (this.filterBox) this.filterBox.hidden = true;
    if (this.fixBox) this.fixBox.hidden = true;
    if (this.moreButton) this.moreButton.hidden = true;
  };
  View.prototype.countText = function () {
    var st = this.st, n = st.matches.length;
    if (!n) return st.tooShort ? 'Keep typing…' : 'No results';
    return st.unsure ? n + ' or more results' : plural(n, 'result', 'results');
  };
  View.prototype.link = function (r) {
    var api = this.api, rec = r.rec, ph = this.st.parsed.phrases;
    var a = el('a', 'search-result kind-' + rec[0]);
    a.id = 'search-result-' + r.doc;
    a.href = root + rec[1];
    var where = el('span', 'search-where'), own = api.ownTitle(rec);
    var title = el('span', own ? 'search-title' : 'search-title search-sr'), label = el('span', 'search-label', rec[3]);
    if (own) api.appendMarked(title, rec[2], api.hits(rec[2], r.marks, ph).hits);
    else title.textContent = rec[2] + ' ';
    where.appendChild(title);
    if (own) where.appendChild(doc.createTextNode(' '));
    where.appendChild(label);
    a.appendChild(where);
    if (rec[4]) {
      var snip = el('span', 'search-snippet');
      api.snippet(snip, rec[4], r.marks, ph);
      a.appendChild(doc.createTextNode(' '));
      a.appendChild(snip);
    }
    return a;
  };
  /* "Showing results for imperialism", and a link to search the word as
     it was typed (in quotes: a phrase is never corrected). */
  View.prototype.drawCorrection = function () {
    var v = this, c = v.st.correction;
    if (!v.fixBox) {
      v.fixBox = el('p', 'search-correction');
      v.list.parentNode.insertBefore(v.fixBox, v.list);
    }
    v.fixBox.textContent = '';
    v.fixBox.hidden = !c;
    if (!c) return;
    v.fixBox.appendChild(doc.createTextNode(c.only ? 'Showing results for ' : 'Including results for '));
    v.fixBox.appendChild(el('strong', '', c.to));
    v.fixBox.appendChild(doc.createTextNode('. '));
    var a = el('a', 'search-exact', 'Search for ' + c.exact + ' only');
    a.href = resultsAddress(c.exact);
    v.fixBox.appendChild(a);
  };
  View.prototype.drawFilter = function (counts) {
    var v = this, names = v.api.groupNames(), present = counts.filter(function (c) { return c > 0; }).length;
    if (!v.filterBox) {
      v.filterBox = el('div', 'search-filter');
      v.filterBox.setAttribute('role', 'group');
      v.filterBox.setAttribute('aria-label', 'Show');
      v.list.parentNode.insertBefore(v.filterBox, v.list);
    }
    var box = v.filterBox, at = doc.activeElement, keep = box.contains(at) ? at.getAttribute('data-group') : null;
    box.textContent = '';
    box.hidden = present < 2;
    if (box.hidden) return;
    var total = counts.reduce(function (a, b) { return a + b; }, 0);
    [['', 'All', total]].concat(names.map(function (n, i) { return [String(i), n, counts[i]]; })).forEach(function (x) {
      if (!x[2]) return;
      var b = el('button', 'search-kind');
      b.type = 'button';
      b.setAttribute('data-group', x[0]);
      b.setAttribute('aria-pressed', String(x[0] === (v.filter === null ? '' : String(v.filter))));
      b.appendChild(doc.createTextNode(x[1] + ' '));
      b.appendChild(el('span', 'search-kind-count', String(x[2])));
      b.addEventListener('click', function () {
        v.filter = x[0] === '' ? null : +x[0];
        v.limit = v.opts.step;
        v.extra = new Map();
        v.draw(null);
      });
      box.appendChild(b);
      if (keep === x[0]) b.focus();
    });
  };
  View.prototype.draw = function (focusDoc) {
    var v = this, api = v.api, st = v.st, my = ++v.seq;
    var g = api.groups(st, v.filter), plan = [], used = 0, i;
    for (i = 0; i < g.groups.length && used < v.limit; i++) {
      var grp = g.groups[i], n = Math.min(grp.hits.length, v.extra.get(grp.page) || v.opts.perGroup);
      plan.push({ group: grp, shown: grp.hits.slice(0, n) });
      used += n;
    }
    var more = i < g.groups.length || (st.unsure && !v.filter);
    var hits = [];
    plan.forEach(function (p) { hits = hits.concat(p.shown); });
    return api.records(st, hits).then(function (recs) {
      if (my !== v.seq) return;
      var byDoc = new Map(recs.map(function (r) { return [r.doc, r]; }));
      /* Replacing the results may remove the element with the focus: that
         is no reason to close them (see focusout). */
      var had = v.panel.contains(doc.activeElement);
      v.redrawing = true;
      v.drawCorrection();
      v.drawFilter(g.counts);
      v.list.textContent = '';
      plan.forEach(function (p, k) {
        var li = el('li', 'search-group'), first = byDoc.get(p.shown[0].doc);
        var name = api.pageTitle(first.rec), head = el('p', 'search-group-title', name), ul = el('ul', 'search-hits');
        head.id = 'search-group-' + k + '-' + my;
        ul.setAttribute('aria-labelledby', head.id);
        li.appendChild(head);
        p.shown.forEach(function (h) {
          var item = el('li');
          item.appendChild(v.link(byDoc.get(h.doc)));
          ul.appendChild(item);
        });
        li.appendChild(ul);
        var rest = p.group.hits.length - p.shown.length;
        if (rest > 0) {
          var b = el('button', 'search-group-more', rest + ' more in ' + name);
          b.type = 'button';
          b.addEventListener('click', function () {
            v.extra.set(p.group.page, p.shown.length + v.opts.step);
            v.draw(p.group.hits[p.shown.length].doc);
          });
          li.appendChild(b);
        }
        v.list.appendChild(li);
      });
      v.list.hidden = !plan.length;
      if (!v.moreButton) {
        v.moreButton = el('button', 'search-more', 'More results');
        v.moreButton.type = 'button';
        v.moreButton.addEventListener('click', function () { v.showMore(); });
        v.panel.appendChild(v.moreButton);
      }
      v.moreButton.hidden = !more || !plan.length;
      if (focusDoc !== null) {
        var a = doc.getElementById('search-result-' + focusDoc);
        if (a) a.focus();
      }
      if (had && !v.panel.contains(doc.activeElement)) {
        var first = v.list.querySelector('a.search-result');
        if (first) first.focus();
      }
      v.redrawing = false;
      v.shown = hits;
      if (v.opts.drawn) v.opts.drawn(v);
      window.ScholionSearch.shown = hits.map(function (h) { var r = byDoc.get(h.doc); return { href: r.rec[1], text: r.rec[4] }; });
    });
  };
  /* More results: the next pages (and, with a phrase, more checked). */
  View.prototype.showMore = function () {
    var v = this, st = v.st, before = (v.shown || []).map(function (h) { return h.doc; });
    if (!st) return Promise.resolve();
    v.limit += v.opts.step;
    var checked = st.unsure ? v.api.verify(st, st.matches.length + v.opts.step) : Promise.resolve();
    return checked.then(function () {
      return v.draw(null);
    }).then(function () {
      var next = (v.shown || []).filter(function (h) { return before.indexOf(h.doc) < 0; })[0];
      if (next) doc.getElementById('search-result-' + next.doc).focus();
      if (v.opts.drawn) v.opts.drawn(v);
    });
  };
  /* The result a link stands for. */
  View.prototype.resultOf = function (a) {
    return this.st && this.st.recs.get(+a.id.replace('search-result-', ''));
  };

  /* ---------- A box and its results */
  /* Wires `o.input` to a View of `o.list` (in `o.panel`), with the count
     in `o.count` and the live region `o.status`. `o.popup`: the results
     hang below the box and close when the focus leaves `o.within`. */
  function Searcher(o) {
    var input = o.input, panel = o.panel, list = o.list;
    var seq = 0, timer = 0, pause = 0, sayTimer = 0, dirty = false, lastRun = Promise.resolve();
    var view = new View(panel, list, { perGroup: o.perGroup, step: o.step, drawn: function (v) { say(v.countText()); } });
    function setOpen(open) { if (o.popup) panel.hidden = !open; }
    /* The count shows at once; the live region speaks once typing pauses. */
    function say(visible, spoken) {
      o.count.textContent = visible;
      clearTimeout(sayTimer);
      sayTimer = setTimeout(function () { o.status.textContent = spoken === undefined ? visible : spoken; }, 400);
    }
    function fail(e) {
      list.setAttribute('aria-busy', 'false');
      say('Search is not available: its index could not be loaded.');
      setOpen(true);
      if (window.console) console.info(e && e.message ? e.message : e);
    }
    function focused() { return o.within.contains(doc.activeElement) || !o.popup; }
    /* A run while keys come (`typing`) counts the results, from the shards
       the word being typed needs; the list is made, and its fragments
       loaded, once typing pauses. */
    function run(typing) {
      var q = input.value, my = ++seq;
      typing = typing === true;
      if (!typing) { dirty = false; clearTimeout(pause); }
      clearTimeout(timer);
      if (o.changed) o.changed(q);
      var done = function () { if (my === seq && !dirty) list.setAttribute('aria-busy', 'false'); };
      if (!q.trim()) { view.clear(); say('', ''); setOpen(false); done(); return (lastRun = Promise.resolve()); }
      return (lastRun = getEngine().then(function (api) {
        var attempt = function () { return api.search(q, { typing: typing }); };
        return attempt().catch(function (e) {
          return api.reload(e).then(attempt);
        }).then(function (st) {
          if (my !== seq) return;
          if (st.empty) {
            view.clear();
            say(st.stopOnly ? 'Words as common as these are not indexed: add another word.' : 'Type a word to search.');
            done();
            setOpen(focused());
            return;
          }
          if (typing) { say(st.matches.length ? plural(st.matches.length, 'result', 'results') + '…' : 'Searching…', ''); return; }
          return view.show(api, st).then(function () {
            if (my !== seq) return;
            done();
            setOpen(focused());
          });
        });
      }).catch(fail));
    }

    /* Following a result: the words to mark go to sessionStorage for the
       page arrived at (or this one, when the address is the same). */
    panel.addEventListener('click', function (e) {
      var a = e.target.closest('a.search-result');
      if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      var r = view.resultOf(a), same = a.href === location.href;
      if (r) {
        try {
          sessionStorage.setItem(KEY, JSON.stringify({ href: r.rec[1], marks: Array.from(r.marks), phrases: view.st.parsed.phrases, same: same }));
        } catch (err) { /* private mode: the page opens without marks */ }
      }
      setOpen(false);
      if (same) { e.preventDefault(); arrive(); }
    });

    /* The keyboard: ↓ and ↑ move between the box and the links and buttons
       of the results (real focus: each is what it is, a link or a button);
       Esc comes back to the box (and closes the results), a second Esc
       clears it; typing on a result types in the box. */
    function stops() {
      return Array.prototype.slice.call(panel.querySelectorAll('.search-exact, .search-results a[href], .search-results button, .search-more, .search-all'))
        .filter(function (e) { return !e.hidden && !e.closest('[hidden]'); });
    }
    function focusAt(i) {
      var s = stops();
      if (i < 0) { input.focus(); return; }
      if (s[Math.min(i, s.length - 1)]) s[Math.min(i, s.length - 1)].focus();
    }
    function firstLink() { return list.querySelector('a.search-result'); }

    input.addEventListener('focus', function () {
      getEngine().then(function (api) { return api.manifest(); }).catch(fail);
      if (input.value.trim() && view.st) setOpen(true);
    });
    /* A key typed (one character more or less) waits for the pause; a
       paste, a deletion of more, a choice from the browser's list of past
       entries is the query itself, searched at once. */
    var lastLength = 0;
    input.addEventListener('input', function (e) {
      var jump = Math.abs(input.value.length - lastLength) > 1 || !/^(insertText|deleteContent)/.test(e.inputType || '');
      lastLength = input.value.length;
      dirty = true;
      list.setAttribute('aria-busy', 'true');
      clearTimeout(timer);
      clearTimeout(pause);
      if (jump) { timer = setTimeout(run, 60); return; }
      timer = setTimeout(function () { run(true); }, 60);
      pause = setTimeout(run, 180);
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown') {
        if (!firstLink()) return;
        e.preventDefault();
        if (panel.hidden) { setOpen(true); return; }
        focusAt(0);
      } else if (e.key === 'Enter') {
        e.preventDefault();
        /* Enter right after typing waits for the results of what was typed. */
        (dirty ? run() : lastRun).then(function () {
          var a = firstLink();
          if (a && o.popup) a.click();
        });
      } else if (e.key === 'Escape') {
        if (o.popup && !panel.hidden) { setOpen(false); e.preventDefault(); e.stopPropagation(); }
        else if (input.value) { input.value = ''; run(); e.preventDefault(); }
      }
    });
    panel.addEventListener('keydown', function (e) {
      var s = stops(), i = s.indexOf(doc.activeElement);
      if (i < 0) return;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        if (e.key === 'ArrowUp') { focusAt(i - 1); return; }
        if (i < s.length - 1) focusAt(i + 1);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        input.focus();
        setOpen(false);
      } else if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey && e.key !== ' ') {
        input.focus();
      }
    });
    if (o.popup) {
      o.within.addEventListener('focusout', function (e) {
        if (view.redrawing) return;
        if (!e.relatedTarget || !o.within.contains(e.relatedTarget)) setOpen(false);
      });
    }
    return { run: run, view: view };
  }

  /* The address of the full results of `q`: search.html?q=…, or #q=… from
     file://, where a query string may not survive. */
  var FILE = location.protocol === 'file:';
  function resultsAddress(q) {
    return root + 'search.html' + (q ? (FILE ? '#q=' : '?q=') + encodeURIComponent(q).replace(/%20/g, '+') : '');
  }
  function queryOfAddress() {
    var m = /[?&#]q=([^&#]*)/.exec(location.search) || /[#&]q=([^&]*)/.exec(location.hash);
    if (!m) return '';
    try { return decodeURIComponent(m[1].replace(/\+/g, ' ')); } catch (e) { return ''; }
  }

  /* ---------- The results page */
  if (pageForm) {
    var pageInput = doc.getElementById('search-page-input');
    var pagePanel = doc.getElementById('search-page-panel');
    var pageList = doc.getElementById('search-page-results');
    if (pageInput && pagePanel && pageList) {
      pageForm.hidden = false;
      if (box) box.hidden = true;
      var page = Searcher({
        input: pageInput, panel: pagePanel, list: pageList, within: pagePanel,
        count: doc.getElementById('search-page-count'), status: doc.getElementById('search-page-status'),
        perGroup: 5, step: 50, popup: false,
        /* The query in the address as one types: shareable, and kept on
           reload and Back. */
        changed: function (q) {
          var want = resultsAddress(q).slice(root.length);
          var now = location.pathname.replace(/.*\//, '') + (FILE ? location.hash : location.search);
          if (now !== want) history.replaceState(null, '', want);
        }
      });
      pageForm.addEventListener('submit', function (e) { e.preventDefault(); page.run(); });
      pageInput.value = queryOfAddress();
      window.ScholionSearch = window.ScholionSearch || {};
      window.ScholionSearch.run = page.run;
      if (pageInput.value) page.run();
      pageInput.focus();
      window.addEventListener('hashchange', function () {
        var q = queryOfAddress();
        if (q !== pageInput.value) { pageInput.value = q; page.run(); }
      });
    }
  }

  /* ---------- The box in the header */
  var input = doc.getElementById('search-input');
  var panel = doc.getElementById('search-panel');
  var list = doc.getElementById('search-results');
  if (!box || pageForm || !input || !panel || !list) { arrive(); return; }
  box.hidden = false;
  var all = doc.createElement('a');
  all.className = 'search-all';
  all.textContent = 'All results on a page of their own';
  all.hidden = true;
  panel.appendChild(all);
  var header = Searcher({
    input: input, panel: panel, list: list, within: box,
    count: doc.getElementById('search-count'), status: doc.getElementById('search-status'),
    perGroup: 3, step: 10, popup: true,
    changed: function (q) {
      all.href = resultsAddress(q.trim());
      all.hidden = !q.trim();
    }
  });
  doc.addEventListener('keydown', function (e) {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (doc.querySelector('dialog[open]')) return;
    e.preventDefault();
    input.focus();
    input.select();
  });
  /* The header's tools (theme, shortcuts: scholion.js adds them to the
     navigation when the page is ready) join the box, so the two stay
     together on one line when the header wraps. */
  function gatherTools() {
    var tools = doc.querySelector('.site-nav > .tools'), actions = box.parentNode;
    if (tools && actions.classList.contains('site-actions')) actions.appendChild(tools);
  }
  /* This deferred script runs before DOMContentLoaded, when scholion.js
     adds the tools: gathered then (and now, if they are there already). */
  gatherTools();
  if (doc.readyState !== 'complete') doc.addEventListener('DOMContentLoaded', gatherTools);
  window.ScholionSearch = window.ScholionSearch || {};
  window.ScholionSearch.run = header.run;
  arrive();
  window.addEventListener('hashchange', arrive);
})();
