/* Scholion search, the box in the header of every page: results while one
   types, as a list of links (each to the exact paragraph, note or glossary
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
  if (!box) return;
  var root = box.getAttribute('data-root') || '';

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
      var el = hash ? doc.getElementById(hash.slice(1)) : doc.querySelector('.text-header');
      if (!el) return;
      var marks = new Set(saved.marks || []);
      api.markIn(el, marks, saved.phrases);
      if (el.tagName === 'DT' && el.nextElementSibling) api.markIn(el.nextElementSibling, marks, saved.phrases);
      if (saved.same) el.scrollIntoView({ block: 'start' });
    }, function (e) { if (window.console) console.info(e.message); });
  }

  /* ---------- The box */
  var input = doc.getElementById('search-input');
  var panel = doc.getElementById('search-panel');
  var list = doc.getElementById('search-results');
  var count = doc.getElementById('search-count');
  var status = doc.getElementById('search-status');
  if (!input || !panel || !list) { arrive(); return; }
  box.hidden = false;

  var seq = 0, timer = 0, sayTimer = 0, dirty = false, lastRun = Promise.resolve(), state = null, moreButton = null;

  function setOpen(open) {
    panel.hidden = !open;
  }
  /* The count shows at once; the live region speaks once typing pauses. */
  function say(visible, spoken) {
    count.textContent = visible;
    clearTimeout(sayTimer);
    sayTimer = setTimeout(function () { status.textContent = spoken === undefined ? visible : spoken; }, 400);
  }
  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  function resultLink(api, r, k) {
    var rec = r.rec, a = doc.createElement('a');
    a.id = 'search-result-' + k;
    a.className = 'search-result kind-' + rec[0];
    a.href = root + rec[1];
    var where = doc.createElement('span'), title = doc.createElement('span'), label = doc.createElement('span');
    where.className = 'search-where';
    title.className = 'search-title';
    label.className = 'search-label';
    if (api.ownTitle(rec)) api.appendMarked(title, rec[2], api.hits(rec[2], r.marks, state.parsed.phrases).hits);
    else title.textContent = rec[2];
    label.textContent = rec[3];
    where.appendChild(title);
    where.appendChild(doc.createTextNode(' '));
    where.appendChild(label);
    a.appendChild(where);
    if (rec[4]) {
      var snip = doc.createElement('span');
      snip.className = 'search-snippet';
      api.snippet(snip, rec[4], r.marks, state.parsed.phrases);
      a.appendChild(doc.createTextNode(' '));
      a.appendChild(snip);
    }
    return a;
  }

  function render(api, st, from) {
    if (from === 0) list.textContent = '';
    st.results.slice(from).forEach(function (r, k) {
      var li = doc.createElement('li');
      li.appendChild(resultLink(api, r, from + k));
      list.appendChild(li);
    });
    var n = st.total, shown = st.results.length;
    var text = !n ? 'No results' : st.exact ? plural(n, 'result', 'results') : (st.more ? shown + ' or more results' : plural(n, 'result', 'results'));
    if (st.tooShort && !n) text = 'Keep typing…';
    say(text + (n && shown < n && st.exact ? ', ' + shown + ' shown' : ''));
    list.hidden = !shown;
    if (st.more && shown) {
      if (!moreButton) {
        moreButton = doc.createElement('button');
        moreButton.type = 'button';
        moreButton.className = 'search-more';
        moreButton.textContent = 'More results';
        moreButton.addEventListener('click', function () {
          var at = state ? state.results.length : 0;
          showMore().then(function () { focusAt(at); });
        });
      }
      panel.appendChild(moreButton);
    } else if (moreButton && moreButton.parentNode) {
      moreButton.parentNode.removeChild(moreButton);
    }
  }
  function showMore() {
    if (!state || !state.more) return Promise.resolve();
    var my = seq, from = state.results.length;
    return getEngine().then(function (api) {
      return api.more(state).then(function (st) { if (my === seq) { render(api, st, from); publish(); } });
    });
  }
  /* What the results on screen were cut from (for the tests: each
     snippet is a piece of its document's text). */
  function publish() {
    window.ScholionSearch.shown = state.results.map(function (r) { return { href: r.rec[1], text: r.rec[4] }; });
  }
  function fail(e) {
    list.setAttribute('aria-busy', 'false');
    say('Search is not available: its index could not be loaded.');
    setOpen(true);
    if (window.console) console.info(e && e.message ? e.message : e);
  }
  function run() {
    var q = input.value, my = ++seq;
    dirty = false;
    clearTimeout(timer);
    var done = function () { if (my === seq && !dirty) list.setAttribute('aria-busy', 'false'); };
    if (!q.trim()) { state = null; list.textContent = ''; say('', ''); setOpen(false); done(); return (lastRun = Promise.resolve()); }
    return (lastRun = getEngine().then(function (api) {
      var attempt = function () { return api.search(q); };
      return attempt().catch(function (e) {
        return api.reload(e).then(attempt);
      }).then(function (st) {
        if (my !== seq) return;
        done();
        if (st.empty) {
          state = null;
          list.textContent = '';
          list.hidden = true;
          say(st.stopOnly ? 'Words as common as these are not indexed: add another word.' : 'Type a word to search.');
          setOpen(box.contains(doc.activeElement));
          return;
        }
        state = st;
        render(api, st, 0);
        publish();
        setOpen(box.contains(doc.activeElement));
      });
    }).catch(fail));
  }

  /* Following a result: the words to mark go to sessionStorage for the
     page arrived at (or this one, when the address is the same). */
  function remember(a) {
    var r = state && state.results[+a.id.replace('search-result-', '')];
    if (!r) return false;
    var href = r.rec[1];
    var same = a.href === location.href;
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ href: href, marks: Array.from(r.marks), phrases: state.parsed.phrases, same: same }));
    } catch (e) { /* private mode: the page opens without marks */ }
    return same;
  }
  list.addEventListener('click', function (e) {
    var a = e.target.closest('a.search-result');
    if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    var same = remember(a);
    setOpen(false);
    if (same) { e.preventDefault(); arrive(); }
  });

  /* The keyboard: ↓ and ↑ move between the box and the links and buttons
     of the results (real focus: each is what it is, a link or a button);
     Esc comes back to the box and closes the results, a second Esc clears
     it; typing on a result types in the box. */
  function stops() { return Array.prototype.slice.call(panel.querySelectorAll('a[href], button')); }
  function focusAt(i) {
    var s = stops();
    if (i < 0) { input.focus(); return; }
    if (s[Math.min(i, s.length - 1)]) s[Math.min(i, s.length - 1)].focus();
  }
  function firstLink() { return list.querySelector('a.search-result'); }

  input.addEventListener('focus', function () {
    getEngine().then(function (api) { return api.manifest(); }).catch(fail);
    if (input.value.trim() && state) setOpen(true);
  });
  input.addEventListener('input', function () {
    dirty = true;
    list.setAttribute('aria-busy', 'true');
    clearTimeout(timer);
    timer = setTimeout(run, 60);
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
        if (a) a.click();
      });
    } else if (e.key === 'Escape') {
      if (!panel.hidden) { setOpen(false); e.preventDefault(); e.stopPropagation(); }
      else if (input.value) { input.value = ''; run(); e.preventDefault(); }
    }
  });
  panel.addEventListener('keydown', function (e) {
    var s = stops(), i = s.indexOf(doc.activeElement);
    if (i < 0) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (e.key === 'ArrowUp') { focusAt(i - 1); return; }
      if (i < s.length - 1) { focusAt(i + 1); return; }
      if (state && state.more) { var at = state.results.length; showMore().then(function () { focusAt(at); }); }
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      input.focus();
      setOpen(false);
    } else if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey && e.key !== ' ') {
      input.focus();
    }
  });
  box.addEventListener('focusout', function (e) {
    if (!e.relatedTarget || !box.contains(e.relatedTarget)) setOpen(false);
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
  window.ScholionSearch.run = run;
  arrive();
  window.addEventListener('hashchange', arrive);
})();
