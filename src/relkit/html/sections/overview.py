"""The corpus overview: documents, dates, outlets, lengths, what cleaning did, the run."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from .. import svg
from ..page import Column, Page, esc

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
SOURCE_FIELDS = ("source", "outlet", "publisher", "site", "domain")


def outlet(meta: dict[str, Any]) -> str | None:
    for f in SOURCE_FIELDS:
        v = meta.get(f)
        if v not in (None, ""):
            return str(v)
    return None


def date_of(meta: dict[str, Any]) -> str | None:
    for f in ("date", "published", "pubdate", "published_at", "datetime", "timestamp"):
        v = meta.get(f)
        if v not in (None, "") and _DATE.match(str(v).strip()):
            return str(v).strip()[:10]
    return None


def time_buckets(dates: list[str]) -> tuple[str, list[tuple[str, int]]]:
    """Counts per month when the dates span at most three years, else per year (empty periods included)."""
    months = sorted({d[:7] for d in dates if len(d) >= 7})
    years = sorted({d[:4] for d in dates})
    if not years:
        return "year", []
    y0, y1 = int(years[0]), int(years[-1])
    if months and y1 - y0 <= 3 and len(months) > 1:
        counts = Counter(d[:7] for d in dates if len(d) >= 7)
        keys = []
        y, m = int(months[0][:4]), int(months[0][5:7])
        while f"{y:04d}-{m:02d}" <= months[-1]:
            keys.append(f"{y:04d}-{m:02d}")
            m += 1
            if m > 12:
                y, m = y + 1, 1
        return "month", [(k, counts.get(k, 0)) for k in keys]
    counts = Counter(d[:4] for d in dates)
    return "year", [(str(y), counts.get(str(y), 0)) for y in range(y0, y1 + 1)]


def _card(label: str, value: str, sub: str = "", small: bool = False) -> str:
    return (f'<div class="card"><div class="card-v{" small" if small else ""}">{value}</div><div class="card-l">{esc(label)}</div>'
            + (f'<div class="card-s">{sub}</div>' if sub else "") + "</div>")


def render(page: Page, *, sections: list[dict[str, Any]]) -> str:
    data = page.data
    docs = data.documents
    manifest = data.manifest
    corpus = manifest.get("corpus") or {}
    n = corpus.get("documents", len(docs)) if isinstance(corpus, dict) else len(docs)
    dates = [d for d in (date_of(doc.metadata) for doc in docs) if d]
    outlets = Counter(o for o in (outlet(doc.metadata) for doc in docs) if o)
    chars = [doc.chars for doc in docs if isinstance(doc.chars, int)]
    removed = {doc.index: sum(max(0, s.get("end", 0) - s.get("start", 0)) for s in doc.cleaning if s.get("removed")) for doc in docs}
    cleaned_docs = sum(1 for doc in docs if any(s.get("removed") for s in doc.cleaning))
    ok = sum(1 for s in sections if s["ok"])

    cards = [_card("documents", f"{n:,}", f"{len(corpus.get('empty_documents') or [])} empty" if isinstance(corpus, dict) and corpus.get("empty_documents") else "")]
    if chars:
        st = svg.summarize(chars) or {}
        cards.append(_card("characters", f"{sum(chars):,}", f"median {st.get('median', 0):,.0f} per document"))
    if dates:
        cards.append(_card("date range", f'<span class="nowrap">{esc(min(dates))}</span><br><span class="nowrap">{esc(max(dates))}</span>',
                           f"{len(dates):,} of {len(docs):,} dated", small=True))
    if outlets:
        cards.append(_card("outlets", f"{len(outlets):,}", f"{sum(outlets.values()):,} documents attributed"))
    if docs and any(doc.cleaning for doc in docs):
        cards.append(_card("cleaned", f"{cleaned_docs:,}", f"{sum(removed.values()):,} characters set aside"))
    cards.append(_card("analyses", f"{ok} / {len(sections)}", "ran without error" if ok == len(sections) else
                       f'<span class="bad">{len(sections) - ok} failed</span>'))
    out = f'<div class="cards">{"".join(cards)}</div>'

    for note in data.notes:
        out += page.note(note, "warn")
    if not data.has_texts and docs:
        out += page.note("Document texts are not included: evidence links show offsets only.", "warn")

    figs = []
    if outlets:
        bars = [svg.Bar(k, v) for k, v in sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))[:25]]
        more = f" (top 25 of {len(outlets)})" if len(outlets) > 25 else ""
        figs.append(page.figure(svg.bar_chart(bars, title="Documents per outlet", digits=0, width=460), f"Outlet = metadata field source{more}."))
    if dates:
        unit, series = time_buckets(dates)
        if len(series) > 48:
            chart = svg.line_chart([k for k, _ in series], [("documents", [c for _, c in series])], title=f"Documents per {unit}", width=460, digits=0)
        else:
            chart = svg.column_chart([k for k, _ in series], [c for _, c in series], title=f"Documents per {unit}", width=460)
        figs.append(page.figure(chart, f"{len(dates):,} dated documents."))
    if len(chars) >= 3:
        figs.append(page.figure(svg.histogram(chars, title="Document length (characters)", width=460, x_label="characters"),
                                "Original text, before cleaning."))
    out += page.figures(*figs)

    # What cleaning did.
    steps: dict[str, dict[str, Any]] = {}
    fields: Counter[str] = Counter()
    for doc in docs:
        seen_steps = set()
        for s in doc.cleaning:
            name = str(s.get("step", "?"))
            st = steps.setdefault(name, {"docs": 0, "n": 0, "chars": 0, "fields": set(), "example": None})
            st["n"] += 1
            if s.get("removed"):
                st["chars"] += max(0, s.get("end", 0) - s.get("start", 0))
            if s.get("field"):
                st["fields"].add(str(s["field"]))
            if st["example"] is None:
                st["example"] = (doc.id, s)
            if name not in seen_steps:
                st["docs"] += 1
                seen_steps.add(name)
        for k in doc.metadata:
            fields[k] += 1
    if steps:
        out += page.h3("Cleaning", "Cleaning never rewrites text: it sets spans aside (shown struck through in the document viewer) and reads metadata.")
        rows = []
        for name, st in sorted(steps.items(), key=lambda kv: (-kv[1]["docs"], kv[0])):
            doc_id, s = st["example"]
            rows.append([name, st["docs"], st["n"], st["chars"], ", ".join(sorted(st["fields"])),
                         page.cell(str(s.get("text", ""))[:80], doc=doc_id, span=s, highlight=False)])
        out += page.table([Column("step"), Column("documents", "num", digits=0), Column("times", "num", digits=0),
                           Column("characters removed", "num", digits=0), Column("metadata read"), Column("example")], rows,
                          csv_name="cleaning")
    if fields and docs:
        rows = [[k, c, c / len(docs)] for k, c in sorted(fields.items(), key=lambda kv: (-kv[1], kv[0]))]
        out += page.h3("Metadata", "Fields found in the input (JSONL/CSV columns) or read by cleaning.")
        out += page.table([Column("field"), Column("documents", "num", digits=0), Column("share", "num", digits=2)], rows, csv_name="metadata")

    warnings = (corpus.get("warnings") if isinstance(corpus, dict) else None) or []
    if warnings:
        out += page.h3(f"Load warnings ({len(warnings)})")
        out += page.table([Column("file"), Column("line", "num", digits=0), Column("message")],
                          [[w.get("path"), w.get("line"), w.get("message")] for w in warnings if isinstance(w, dict)], csv_name="load-warnings")

    # The documents: every row opens the viewer.
    if docs:
        extra = sorted({k for doc in docs for k in doc.metadata if k not in ("title", "date", "source", "place")} )[:4]
        an_cols = [a for a in page.analyses if a and a != "overview"]
        cols = [Column("document", "doc"), Column("title"), Column("date"), Column("outlet"), Column("place")]
        cols += [Column(k) for k in extra]
        cols += [Column("characters", "num", digits=0), Column("set aside", "num", digits=0, title="characters removed by cleaning")]
        cols += [Column(a, "num", digits=0, title=f"evidence spans (offsets into the text) in the {a} report for this document") for a in an_cols]
        rows = []
        for doc in docs:
            row = [page.cell(doc.id, doc=doc.id), doc.title, date_of(doc.metadata), outlet(doc.metadata), doc.metadata.get("place")]
            row += [doc.metadata.get(k) if isinstance(doc.metadata.get(k), (str, int, float)) else None for k in extra]
            row += [doc.chars, removed.get(doc.index, 0)]
            row += [page.span_counts.get((doc.id, a), 0) for a in an_cols]
            rows.append(row)
        out += page.h3("Documents", "Click a document to read it with every analysis's evidence highlighted.")
        if page.per_doc_cap < 300 and page.evidence:
            out += page.note(f"The viewer highlights up to {page.per_doc_cap} findings per document and analysis "
                             "(links in the sections always highlight their own span).")
        out += page.table(cols, rows, page_size=15, csv_name="documents")

    # The run.
    out += page.h3("Run")
    an_rows = []
    for s in sections:
        an_rows.append([f'#{s["anchor"]}|{s["name"]}', s["plugin"], s["version"], "ok" if s["ok"] else "FAILED",
                        (manifest.get("analyses") or {}).get(s["name"], {}).get("seconds"), s["warnings"]])
    out += page.table([Column("analysis", "anchor"), Column("plugin"), Column("version"), Column("status"),
                       Column("seconds", "num", digits=2), Column("warnings", "num", digits=0)], an_rows, page_size=50, csv_name="analyses")
    pairs = []
    cmd = manifest.get("command")
    if isinstance(cmd, list):
        pairs.append(("command", " ".join(str(c) for c in cmd)))
    for k in ("relkit_version", "jobs", "seconds", "scheduler"):
        if manifest.get(k) is not None:
            pairs.append((k.replace("_", " "), manifest[k]))
    if isinstance(corpus, dict) and corpus.get("sha256"):
        pairs.append(("corpus sha256", corpus["sha256"]))
    if data.source:
        pairs.append(("reports from", data.source))
    out += page.kv_table(pairs)
    return out
