"""Rhetoric: speakers with quote counts and tone, quotes, tone, stance, frames and persuasion cues with their sentences."""

from __future__ import annotations

from typing import Any

from .. import svg
from ..page import Column, Page, esc
from .util import as_dict, as_list, docs_of, get, group_docs, num, outlet, pretty

MAX_QUOTES = 600
MAX_CUES = 600
MAX_HEAT_ROWS = 50


def _context(page: Page, doc_id: Any, start: int, end: int, width: int = 110) -> str:
    """The text around ``start:end`` (to sentence-ish bounds), the span in «»."""
    d = page.doc(doc_id)
    if d is None or not d.text or not (0 <= start <= end <= len(d.text)):
        return ""
    t = d.text
    lo = max(0, start - width)
    cut = max(t.rfind(". ", lo, start), t.rfind("\n", lo, start))
    lo = cut + 1 if cut >= 0 else lo
    hi = min(len(t), end + width)
    stop = [i for i in (t.find(". ", end, hi), t.find("\n", end, hi)) if i >= 0]
    hi = min(stop) + 1 if stop else hi
    pre, mid, post = t[lo:start].lstrip(), t[start:end], t[end:hi].rstrip()
    return ("…" if lo > 0 and not pre[:1].isupper() else "") + f"{pre}«{mid}»{post}" + ("…" if hi < len(t) and post[-1:] not in ".!?" else "")


def _tone_color(v: float | None) -> str:
    if v is None:
        return "#999"
    return svg.POS if v >= 0.05 else (svg.NEG if v <= -0.05 else "#8a94a6")


