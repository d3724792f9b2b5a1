// Measurements of a reader page's typesetting, taken inside the page (each
// function is handed to page.evaluate, so it uses nothing from outside):
// where the notes stand, how many characters a line holds, whether a note
// number leaves a gap before the punctuation after it. Used by the reader
// and typography tests, and quoted in docs/reader.md.
'use strict';

/** Every note of the page as it is laid out: sidenotes and notes set after their paragraph. */
function notesLayout() {
  // Whether a sidenote shows all of itself (nothing clipped inside it).
  const isWhole = (n) => { const b = n.querySelector('.sidenote-body') || n; return b.scrollHeight <= b.clientHeight + 1 && getComputedStyle(b).maxHeight === 'none'; };
  const body = document.querySelector('.text-body').getBoundingClientRect();
  const lineOf = (id) => {
    const rs = [...document.querySelectorAll(`.anchored[data-note="${id}"]`)].flatMap((x) => [...x.getClientRects()]).filter((x) => x.width > 0.5);
    const m = document.getElementById(`ref-${id}`).getBoundingClientRect();
    return { first: rs.length ? rs[0].top : m.top, last: rs.length ? rs[rs.length - 1].top : m.top };
  };
  const endnoteText = (id) => [...document.getElementById(`en-${id}`).children]
    .filter((c) => !c.matches('.backlinks, .en-place, .sources')).map((c) => c.textContent).join('').replace(/\s+/g, '');
  const cut = [];
  const side = [...document.querySelectorAll('.sidenote')].map((n) => {
    const id = n.dataset.note;
    const b = n.getBoundingClientRect();
    const whole = isWhole(n) && n.textContent.replace(/\s+/g, '').includes(endnoteText(id));
    if (!whole) cut.push(id);
    const l = lineOf(id);
    return { id, top: b.top, bottom: b.bottom, left: b.left, right: b.right, line: l.last, passageTop: l.first, whole };
  });
  const after = [...document.querySelectorAll('.comm-note')].map((n) => {
    const id = n.dataset.note;
    const b = n.getBoundingClientRect();
    if (!n.textContent.replace(/\s+/g, '').includes(endnoteText(id))) cut.push(id);
    const block = document.getElementById(`ref-${id}`).closest('p[id], li[id], .block[id]');
    const box = n.closest('.commentary');
    // After its paragraph, or inside it at the end of a line after the marker.
    const inside = box.parentNode === block && box.classList.contains('commentary-inside');
    const afterBlock = inside ? !!(document.getElementById(`ref-${id}`).compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING)
      : block.tagName === 'LI' ? box.parentNode === block : box.previousElementSibling === block;
    return { id, top: b.top, bottom: b.bottom, line: lineOf(id).last, afterBlock, inside };
  });
  const bands = [...document.querySelectorAll('.commentary')].map((c) => c.getBoundingClientRect().toJSON());
  const cls = document.documentElement.classList;
  return {
    mode: cls.contains('notes-side') ? 'side' : cls.contains('notes-after') ? 'after' : null,
    markers: document.querySelectorAll('.text-body a.noteref').length,
    placed: side.length + after.length,
    side, after, bands, cut, bodyRight: body.right, width: document.documentElement.clientWidth,
  };
}

/** The state of note `id` while it is active. */
function activeNote(id) {
  // Whether a sidenote shows all of itself (nothing clipped inside it).
  const isWhole = (n) => { const b = n.querySelector('.sidenote-body') || n; return b.scrollHeight <= b.clientHeight + 1 && getComputedStyle(b).maxHeight === 'none'; };
  const n = document.querySelector(`.sidenote[data-note="${id}"]`);
  const rs = [...document.querySelectorAll(`.anchored[data-note="${id}"]`)].flatMap((x) => [...x.getClientRects()]).filter((x) => x.width > 0.5);
  const marked = [...document.querySelectorAll(`.anchored[data-note="${id}"]`)].every((x) => getComputedStyle(x).backgroundColor !== 'rgba(0, 0, 0, 0)');
  return {
    top: n.getBoundingClientRect().top,
    line: rs[rs.length - 1].top,
    lineHeight: parseFloat(getComputedStyle(n).lineHeight),
    whole: isWhole(n) && n.classList.contains('is-active'),
    lifted: n.classList.contains('is-lifted'),
    marked,
  };
}

/** Characters per rendered line of the text's paragraphs (the last line of
    each paragraph left out, being short): median, count and font size. */
function charsPerLine(selector) {
  const lines = new Map();
  const range = document.createRange();
  for (const par of document.querySelectorAll(selector || '.text-body p')) {
    const walker = document.createTreeWalker(par, NodeFilter.SHOW_TEXT);
    let t;
    while ((t = walker.nextNode())) {
      if (t.parentElement.closest('.pnum, .noteref-wrap, .sidenote, .referenced-from, .commentary, .popover')) continue;
      for (let i = 0; i < t.length; i++) {
        range.setStart(t, i);
        range.setEnd(t, i + 1);
        const r = range.getClientRects()[0];
        if (!r) continue;
        const key = par;
        if (!lines.has(key)) lines.set(key, new Map());
        const m = lines.get(key), top = Math.round(r.top);
        m.set(top, (m.get(top) || 0) + 1);
      }
    }
  }
  const counts = [];
  for (const m of lines.values()) {
    const tops = [...m.keys()].sort((a, b) => a - b);
    tops.slice(0, -1).forEach((k) => counts.push(m.get(k)));
  }
  counts.sort((a, b) => a - b);
  return { median: counts[Math.floor(counts.length / 2)], lines: counts.length, fontSize: parseFloat(getComputedStyle(document.querySelector(selector || '.text-body p')).fontSize) };
}

/** For every note number followed by punctuation: the space between the
    number's glyphs and the next character, and the size of its target. */
function markerGaps() {
  const out = [];
  const range = document.createRange();
  for (const a of document.querySelectorAll('.text-body a.noteref')) {
    const wrap = a.parentNode.classList.contains('noteref-wrap') ? a.parentNode : a;
    let next = wrap.nextSibling;
    while (next && next.nodeType === 1 && getComputedStyle(next).position === 'absolute') next = next.nextSibling;
    const target = a.getBoundingClientRect();
    const item = { id: a.dataset.note, width: target.width, height: target.height, gap: null };
    if (next && next.nodeType === 3 && /^[,.;:)!?’”]/.test(next.data)) {
      range.selectNodeContents(a.firstChild);
      const num = [...range.getClientRects()].pop();
      range.setStart(next, 0);
      range.setEnd(next, 1);
      const ch = range.getClientRects()[0];
      if (num && ch && Math.abs(ch.top - num.top) < 40) item.gap = ch.left - num.right;
    }
    out.push(item);
  }
  return out;
}

module.exports = { notesLayout, activeNote, charsPerLine, markerGaps };
