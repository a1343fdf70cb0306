"""Readability: distributions per measure and per group (outlet), hardest sentences, a table per document."""

from __future__ import annotations

from typing import Any

from .. import svg
from ..page import Column, Page, esc
from .util import as_dict, as_list, docs_of, get, group_docs, num, outlet, pretty

# Grade-level formulas share one axis (US school grade); the others have their own scales.
GRADE = ("flesch_kincaid_grade", "gunning_fog", "smog", "coleman_liau", "automated_readability_index",
         "dale_chall_grade", "linsear_write", "spache", "consensus_grade")
HEADLINE = ("consensus_grade", "flesch_kincaid_grade", "gunning_fog", "dale_chall_grade")
MAX_HARD = 200
TABLE_FORMULAS = ("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog", "coleman_liau",
                  "automated_readability_index", "dale_chall", "consensus_grade")


NAMES = {"flesch_reading_ease": "Flesch reading ease", "flesch_kincaid_grade": "Flesch–Kincaid grade", "gunning_fog": "Gunning fog",
         "smog": "SMOG", "coleman_liau": "Coleman–Liau", "automated_readability_index": "ARI", "dale_chall": "Dale–Chall",
         "dale_chall_grade": "Dale–Chall grade", "linsear_write": "Linsear Write", "spache": "Spache", "consensus_grade": "Consensus grade",
         "mtld": "MTLD", "mattr": "MATTR", "ttr": "TTR", "words_per_sentence": "Words per sentence"}


def label(name: str) -> str:
    return NAMES.get(name, pretty(name))


def _measure(entry: dict[str, Any], name: str) -> float | None:
    for sec in ("formulas", "ratios", "lexical_diversity", "counts"):
        v = num(get(entry, sec, name))
        if v is not None:
            return v
    v = num(entry.get(name))
    return v


def _reliable(entry: dict[str, Any], name: str) -> bool:
    r = get(entry, "reliable", name)
    return r is not False


def _flag_reason(entry: dict[str, Any], name: str) -> str:
    for f in as_list(entry.get("flags")):
        if isinstance(f, dict) and f.get("formula") == name and f.get("reason"):
            return str(f["reason"])
    return ""


def _headline(docs: list[dict[str, Any]]) -> str | None:
    for name in HEADLINE:
        if any(_measure(d, name) is not None for d in docs):
            return name
    return None


def _points(page: Page, docs: list[dict[str, Any]], name: str, ids: set[str] | None = None) -> list[tuple[float, Any, str]]:
    pts = []
    for d in docs:
        if ids is not None and d["id"] not in ids:
            continue
        v = _measure(d, name)
        if v is not None:
            rel = "" if _reliable(d, name) else " (unreliable: " + (_flag_reason(d, name) or "see flags") + ")"
            pts.append((v, page.link_attrs(d["id"]), f"{d['id']}: {svg.fmt_num(v, 2)}{rel}"))
    return pts