def render(report: dict[str, Any], page: Page) -> str:
    result = as_dict(report.get("result"))
    summary = as_dict(result.get("summary"))
    docs = docs_of(result)
    out = ""

    # Headline numbers.
    q = as_dict(summary.get("quotes"))
    tone = as_dict(summary.get("tone"))
    cards = []
    if q:
        cards.append(("quotes", page.fmt(sum(v for k, v in q.items() if k in ("direct", "mixed", "indirect") and isinstance(v, int)), 0),
                      f"{q.get('direct', 0)} direct · {q.get('mixed', 0)} mixed · {q.get('indirect', 0)} indirect"))
        if num(q.get("quoted_word_share")) is not None:
            cards.append(("of words quoted", f"{100 * q['quoted_word_share']:.0f}%", f"{page.fmt(q.get('quoted_words'), 0)} words"))
        if q.get("without_speaker") is not None:
            cards.append(("quotes without speaker", page.fmt(q.get("without_speaker"), 0), ""))
    speakers = [s for s in as_list(result.get("speakers")) if isinstance(s, dict)]
    if speakers:
        cards.append(("speakers", page.fmt(len(speakers), 0), ""))
    if num(tone.get("mean_of_documents")) is not None:
        cards.append(("tone (mean of documents)", f"{tone['mean_of_documents']:+.2f}",
                      f"{100 * (num(tone.get('positive_share')) or 0):.0f}% positive · {100 * (num(tone.get('negative_share')) or 0):.0f}% negative sentences"))
    if cards:
        out += '<div class="cards">' + "".join(
            f'<div class="card"><div class="card-v">{v}</div><div class="card-l">{esc(lab)}</div><div class="card-s">{esc(sub)}</div></div>'
            for lab, v, sub in cards) + "</div>"

    # Speakers: who is quoted, how much, in what tone.
    if speakers:
        out += page.h3("Speakers", "Quotes attributed to each speaker (direct, mixed and indirect), the tone of what they are quoted saying, and their dominant frame.")
        top = sorted(speakers, key=lambda s: (-(num(s.get("quotes")) or 0), str(s.get("speaker"))))[:25]
        bars, tbars = [], []
        for s in top:
            name = str(s.get("speaker", "?"))
            ex = next((e for e in as_list(s.get("examples")) if isinstance(e, dict) and isinstance(e.get("start"), int)), None)
            link = page.link_attrs(ex.get("doc"), ex.get("start"), ex.get("end"), label=f"quote: {name}") if ex else None
            t = num(get(s, "profile", "tone"))
            bars.append(svg.Bar(name, num(s.get("quotes")) or 0, link=link, color=_tone_color(t),
                                tip=f"{name}: {s.get('quotes')} quotes ({s.get('direct', 0)} direct, {s.get('mixed', 0)} mixed, {s.get('indirect', 0)} indirect), "
                                    f"{s.get('words_quoted', '?')} words; tone {svg.fmt_num(t, 2)}" + (" — click: a quote" if link else ""),
                                note=f"({s.get('direct', 0)}/{s.get('mixed', 0)}/{s.get('indirect', 0)})"))
            if t is not None:
                tbars.append(svg.Bar(name, t, link=link, tip=f"{name}: mean tone of quoted sentences {t:+.3f}"))
        out += page.figures(
            page.figure(svg.bar_chart(bars, title="Quotes per speaker (direct/mixed/indirect)", digits=0, width=520, bar_h=14),
                        "Bar colour: tone of the speaker's quotes (blue positive, orange negative, grey neutral). Click for a quote."),
            page.figure(svg.bar_chart(tbars, title="Tone of each speaker's quotes (VADER compound)", digits=2, width=460, bar_h=14, diverging=True)))
        rows = []
        for s in speakers:
            ex = next((e for e in as_list(s.get("examples")) if isinstance(e, dict) and isinstance(e.get("start"), int)), None)
            roles = [str(r.get("text") if isinstance(r, dict) else r) for r in as_list(s.get("roles"))[:3]]
            docs_n = s.get("document_count", len(as_list(s.get("documents"))))
            text = str(ex.get("text", ""))[:140] if ex else None
            rows.append([str(s.get("speaker", "")), num(s.get("quotes")), num(s.get("direct")), num(s.get("mixed")), num(s.get("indirect")),
                         num(s.get("words_quoted")), docs_n, ", ".join(dict.fromkeys(roles)), num(get(s, "profile", "tone")),
                         get(s, "profile", "dominant_frame"), page.cell(text, span=ex) if ex else None])
        out += page.table([Column("speaker"), Column("quotes", "num", digits=0), Column("direct", "num", digits=0), Column("mixed", "num", digits=0),
                           Column("indirect", "num", digits=0), Column("words quoted", "num", digits=0), Column("documents", "num", digits=0),
                           Column("roles"), Column("tone", "num", digits=2), Column("dominant frame"), Column("example")], rows,
                          sort=(1, "desc"), csv_name="speakers")

    # Every quote.
    quotes = []
    for d in docs:
        for qt in as_list(d.get("quotes")):
            if isinstance(qt, dict):
                quotes.append((d["id"], qt))
    if quotes:
        out += page.h3(f"Quotes ({len(quotes):,})" + (f", the first {MAX_QUOTES:,}" if len(quotes) > MAX_QUOTES else ""),
                       "Each quote with its speaker as written and as resolved, the reporting verb, and its tone.")
        rows = []
        for doc_id, qt in quotes[:MAX_QUOTES]:
            content = as_dict(qt.get("content"))
            sp = as_dict(qt.get("speaker"))
            cue = as_dict(qt.get("cue"))
            written = as_dict(sp.get("as_written"))
            text = str(content.get("text", ""))
            rows.append([page.cell(doc_id, doc=doc_id), qt.get("type"),
                         page.cell(sp.get("resolved") or written.get("text") or "", doc=doc_id, span=written) if written else sp.get("resolved"),
                         page.cell(cue.get("text"), doc=doc_id, span=cue) if cue else None, num(qt.get("words")),
                         num(get(qt, "profile", "tone")),
                         page.cell(text[:180] + ("…" if len(text) > 180 else ""), doc=doc_id, span=content) if content else None,
                         ", ".join(str(f) for f in as_list(qt.get("flags"))[:3])])
        out += page.table([Column("document", "doc"), Column("type"), Column("speaker"), Column("cue"), Column("words", "num", digits=0),
                           Column("tone", "num", digits=2), Column("quote"), Column("flags")], rows, csv_name="quotes")

    # Tone.
    figs = []
    pt_of = {d["id"]: (num(get(d, "tone", "mean")), page.link_attrs(d["id"]), f"{d['id']}: {svg.fmt_num(get(d, 'tone', 'mean'), 3)}")
             for d in docs if num(get(d, "tone", "mean")) is not None}
    tone_pts = list(pt_of.values())
    st = svg.summarize(p[0] for p in tone_pts)
    if st:
        boxes = [svg.Box("all documents", st, tone_pts)]
        by_outlet = group_docs(page, [d["id"] for d in docs], outlet)
        if len(by_outlet) >= 2:
            for key, ids in sorted(by_outlet.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:15]:
                pts = [pt_of[i] for i in ids if i in pt_of]
                s2 = svg.summarize(p[0] for p in pts)
                if s2:
                    boxes.append(svg.Box(key, s2, pts))
        figs.append(page.figure(svg.box_plot(boxes, title="Tone per document (mean VADER compound of its sentences)", width=560, x_label="tone"),
                                "Each dot is a document; by outlet when the metadata names outlets."))
    stance = as_dict(summary.get("stance"))
    modals = as_dict(summary.get("modals"))
    sbars = [svg.Bar(pretty(k), num(get(v, "per_1000_words")) or 0.0, tip=f"{pretty(k)}: {get(v, 'count')} in the corpus, {svg.fmt_num(get(v, 'per_1000_words'), 2)} per 1,000 words")
             for k, v in list(stance.items()) + [(f"modal {k}", v) for k, v in modals.items()] if isinstance(v, dict)]
    if sbars:
        figs.append(page.figure(svg.bar_chart(sbars, title="Stance markers and modals per 1,000 words", digits=2, width=460, bar_h=14),
                                "Hyland's metadiscourse: hedges, boosters, attitude markers, self-mentions, engagement."))
    if figs:
        out += page.h3("Tone and stance")
        out += page.figures(*figs)
    tev = as_dict(result.get("tone_evidence"))
    items = []
    for key, lab in (("most_positive", "Most positive"), ("most_negative", "Most negative")):
        for s in as_list(tev.get(key))[:5]:
            if isinstance(s, dict):
                items.append(f'<li><span class="chip">{lab} {svg.fmt_num(s.get("compound"), 2)}</span> {page.doc_link(s.get("doc"))}: '
                             f'{page.ev_link(s, tag=lab.lower() + " sentence")}</li>')
    if items:
        out += f"<ul>{''.join(items)}</ul>"

    # Frames.
    frames = as_dict(summary.get("frames"))
    if frames:
        out += page.h3("Frames", "Lexicon-based frame cues (dictionary terms; see the parameters for custom lexicons), per 1,000 words.")
        fbars = [svg.Bar(pretty(k), num(get(v, "per_1000_words")) or 0.0, color=svg.color(i),
                         tip=f"{pretty(k)}: {get(v, 'count')} cues, {svg.fmt_num(get(v, 'share'), 2)} of all frame cues") for i, (k, v) in enumerate(frames.items())
                 if isinstance(v, dict)]
        fbars.sort(key=lambda b: -b.value)
        names = list(frames)
        figs = [page.figure(svg.bar_chart(fbars, title="Frame cues per 1,000 words", digits=1, width=460, bar_h=14))]
        # Frames by outlet (per 1,000 words), else documents × frames.
        per_doc = {}
        for d in docs:
            fr = as_dict(get(d, "frames", "frames"))
            per_doc[d["id"]] = {k: num(get(fr, k, "per_1000_words")) or 0.0 for k in names}
        by_outlet = group_docs(page, list(per_doc), outlet)
        if len(by_outlet) >= 2:
            words = {d["id"]: num(d.get("words")) or 0 for d in docs}
            rows_l, matrix = [], []
            for key, ids in sorted(by_outlet.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:25]:
                w = sum(words[i] for i in ids) or 1
                rows_l.append(f"{key} (n={len(ids)})")
                matrix.append([sum(per_doc[i][k] * words[i] / 1000 for i in ids) * 1000 / w for k in names])
            figs.append(page.figure(svg.heatmap(rows_l, [pretty(k) for k in names], matrix, title="Frames by outlet (cues per 1,000 words)", width=560, digits=1)))
        elif per_doc:
            ranked = sorted(per_doc, key=lambda i: (-sum(per_doc[i].values()), i))[:MAX_HEAT_ROWS]
            figs.append(page.figure(svg.heatmap(ranked, [pretty(k) for k in names], [[per_doc[i][k] for k in names] for i in ranked],
                                                title="Frames per document (cues per 1,000 words)", width=560, digits=1,
                                                row_links=[page.link_attrs(i) for i in ranked]),
                                    f"The {len(ranked)} documents with most frame cues." if len(per_doc) > len(ranked) else ""))
        out += page.figures(*figs)

    # Persuasion cues and rhetorical figures, with their sentences.
    pers = as_dict(summary.get("persuasion"))
    figures = as_dict(summary.get("figures"))
    figs = []
    if pers:
        figs.append(page.figure(svg.bar_chart([svg.Bar(k.replace("_", " "), v) for k, v in sorted(pers.items(), key=lambda kv: (-kv[1] if isinstance(kv[1], (int, float)) else 0, kv[0]))
                                               if isinstance(v, (int, float))], title="Persuasion cues (SemEval-2020 technique names)", digits=0, width=460, bar_h=14)))
    if figures:
        figs.append(page.figure(svg.bar_chart([svg.Bar(pretty(k), v) for k, v in figures.items() if isinstance(v, (int, float))],
                                              title="Rhetorical figures", digits=0, width=400, bar_h=14)))
    cues = []
    for d in docs:
        for c in as_list(get(d, "persuasion", "cues")):
            if isinstance(c, dict) and isinstance(c.get("start"), int):
                cues.append((d["id"], c))
    if figs or cues:
        out += page.h3("Persuasion and figures", "Cues of persuasion techniques (a lexical cue, not a verdict: read the sentence) and rhetorical figures.")
        out += page.figures(*figs)
    if cues:
        rows = []
        for doc_id, c in cues[:MAX_CUES]:
            rows.append([page.cell(doc_id, doc=doc_id), str(c.get("technique", "")).replace("_", " "),
                         page.cell(c.get("text"), doc=doc_id, span=c), c.get("trigger"), _context(page, doc_id, c["start"], c["end"])])
        note = f" (the first {MAX_CUES:,} of {len(cues):,})" if len(cues) > MAX_CUES else ""
        out += page.table([Column("document", "doc"), Column("technique"), Column("cue"), Column("trigger"), Column("sentence")], rows,
                          caption=f"Persuasion cues{note}", csv_name="persuasion-cues")
    fig_rows = []
    for d in docs:
        for kind, items in as_dict(d.get("figures")).items():
            for f in as_list(items):
                if isinstance(f, dict):
                    span = f.get("span") if isinstance(f.get("span"), dict) else (f if isinstance(f.get("start"), int) else
                                                                                 next((s for s in as_list(f.get("spans")) if isinstance(s, dict)), None))
                    if span:
                        label = f.get("phrase") or span.get("text", "")
                        fig_rows.append([page.cell(d["id"], doc=d["id"]), pretty(kind), page.cell(str(label)[:140], doc=d["id"], span=span),
                                         f.get("count"), f.get("in_quote")])
    if fig_rows:
        out += page.table([Column("document", "doc"), Column("figure"), Column("text"), Column("count", "num", digits=0), Column("in quote")],
                          fig_rows[:MAX_CUES], caption="Rhetorical figures" + (f" (the first {MAX_CUES:,} of {len(fig_rows):,})" if len(fig_rows) > MAX_CUES else ""),
                          csv_name="figures")

    # The analysis's own groups (group_by): one row per group, frames as a heat map.
    grp = as_dict(result.get("groups"))
    glist = [g for g in as_list(grp.get("groups")) if isinstance(g, dict)]
    if glist:
        by = grp.get("by") or get(report, "parameters", "group_by") or "group"
        out += page.h3(f"By {by}", "The same measures for each group of documents (group_by).")
        frame_names = list(dict.fromkeys(k for g in glist for k in as_dict(g.get("frames"))))
        rows, matrix, labels = [], [], []
        for g in glist:
            qg = as_dict(g.get("quotes"))
            fr = as_dict(g.get("frames"))
            dom = max(fr, key=lambda k: (num(get(fr, k, "count")) or 0, k), default=None) if fr else None
            top_sp = ", ".join(f"{sp.get('speaker')} ({sp.get('quotes')})" for sp in as_list(g.get("speakers"))[:3] if isinstance(sp, dict))
            rows.append([str(g.get("group")), num(g.get("documents")), num(g.get("words")),
                         sum(v for k, v in qg.items() if k in ("direct", "mixed", "indirect") and isinstance(v, (int, float))),
                         num(qg.get("quoted_word_share")), num(get(g, "tone", "mean_of_documents")),
                         num(get(g, "stance", "hedges", "per_1000_words")), num(get(g, "stance", "boosters", "per_1000_words")),
                         dom, top_sp])
            labels.append(f"{g.get('group')} (n={g.get('documents', '?')})")
            matrix.append([num(get(fr, k, "per_1000_words")) for k in frame_names])
        out += page.table([Column(str(by)), Column("documents", "num", digits=0), Column("words", "num", digits=0), Column("quotes", "num", digits=0),
                           Column("quoted share", "num", digits=2), Column("tone", "num", digits=2), Column("hedges /1k", "num", digits=1),
                           Column("boosters /1k", "num", digits=1), Column("dominant frame"), Column("most quoted")], rows, csv_name="rhetoric-groups")
        if frame_names and len(glist) <= 40:
            out += page.figure(svg.heatmap(labels, [pretty(k) for k in frame_names], matrix, title=f"Frames by {by} (cues per 1,000 words)",
                                           width=620, digits=1))

    # Every document.
    if docs:
        rows = []
        for d in docs:
            st_ = as_dict(d.get("stance"))
            pc = as_dict(get(d, "persuasion", "counts"))
            fc = as_dict(d.get("figure_counts"))
            rows.append([page.cell(d["id"], doc=d["id"]), num(d.get("words")), len(as_list(d.get("quotes"))), len(as_list(d.get("speakers"))),
                         num(get(d, "tone", "mean")), num(get(st_, "hedges", "per_1000_words")), num(get(st_, "boosters", "per_1000_words")),
                         get(d, "frames", "dominant"), sum(v for v in pc.values() if isinstance(v, (int, float))),
                         ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(pc.items(), key=lambda kv: -kv[1] if isinstance(kv[1], (int, float)) else 0)[:3]),
                         sum(v for v in fc.values() if isinstance(v, (int, float)))])
        out += page.h3("Documents")
        out += page.table([Column("document", "doc"), Column("words", "num", digits=0), Column("quotes", "num", digits=0), Column("speakers", "num", digits=0),
                           Column("tone", "num", digits=2), Column("hedges /1k", "num", digits=1), Column("boosters /1k", "num", digits=1),
                           Column("dominant frame"), Column("persuasion cues", "num", digits=0), Column("top techniques"),
                           Column("figures", "num", digits=0)], rows, csv_name="rhetoric-documents")
    if not out:
        from . import generic

        return generic.render(report, page)
    return out
