/* relkit HTML report: tables (sort, filter, pages, CSV), the document viewer, navigation. No dependencies. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("rk-data").textContent);
  var DOCS = DATA.docs || [];

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }
  function fmt(v, digits) {
    if (v === null || v === undefined) return "–";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v !== "number") return String(v);
    if (!isFinite(v)) return "–";
    if (digits === undefined) digits = Number.isInteger(v) ? 0 : 3;
    if (digits === 0) return Math.round(v).toLocaleString("en-US");
    var a = Math.abs(v);
    if (a !== 0 && a < Math.pow(10, -digits)) return v.toPrecision(2);
    return v.toLocaleString("en-US", {minimumFractionDigits: digits, maximumFractionDigits: digits});
  }
  function cellValue(c) { return (c !== null && typeof c === "object" && !Array.isArray(c)) ? c.v : c; }
  function docHref(d, s, e) { return "#doc=" + d + (s !== undefined && s !== null ? "&s=" + s + "&e=" + e : ""); }

  // ---- tables ---------------------------------------------------------------------------
  function Table(el) {
    var src = document.getElementById(el.getAttribute("data-src"));
    var spec = JSON.parse(src.textContent);
    this.el = el; this.cols = spec.columns; this.rows = spec.rows; this.name = spec.name || "table";
    this.pageSize = spec.page || 15; this.page = 0; this.filter = ""; this.view = this.rows.slice();
    this.sortCol = spec.sort ? spec.sort[0] : -1; this.sortDir = spec.sort ? spec.sort[1] : "desc";
    this.build();
    if (this.sortCol >= 0) this.sort(this.sortCol, this.sortDir); else this.render();
  }
  Table.prototype.build = function () {
    var self = this, n = this.rows.length;
    var tools = document.createElement("div");
    tools.className = "rk-tools";
    var big = n > this.pageSize;
    tools.innerHTML = (n >= 5 ? '<input type="search" placeholder="Filter ' + n.toLocaleString("en-US") +
        ' rows (text, or column:text, column>number)" aria-label="Filter rows">' : "") +
      '<span class="rk-count"></span>' +
      (big ? '<span class="rk-pager"><button type="button" data-p="prev">‹ prev</button> <button type="button" data-p="next">next ›</button> ' +
        '<select aria-label="Rows per page"><option value="' + this.pageSize + '">' + this.pageSize + '</option><option value="50">50</option>' +
        '<option value="200">200</option><option value="0">all</option></select></span>' : "") +
      '<button type="button" data-csv="1" title="Download the filtered rows as CSV">CSV</button>';
    var scroll = document.createElement("div");
    scroll.className = "rk-scroll";
    var head = this.cols.map(function (c, i) {
      var cls = c.kind === "num" ? ' class="num"' : "";
      return "<th" + cls + ' data-i="' + i + '"' + (c.title ? ' title="' + esc(c.title) + '"' : "") + ">" + esc(c.label) + "</th>";
    }).join("");
    scroll.innerHTML = '<table class="rk"><thead><tr>' + head + "</tr></thead><tbody></tbody></table>";
    this.el.appendChild(tools); this.el.appendChild(scroll);
    this.tbody = scroll.querySelector("tbody"); this.count = tools.querySelector(".rk-count");
    scroll.querySelector("thead").addEventListener("click", function (ev) {
      var th = ev.target.closest("th"); if (!th) return;
      var i = +th.getAttribute("data-i");
      var dir = (self.sortCol === i && self.sortDir === "desc") ? "asc" : (self.sortCol === i ? "desc" : (self.cols[i].kind === "num" ? "desc" : "asc"));
      self.sort(i, dir);
    });
    var input = tools.querySelector("input");
    if (input) input.addEventListener("input", function () { self.filter = input.value; self.apply(); });
    tools.addEventListener("click", function (ev) {
      var b = ev.target.closest("button"); if (!b) return;
      if (b.getAttribute("data-p") === "prev") { self.page = Math.max(0, self.page - 1); self.render(); }
      else if (b.getAttribute("data-p") === "next") { self.page += 1; self.render(); }
      else if (b.getAttribute("data-csv")) self.csv();
    });
    var sel = tools.querySelector("select");
    if (sel) sel.addEventListener("change", function () { self.pageSize = +sel.value || Infinity; self.page = 0; self.render(); });
  };
  Table.prototype.matcher = function () {
    var cols = this.cols, tests = [];
    var tokens = this.filter.toLowerCase().match(/"[^"]*"|\S+/g) || [];
    tokens.forEach(function (tok) {
      tok = tok.replace(/^"|"$/g, "");
      var m = tok.match(/^([^:<>=]+?)(:|>=|<=|>|<|=)(.+)$/);
      if (m) {
        var name = m[1].trim(), idx = -1;
        cols.forEach(function (c, i) { if (idx < 0 && c.label.toLowerCase().replace(/\s+/g, "_").indexOf(name) === 0) idx = i; });
        if (idx < 0) cols.forEach(function (c, i) { if (idx < 0 && c.label.toLowerCase().indexOf(name) === 0) idx = i; });
        if (idx >= 0) {
          var op = m[2], arg = m[3], num = parseFloat(arg);
          tests.push(function (row) {
            var v = cellValue(row[idx]);
            if (op === ":") return v !== null && v !== undefined && String(v).toLowerCase().indexOf(arg) >= 0;
            if (v === null || v === undefined || isNaN(num)) return op === "=" && String(v).toLowerCase() === arg;
            var x = +v;
            return op === ">" ? x > num : op === "<" ? x < num : op === ">=" ? x >= num : op === "<=" ? x <= num : (x === num || String(v).toLowerCase() === arg);
          });
          return;
        }
      }
      tests.push(function (row) {
        for (var i = 0; i < row.length; i++) {
          var v = cellValue(row[i]);
          if (v !== null && v !== undefined && String(v).toLowerCase().indexOf(tok) >= 0) return true;
        }
        return false;
      });
    });
    return function (row) { for (var i = 0; i < tests.length; i++) if (!tests[i](row)) return false; return true; };
  };
  Table.prototype.apply = function () {
    var ok = this.matcher();
    this.view = this.rows.filter(ok);
    if (this.sortCol >= 0) this.sortView();
    this.page = 0; this.render();
  };
  Table.prototype.sortView = function () {
    var i = this.sortCol, sign = this.sortDir === "asc" ? 1 : -1, num = this.cols[i].kind === "num";
    this.view.sort(function (a, b) {
      var x = cellValue(a[i]), y = cellValue(b[i]);
      var xn = x === null || x === undefined || x === "", yn = y === null || y === undefined || y === "";
      if (xn || yn) return xn === yn ? 0 : (xn ? 1 : -1);  // empty cells last either way
      if (num || (typeof x === "number" && typeof y === "number")) return sign * (x - y);
      return sign * String(x).localeCompare(String(y), undefined, {numeric: true});
    });
  };
  Table.prototype.sort = function (i, dir) {
    this.sortCol = i; this.sortDir = dir; this.sortView(); this.page = 0;
    var ths = this.el.querySelectorAll("th");
    for (var k = 0; k < ths.length; k++) ths[k].removeAttribute("aria-sort");
    ths[i].setAttribute("aria-sort", dir === "asc" ? "ascending" : "descending");
    this.render();
  };
  Table.prototype.cellHTML = function (c, col) {
    var v = cellValue(c), text;
    if (col.kind === "anchor" && typeof v === "string" && v.charAt(0) === "#") {
      var bar = v.indexOf("|");
      return '<a href="' + esc(v.slice(0, bar)) + '">' + esc(v.slice(bar + 1)) + "</a>";
    }
    text = col.kind === "num" ? fmt(v, col.digits) : (v === null || v === undefined ? "" : (typeof v === "number" ? fmt(v, col.digits) : String(v)));
    if (c !== null && typeof c === "object" && !Array.isArray(c) && c.d !== undefined) {
      var hasSpan = c.s !== undefined;
      var title = c.t || (DOCS[c.d] ? DOCS[c.d].id + (hasSpan ? " " + c.s + "–" + c.e : "") : "");
      return '<a class="' + (hasSpan ? "ev" : "doc") + '" href="' + docHref(c.d, c.s, c.e) + '" data-doc="' + c.d + '"' +
        (hasSpan ? ' data-s="' + c.s + '" data-e="' + c.e + '"' : "") + ' title="' + esc(title) + '">' + esc(text) + "</a>";
    }
    if (c !== null && typeof c === "object" && (c.t || c.c)) return '<span' + (c.c ? ' class="' + esc(c.c) + '"' : "") + (c.t ? ' title="' + esc(c.t) + '"' : "") + ">" + esc(text) + "</span>";
    return esc(text);
  };
  Table.prototype.render = function () {
    var n = this.view.length, size = this.pageSize, pages = Math.max(1, Math.ceil(n / size));
    if (this.page >= pages) this.page = pages - 1;
    var start = size === Infinity ? 0 : this.page * size, end = Math.min(n, start + size);
    var cols = this.cols, self = this, out = [];
    for (var r = start; r < end; r++) {
      var row = this.view[r];
      out.push("<tr>" + cols.map(function (col, i) {
        return "<td" + (col.kind === "num" ? ' class="num"' : "") + ">" + self.cellHTML(row[i], col) + "</td>";
      }).join("") + "</tr>");
    }
    this.tbody.innerHTML = out.join("");
    var total = this.rows.length;
    this.count.textContent = n === 0 ? "no rows match" : (start + 1) + "–" + end + " of " + n.toLocaleString("en-US") +
      (n < total ? " (filtered from " + total.toLocaleString("en-US") + ")" : "");
    var prev = this.el.querySelector('[data-p="prev"]'), next = this.el.querySelector('[data-p="next"]');
    if (prev) { prev.disabled = this.page === 0; next.disabled = end >= n; }
  };
  Table.prototype.csv = function () {
    var q = function (v) { v = v === null || v === undefined ? "" : String(v); return /[",\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; };
    var cols = this.cols;
    var lines = [cols.map(function (c) { return q(c.label); }).join(",")];
    this.view.forEach(function (row) {
      lines.push(row.map(function (c, i) {
        var v = cellValue(c);
        if (cols[i].kind === "anchor" && typeof v === "string") v = v.slice(v.indexOf("|") + 1);
        return q(v);
      }).join(","));
    });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([lines.join("\n") + "\n"], {type: "text/csv"}));
    a.download = this.name + ".csv";
    document.body.appendChild(a); a.click(); a.remove();
  };

  var tables = [];
  var els = document.querySelectorAll(".rk-table[data-src]");
  for (var i = 0; i < els.length; i++) tables.push(new Table(els[i]));

  // ---- document viewer ------------------------------------------------------------------
  var viewer = document.getElementById("rk-viewer");
  var vtext = viewer.querySelector(".rk-vtext"), vtitle = viewer.querySelector(".rk-vtitle"),
    vmeta = viewer.querySelector(".rk-vmeta"), vlegend = viewer.querySelector(".rk-vlegend"),
    vfocus = viewer.querySelector(".rk-vfocus");
  var hidden = {};  // analysis index -> true when switched off
  var current = null;

  // Offsets in the reports count code points (Python); JavaScript strings count UTF-16 units.
  var u16cache = {};
  function u16(d) {
    var text = DOCS[d] && DOCS[d].x;
    if (!text || !/[\uD800-\uDFFF]/.test(text)) return function (i) { return i; };
    if (!u16cache[d]) {
      var map = [], k = 0;
      for (var i = 0; i < text.length; i++) {
        map.push(i);
        var c = text.charCodeAt(i);
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.length) i++;
        k++;
      }
      map.push(text.length);
      u16cache[d] = map;
    }
    var m = u16cache[d];
    return function (i) { return i < m.length ? m[i] : text.length; };
  }

  function openDoc(d, s, e, label) {
    var doc = DOCS[d];
    if (!doc) return;
    current = {d: d, s: s, e: e, label: label};
    viewer.hidden = false;
    vtitle.innerHTML = esc(doc.t || doc.id) + "<small>" + esc(doc.id) + " · document " + (d + 1) + " of " + DOCS.length + "</small>";
    var meta = Object.keys(doc.m || {}).map(function (k) { return esc(k) + ": <strong>" + esc(doc.m[k]) + "</strong>"; });
    if (doc.x !== null && doc.x !== undefined) meta.push(doc.x.length.toLocaleString("en-US") + " characters");
    vmeta.innerHTML = meta.join(" · ");
    var evs = (DATA.evidence || {})[d] || [];
    var counts = {};
    evs.forEach(function (ev) { counts[ev[2]] = (counts[ev[2]] || 0) + 1; });
    var legend = Object.keys(counts).map(function (k) {
      return '<label><input type="checkbox" data-a="' + k + '"' + (hidden[k] ? "" : " checked") + '><span class="sw a' + k + '"></span>' +
        esc(DATA.analyses[k]) + " (" + counts[k] + ")</label>";
    });
    if (doc.r && doc.r.length) legend.push('<span><span class="sw rm"></span>set aside by cleaning (' + doc.r.length + ")</span>");
    vlegend.innerHTML = legend.join("");
    if (s !== undefined && s !== null) {
      var cv = u16(d), snippet = doc.x ? doc.x.slice(cv(s), cv(e)) : (label || "");
      vfocus.innerHTML = "Characters " + s + "–" + e + (snippet ? ": “" + esc(snippet.length > 240 ? snippet.slice(0, 239) + "…" : snippet) + "”" : "");
    } else vfocus.innerHTML = "";
    drawText();
    history.replaceState(null, "", docHref(d, s, e));
  }

  function drawText() {
    var doc = DOCS[current.d], text = doc.x;
    if (text === null || text === undefined) {
      vtext.innerHTML = '<span class="notext">' + (DATA.packed ? (DATA.unpack_error || "Unpacking the texts…") :
        "The text of this document is not included in the report.") + "</span>";
      return;
    }
    var spans = [], cv = u16(current.d);
    ((DATA.evidence || {})[current.d] || []).forEach(function (ev) {
      if (!hidden[ev[2]] && ev[1] > ev[0]) spans.push({s: cv(ev[0]), e: cv(ev[1]), k: "a" + ev[2], t: DATA.analyses[ev[2]] + ((DATA.labels || [])[ev[3]] ? ": " + DATA.labels[ev[3]] : "")});
    });
    (doc.r || []).forEach(function (r) { if (r[1] > r[0]) spans.push({s: cv(r[0]), e: cv(r[1]), k: "rm", t: "set aside by cleaning: " + r[2]}); });
    if (current.s !== undefined && current.s !== null) spans.push({s: cv(current.s), e: cv(Math.max(current.e, current.s)), k: "focus", t: "selected"});
    var cuts = {0: 1}; cuts[text.length] = 1;
    spans.forEach(function (sp) { sp.s = Math.max(0, Math.min(text.length, sp.s)); sp.e = Math.max(sp.s, Math.min(text.length, sp.e)); cuts[sp.s] = 1; cuts[sp.e] = 1; });
    var bounds = Object.keys(cuts).map(Number).sort(function (a, b) { return a - b; });
    var index = {}; bounds.forEach(function (b, i) { index[b] = i; });
    var segs = bounds.slice(0, -1).map(function () { return []; });
    spans.forEach(function (sp) { for (var i = index[sp.s]; i < index[sp.e]; i++) segs[i].push(sp); });
    var out = [], focusSeen = false;
    for (var i = 0; i < segs.length; i++) {
      var piece = esc(text.slice(bounds[i], bounds[i + 1])), act = segs[i];
      if (!act.length) { out.push(piece); continue; }
      var cls = [], tips = [], hl = null, rm = false, focus = false;
      act.forEach(function (sp) {
        if (sp.k === "rm") rm = true; else if (sp.k === "focus") focus = true; else hl = sp.k;
        if (tips.indexOf(sp.t) < 0) tips.push(sp.t);
      });
      if (hl) cls.push("hl", hl);
      if (rm) cls.push("rm");
      if (focus) cls.push("focus");
      var id = focus && !focusSeen ? ' id="rk-focus"' : "";
      if (focus) focusSeen = true;
      out.push("<span" + id + ' class="' + cls.join(" ") + '" title="' + esc(tips.slice(0, 6).join("\n")) + '">' + piece + "</span>");
    }
    vtext.innerHTML = out.join("");
    var f = document.getElementById("rk-focus");
    if (f) f.scrollIntoView({block: "center"}); else vtext.scrollTop = 0;
  }

  function closeViewer() {
    viewer.hidden = true; current = null;
    history.replaceState(null, "", location.pathname + location.search);
  }

  vlegend.addEventListener("change", function (ev) {
    var a = ev.target.getAttribute("data-a");
    if (a === null) return;
    if (ev.target.checked) delete hidden[a]; else hidden[a] = true;
    drawText();
  });
  viewer.querySelector(".rk-vnav").addEventListener("click", function (ev) {
    var b = ev.target.closest("button"); if (!b || !current) return;
    var act = b.getAttribute("data-act");
    if (act === "close") closeViewer();
    else if (act === "prev" && current.d > 0) openDoc(current.d - 1);
    else if (act === "next" && current.d < DOCS.length - 1) openDoc(current.d + 1);
  });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape" && !viewer.hidden) closeViewer(); });
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("[data-doc]");
    if (!a) return;
    ev.preventDefault();
    var s = a.getAttribute("data-s"), e = a.getAttribute("data-e");
    // From an analysis's section: show that analysis's evidence (the others can be switched on in the legend).
    var sec = a.closest("section[data-analysis]"), only = sec ? DATA.analyses.indexOf(sec.getAttribute("data-analysis")) : -1;
    hidden = {};
    if (only >= 0) DATA.analyses.forEach(function (_, k) { if (k !== only) hidden[k] = true; });
    openDoc(+a.getAttribute("data-doc"), s === null ? undefined : +s, e === null ? undefined : +e, a.textContent);
  });
  function fromHash() {
    var m = location.hash.match(/^#doc=(\d+)(?:&s=(\d+)&e=(\d+))?$/);
    if (m) openDoc(+m[1], m[2] === undefined ? undefined : +m[2], m[3] === undefined ? undefined : +m[3]);
  }
  window.addEventListener("hashchange", fromHash);

  // ---- navigation and printing -------------------------------------------------------------
  var navLinks = document.querySelectorAll(".rk-nav a");
  if ("IntersectionObserver" in window) {
    var obs = new IntersectionObserver(function (entries) {
      entries.forEach(function (en) {
        if (!en.isIntersecting) return;
        for (var i = 0; i < navLinks.length; i++) navLinks[i].classList.toggle("active", navLinks[i].getAttribute("href") === "#" + en.target.id);
      });
    }, {rootMargin: "-45% 0px -50% 0px"});
    var secs = document.querySelectorAll(".rk-section");
    for (var k = 0; k < secs.length; k++) obs.observe(secs[k]);
  }
  document.getElementById("rk-print").addEventListener("click", function () { window.print(); });

  function ready() {
    fromHash();
    window.relkit = {openDoc: openDoc, closeViewer: closeViewer, tables: tables, data: DATA};
    document.documentElement.setAttribute("data-ready", "1");
  }
  // Large reports carry the texts gzip-compressed: unpack them before the viewer is used.
  if (DATA.packed) {
    if (typeof DecompressionStream === "undefined") {
      DATA.unpack_error = "this browser cannot unpack the document texts (it lacks DecompressionStream)";
      ready();
    } else {
      var bin = atob(DATA.packed), bytes = new Uint8Array(bin.length);
      for (var b = 0; b < bin.length; b++) bytes[b] = bin.charCodeAt(b);
      new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text().then(function (txt) {
        var un = JSON.parse(txt);
        un.texts.forEach(function (t, k) { if (DOCS[k]) DOCS[k].x = t; });
        DATA.evidence = un.evidence;
        DATA.labels = un.labels;
        DATA.packed = null;
        if (current) openDoc(current.d, current.s, current.e, current.label);
        ready();
      });
    }
  } else ready();
})();
