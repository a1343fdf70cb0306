"""Topics: prevalence, top-term bars per topic, a document–topic heat map, prevalence over time and by outlet."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from .. import svg
from ..page import Column, Page, esc
from .util import as_dict, as_list, date_of, docs_of, get, num, outlet, pretty, time_buckets

MAX_HEAT_ROWS = 50


def _topic_name(t: dict[str, Any], i: int) -> str:
    tid = t.get("id", i)
    lab = t.get("label")
    if not lab:
        terms = [str(x.get("term")) if isinstance(x, dict) else str(x) for x in as_list(t.get("terms"))[:3]]
        lab = " / ".join(terms)
    return f"T{tid}: {lab}" if lab else f"T{tid}"


def _doc_weights(d: dict[str, Any]) -> dict[Any, float]:
    out: dict[Any, float] = {}
    for e in as_list(d.get("topics")):
        if isinstance(e, dict) and num(e.get("weight")) is not None:
            out[e.get("topic")] = float(e["weight"])
    if not out and d.get("dominant_topic") is not None and num(d.get("dominant_weight")) is not None:
        out[d["dominant_topic"]] = float(d["dominant_weight"])
    return out


def render(report: dict[str, Any], page: Page) -> str:
    result = as_dict(report.get("result"))
    model = as_dict(result.get("model"))
    topics = [t for t in as_list(result.get("topics")) if isinstance(t, dict)]
    docs = docs_of(result)
    out = ""
    if not topics:
        out += page.note("No topics were fitted (see the warnings above).", "warn")

    # The model.
    pairs = []
    for key, lab in (("method", "method"), ("k", "topics (k)"), ("coherence", "coherence (NPMI)"), ("diversity", "diversity"),
                     ("iterations", "iterations"), ("converged", "converged")):
        if model.get(key) is not None:
            pairs.append((lab, model[key]))
    if num(get(model, "stability", "mean")) is not None:
        pairs.append(("stability (mean Jaccard over reruns)", get(model, "stability", "mean")))
    voc = as_dict(model.get("vocabulary"))
    if voc:
        pairs.append(("vocabulary", f"{voc.get('terms', '?')} terms ({voc.get('bigram_terms', 0)} bigrams) from "
                                    f"{voc.get('documents_with_terms', voc.get('documents', '?'))} documents"))
    out += page.kv_table(pairs)
    if model.get("coherence_measure"):
        out += f'<p class="meta">Coherence: {esc(model["coherence_measure"])}</p>'

    sweep = [s for s in as_list(get(model, "k_selection", "sweep")) if isinstance(s, dict) and s.get("k") is not None]
    figs = []
    if len(sweep) > 1:
        xs = [str(s["k"]) for s in sweep]
        series = [(pretty(m), [num(s.get(m)) for s in sweep]) for m in ("coherence", "diversity", "score") if any(num(s.get(m)) is not None for s in sweep)]
        chosen = [str(s["k"]) for s in sweep if s.get("chosen")]
        figs.append(page.figure(svg.line_chart(xs, series, title="Choosing k", width=460, height=200, digits=3),
                                esc(str(get(model, "k_selection", "criterion", default="")).rstrip(". ") + ".") + (f" Chosen: k = {esc(chosen[0])}." if chosen else "")))
    if topics:
        bars = [svg.Bar(_topic_name(t, i), num(t.get("prevalence")) or 0.0, tip=f"{_topic_name(t, i)}: prevalence {svg.fmt_num(t.get('prevalence'), 3)}, "
                        f"dominates {t.get('dominant_documents', '?')} documents", note=f"· {t.get('dominant_documents')} docs" if t.get("dominant_documents") is not None else "",
                        color=svg.color(i)) for i, t in enumerate(topics)]
        figs.append(page.figure(svg.bar_chart(bars, title="Topic prevalence", digits=3, width=560, label_w=230),
                                "Share of the corpus's topic weight; and how many documents each topic dominates."))
    out += page.figures(*figs)

    # One card per topic: top-term bars, diagnostics, representative documents.
    if topics:
        out += page.h3("Topics", "Top terms by weight; FREX = frequent and exclusive terms. Representative documents open at their most typical passage.")
        cards = []
        for i, t in enumerate(topics):
            terms = [x for x in as_list(t.get("terms")) if isinstance(x, dict) and x.get("term") is not None]
            bars = [svg.Bar(str(x["term"]), num(x.get("weight")) or 0.0, color=svg.color(i),
                            tip=f"{x['term']}: weight {svg.fmt_num(x.get('weight'), 4)}" + (f", exclusivity {svg.fmt_num(x.get('exclusivity'), 2)}" if x.get("exclusivity") is not None else ""))
                    for x in terms[:12]]
            chart = svg.bar_chart(bars, width=380, bar_h=13, digits=3, label_w=130) if bars else ""
            diag = " · ".join(f"{lab} {svg.fmt_num(t.get(k), 3)}" for k, lab in (("prevalence", "prevalence"), ("coherence", "NPMI"),
                                                                               ("exclusivity", "exclusivity"), ("stability", "stability")) if t.get(k) is not None)
            frex = [str(x.get("term") if isinstance(x, dict) else x) for x in as_list(t.get("frex_terms"))[:10]]
            reps = []
            for r in as_list(t.get("representative_documents"))[:5]:
                if not isinstance(r, dict):
                    continue
                ev = r.get("evidence")
                w = svg.fmt_num(r.get("weight"), 2)
                if isinstance(ev, dict):
                    ev = {**ev, "doc": ev.get("doc", r.get("doc"))}
                    snippet = str(ev.get("text", ""))
                    reps.append(f'<li>{page.doc_link(r.get("doc"))} ({w}): {page.ev_link(ev, snippet[:150] + ("…" if len(snippet) > 150 else ""), tag=_topic_name(t, i))}</li>')
                else:
                    reps.append(f'<li>{page.doc_link(r.get("doc"))} ({w})</li>')
            cards.append(f'<div class="cluster"><h4><span class="sw" style="background:{svg.color(i)}"></span>{esc(_topic_name(t, i))}</h4>'
                         f'<p class="meta">{esc(diag)}</p>{chart}'
                         + (f'<div class="chips">FREX: {"".join(f"<span class=chip>{esc(f)}</span>" for f in frex)}</div>' if frex else "")
                         + (f"<ul>{''.join(reps)}</ul>" if reps else "") + "</div>")
        out += f'<div class="grid2">{"".join(cards)}</div>'

    # Document–topic heat map (the documents most typical of each topic when there are many).
    if topics and docs:
        tids = [t.get("id", i) for i, t in enumerate(topics)]
        weights = {d["id"]: _doc_weights(d) for d in docs}
        chosen = [d for d in docs if weights[d["id"]]]
        note = ""
        if len(chosen) > MAX_HEAT_ROWS:
            per = max(1, MAX_HEAT_ROWS // len(tids))
            picked = []
            for tid in tids:
                ranked = sorted((d for d in chosen if d.get("dominant_topic") == tid), key=lambda d: (-(num(d.get("dominant_weight")) or 0), d["id"]))
                picked += ranked[:per]
            note = f" Showing the {len(picked)} documents most dominated by each topic, of {len(chosen):,}; the table below has them all."
            chosen = picked
        chosen.sort(key=lambda d: (tids.index(d.get("dominant_topic")) if d.get("dominant_topic") in tids else len(tids),
                                   -(num(d.get("dominant_weight")) or 0), d["id"]))
        matrix = [[weights[d["id"]].get(tid, 0.0) for tid in tids] for d in chosen]
        heat = svg.heatmap([d["id"] if not page.doc(d["id"]) or not page.doc(d["id"]).title else f'{d["id"][:14]} {page.doc(d["id"]).title}' for d in chosen],
                           [_topic_name(t, i) for i, t in enumerate(topics)], matrix, title="Document–topic weights",
                           row_links=[page.link_attrs(d["id"]) for d in chosen], width=760, cell_h=15)
        out += page.figure(heat, "Rows: documents, sorted by dominant topic; cells: topic weight (only each document's top topics are stored; others show 0)." + esc(note), wide=True)

    # Prevalence by group: the analysis's own, else outlet and time from metadata (share of documents dominated).
    groups = as_list(get(result, "prevalence_by_group", "groups"))
    if topics and groups:
        tids = [t.get("id", i) for i, t in enumerate(topics)]
        rows, matrix = [], []
        for g in groups:
            if not isinstance(g, dict):
                continue
            shares = {e.get("topic"): num(e.get("prevalence")) for e in as_list(g.get("topics")) if isinstance(e, dict)}
            rows.append(f"{g.get('group')} (n={g.get('documents', '?')})")
            matrix.append([shares.get(tid) for tid in tids])
        field = get(result, "prevalence_by_group", "field", default="group")
        unit = get(result, "prevalence_by_group", "unit", default="")
        is_time = field == "date" or unit in ("month", "day")
        timed = [i for i, r in enumerate(rows) if not r.startswith("(none)")]  # undated documents are not a period
        if is_time and len(timed) > 1:
            series = [(_topic_name(t, j), [matrix[i][j] for i in timed]) for j, t in enumerate(topics)]
            out += page.figure(svg.line_chart([rows[i].split(" (n=")[0] for i in timed], series, title=f"Topic prevalence by {field}", width=760, height=260, digits=3),
                               "Mean topic share of the documents in each period.", wide=True)
        out += page.figure(svg.heatmap(rows, [_topic_name(t, i) for i, t in enumerate(topics)], matrix, title=f"Topic prevalence by {field}",
                                       width=760, digits=2), f"Mean topic share per {esc(field)} group (group_by = {esc(get(report, 'parameters', 'group_by', default=''))}).", wide=True)
    elif topics and docs:
        tids = [t.get("id", i) for i, t in enumerate(topics)]
        names = [_topic_name(t, i) for i, t in enumerate(topics)]
        by_outlet: dict[str, Counter[Any]] = defaultdict(Counter)
        by_time: dict[str, Counter[Any]] = defaultdict(Counter)
        dates = []
        for d in docs:
            doc = page.doc(d["id"])
            if doc is None or d.get("dominant_topic") is None:
                continue
            o = outlet(doc.metadata)
            if o:
                by_outlet[o][d["dominant_topic"]] += 1
            dt = date_of(doc.metadata)
            if dt:
                dates.append((dt, d["dominant_topic"]))
        if len(by_outlet) >= 2:
            top_outlets = sorted(by_outlet, key=lambda o: (-sum(by_outlet[o].values()), o))[:25]
            matrix = [[by_outlet[o][tid] / max(1, sum(by_outlet[o].values())) for tid in tids] for o in top_outlets]
            out += page.figure(svg.heatmap([f"{o} (n={sum(by_outlet[o].values())})" for o in top_outlets], names, matrix,
                                           title="Topics by outlet", width=760, digits=2),
                               "Share of each outlet's documents that the topic dominates (outlet from the documents' metadata).", wide=True)
        if len({dt for dt, _ in dates}) >= 2:
            unit, buckets = time_buckets([dt for dt, _ in dates])
            keyf = (lambda s: s[:7]) if unit == "month" else (lambda s: s[:4])
            for dt, tid in dates:
                by_time[keyf(dt)][tid] += 1
            xs = [k for k, _ in buckets]
            series = [(names[j], [(by_time[x][tid] / sum(by_time[x].values())) if sum(by_time[x].values()) else None for x in xs])
                      for j, tid in enumerate(tids)]
            out += page.figure(svg.line_chart(xs, series, title=f"Topics over time (per {unit})", width=760, height=260, digits=2),
                               f"Share of each {unit}'s documents that the topic dominates ({len(dates):,} dated documents).", wide=True)

    # Every document.
    if docs:
        label_of = {t.get("id", i): _topic_name(t, i) for i, t in enumerate(topics)}
        rows = []
        for d in docs:
            others = [f"T{e.get('topic')} {svg.fmt_num(e.get('weight'), 2)}" for e in as_list(d.get("topics"))[1:] if isinstance(e, dict)]
            rows.append([page.cell(d["id"], doc=d["id"]), label_of.get(d.get("dominant_topic"), d.get("dominant_topic")),
                         num(d.get("dominant_weight")), d.get("terms"), ", ".join(others)])
        out += page.h3("Documents")
        out += page.table([Column("document", "doc"), Column("dominant topic"), Column("weight", "num", digits=2),
                           Column("terms", "num", digits=0, title="modelled terms in the document"), Column("other topics")],
                          rows, csv_name="topics-documents")
    return out