def render(report: dict[str, Any], page: Page) -> str:
    result = as_dict(report.get("result"))
    docs = docs_of(result)
    summary = as_dict(result.get("summary"))
    dists = as_dict(summary.get("distributions"))
    out = ""
    head = _headline(docs)

    # Headline figures: the median document and the corpus pooled (all words and sentences together).
    pooled = as_dict(get(summary, "pooled", "formulas"))
    rows = []
    for name in ("consensus_grade", "flesch_kincaid_grade", "gunning_fog", "smog", "coleman_liau", "dale_chall_grade", "flesch_reading_ease"):
        d = as_dict(dists.get(name))
        if num(d.get("median")) is not None or num(pooled.get(name)) is not None:
            rows.append(f"<tr><th>{esc(label(name))}</th><td>{page.fmt(num(d.get('median')), 1)}</td>"
                        f"<td>{page.fmt(num(pooled.get(name)), 1)}</td>"
                        f"<td>{page.doc_link(d.get('min_doc'), page.fmt(num(d.get('min')), 1)) if d.get('min_doc') else page.fmt(num(d.get('min')), 1)}"
                        f" – {page.doc_link(d.get('max_doc'), page.fmt(num(d.get('max')), 1)) if d.get('max_doc') else page.fmt(num(d.get('max')), 1)}</td></tr>")
    if rows:
        out += ('<table class="kv summary"><tr><th></th><th>median document</th><th>corpus pooled</th><th>range (click: document)</th></tr>'
                + "".join(rows) + "</table>")
    rt = as_dict(dists.get("reading_time_seconds"))
    if num(rt.get("median")) is not None:
        out += f'<p class="meta">Median reading time {rt["median"] / 60:.1f} min (total {page.fmt((num(rt.get("mean")) or 0) * (num(rt.get("count")) or 0) / 3600, 1)} h).</p>'

    # Distributions per measure: grade-scale formulas on one axis, points are documents.
    boxes = []
    for name in GRADE:
        pts = _points(page, docs, name)
        stats = svg.summarize(v for v, _, _ in pts)
        if not stats:
            continue
        n_unrel = sum(1 for d in docs if _measure(d, name) is not None and not _reliable(d, name))
        boxes.append(svg.Box(label(name), stats, pts, note=f"(n={stats['count']}{', ' + str(n_unrel) + ' unreliable' if n_unrel else ''})"))
    figs = []
    if boxes:
        figs.append(page.figure(svg.box_plot(boxes, title="Grade-level formulas (US school grade)", width=700, x_label="grade"),
                                "Each dot is a document (click to read it); box = quartiles, bar = median, ring = mean. "
                                "Unreliable values (too few words or sentences for the formula) are named in the dot's tooltip."))
    others = []
    for name, title in (("flesch_reading_ease", "Flesch reading ease (0–100, higher = easier)"), ("dale_chall", "Dale–Chall score"),
                        ("mtld", "MTLD (lexical diversity)"), ("words_per_sentence", "Words per sentence")):
        pts = _points(page, docs, name)
        stats = svg.summarize(v for v, _, _ in pts)
        if stats:
            others.append(page.figure(svg.box_plot([svg.Box("documents", stats, pts)], title=title, width=460)))
    out += page.figures(*figs) + page.figures(*others)

    # Per group: the analysis's own groups, else outlets from the documents' metadata.
    measure = head or "flesch_reading_ease"
    groups = as_dict(result.get("groups"))
    gboxes = []
    source = ""
    if groups:
        source = f"group_by = {result.get('group_by') or get(report, 'parameters', 'group_by') or '?'}"
        for key, g in groups.items():
            d = as_dict(get(g, "distributions", measure))
            stats = {k: d.get(k) for k in ("min", "q1", "median", "q3", "max", "mean", "count")}
            if all(num(stats.get(k)) is not None for k in ("min", "q1", "median", "q3", "max")):
                gboxes.append(svg.Box(str(key), stats, link_min=page.link_attrs(d.get("min_doc")), link_max=page.link_attrs(d.get("max_doc"))))
    else:
        by_outlet = group_docs(page, [d["id"] for d in docs], outlet)
        if len(by_outlet) >= 2:
            source = "outlet, from the documents' metadata"
            for key, ids in sorted(by_outlet.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:30]:
                pts = _points(page, docs, measure, set(ids))
                stats = svg.summarize(v for v, _, _ in pts)
                if stats:
                    gboxes.append(svg.Box(key, stats, pts))
    if gboxes:
        gboxes.sort(key=lambda b: -(num(b.stats.get("median")) or 0))
        out += page.h3(f"{label(measure)} by group", "Sorted hardest first. " + source)
        out += page.figure(svg.box_plot(gboxes, title=f"{label(measure)} by {source.split(',')[0]}", width=700, x_label="grade"
                                        if measure in GRADE else ""), esc(source), wide=True)

    # The hardest sentences across the corpus.
    hard = []
    for d in docs:
        for s in as_list(d.get("hard_sentences")):
            if isinstance(s, dict) and isinstance(s.get("start"), int):
                hard.append((d["id"], s))
    if hard:
        hard.sort(key=lambda x: (-(num(x[1].get("grade")) or 0), x[0], x[1].get("start", 0)))
        total = len(hard)
        hard = hard[:MAX_HARD]
        rows = []
        for doc_id, s in hard:
            t = str(s.get("text", ""))
            hw = [str(w.get("text")) for w in as_list(s.get("hard_words")) if isinstance(w, dict)]
            rows.append([page.cell(doc_id, doc=doc_id), page.cell(num(s.get("grade")), doc=doc_id, span=s, tip="hard sentence"),
                         s.get("words"), s.get("syllables"), page.cell(t[:160] + ("…" if len(t) > 160 else ""), doc=doc_id, span=s),
                         ", ".join(hw[:8])])
            for w in as_list(s.get("hard_words"))[:12]:
                if isinstance(w, dict):
                    page.add_evidence(doc_id, w.get("start"), w.get("end"), "hard word")
        out += page.h3("Hardest sentences" + (f" (the {MAX_HARD} hardest of {total:,})" if total > MAX_HARD else ""),
                       "Each document's hardest sentences by grade; click to read them in context.")
        out += page.table([Column("document", "doc"), Column("grade", "num", digits=1), Column("words", "num", digits=0),
                           Column("syllables", "num", digits=0), Column("sentence"), Column("hard words")], rows, page_size=10,
                          csv_name="readability-hard-sentences")

    # Every document.
    if docs:
        present = [f for f in TABLE_FORMULAS if any(_measure(d, f) is not None for d in docs)]
        cols = [Column("document", "doc"), Column("outlet"), Column("words", "num", digits=0), Column("sentences", "num", digits=0)]
        cols += [Column(label(f), "num", digits=1, title=f"{f} (grey: unreliable for this document)") for f in present]
        cols += [Column("MTLD", "num", digits=1), Column("reading min", "num", digits=1), Column("unreliable", title="formulas flagged unreliable for this document (see the report's flags for why)")]
        rows = []
        for d in docs:
            doc = page.doc(d["id"])
            row = [page.cell(d["id"], doc=d["id"]), outlet(doc.metadata) if doc else None,
                   num(get(d, "counts", "words")), num(get(d, "counts", "sentences"))]
            for f in present:
                v = _measure(d, f)
                row.append(v if _reliable(d, f) or v is None else {"v": v, "c": "dim"})
            rt_min = num(get(d, "reading_time", "minutes"))
            flags = [f for f in as_list(d.get("flags")) if isinstance(f, dict) and f.get("reliable") is not True]
            row += [num(get(d, "lexical_diversity", "mtld")), rt_min,
                    ", ".join(str(f.get("formula", "?")) for f in flags)]
            rows.append(row)
        out += page.h3("Documents", "Grey values are unreliable for that document (too few words or sentences for the formula), as listed in the last column.")
        sort_col = 4 + present.index(head) if head in present else 2
        out += page.table(cols, rows, page_size=15, sort=(sort_col, "desc"), csv_name="readability-documents")
    unrel = as_dict(summary.get("unreliable_documents"))
    if unrel:
        bits = ", ".join(f"{pretty(k)} {v}" for k, v in unrel.items() if isinstance(v, int) and v)
        if bits:
            out += page.note(f"Documents with an unreliable value, per measure: {bits}.")
    if not out:
        from . import generic

        return generic.render(report, page)
    return out
