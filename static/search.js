/* Scholion search: the box in the header of every page. The index is a set
   of classic scripts under search/ (written by `scholion build`, see
   src/search/mod.rs and docs/search.md) that call ScholionSearch.add();
   they are loaded by inserting <script> elements, which works on any static
   host, under a sub-path and from file:// (where fetch and modules fail).
   The manifest is loaded when the box gets focus, a term shard when a word
   of the query needs it, a fragment (the text of 16 documents) when one of
   them is shown. No other requests; nothing runs until the box is used.

   Words are folded (case, accents) and stemmed exactly as the index folded
   and stemmed the texts: fold() and stem() below are ports of
   src/search/words.rs and src/search/stem.rs; keep them in step. */
(function () {
  'use strict';
  var doc = document;
  var PAGE = 10;          /* results shown at a time */
  var MAX_SHARDS = 6;     /* a prefix spread over more shards waits for more letters */
  var MAX_EXPAND = 60;    /* stems a prefix may stand for */
  var MAX_VERIFY = 400;   /* documents read to check a quoted phrase */
  var KEY = 'scholion-search';

  /* ---------- Words: folding and stemming (as in src/search/) */
  var WORD = /[\p{Alphabetic}\p{N}\p{M}]+/gu;
  var MARKS = /\p{M}/gu, NOT_ALNUM = /[^\p{Alphabetic}\p{N}]/gu, SPELL_RE = /[ßæœøđðłıþς]/g;
  var SPELL = { 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'ø': 'o', 'đ': 'd', 'ð': 'd', 'ł': 'l', 'ı': 'i', 'þ': 'th', 'ς': 'σ' };

  function fold(w) {
    return w.toLowerCase().normalize('NFKD').replace(MARKS, '')
      .replace(SPELL_RE, function (c) { return SPELL[c]; }).replace(NOT_ALNUM, '');
  }
  /* The words of a text: {start, end, form} with UTF-16 offsets. */
  function tokens(text) {
    var out = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      var f = fold(m[0]);
      if (f) out.push({ start: m.index, end: m.index + m[0].length, form: f });
    }
    return out;
  }

  /* Porter's suffix stripper (1980), as src/search/stem.rs. */
  function isCons(w, i) {
    var c = w[i];
    if (c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u') return false;
    if (c === 'y') return i === 0 || !isCons(w, i - 1);
    return true;
  }
  function measure(w) {
    var n = w.length, i = 0, m = 0;
    while (i < n && isCons(w, i)) i++;
    for (;;) {
      while (i < n && !isCons(w, i)) i++;
      if (i >= n) return m;
      while (i < n && isCons(w, i)) i++;
      m++;
      if (i >= n) return m;
    }
  }
  function hasVowel(w) {
    for (var i = 0; i < w.length; i++) if (!isCons(w, i)) return true;
    return false;
  }
  function endsDouble(w) {
    var n = w.length;
    return n >= 2 && w[n - 1] === w[n - 2] && isCons(w, n - 1);
  }
  function endsCvc(w) {
    var n = w.length;
    return n >= 3 && isCons(w, n - 3) && !isCons(w, n - 2) && isCons(w, n - 1) && 'wxy'.indexOf(w[n - 1]) < 0;
  }
  function ends(w, s) { return w.length >= s.length && w.slice(w.length - s.length) === s; }
  function rules(w, list, min) {
    for (var i = 0; i < list.length; i += 2) {
      if (ends(w, list[i])) {
        var stem = w.slice(0, w.length - list[i].length);
        return measure(stem) > min ? stem + list[i + 1] : w;
      }
    }
    return w;
  }
  var STEP2 = ['ational', 'ate', 'ization', 'ize', 'iveness', 'ive', 'fulness', 'ful', 'ousness', 'ous',
    'tional', 'tion', 'biliti', 'ble', 'entli', 'ent', 'ousli', 'ous', 'ation', 'ate', 'alism', 'al',
    'aliti', 'al', 'iviti', 'ive', 'enci', 'ence', 'anci', 'ance', 'izer', 'ize', 'abli', 'able',
    'alli', 'al', 'ator', 'ate', 'eli', 'e'];
  var STEP3 = ['icate', 'ic', 'ative', '', 'alize', 'al', 'iciti', 'ic', 'ical', 'ic', 'ness', '', 'ful', ''];
  var STEP4 = ['ement', 'ance', 'ence', 'able', 'ible', 'ment', 'ant', 'ent', 'ion', 'ism', 'ate',
    'iti', 'ous', 'ive', 'ize', 'al', 'er', 'ic', 'ou'];

  function stem(word) {
    if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word;
    var w = word, s, i;
    /* 1a */
    if (ends(w, 'sses') || ends(w, 'ies')) w = w.slice(0, -2);
    else if (ends(w, 's') && !ends(w, 'ss')) w = w.slice(0, -1);
    /* 1b */
    if (ends(w, 'eed')) {
      if (measure(w.slice(0, -3)) > 0) w = w.slice(0, -1);
    } else {
      var cut = ends(w, 'ed') ? 2 : ends(w, 'ing') ? 3 : 0;
      if (cut && hasVowel(w.slice(0, -cut))) {
        w = w.slice(0, -cut);
        if (ends(w, 'at') || ends(w, 'bl') || ends(w, 'iz')) w += 'e';
        else if (endsDouble(w) && 'lsz'.indexOf(w[w.length - 1]) < 0) w = w.slice(0, -1);
        else if (measure(w) === 1 && endsCvc(w)) w += 'e';
      }
    }
    /* 1c */
    if (ends(w, 'y') && hasVowel(w.slice(0, -1))) w = w.slice(0, -1) + 'i';
    w = rules(w, STEP2, 0);
    w = rules(w, STEP3, 0);
    /* 4 */
    for (i = 0; i < STEP4.length; i++) {
      if (ends(w, STEP4[i])) {
        s = w.slice(0, w.length - STEP4[i].length);
        if (measure(s) > 1 && (STEP4[i] !== 'ion' || ends(s, 's') || ends(s, 't'))) w = s;
        break;
      }
    }
    /* 5 */
    if (ends(w, 'e')) {
      s = w.slice(0, -1);
      var m = measure(s);
      if (m > 1 || (m === 1 && !endsCvc(s))) w = s;
    }
    if (ends(w, 'll') && measure(w) > 1) w = w.slice(0, -1);
    return w;
  }

  /* ---------- Loading the index: scripts that call ScholionSearch.add */
  var loaded = {}, pending = {};
  var api = window.ScholionSearch = {
    add: function (name, data) { loaded[name] = data; },
    fold: fold,
    stem: stem,
    tokens: tokens,
    run: null
  };
  function load(name, src) {
    if (!pending[name]) {
      pending[name] = new Promise(function (resolve, reject) {
        var s = doc.createElement('script');
        s.src = src;
        s.async = true;
        s.onload = function () {
          s.remove();
          if (loaded[name] !== undefined) resolve(loaded[name]);
          else reject(new Error('search: ' + src + ' did not define ' + name));
        };
        s.onerror = function () {
          s.remove();
          delete pending[name];
          reject(new Error('search: cannot load ' + src));
        };
        doc.head.appendChild(s);
      });
    }
    return pending[name];
  }

  var box = doc.getElementById('search');
  var root = box ? box.getAttribute('data-root') || '' : '';
  var manifest = null;

  function getManifest(fresh) {
    /* A fresh copy skips the browser's cache (see reloadIndex). */
    var src = root + 'search/manifest.js' + (fresh ? '?v=' + Date.now() : '');
    return load('manifest', src).then(function (m) {
      if (m.format !== 1) throw new Error('search: unknown index format ' + m.format);
      manifest = m;
      manifest.stopSet = new Set(m.stop);
      return m;
    });
  }
  function shardIndex(key) {
    var s = manifest.shards, lo = 0, hi = s.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (s[mid] <= key) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  /* A term shard: records "<stem> <postings>[ <forms>]" separated by ";",
     each stem front-coded against the one before (a base-36 digit for the
     shared length, then the rest). Parsed once into [stem, postings, forms]. */
  var shards = {};
  function getShard(i) {
    return load('t' + i, root + 'search/' + manifest.version + '/t' + i + '.js').then(function (data) {
      if (!shards[i]) {
        var prev = '';
        shards[i] = data.split(';').map(function (r) {
          var f = r.split(' '), st = prev.slice(0, parseInt(f[0][0], 36)) + f[0].slice(1);
          prev = st;
          return f.length > 2 ? [st, f[1], f[2]] : [st, f[1]];
        });
      }
      return shards[i];
    });
  }
  function getFragment(i) {
    return load('f' + i, root + 'search/' + manifest.version + '/f' + i + '.js');
  }
  /* A stem's entry in a loaded shard: binary search by stem. */
  function find(shard, key) {
    var lo = 0, hi = shard.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1, k = shard[mid][0];
      if (k === key) return shard[mid];
      if (k < key) lo = mid + 1; else hi = mid - 1;
    }
    return null;
  }
  function lowerBound(shard, key) {
    var lo = 0, hi = shard.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (shard[mid][0] < key) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  var DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var DIGIT = {};
  for (var d = 0; d < 64; d++) DIGIT[DIGITS[d]] = d;
  /* Postings of an entry: [doc, score, doc, score, …], decoded once. */
  function postings(e) {
    if (e.p) return e.p;
    var s = e[1], out = [], v = 0, shift = 0, n = 0, doc = -1;
    for (var i = 0; i < s.length; i++) {
      var x = DIGIT[s[i]];
      v += (x & 31) * Math.pow(2, shift);
      if (x & 32) { shift += 5; continue; }
      if (n % 2 === 0) { doc = doc < 0 && n === 0 ? v : doc + 1 + v; out.push(doc); } else out.push(v);
      n++;
      v = 0;
      shift = 0;
    }
    e.p = out;
    return out;
  }
  /* The folded words indexed under an entry's stem. */
  function forms(e) {
    if (e.f) return e.f;
    var st = e[0];
    e.f = e.length < 3 ? [st] : e[2].split(',').map(function (c) {
      return c[0] === '~' ? c.slice(1) : st.slice(0, st.length - parseInt(c[0], 36)) + c.slice(1);
    });
    return e.f;
  }

  /* ---------- Queries */
  /* "a b" → words; text in quotes → phrases. The last word, while it is
     being typed (no space after it), also matches as a prefix. */
  function parse(q) {
    var parts = q.split(/["“”„«»]/), words = [], phrases = [];
    parts.forEach(function (part, i) {
      var t = tokens(part);
      if (i % 2 === 1) {
        if (t.length) phrases.push(t.map(function (x) { return x.form; }));
        t.forEach(function (x) { words.push({ form: x.form, phrase: true }); });
      } else {
        t.forEach(function (x) { words.push({ form: x.form, phrase: false }); });
      }
    });
    var last = words[words.length - 1];
    if (last && !last.phrase && /[\p{Alphabetic}\p{N}\p{M}]$/u.test(q) && last.form.length >= 2) last.prefix = true;
    var terms = words.filter(function (w) { return !manifest.stopSet.has(w.form); });
    if (!terms.length && last && last.prefix) terms = [last];
    terms.forEach(function (w) { w.stem = stem(w.form); });
    return { terms: terms, phrases: phrases, words: words };
  }

  /* Which stems a term stands for: [{entry, weight}], loading shards. */
  function expand(term) {
    var need = [shardIndex(term.stem)], from = 0, to = -1;
    if (term.prefix) {
      from = shardIndex(term.form);
      to = shardIndex(term.form + '\uffff');
      if (to - from < MAX_SHARDS) for (var i = from; i <= to; i++) need.push(i);
      else term.tooShort = true;
    }
    return Promise.all(need.map(getShard)).then(function () {
      var found = [], seen = new Set();
      function use(e, weight) {
        if (!e || seen.has(e[0])) return;
        seen.add(e[0]);
        found.push({ entry: e, weight: weight });
      }
      use(find(shards[shardIndex(term.stem)], term.stem), 1);
      if (!term.prefix || term.tooShort) return found;
      var more = [];
      for (var s = from; s <= to; s++) {
        var shard = shards[s];
        for (var j = lowerBound(shard, term.form); j < shard.length && shard[j][0].lastIndexOf(term.form, 0) === 0; j++) more.push(shard[j]);
      }
      /* The most frequent first, when a short prefix stands for many. */
      more.sort(function (a, b) { return b[1].length - a[1].length; });
      more.slice(0, MAX_EXPAND).forEach(function (e) { use(e, e[0] === term.form ? 1 : 0.7); });
      var covers = found.some(function (x) { return forms(x.entry).some(function (f) { return f.lastIndexOf(term.form, 0) === 0; }); });
      if (covers) return found;
      /* "happine" is no stem's prefix, but "happiness" is a form of "happi":
         try the stems the typed word starts with. */
      var keys = [];
      for (var k = term.form.length - 1; k >= Math.max(2, term.form.length - 7); k--) keys.push(term.form.slice(0, k));
      return Promise.all(keys.map(function (key) { return getShard(shardIndex(key)); })).then(function () {
        keys.forEach(function (key) {
          var e = find(shards[shardIndex(key)], key);
          if (e && forms(e).some(function (f) { return f.lastIndexOf(term.form, 0) === 0; })) use(e, 0.9);
        });
        return found;
      });
    });
  }

  /* Ranked documents: [{doc, score}], with every term matched. */
  function rank(terms, expansions) {
    var n = manifest.docs, total = null;
    terms.forEach(function (t, ti) {
      var scores = new Map();
      expansions[ti].forEach(function (x) {
        var p = postings(x.entry), df = p.length / 2;
        var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        for (var i = 0; i < p.length; i += 2) {
          var s = x.weight * idf * p[i + 1];
          if (!(scores.get(p[i]) >= s)) scores.set(p[i], s);
        }
      });
      if (!total) { total = scores; return; }
      var next = new Map();
      total.forEach(function (s, d) { var o = scores.get(d); if (o !== undefined) next.set(d, s + o); });
      total = next;
    });
    var out = [];
    if (total) total.forEach(function (s, d) { out.push({ doc: d, score: s }); });
    out.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return out;
  }

  /* A document's record: [kind, href, title, label, text]. */
  function record(d) {
    var f = loaded['f' + Math.floor(d / manifest.per)];
    return f ? f[d % manifest.per] : null;
  }
  function fetchRecords(docs) {
    var files = new Set(docs.map(function (d) { return Math.floor(d / manifest.per); }));
    return Promise.all(Array.from(files).map(getFragment));
  }
  /* A glossary entry's or a text's title is its own; a paragraph's is not. */
  function ownTitle(rec) { return rec[0] === 'g' || rec[0] === 't'; }
  function hasPhrases(rec, phrases) {
    var words = tokens((ownTitle(rec) ? rec[2] + ' \n ' : '') + rec[4]).map(function (t) { return t.form; });
    return phrases.every(function (ph) {
      outer: for (var i = 0; i + ph.length <= words.length; i++) {
        for (var j = 0; j < ph.length; j++) if (words[i + j] !== ph[j]) continue outer;
        return true;
      }
      return false;
    });
  }

  /* The site was published again while the page was open: the index files
     the page knows of are gone. Forgets everything loaded and reads the
     manifest afresh; fails with the first error when the index is the same. */
  function reloadIndex(error) {
    if (!manifest) return Promise.reject(error);
    var before = manifest.version;
    loaded = {};
    pending = {};
    shards = {};
    manifest = null;
    return getManifest(true).then(function (m) {
      if (m.version === before) throw error;
    });
  }

  /* Runs a query: {results: [{doc, rec}], total, more, marks} */
  function search(q) {
    return getManifest().then(function () {
      var parsed = parse(q);
      if (!parsed.terms.length) {
        return { empty: true, stopOnly: parsed.words.length > 0, results: [], total: 0 };
      }
      return Promise.all(parsed.terms.map(expand)).then(function (expansions) {
        var ranked = rank(parsed.terms, expansions);
        var marks = new Set();
        expansions.forEach(function (ex) { ex.forEach(function (x) { forms(x.entry).forEach(function (f) { marks.add(f); }); }); });
        var tooShort = parsed.terms.some(function (t) { return t.tooShort; });
        var state = { parsed: parsed, ranked: ranked, marks: marks, tooShort: tooShort, results: [], next: 0, exact: !parsed.phrases.length };
        return more(state);
      });
    });
  }
  /* The next page of results (verifying phrases as it goes). */
  function more(state) {
    var want = state.results.length + PAGE;
    function step() {
      if (state.results.length >= want || state.next >= state.ranked.length) return finish();
      if (!state.exact && state.next >= MAX_VERIFY) return finish();
      var batch = state.ranked.slice(state.next, state.next + (state.exact ? want - state.results.length : PAGE));
      state.next += batch.length;
      return fetchRecords(batch.map(function (r) { return r.doc; })).then(function () {
        batch.forEach(function (r) {
          var rec = record(r.doc);
          if (rec && (state.exact || hasPhrases(rec, state.parsed.phrases))) state.results.push({ doc: r.doc, rec: rec });
        });
        return step();
      });
    }
    function finish() {
      state.total = state.exact ? state.ranked.length : state.results.length;
      state.more = state.exact ? state.results.length < state.ranked.length : state.next < state.ranked.length;
      return state;
    }
    return step();
  }

  /* ---------- Marking words: in snippets and on the page arrived at */
  /* Ranges [start, end) of `text` to mark: words of the query, phrases. */
  function hits(text, marks, phrases) {
    var t = tokens(text), on = new Array(t.length), i, j, out = [];
    for (i = 0; i < t.length; i++) on[i] = marks.has(t[i].form);
    (phrases || []).forEach(function (ph) {
      outer: for (i = 0; i + ph.length <= t.length; i++) {
        for (j = 0; j < ph.length; j++) if (t[i + j].form !== ph[j]) continue outer;
        for (j = 0; j < ph.length; j++) on[i + j] = true;
      }
    });
    for (i = 0; i < t.length; i++) if (on[i]) out.push(t[i]);
    return { words: t, hits: out };
  }
  function appendMarked(into, text, ranges) {
    var at = 0;
    ranges.forEach(function (r) {
      if (r.start < at) return;
      into.appendChild(doc.createTextNode(text.slice(at, r.start)));
      var m = doc.createElement('mark');
      m.textContent = text.slice(r.start, r.end);
      into.appendChild(m);
      at = r.end;
    });
    into.appendChild(doc.createTextNode(text.slice(at)));
  }
  /* About 30 words around the first place with most of the query's words. */
  function snippet(into, text, marks, phrases) {
    var h = hits(text, marks, phrases), w = h.words, SPAN = 30;
    if (!w.length) return;
    var best = 0, bestCount = -1;
    h.hits.forEach(function (x) {
      var i = w.indexOf(x), seen = new Set();
      h.hits.forEach(function (y) { var k = w.indexOf(y); if (k >= i && k < i + SPAN) seen.add(y.form); });
      if (seen.size > bestCount) { bestCount = seen.size; best = i; }
    });
    var from = Math.max(0, best - 8), to = Math.min(w.length, from + SPAN);
    from = Math.max(0, Math.min(from, to - SPAN));
    var start = from === 0 ? 0 : w[from].start, end = to === w.length ? text.length : w[to - 1].end;
    var part = text.slice(start, end);
    var ranges = h.hits.filter(function (x) { return x.start >= start && x.end <= end; })
      .map(function (x) { return { start: x.start - start, end: x.end - start }; });
    if (start > 0) into.appendChild(doc.createTextNode('… '));
    appendMarked(into, part, ranges);
    if (end < text.length) into.appendChild(doc.createTextNode(' …'));
  }

  /* Marks the query's words inside the element the address points at. */
  var SKIP = '.pnum, .noteref-wrap, .referenced-from, .sidenote, .popover, .backlinks, script, style, template';
  function markIn(el, marks, phrases) {
    var walker = doc.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) { return n.parentElement && n.parentElement.closest(SKIP) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT; }
    });
    var nodes = [], n, text = '', starts = [];
    while ((n = walker.nextNode())) { starts.push(text.length); nodes.push(n); text += n.data; }
    var found = hits(text, marks, phrases).hits, count = 0;
    for (var k = nodes.length - 1; k >= 0; k--) {
      var node = nodes[k], s0 = starts[k], s1 = s0 + node.data.length;
      var inNode = found.filter(function (x) { return x.start >= s0 && x.end <= s1; });
      for (var i = inNode.length - 1; i >= 0; i--) {
        var r = doc.createRange();
        r.setStart(node, inNode[i].start - s0);
        r.setEnd(node, inNode[i].end - s0);
        var m = doc.createElement('mark');
        m.className = 'search-hit';
        r.surroundContents(m);
        count++;
      }
    }
    return count;
  }
  function arrive() {
    var saved;
    try { saved = JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch (e) { saved = null; }
    if (!saved || !saved.href) return;
    var hash = saved.href.indexOf('#') >= 0 ? saved.href.slice(saved.href.indexOf('#')) : '';
    var path = saved.href.replace(/#.*$/, '');
    var here = decodeURIComponent(location.pathname);
    if (here.slice(-path.length - 1) !== '/' + path || decodeURIComponent(location.hash) !== hash) return;
    try { sessionStorage.removeItem(KEY); } catch (e) { /* none */ }
    doc.querySelectorAll('mark.search-hit').forEach(function (m) {
      var p = m.parentNode;
      while (m.firstChild) p.insertBefore(m.firstChild, m);
      p.removeChild(m);
      p.normalize();
    });
    var el = hash ? doc.getElementById(hash.slice(1)) : doc.querySelector('.text-header');
    if (!el) return;
    var marks = new Set(saved.marks || []);
    markIn(el, marks, saved.phrases);
    if (el.tagName === 'DT' && el.nextElementSibling) markIn(el.nextElementSibling, marks, saved.phrases);
    if (saved.same) el.scrollIntoView({ block: 'start' });
  }

  /* ---------- The box */
  if (!box) return;
  var input = doc.getElementById('search-input');
  var panel = doc.getElementById('search-panel');
  var list = doc.getElementById('search-results');
  var count = doc.getElementById('search-count');
  var status = doc.getElementById('search-status');
  if (!input || !panel || !list) return;
  box.hidden = false;

  var seq = 0, timer = 0, sayTimer = 0, dirty = false, lastRun = Promise.resolve(), state = null, active = -1, moreButton = null;

  function setOpen(open) {
    panel.hidden = !open;
    input.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (!open) setActive(-1);
  }
  function setActive(i) {
    var opts = list.querySelectorAll('[role="option"]');
    if (active >= 0 && opts[active]) opts[active].setAttribute('aria-selected', 'false');
    active = i;
    if (i >= 0 && opts[i]) {
      opts[i].setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', opts[i].id);
      opts[i].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }
  /* The count shows at once; the live region speaks once typing pauses. */
  function say(visible, spoken) {
    count.textContent = visible;
    clearTimeout(sayTimer);
    sayTimer = setTimeout(function () { status.textContent = spoken === undefined ? visible : spoken; }, 400);
  }
  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  function render(st, from) {
    if (from === 0) { list.textContent = ''; setActive(-1); }
    st.results.slice(from).forEach(function (r, k) {
      var rec = r.rec, li = doc.createElement('li');
      li.id = 'search-option-' + (from + k);
      li.className = 'search-result kind-' + rec[0];
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.setAttribute('data-href', rec[1]);
      var where = doc.createElement('span'), title = doc.createElement('span'), label = doc.createElement('span');
      where.className = 'search-where';
      title.className = 'search-title';
      label.className = 'search-label';
      if (ownTitle(rec)) appendMarked(title, rec[2], hits(rec[2], st.marks, st.parsed.phrases).hits);
      else title.textContent = rec[2];
      label.textContent = rec[3];
      where.appendChild(title);
      where.appendChild(doc.createTextNode(' '));
      where.appendChild(label);
      li.appendChild(where);
      if (rec[4]) {
        var snip = doc.createElement('span');
        snip.className = 'search-snippet';
        snippet(snip, rec[4], st.marks, st.parsed.phrases);
        li.appendChild(doc.createTextNode(' '));
        li.appendChild(snip);
      }
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
        moreButton.addEventListener('mousedown', function (e) { e.preventDefault(); });
        moreButton.addEventListener('click', function () { showMore(); input.focus(); });
      }
      panel.appendChild(moreButton);
    } else if (moreButton && moreButton.parentNode) {
      moreButton.parentNode.removeChild(moreButton);
    }
  }
  function showMore() {
    if (!state || !state.more) return Promise.resolve();
    var my = seq, from = state.results.length;
    return more(state).then(function (st) { if (my === seq) render(st, from); });
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
    var attempt = function () { return search(q); };
    return (lastRun = attempt().catch(function (e) {
      return reloadIndex(e).then(attempt);
    }).then(function (st) {
      if (my !== seq) return;
      done();
      if (st.empty) {
        state = null;
        list.textContent = '';
        list.hidden = true;
        say(st.stopOnly ? 'Words as common as these are not indexed: add another word.' : 'Type a word to search.');
        setOpen(doc.activeElement === input);
        return;
      }
      state = st;
      render(st, 0);
      setOpen(doc.activeElement === input);
    }, fail));
  }
  api.run = run;

  function go(li) {
    if (!li || !state) return;
    var href = li.getAttribute('data-href');
    var target = new URL(root + href, location.href);
    var same = target.href === location.href;
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ href: href, marks: Array.from(state.marks), phrases: state.parsed.phrases, same: same }));
    } catch (e) { /* private mode: the page opens without marks */ }
    setOpen(false);
    if (same) arrive();
    else location.href = root + href;
  }

  input.addEventListener('focus', function () {
    getManifest().catch(fail);
    if (input.value.trim() && state) setOpen(true);
  });
  input.addEventListener('input', function () {
    dirty = true;
    list.setAttribute('aria-busy', 'true');
    clearTimeout(timer);
    timer = setTimeout(run, 60);
  });
  input.addEventListener('keydown', function (e) {
    var opts = list.querySelectorAll('[role="option"]');
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!opts.length) return;
      e.preventDefault();
      if (panel.hidden) { setOpen(true); return; }
      if (e.key === 'ArrowDown') {
        if (active === opts.length - 1 && state && state.more) showMore().then(function () { setActive(active + 1); });
        else setActive(active + 1 < opts.length ? active + 1 : -1);
      } else {
        setActive(active > 0 ? active - 1 : active === 0 ? -1 : opts.length - 1);
      }
    } else if (e.key === 'Enter') {
      e.preventDefault();
      var pick = function () {
        var o = list.querySelectorAll('[role="option"]');
        go(o[active >= 0 ? active : 0]);
      };
      /* Enter right after typing waits for the results of what was typed. */
      (dirty ? run() : lastRun).then(pick);
    } else if (e.key === 'Escape') {
      if (!panel.hidden) { setOpen(false); e.preventDefault(); e.stopPropagation(); }
      else if (input.value) { input.value = ''; run(); e.preventDefault(); }
    }
  });
  list.addEventListener('mousedown', function (e) { e.preventDefault(); });
  list.addEventListener('click', function (e) {
    var li = e.target.closest('[role="option"]');
    if (li) go(li);
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
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', gatherTools);
  else gatherTools();
  arrive();
  window.addEventListener('hashchange', arrive);
})();
