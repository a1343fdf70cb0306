"""The helpers a section renderer gets: links into the document viewer, tables, figures.

A section renderer is ``render(report, page) -> str``: it reads the analysis's
envelope (``report["result"]`` etc.) and returns an HTML fragment built with
:class:`Page`.  Every link made here opens the document viewer at the document (and
the span) it names; every span linked is also highlighted when that document is
opened from anywhere in the report.
"""

from __future__ import annotations

import json
import math
import re
from html import escape
from typing import Any, Iterable, Mapping, Sequence

from . import svg
from .data import DocInfo, ReportData

__all__ = ["Page", "Column", "esc", "json_script"]


def esc(s: Any) -> str:
    """HTML-escape anything (``None`` becomes an empty string)."""
    return "" if s is None else escape(str(s), quote=True)


def json_script(obj: Any, id_: str) -> str:
    """A ``<script type="application/json">`` block that cannot close itself early."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str)
    text = text.replace("<", "\\u003c")  # nothing inside can close the block or open a comment
    return f'<script type="application/json" id="{esc(id_)}">{text}</script>'


def _finite(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _round(v: Any, places: int) -> Any:
    if isinstance(v, float):
        return round(v, places) if abs(v) >= 10 ** -places or v == 0 else float(f"{v:.2g}")
    if isinstance(v, dict) and isinstance(v.get("v"), float):
        return {**v, "v": _round(v["v"], places)}
    return v


def Column(label: str, kind: str = "text", *, digits: int | None = None, title: str = "", width: str = "") -> dict[str, Any]:
    """A table column: ``kind`` is ``text``, ``num`` or ``doc``; ``digits`` for floats."""
    c: dict[str, Any] = {"label": label, "kind": kind}
    if digits is not None:
        c["digits"] = digits
    if title:
        c["title"] = title
    if width:
        c["width"] = width
    return c


class Page:
    """Report-wide state handed to every section renderer."""

    def __init__(self, data: ReportData, *, evidence_budget: int = 40000) -> None:
        self.data = data
        self.analysis = ""  # the analysis whose section is being rendered
        self.analyses: list[str] = []
        self.evidence: dict[int, list[list[Any]]] = {}  # doc index -> [start, end, analysis index, label index]
        self.labels: list[str] = []
        self.span_counts: dict[tuple[str, str], int] = {}  # (doc id, analysis) -> evidence spans in its report
        self._labels: dict[str, int] = {}
        self._ev_seen: dict[tuple[int, int, int, int], list[Any]] = {}
        self._ev_count: dict[tuple[int, int], int] = {}
        n_docs = max(1, len(data.documents))
        n_an = max(1, len(data.reports))
        self.per_doc_cap = int(max(5, min(300, evidence_budget / (n_docs * n_an))))
        self._tables = 0
        self._ids: set[str] = set()
        self.esc = esc
        self.svg = svg

    # -- documents -------------------------------------------------------------
    def doc(self, doc_id: Any) -> DocInfo | None:
        """The document with this id (None if unknown)."""
        return self.data.doc(doc_id)

    def _doc_or_add(self, doc_id: Any) -> DocInfo | None:
        if doc_id is None:
            return None
        d = self.data.doc(doc_id)
        if d is None and isinstance(doc_id, str):
            d = self.data.add_unknown_doc(doc_id)
        return d

    def doc_label(self, doc_id: Any, *, title: bool = False) -> str:
        d = self.doc(doc_id)
        if d is None:
            return str(doc_id)
        if title and d.title:
            return d.title
        return d.id

    def link_attrs(self, doc_id: Any, start: int | None = None, end: int | None = None, *, label: str = "") -> dict[str, Any] | None:
        """``data-*`` attributes (for :mod:`svg` marks) opening ``doc_id`` at ``start:end``."""
        d = self._doc_or_add(doc_id)
        if d is None:
            return None
        a: dict[str, Any] = {"href": f"#doc={d.index}", "data-doc": d.index}
        if isinstance(start, int) and isinstance(end, int):
            a["href"] = f"#doc={d.index}&s={start}&e={end}"
            a["data-s"], a["data-e"] = start, end
            self.add_evidence(doc_id, start, end, label)
        return a

    def doc_link(self, doc_id: Any, label: Any = None, *, title: bool = False, cls: str = "doc") -> str:
        """A link that opens the document in the viewer (with all its evidence highlighted)."""
        d = self._doc_or_add(doc_id)
        text = label if label is not None else (d.title if (title and d and d.title) else (d.id if d else doc_id))
        if d is None:
            return esc(text)
        tip = f' title="{esc(d.id + (": " + d.title if d.title else ""))}"'
        return f'<a class="{cls}" href="#doc={d.index}" data-doc="{d.index}"{tip}>{esc(text)}</a>'

    def ev_link(self, span: Mapping[str, Any] | None, label: Any = None, *, doc: Any = None, tag: str = "", max_chars: int = 160) -> str:
        """A link to an evidence span (``{"start", "end", "text"[, "doc"]}``) showing ``label`` or the span's text."""
        if not isinstance(span, Mapping):
            return esc(label) if label is not None else ""
        doc_id = span.get("doc", doc)
        s, e = span.get("start"), span.get("end")
        text = span.get("text", "")
        if label is None:
            label = text if len(str(text)) <= max_chars else str(text)[: max_chars - 1] + "…"
        attrs = self.link_attrs(doc_id, s, e, label=tag)
        if attrs is None:
            return esc(label)
        tip = f"{doc_id} {s}–{e}"
        return (f'<a class="ev" href="{esc(attrs["href"])}" data-doc="{attrs["data-doc"]}"'
                + (f' data-s="{s}" data-e="{e}"' if "data-s" in attrs else "")
                + f' title="{esc(tip)}">{esc(label)}</a>')

    def add_evidence(self, doc_id: Any, start: Any, end: Any, label: str = "", analysis: str | None = None) -> None:
        """Highlight ``start:end`` in the document viewer for ``doc_id`` (capped per document and analysis)."""
        if not (isinstance(start, int) and isinstance(end, int)) or end < start:
            return
        d = self._doc_or_add(doc_id)
        if d is None:
            return
        name = analysis or self.analysis
        if name not in self.analyses:
            self.analyses.append(name)
        ai = self.analyses.index(name)
        key = (d.index, start, end, ai)
        label = label[:60]
        li = self._labels.get(label)
        if li is None:
            li = self._labels[label] = len(self.labels)
            self.labels.append(label)
        seen = self._ev_seen.get(key)
        if seen is not None:
            if label and not self.labels[seen[3]]:
                seen[3] = li  # a named label beats an anonymous one
            return
        ck = (d.index, ai)
        if self._ev_count.get(ck, 0) >= self.per_doc_cap:
            return
        self._ev_count[ck] = self._ev_count.get(ck, 0) + 1
        entry = [start, end, ai, li]
        self._ev_seen[key] = entry
        self.evidence.setdefault(d.index, []).append(entry)

    def cell(self, value: Any, doc: Any = None, span: Mapping[str, Any] | None = None, *, tip: str = "", highlight: bool = True,
             label: str = "") -> Any:
        """A table cell: ``value`` linked to a document, or to a span (``{"start", "end"[, "doc"]}``).

        The span is also highlighted whenever its document is opened (``highlight=False``: only from this link).
        """
        value = _finite(value)
        if span is not None and isinstance(span, Mapping):
            doc = span.get("doc", doc)
        d = self._doc_or_add(doc) if doc is not None else None
        if d is None and not tip:
            return value
        c: dict[str, Any] = {"v": value}
        if d is not None:
            c["d"] = d.index
            if span is not None and isinstance(span.get("start"), int) and isinstance(span.get("end"), int):
                c["s"], c["e"] = span["start"], span["end"]
                if highlight:
                    self.add_evidence(d.id, span["start"], span["end"], label or tip)
        if tip:
            c["t"] = tip
        return c

    # -- building blocks ---------------------------------------------------------------
    def uid(self, prefix: str) -> str:
        base = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in prefix) or "x"
        i, name = 1, base
        while name in self._ids:
            i += 1
            name = f"{base}-{i}"
        self._ids.add(name)
        return name

    def table(self, columns: Sequence[Mapping[str, Any] | str], rows: Iterable[Sequence[Any]], *, caption: str = "",
              page_size: int = 15, sort: tuple[int, str] | None = None, csv_name: str = "") -> str:
        """A sortable, filterable, paged table (rendered by the report's script from inline JSON)."""
        cols = [Column(c) if isinstance(c, str) else dict(c) for c in columns]
        # Floats are stored one decimal finer than shown (small file, same sort order as displayed).
        places = [(c.get("digits", 2) + 1) if c.get("kind") == "num" else 4 for c in cols]
        body = [[_round(_finite(v), places[i] if i < len(places) else 4) for i, v in enumerate(r)] for r in rows]
        if not body:
            return f'<p class="empty">{esc(caption + ": " if caption else "")}nothing to show.</p>'
        self._tables += 1
        tid = self.uid(f"t-{self.analysis or 'page'}-{self._tables}")
        spec: dict[str, Any] = {"columns": cols, "rows": body, "page": page_size,
                                "name": csv_name or f"{self.analysis or 'table'}-{self._tables}"}
        if sort:
            spec["sort"] = [sort[0], sort[1]]
        cap = f'<div class="rk-caption">{esc(caption)}</div>' if caption else ""
        return f'<div class="rk-table" data-src="{tid}">{cap}{json_script(spec, tid)}</div>'

    def kv_table(self, pairs: Iterable[tuple[str, Any]]) -> str:
        """A small two-column key/value table rendered directly (no paging)."""
        rows = "".join(f"<tr><th>{esc(k)}</th><td>{v if isinstance(v, Markup) else esc(svg.fmt_num(v, 3))}</td></tr>" for k, v in pairs)
        return f'<table class="kv">{rows}</table>' if rows else ""

    def figure(self, chart: str, caption: str = "", *, wide: bool = False) -> str:
        """A chart (SVG string) with a caption; nothing if the chart is empty."""
        if not chart:
            return ""
        cap = f"<figcaption>{caption}</figcaption>" if caption else ""
        m = re.search(r'<svg[^>]*\swidth="(\d+)"', chart)
        size = f' style="max-width:{m.group(1)}px"' if m and not wide else ""
        return f'<figure class="rk-fig{" wide" if wide else ""}"{size}>{chart}{cap}</figure>'

    def figures(self, *figs: str) -> str:
        """Figures side by side on wide screens."""
        inner = "".join(f for f in figs if f)
        return f'<div class="rk-figs">{inner}</div>' if inner else ""

    def note(self, text: str, kind: str = "info") -> str:
        return f'<p class="rk-note {esc(kind)}">{esc(text)}</p>'

    def h3(self, text: str, help_: str = "") -> str:
        h = f' <span class="help" title="{esc(help_)}">?</span>' if help_ else ""
        return f"<h3>{esc(text)}{h}</h3>"

    def generic(self, value: Any, *, title: str = "") -> str:
        """Any JSON value as readable tables (what unknown analyses get)."""
        from .sections.generic import render_value

        return render_value(self, value, title=title)

    def fmt(self, v: Any, digits: int = 2) -> str:
        return svg.fmt_num(v, digits)


class Markup(str):
    """A string that is already HTML (not escaped again by :meth:`Page.kv_table`)."""
