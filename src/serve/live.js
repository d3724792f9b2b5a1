// Live reload for `scholion serve`. Injected into served HTML pages only;
// never part of `scholion build` output. Listens on the server's event
// stream; reloads the page (keeping its scroll position) when the page or a
// file it loads changed; shows the diagnostics of a broken edit over the page
// until a later build succeeds.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.EventSource) return;
  var stamp = me.getAttribute("data-stamp");
  var cfg = {
    page: me.getAttribute("data-page") || "",
    stamp: stamp ? Number(stamp) : null,
    instance: me.getAttribute("data-instance")
  };
  var scrollKey = "scholion-serve-scroll:" + location.pathname;

  function restoreScroll() {
    var saved;
    try { saved = sessionStorage.getItem(scrollKey); } catch (e) { return; }
    if (!saved) return;
    var pos;
    try { pos = JSON.parse(saved); } catch (e) { pos = null; }
    if (pos && !location.hash) {
      window.scrollTo(pos[0], pos[1]);
      // Again once images and fonts have settled the layout.
      window.addEventListener("load", function () { window.scrollTo(pos[0], pos[1]); });
    }
    try { sessionStorage.removeItem(scrollKey); } catch (e) { /* private mode */ }
  }

  function reload() {
    try { sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY])); } catch (e) { /* private mode */ }
    es.close();
    location.reload();
  }

  // Paths (relative to the site root) of the files this page loads.
  function usedFiles() {
    var used = {};
    used[cfg.page] = true;
    var els = document.querySelectorAll("link[rel~=stylesheet][href], script[src], img[src]");
    for (var i = 0; i < els.length; i++) {
      var url = els[i].href || els[i].src;
      try {
        var u = new URL(url, location.href);
        if (u.origin === location.origin) used[decodeURIComponent(u.pathname.slice(1))] = true;
      } catch (e) { /* not a URL */ }
    }
    return used;
  }

  var overlay = null;
  function showErrors(text) {
    if (!overlay) {
      overlay = document.createElement("scholion-serve-overlay");
      var root = overlay.attachShadow ? overlay.attachShadow({ mode: "open" }) : overlay;
      // Built with DOM calls and a linked style sheet: the pages'
      // Content-Security-Policy forbids inline styles and scripts.
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = "/__scholion/live.css";
      var box = document.createElement("div");
      box.className = "box";
      box.setAttribute("role", "alert");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = "Hide";
      button.setAttribute("aria-label", "Hide the errors");
      var h = document.createElement("h2");
      h.textContent = "The last edit has errors";
      var p = document.createElement("p");
      p.textContent = "This page shows the last good build. Fix the file and it updates by itself.";
      var pre = document.createElement("pre");
      box.appendChild(button);
      box.appendChild(h);
      box.appendChild(p);
      box.appendChild(pre);
      root.appendChild(link);
      root.appendChild(box);
      root.querySelector("button").addEventListener("click", function () { hideErrors(); });
      overlay._pre = root.querySelector("pre");
    }
    overlay._pre.textContent = text;
    if (!overlay.parentNode) document.body.appendChild(overlay);
  }
  function hideErrors() {
    if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
  }

  restoreScroll();
  var es = new EventSource("/__scholion/events?page=" + encodeURIComponent(cfg.page));
  es.addEventListener("hello", function (ev) {
    var d = JSON.parse(ev.data);
    // The page changed while the stream was down, or the server restarted.
    if (d.stamp !== cfg.stamp || d.instance !== cfg.instance) reload();
  });
  es.addEventListener("reload", function (ev) {
    var d = JSON.parse(ev.data);
    var used = usedFiles();
    for (var i = 0; i < d.changed.length; i++) {
      if (used[d.changed[i]]) { reload(); return; }
    }
  });
  es.addEventListener("failed", function (ev) { showErrors(JSON.parse(ev.data).text); });
  es.addEventListener("fixed", function () { hideErrors(); });
})();
