/* chapbook — the web edition's only script. Everything works without it (notes are listed after
   the text and linked both ways; glossary terms and citations link to their entries); with it,
   a note opens in place, a term or citation shows its entry on hover or focus, the search page
   searches, and a page served by `build.py serve` reloads itself when the site is rebuilt. */
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";

  /* Notes open in place, after the paragraph's note call. */
  document.addEventListener("click", function (event) {
    var ref = event.target.closest && event.target.closest("a.noteref");
    if (!ref) return;
    var id = decodeURIComponent(ref.getAttribute("href").slice(1));
    var note = document.getElementById(id);
    if (!note) return;
    event.preventDefault();
    var open = document.getElementById("inline-" + id);
    if (open) { open.remove(); ref.setAttribute("aria-expanded", "false"); return; }
    var box = document.createElement("span");
    box.className = "note-inline";
    box.id = "inline-" + id;
    box.setAttribute("role", "note");
    box.innerHTML = note.innerHTML;
    box.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    var sup = ref.closest("sup") || ref;
    sup.after(box);
    ref.setAttribute("aria-expanded", "true");
    ref.setAttribute("aria-controls", box.id);
  });

  /* Glossary entries and references on hover or focus. */
  var previews = document.getElementById("previews");
  var shown = null;
  function hide() { if (shown) { shown.remove(); shown = null; } }
  function show(link) {
    var href = link.getAttribute("href") || "";
    var id = href.slice(href.indexOf("#") + 1);
    var entry = previews && previews.querySelector('[data-for="' + CSS.escape(id) + '"]');
    if (!entry) return;
    hide();
    shown = document.createElement("div");
    shown.className = "preview";
    shown.id = "preview";
    shown.setAttribute("role", "tooltip");
    shown.innerHTML = entry.innerHTML;
    shown.querySelectorAll("a").forEach(function (a) { a.setAttribute("tabindex", "-1"); });
    document.body.appendChild(shown);
    var r = link.getBoundingClientRect();
    var left = Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - shown.offsetWidth - 8));
    shown.style.left = left + "px";
    shown.style.top = (r.bottom + window.scrollY + 6) + "px";
    link.setAttribute("aria-describedby", "preview");
  }
  if (previews) {
    document.querySelectorAll("a.glossref, a.cite").forEach(function (link) {
      link.addEventListener("mouseenter", function () { show(link); });
      link.addEventListener("focus", function () { show(link); });
      link.addEventListener("mouseleave", hide);
      link.addEventListener("blur", function () { hide(); link.removeAttribute("aria-describedby"); });
    });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  }

  /* Search: every paragraph that has all the words asked for. */
  var results = document.getElementById("search-results");
  if (results && window.chapbookIndex) {
    var fold = function (s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); };
    var query = new URLSearchParams(location.search).get("q") || "";
    var input = document.getElementById("site-search");
    if (input) input.value = query;
    var words = fold(query).split(/\s+/).filter(Boolean);
    var status = document.getElementById("search-status");
    if (words.length) {
      var hits = window.chapbookIndex.filter(function (e) {
        var text = fold(e[1] + " " + e[3]);
        return words.every(function (w) { return text.indexOf(w) >= 0; });
      });
      /* The sentence in the book's words (data-found-* of the status line: chapbook/words.py); English
         for a project's own page template that has none. {{ and }} are a brace, as in Python. */
      var data = status.dataset;
      var said = hits.length === 1 ? data.foundOne || "1 paragraph has “{query}”."
        : hits.length ? data.foundMany || "{count} paragraphs have “{query}”." : data.foundNone || "Nothing found for “{query}”.";
      status.textContent = said.replace(/\{\{|\}\}|\{(count|query)\}/g, function (match, name) {
        return name === "count" ? hits.length : name === "query" ? query : match.charAt(0);
      });
      hits.slice(0, 200).forEach(function (e) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = root + e[0];
        a.textContent = e[1] + (e[2] ? ", " + e[2] : "");
        var where = document.createElement("span");
        where.className = "where";
        var text = e[3], at = fold(text).indexOf(words[0]);
        var start = Math.max(0, at - 80);
        var snippet = (start ? "…" : "") + text.slice(start, at + 160) + (at + 160 < text.length ? "…" : "");
        where.textContent = snippet;
        li.appendChild(a);
        li.appendChild(where);
        results.appendChild(li);
      });
    }
  }

  /* Live reload under `build.py serve`: the server answers /__chapbook_version with the build's stamp. */
  if (location.protocol === "http:" && (location.hostname === "127.0.0.1" || location.hostname === "localhost")) {
    var seen = null;
    var poll = function () {
      fetch("/__chapbook_version", { cache: "no-store" }).then(function (r) {
        if (!r.ok) return null;
        return r.text();
      }).then(function (v) {
        if (v === null) return;
        if (seen !== null && v !== seen) location.reload();
        seen = v;
        setTimeout(poll, 1000);
      }).catch(function () { setTimeout(poll, 3000); });
    };
    poll();
  }
})();
