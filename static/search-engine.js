/* Scholion search, the engine: folding and stemming the words of a query
   as the index folded and stemmed the texts, loading the index (classic
   scripts under search/ that call ScholionSearch.add(), written by
   `scholion build`, see src/search/ and docs/search.md), ranking, and the
   words to mark in a result. static/search.js (the box, the results page)
   loads this file the first time search is used; it is no module and does
   no fetch, so it works from file:// as over http.

   fold() and stem() are ports of src/search/words.rs and
   src/search/stem.rs; keep them in step. */
(function () {
  'use strict';
  var doc = document;
  var PAGE = 10;          /* results found at a time */
  var MAX_SHARDS = 6;     /* a prefix spread over more shards waits for more letters */
  var TYPING_SHARDS = 1;  /* … and, while it is being typed, over more than one */
  var MAX_EXPAND = 60;    /* stems a prefix may stand for */
  var MAX_VERIFY = 400;   /* documents read to check a quoted phrase */
  var FEW = 3;            /* a word found in fewer documents is also looked up forgivingly */
  var MAX_FIXES = 3;      /* words a misspelt one may stand for */

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

  function stemmable(word) { return word.length > 2 && /^[a-z]+$/.test(word); }
  /* Step 1 alone: plurals, -ed, -ing, y: the inflections of a word. */
  function step1(w) {
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
    return w;
  }
  function inflection(word) { return stemmable(word) ? step1(word) : word; }
  function stem(word) {
    if (!stemmable(word)) return word;
    var w = step1(word), s, i;
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
  var root = '';
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

  var manifest = null;
  function getManifest(fresh) {
    /* A fresh copy skips the browser's cache (see reload). */
    var src = root + 'search/manifest.js' + (fresh ? '?v=' + Date.now() : '');
    return load('manifest', src).then(function (m) {
      if (m.format !== 4) throw new Error('search: unknown index format ' + m.format);
      manifest = m;
      manifest.stopSet = new Set(m.stop);
      return m;
    });
  }
  /* The last of sorted `firsts` at or before `key`: the file a key is in. */
  function fileOf(firsts, key) {
    var lo = 0, hi = firsts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (firsts[mid] <= key) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  function shardIndex(key) { return fileOf(manifest.shards, key); }
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
  /* Each document's page and group (the runs of src/search/index.rs):
     pairs of varints, how many documents and group × 2 + 1 for a new page. */
  var runs = null;
  function getRuns() {
    return load('d', root + 'search/' + manifest.version + '/d.js').then(function (code) {
      if (!runs) {
        var nums = varints(code), page = new Int32Array(manifest.docs), group = new Uint8Array(manifest.docs);
        var at = 0, p = -1;
        for (var i = 0; i < nums.length; i += 2) {
          if (nums[i + 1] & 1) p++;
          page.fill(p, at, at + nums[i]);
          group.fill(nums[i + 1] >> 1, at, at + nums[i]);
          at += nums[i];
        }
        runs = { page: page, group: group };
      }
      return runs;
    });
  }
  /* The lexicon the fragments' text is coded against (src/search/lexicon.rs):
     the tokens, most frequent first, the first `one` coded by one
     character of ALPHABET, the others by two; a separator is written after
     a "~". */
  var ALPHABET = " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|}";
  var CODE = {};
  for (var a = 0; a < ALPHABET.length; a++) CODE[ALPHABET[a]] = a;
  var lexicon = null;
  function getLexicon() {
    return load('l', root + 'search/' + manifest.version + '/l.js').then(function (l) {
      if (!lexicon) {
        lexicon = { one: l.one, tokens: [], word: [] };
        l.tokens.forEach(function (t) {
          var sep = t[0] === '~';
          lexicon.tokens.push(sep ? t.slice(1) : t);
          lexicon.word.push(!sep);
        });
      }
      return lexicon;
    });
  }
  /* A text coded against the lexicon: codes, and tokens written as they
     are after a marker ("`" a word, "~" a separator) and their length; a
     space between two words is implied. */
  function decode(s, lx) {
    var out = [], i = 0, afterWord = false, N = ALPHABET.length;
    while (i < s.length) {
      var c = s[i], tok, word;
      if (c === '`' || c === '~') {
        var len = CODE[s[i + 1]];
        tok = s.substr(i + 2, len);
        word = c === '`';
        i += 2 + len;
      } else {
        var k = CODE[c];
        i++;
        if (k >= lx.one) { k = lx.one + (k - lx.one) * N + CODE[s[i]]; i++; }
        tok = lx.tokens[k];
        word = lx.word[k];
      }
      if (word && afterWord) out.push(' ');
      afterWord = word;
      out.push(tok);
    }
    return out.join('');
  }
  /* A fragment's records, read once into [kind, href, title, label, text]:
     an href of "" or "#…" is on the page of the record before, a title 0
     that record's title. */
  var fragments = {};
  function getFragment(i) {
    return Promise.all([getLexicon(), load('f' + i, root + 'search/' + manifest.version + '/f' + i + '.js')]).then(function (got) {
      if (!fragments[i]) {
        var prev = null;
        fragments[i] = got[1].map(function (r) {
          var href = r[1], title = r[2];
          if (prev && (href === '' || href[0] === '#')) href = prev[1].split('#')[0] + href;
          if (prev && title === 0) title = prev[2];
          prev = [r[0], href, title, r[3], decode(r[4], got[0])];
          return prev;
        });
      }
      return fragments[i];
    });
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
  function varints(s) {
    var out = [], v = 0, shift = 0;
    for (var i = 0; i < s.length; i++) {
      var x = DIGIT[s[i]];
      v += (x & 31) * Math.pow(2, shift);
      if (x & 32) { shift += 5; continue; }
      out.push(v);
      v = 0;
      shift = 0;
    }
    return out;
  }
  /* Postings of an entry: [doc, score, doc, score, …], decoded once. Each
     is one number, gap × scale + score − 1, in digits of POSTING least
     significant first: the first ENDS end it, the others go on
     (src/search/shards.rs). */
  var POSTING = "!#$%&'()*+,-./0123456789:<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
  var PDIGIT = {};
  for (var pd = 0; pd < POSTING.length; pd++) PDIGIT[POSTING[pd]] = pd;
  function postings(e) {
    if (e.p) return e.p;
    var s = e[1], out = [], v = 0, unit = 1, at = -1, scale = manifest.scale, ends = 2 * scale, more = POSTING.length - ends;
    for (var i = 0; i < s.length; i++) {
      var x = PDIGIT[s[i]];
      if (x >= ends) { v += (x - ends) * unit; unit *= more; continue; }
      v += x * unit;
      var gap = Math.floor(v / scale);
      at = at < 0 ? gap : at + 1 + gap;
      out.push(at, v % scale + 1);
      v = 0;
      unit = 1;
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

  /* ---------- Typo tolerance: the index's own words, one list per first
     letters (src/search/index.rs, typo_lists) */
  var typoLists = {};
  function typoIndex(key) { return fileOf(manifest.typos, key); }
  function getTypos(i) {
    return load('v' + i, root + 'search/' + manifest.version + '/v' + i + '.js').then(function (data) {
      if (!typoLists[i]) {
        var prev = '';
        typoLists[i] = data.split(',').map(function (c) {
          prev = prev.slice(0, parseInt(c[0], 36)) + c.slice(1);
          return prev;
        });
      }
      return typoLists[i];
    });
  }
  /* Edits from a to b (insertions, deletions, substitutions, and the
     transposition of two neighbours), or k + 1 once it is more than k. */
  function distance(a, b, k) {
    var n = a.length, m = b.length, i, j;
    if (Math.abs(n - m) > k) return k + 1;
    var prev2 = null, prev = new Array(m + 1), cur;
    for (j = 0; j <= m; j++) prev[j] = j;
    for (i = 1; i <= n; i++) {
      cur = new Array(m + 1);
      cur[0] = i;
      var low = cur[0];
      for (j = 1; j <= m; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur[j] = v;
        if (v < low) low = v;
      }
      if (low > k) return k + 1;
      prev2 = prev;
      prev = cur;
    }
    return prev[m];
  }
  /* The stems a misspelt word may stand for: the words of the index (of
     the same first letter) within one edit, two for a word of eight letters
     or more, the nearest only, the most frequent first; each weighs less
     than a word found as it is (0.5, 0.3 for two edits). */
  function fixes(term) {
    var w = term.form, k = w.length >= 8 ? 2 : 1;
    if (w.length < 4 || !/^\p{L}+$/u.test(w) || !manifest.typos || !manifest.typos.length) return Promise.resolve([]);
    return getTypos(typoIndex(w)).then(function (list) {
      var near = [], best = k + 1;
      list.forEach(function (x) {
        if (x[0] !== w[0] || x === w || Math.abs(x.length - w.length) > k) return;
        var d = distance(x, w, Math.min(k, best));
        if (d > k || d > best) return;
        if (d < best) { best = d; near = []; }
        near.push(x);
      });
      if (!near.length) return [];
      var stems = near.map(stem);
      return Promise.all(stems.map(function (st) { return getShard(shardIndex(st)); })).then(function () {
        var out = [], seen = new Set();
        near.forEach(function (x, i) {
          var e = find(shards[shardIndex(stems[i])], stems[i]);
          if (!e || seen.has(e[0])) return;
          seen.add(e[0]);
          out.push({ entry: e, weight: best === 1 ? 0.5 : 0.3, as: { form: x, stem: stems[i] } });
        });
        out.sort(function (a, b) { return postings(b.entry).length - postings(a.entry).length || (a.as.form < b.as.form ? -1 : 1); });
        return out.slice(0, MAX_FIXES);
      });
    });
  }
  /* How many documents a term's stems were found in (at least). */
  function found(expansion) {
    return expansion.reduce(function (n, x) { return Math.max(n, postings(x.entry).length / 2); }, 0);
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
    if (last && !last.phrase && /[\p{Alphabetic}\p{N}\p{M}]$/u.test(q)) {
      last.open = true;
      if (last.form.length >= 2) last.prefix = true;
    }
    var terms = words.filter(function (w) { return !manifest.stopSet.has(w.form); });
    if (!terms.length && last && last.prefix) terms = [last];
    terms.forEach(function (w) { w.stem = stem(w.form); });
    return { terms: terms, phrases: phrases, words: words };
  }

  /* Which stems a term stands for: [{entry, weight}], loading shards.
     While the word is being typed (`typing`), a prefix loads its shards
     only when they are one: the shards of a longer prefix are among them,
     so what is loaded on the way is what the word will need. A prefix
     spread over more, or a first letter, waits for more letters, and so
     does the shard of its own stem ("wo" on the way to "workers"), which
     the word it becomes seldom needs. */
  function expand(term, typing) {
    var own = shardIndex(term.stem), need = [], from = 0, to = -1;
    if (term.prefix) {
      from = shardIndex(term.form);
      to = shardIndex(term.form + '\uffff');
      if (to - from < (typing ? TYPING_SHARDS : MAX_SHARDS)) for (var i = from; i <= to; i++) need.push(i);
      else term.tooShort = true;
    }
    if (typing && term.open && !term.prefix) term.tooShort = true;
    if (!(typing && term.tooShort)) need.push(own);
    return Promise.all(need.map(getShard)).then(function () {
      var found = [], seen = new Set();
      function use(e, weight) {
        if (!e || seen.has(e[0])) return;
        seen.add(e[0]);
        found.push({ entry: e, weight: weight });
      }
      if (shards[own]) use(find(shards[own], term.stem), 1);
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
      for (var k = term.form.length - 1; k >= Math.max(2, term.form.length - 7); k--) {
        var key = term.form.slice(0, k);
        if (!typing || shards[shardIndex(key)]) keys.push(key);
      }
      return Promise.all(keys.map(function (key) { return getShard(shardIndex(key)); })).then(function () {
        keys.forEach(function (key) {
          var e = find(shards[shardIndex(key)], key);
          if (e && forms(e).some(function (f) { return f.lastIndexOf(term.form, 0) === 0; })) use(e, 0.9);
        });
        return found;
      });
    });
  }

  /* How closely a folded word of the index matches a term, for marking
     (docs/search.md, "Marks"): 3 the word itself or one of its inflections
     (the same after Porter's step 1: "party", "parties"), 2 the same stem
     ("peace" for "peaceful"), 1 a word the typed prefix begins, 0 another
     word of a stem found. In each result the words of the best tier found
     there are marked. */
  function tier(form, term) {
    if (form === term.form || inflection(form) === inflection(term.form)) return 3;
    if (stem(form) === term.stem) return 2;
    if (term.prefix && form.lastIndexOf(term.form, 0) === 0) return 1;
    return 0;
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
    var f = fragments[Math.floor(d / manifest.per)];
    return f ? f[d % manifest.per] : null;
  }
  function fetchRecords(docs) {
    var files = new Set(docs.map(function (d) { return Math.floor(d / manifest.per); }));
    return Promise.all(Array.from(files).map(getFragment));
  }
  /* A glossary entry's or a text's title is its own; a paragraph's is not
     (the manifest says which kinds). */
  function ownTitle(rec) { var k = manifest.kinds[rec[0]]; return !!(k && k.own); }
  /* The title of the page a result is on, from one of its records. */
  function pageTitle(rec) {
    var k = manifest.kinds[rec[0]] || {};
    return !k.own || k.whole ? rec[2] : manifest.groups[k.group];
  }
  /* The words a phrase is checked against, and marks looked for in. */
  function searchable(rec) { return (ownTitle(rec) ? rec[2] + ' \n ' : '') + rec[4]; }
  function hasPhrases(rec, phrases) {
    var words = tokens(searchable(rec)).map(function (t) { return t.form; });
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
  function reload(error) {
    if (!manifest) return Promise.reject(error);
    var before = manifest.version;
    loaded = {};
    pending = {};
    shards = {};
    fragments = {};
    lexicon = null;
    runs = null;
    manifest = null;
    return getManifest(true).then(function (m) {
      if (m.version === before) throw error;
    });
  }

  /* Runs a query: {parsed, ranked, matches, …}: `matches` are the
     documents found, best first (with a quoted phrase, those checked so
     far; `verify` checks more). `groups` groups them by page, `records`
     loads what is shown. */
  function search(q, opts) {
    var typing = !!(opts && opts.typing);
    return getManifest().then(function () {
      var parsed = parse(q);
      if (!parsed.terms.length) {
        return { empty: true, stopOnly: parsed.words.length > 0, matches: [] };
      }
      return Promise.all([Promise.all(parsed.terms.map(function (t) { return expand(t, typing); })), getRuns()]).then(function (got) {
        /* A word of four letters or more found in few documents (or none)
           is looked up forgivingly too, once typing pauses. */
        return typing ? got[0] : Promise.all(got[0].map(function (ex, ti) {
          var t = parsed.terms[ti];
          if (t.phrase || found(ex) >= FEW) return ex;
          return fixes(t).then(function (more) {
            if (more.length) t.fix = { to: more[0].as.form, only: !ex.length };
            return ex.concat(more);
          });
        }));
      }).then(function (expansions) {
        var ranked = rank(parsed.terms, expansions);
        /* Per term: each form of its stems with its tier. */
        var tiers = parsed.terms.map(function (t, ti) {
          var m = new Map();
          expansions[ti].forEach(function (x) {
            forms(x.entry).forEach(function (f) { if (!m.has(f)) m.set(f, tier(f, x.as ? { form: x.as.form, stem: x.as.stem } : t) - (x.as ? 4 : 0)); });
          });
          return m;
        });
        var tooShort = parsed.terms.some(function (t) { return t.tooShort; });
        var exact = !parsed.phrases.length;
        var fixed = parsed.terms.filter(function (t) { return t.fix; });
        var correction = !fixed.length ? null : {
          only: fixed.every(function (t) { return t.fix.only; }),
          to: parsed.terms.map(function (t) { return t.fix ? t.fix.to : t.form; }).join(' '),
          exact: parsed.terms.map(function (t) { return t.fix ? '"' + t.form + '"' : t.form; }).join(' ')
        };
        var state = { parsed: parsed, ranked: ranked, tiers: tiers, tooShort: tooShort, exact: exact, correction: correction, matches: exact ? ranked : [], next: exact ? ranked.length : 0, recs: new Map() };
        var first = exact && !typing && parsed.words.length > 1 ? inOrder(state) : Promise.resolve();
        return first.then(function () { return verify(state, PAGE); });
      });
    });
  }
  /* The index has no word positions, so the scores cannot tell
     "governments of the frontier" from "On the frontier government of the
     assemblies", nor "committee of the veterans" from a short heading
     naming "veterans" twice. Once the first PAGE results' fragments are
     loaded (the box shows them anyway), those whose title or text has the
     query's words in a row, as typed (folded, stop words included, the
     last word while typed as a prefix), come first; then those with every
     word in its typed form; then those with the stems only; each keeps its
     order within. A query of one word, or with a quoted phrase (checked in
     `verify`), is left as ranked, and so is the rest of the list. */
  function inOrder(state) {
    var top = state.ranked.slice(0, PAGE), words = state.parsed.words, n = words.length;
    var open = words[n - 1].open, terms = state.parsed.terms;
    function is(form, w, last) { return form === w || (last && open && form.lastIndexOf(w, 0) === 0); }
    return fetchRecords(top.map(function (r) { return r.doc; })).then(function () {
      var close = top.map(function (r, at) {
        var rec = record(r.doc), t = rec ? tokens(searchable(rec)).map(function (x) { return x.form; }) : [];
        var row = false;
        for (var i = 0; !row && i + n <= t.length; i++) {
          for (var j = 0; j < n && is(t[i + j], words[j].form, j === n - 1); j++);
          row = j === n;
        }
        var forms = terms.every(function (w) {
          var last = w === words[n - 1];
          return t.some(function (f) { return is(f, w.form, last); });
        });
        return { r: r, at: at, tier: row ? 2 : forms ? 1 : 0 };
      });
      close.sort(function (a, b) { return b.tier - a.tier || a.at - b.at; });
      close.forEach(function (c, i) { state.ranked[i] = c.r; });
    });
  }
  /* The words to mark in a record: per term, the forms of the best tier
     that occur in it. */
  function marksOf(state, rec) {
    var words = tokens(searchable(rec)), out = new Set();
    state.tiers.forEach(function (m) {
      var best = -Infinity, at = [];
      words.forEach(function (w) {
        var t = m.get(w.form);
        if (t === undefined || t < best) return;
        if (t > best) { best = t; at = []; }
        at.push(w.form);
      });
      at.forEach(function (f) { out.add(f); });
    });
    return out;
  }
  /* With a quoted phrase: checks the candidates in rank order until
     `want` are found, all are checked or MAX_VERIFY were read. `unsure`
     says that some were not checked. */
  function verify(state, want) {
    function step() {
      state.unsure = state.next < state.ranked.length;
      if (state.matches.length >= want || !state.unsure || state.next >= MAX_VERIFY) return state;
      var batch = state.ranked.slice(state.next, state.next + PAGE);
      state.next += batch.length;
      return fetchRecords(batch.map(function (r) { return r.doc; })).then(function () {
        batch.forEach(function (r) {
          var rec = record(r.doc);
          if (rec && hasPhrases(rec, state.parsed.phrases)) state.matches.push(r);
        });
        return step();
      });
    }
    return Promise.resolve(step());
  }
  /* The matches grouped by page, each group in rank order of its best
     document, with the number of matches of each group of kinds;
     `filter`, a group's number, keeps only that one. */
  function groups(state, filter) {
    var by = new Map(), out = [], counts = manifest.groups.map(function () { return 0; });
    state.matches.forEach(function (r) {
      var g = runs.group[r.doc];
      counts[g]++;
      if (filter !== null && filter !== undefined && g !== filter) return;
      var p = runs.page[r.doc], e = by.get(p);
      if (!e) { e = { page: p, hits: [] }; by.set(p, e); out.push(e); }
      e.hits.push(r);
    });
    return { groups: out, counts: counts };
  }
  /* The records of `hits` ({doc}), loaded: [{doc, rec, marks}]. */
  function records(state, hits) {
    return fetchRecords(hits.map(function (r) { return r.doc; })).then(function () {
      return hits.map(function (r) {
        var got = state.recs.get(r.doc);
        if (!got) {
          var rec = record(r.doc);
          got = { doc: r.doc, rec: rec, marks: rec ? marksOf(state, rec) : new Set() };
          state.recs.set(r.doc, got);
        }
        return got;
      });
    });
  }

  /* ---------- Marking words: in snippets and on the page arrived at */
  /* The words of `text` to mark: those in `marks`, and every word of a
     phrase where the phrase occurs. */
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
  var SPACE = /\s/;
  /* About 30 words around the first place with most of the query's words,
     cut at white space: a snippet never starts or ends inside a word
     ("party's", "Marxism-Leninism" are kept whole). */
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
    while (start > 0 && !SPACE.test(text[start - 1])) start--;
    while (end < text.length && !SPACE.test(text[end])) end++;
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

  var api = window.ScholionSearch || {};
  window.ScholionSearch = api;
  api.add = function (name, data) { loaded[name] = data; };
  api.fold = fold;
  api.stem = stem;
  api.inflection = inflection;
  api.tokens = tokens;
  api.setRoot = function (r) { root = r; };
  api.manifest = getManifest;
  api.search = search;
  api.verify = verify;
  api.groups = groups;
  api.records = records;
  api.pageTitle = pageTitle;
  api.groupNames = function () { return manifest.groups; };
  api.reload = reload;
  api.ownTitle = ownTitle;
  api.hits = hits;
  api.appendMarked = appendMarked;
  api.snippet = snippet;
  api.markIn = markIn;
})();
