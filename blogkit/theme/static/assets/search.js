/* The search page: a small UI over Pagefind's pagefind.js.
   Nothing is fetched until the page is used: pagefind.js (and its index chunks) load on the
   first focus of the field or at once when the URL carries ?q= or a filter. URLs come from the
   page (data-bundle, each result's meta.url), so it works under a baseurl and offline. */
(function () {
  "use strict";
  var root = document.querySelector("[data-search-root]");
  if (!root) return;
  var form = root.querySelector("[data-search-form]");
  var input = root.querySelector("#search-q");
  var status = root.querySelector("[data-search-status]");
  var list = root.querySelector("[data-search-results]");
  var more = root.querySelector("[data-search-more]");
  var facets = root.querySelector("[data-search-filters]");
  var T = root.dataset;
  var FACETS = ["category", "tag", "year", "type"];
  var PAGE = 10;
  var pagefind = null, loading = null, current = null, shown = 0, token = 0, timer = 0;

  function text(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k] != null ? values[k] : ""; });
  }

  function nothingIndexed() {
    // The site has nothing indexed yet (no post or page): there is no bundle to load.
    if (T.empty === undefined) return false;
    status.textContent = T.tEmpty;
    return true;
  }

  function load() {
    if (!loading) {
      loading = import(T.bundle + "pagefind.js").then(function (pf) {
        pagefind = pf;
        return pf.options({ excerptLength: 40 }).then(function () { return pf.init(); })
          .then(function () { return pf.filters(); }).then(function (f) { buildFacets(f); return pf; });
      });
      loading.catch(function () { status.textContent = T.tError; });
    }
    return loading;
  }

  function buildFacets(all) {
    var params = new URLSearchParams(location.search);
    FACETS.forEach(function (name) {
      var counts = all[name];
      if (!counts || Object.keys(counts).length < 2) return;   // one value filters nothing
      var keys = Object.keys(counts).sort(function (a, b) {
        return name === "year" ? b.localeCompare(a) : counts[b] - counts[a] || a.localeCompare(b);
      });
      var chosen = params.getAll(name);
      var box = document.createElement("details");
      box.className = "search-facet";
      box.open = chosen.length > 0 || name === "category";
      var summary = document.createElement("summary");
      summary.textContent = T["t" + name[0].toUpperCase() + name.slice(1)] || name;
      var group = document.createElement("div");
      group.className = "search-options";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", summary.textContent);
      keys.forEach(function (key) {
        var label = document.createElement("label");
        var box2 = document.createElement("input");
        box2.type = "checkbox"; box2.name = name; box2.value = key;
        box2.checked = chosen.indexOf(key) >= 0;
        var count = document.createElement("span");
        count.className = "count"; count.textContent = "(" + counts[key] + ")";
        var shownName = name === "type" ? (T["t" + key[0].toUpperCase() + key.slice(1)] || key) : key;
        label.append(box2, " " + shownName + " ", count);
        group.append(label);
      });
      box.append(summary, group);
      facets.append(box);
    });
    facets.hidden = !facets.children.length;
  }

  function selected() {
    var filters = {};
    FACETS.forEach(function (name) {
      var values = Array.prototype.map.call(
        facets.querySelectorAll('input[name="' + name + '"]:checked'), function (el) { return el.value; });
      if (values.length) filters[name] = { any: values };  // OR inside a facet, AND across facets
    });
    return filters;
  }

  function syncUrl(q, filters) {
    var params = new URLSearchParams();
    if (q) params.set("q", q);
    Object.keys(filters).forEach(function (k) { filters[k].any.forEach(function (v) { params.append(k, v); }); });
    var qs = params.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
  }

  function run() {
    if (nothingIndexed()) return Promise.resolve();
    var q = input.value.trim();
    var mine = ++token;
    return load().then(function (pf) {
      var filters = selected();
      syncUrl(q, filters);
      if (!q && !Object.keys(filters).length) { clear(); return; }
      status.textContent = T.tLoading;
      var opts = { filters: filters };
      if (!q) opts.sort = { date: "desc" };   // filters alone: newest first
      return pf.search(q || null, opts).then(function (search) {
        if (mine !== token || !search) return;   // a newer query has started
        current = search.results; shown = 0;
        list.textContent = "";
        var n = current.length;
        // The count is announced once the first results are in the list (status is aria-live).
        return showMore(mine).then(function () {
          if (mine !== token) return;
          status.textContent = n ? text(q ? T.tResults : T.tFiltered, { q: q, n: n }) : text(T.tNone, { q: q });
        });
      });
    });
  }

  function clear() {
    current = null; shown = 0; list.textContent = ""; status.textContent = ""; more.hidden = true;
  }

  function showMore(mine) {
    var batch = current.slice(shown, shown + PAGE);
    shown += batch.length;
    more.hidden = shown >= current.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      if (mine !== token) return;
      items.forEach(function (d) { list.append(render(d)); });
    });
  }

  function marked(html) {
    // Pagefind's excerpt is escaped text with <mark>; rebuild it from nodes so nothing else runs.
    var out = document.createDocumentFragment();
    var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var m = document.createElement("mark"); m.textContent = node.textContent; out.append(m);
      } else {
        out.append(node.textContent);
      }
    });
    return out;
  }

  function formatDate(iso) {
    var p = (iso || "").split("-");
    if (p.length !== 3) return iso || "";
    return T.lang === "ja" ? +p[0] + "年" + +p[1] + "月" + +p[2] + "日" : iso;
  }

  function render(d) {
    var m = d.meta || {};
    var li = document.createElement("li");
    li.className = "search-result";
    var h = document.createElement("h2");
    var a = document.createElement("a");
    a.href = m.url || d.url; a.textContent = m.title || a.href;
    h.append(a);
    var meta = document.createElement("p");
    meta.className = "meta";
    var bits = [];
    if (m.date) bits.push(formatDate(m.date));
    if (m.reading_time) bits.push(text(T.tMinutes, { n: m.reading_time }));
    if (m.categories) bits.push(m.categories);
    meta.textContent = bits.join(" · ");
    li.append(h);
    if (bits.length) li.append(meta);
    if (m.summary) {
      var s = document.createElement("p"); s.className = "summary"; s.textContent = m.summary; li.append(s);
    }
    if (d.excerpt && input.value.trim()) {
      var hit = document.createElement("p"); hit.className = "hit"; hit.append(marked(d.excerpt)); li.append(hit);
    }
    return li;
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 200); });
  input.addEventListener("focus", function () { if (!nothingIndexed()) load(); }, { once: true });
  facets.addEventListener("change", function () { run(); });
  more.addEventListener("click", function () {
    var first = shown;
    showMore(token).then(function () {
      var link = list.children[first] && list.children[first].querySelector("a");
      if (link) link.focus();   // keyboard users land on the first new result
    });
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { input.value = ""; run(); }
    if (e.key === "ArrowDown") {
      var first = list.querySelector("a");
      if (first) { e.preventDefault(); first.focus(); }
    }
  });
  list.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll("h2 a"));
    var i = links.indexOf(document.activeElement);
    if (i < 0) return;
    e.preventDefault();
    if (e.key === "ArrowUp" && i === 0) input.focus();
    else if (links[i + (e.key === "ArrowDown" ? 1 : -1)]) links[i + (e.key === "ArrowDown" ? 1 : -1)].focus();
  });

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  if (input.value || FACETS.some(function (f) { return params.has(f); })) run();
})();
