"""Keywords: keyness bars (positive and negative), keyness by group, collocations, keyphrases per document."""

from __future__ import annotations

from typing import Any

from .. import svg
from ..page import Column, Page, esc
from .util import as_dict, as_list, docs_of, get, num

MAX_GROUP_CHARTS = 8


def _example(row: dict[str, Any]) -> dict[str, Any] | None:
    ex = row.get("example")
    if isinstance(ex, dict) and isinstance(ex.get("start"), int):
        return ex
    exs = [e for e in as_list(row.get("examples")) if isinstance(e, dict) and isinstance(e.get("start"), int)]
    return exs[0] if exs else None


def _signed(row: dict[str, Any], sign: int) -> float:
    g2 = num(row.get("g2"))
    if g2 is None:
        g2 = abs(num(row.get("log_ratio")) or 0.0)
    return sign * abs(g2)


def _keyness_chart(page: Page, pos: list[dict[str, Any]], neg: list[dict[str, Any]], title: str, n_pos: int = 20, n_neg: int = 10,
                   width: int = 620) -> str:
    bars = []
    for sign, rows, n in ((1, pos, n_pos), (-1, neg, n_neg)):
        for r in rows[:n]:
            word = str(r.get("word", r.get("term", "?")))
            ex = _example(r)
            tip = (f"{word}: G² {svg.fmt_num(r.get('g2'), 1)}, log ratio {svg.fmt_num(r.get('log_ratio'), 2)}, "
                   f"{svg.fmt_num(r.get('count'), 0)} here vs {svg.fmt_num(r.get('count_reference'), 1)} in the reference"
                   + (" (click: an example)" if ex else ""))
            bars.append(svg.Bar(word, _signed(r, sign), link=page.link_attrs(ex.get("doc"), ex.get("start"), ex.get("end"), label=f"keyword {word}") if ex else None,
                                tip=tip, color=svg.POS if sign > 0 else svg.NEG))
    return svg.bar_chart(bars, title=title, digits=1, width=width, bar_h=14, diverging=True, x_label="signed G² (log-likelihood)")


def _keyness_rows(page: Page, rows: list[dict[str, Any]], direction: str, group: str | None = None) -> list[list[Any]]:
    out = []
    for r in rows:
        ex = _example(r)
        row = [group] if group is not None else []
        row += [str(r.get("word", r.get("term", ""))), direction, num(r.get("count")), num(r.get("count_reference")),
                num(r.get("per_million")), num(r.get("per_million_reference")), num(r.get("g2")), num(r.get("p")),
                num(r.get("log_ratio")), num(r.get("documents")),
                page.cell(str(ex.get("text", ""))[:60], doc=ex.get("doc"), span=ex) if ex else None]
        out.append(row)
    return out


KEYNESS_COLS = [Column("word"), Column("key", title="+ positive (more than in the reference), − negative"), Column("count", "num", digits=0), Column("reference count", "num", digits=1),
                Column("per million", "num", digits=1), Column("ref. per million", "num", digits=1), Column("G²", "num", digits=2),
                Column("p", "num", digits=4), Column("log ratio", "num", digits=2, title="log2 of the ratio of relative frequencies"),
                Column("documents", "num", digits=0), Column("example")]


def render(report: dict[str, Any], page: Page) -> str:
    result = as_dict(report.get("result"))
    keyness = as_dict(result.get("keyness"))
    out = ""

    # Keyness against the reference.
    pos = [r for r in as_list(keyness.get("positive")) if isinstance(r, dict)]
    neg = [r for r in as_list(keyness.get("negative")) if isinstance(r, dict)]
    if pos or neg:
        ref = keyness.get("reference")
        ref_name = get(ref, "name") or (ref if isinstance(ref, str) else "the reference")
        out += page.h3("Keyness", "Words used more (positive) or less (negative) than in the reference, by log-likelihood G² with the log ratio as effect size.")
        out += (f'<p class="meta">Reference: {esc(ref_name)}' + (f" ({esc(get(ref, 'note'))})" if get(ref, "note") else "")
                + (f"; {page.fmt(keyness.get('target_tokens'), 0)} tokens in this corpus" if keyness.get("target_tokens") is not None else "")
                + (f"; tested: min freq {esc(get(keyness, 'tested', 'min_freq'))}, p ≤ {esc(get(keyness, 'tested', 'max_p'))}" if get(keyness, "tested") else "")
                + ".</p>")
        out += page.figure(_keyness_chart(page, pos, neg, "Keyness: positive (blue) and negative (orange)"),
                           "Click a bar for an example occurrence in its document.", wide=True)
        out += page.table(KEYNESS_COLS, _keyness_rows(page, pos, "+") + _keyness_rows(page, neg, "−"), page_size=15,
                          csv_name="keyness")

    # Keyness between groups.
    kbg = as_dict(result.get("keyness_by_group"))
    groups = as_dict(kbg.get("groups"))
    if groups:
        out += page.h3(f"Keyness by group ({esc(kbg.get('group_by', ''))})", "Each group against " + str(kbg.get("reference") or "the other documents") + ".")
        figs = []
        for name, g in list(groups.items())[:MAX_GROUP_CHARTS]:
            g = as_dict(g)
            gp = [r for r in as_list(g.get("positive")) if isinstance(r, dict)]
            gn = [r for r in as_list(g.get("negative")) if isinstance(r, dict)]
            chart = _keyness_chart(page, gp, gn, f"{name} ({g.get('documents', '?')} document{'' if g.get('documents') == 1 else 's'})", n_pos=10, n_neg=5, width=440)
            if chart:
                figs.append(page.figure(chart))
        out += page.figures(*figs)
        if len(groups) > MAX_GROUP_CHARTS:
            out += page.note(f"Charts for the first {MAX_GROUP_CHARTS} of {len(groups)} groups; the table has all.")
        rows = []
        for name, g in groups.items():
            g = as_dict(g)
            rows += _keyness_rows(page, [r for r in as_list(g.get("positive")) if isinstance(r, dict)], "+", str(name))
            rows += _keyness_rows(page, [r for r in as_list(g.get("negative")) if isinstance(r, dict)], "−", str(name))
        out += page.table([Column("group")] + KEYNESS_COLS, rows, csv_name="keyness-by-group")

    # Collocations.
    coll = as_dict(result.get("collocations"))
    measure = str(coll.get("measure") or "log_likelihood")
    figs, rows = [], []
    for kind in ("bigrams", "trigrams"):
        items = [c for c in as_list(coll.get(kind)) if isinstance(c, dict)]
        if not items:
            continue
        bars = []
        for c in items[:20]:
            ex = next((e for e in as_list(c.get("examples")) if isinstance(e, dict)), None)
            bars.append(svg.Bar(str(c.get("ngram", "?")), num(c.get(measure)) or num(c.get("count")) or 0.0,
                                link=page.link_attrs(ex.get("doc"), ex.get("start"), ex.get("end"), label=f"collocation {c.get('ngram')}") if ex else None,
                                tip=f"{c.get('ngram')}: {c.get('count')} times in {c.get('documents', '?')} documents; {measure} {svg.fmt_num(c.get(measure), 1)}, "
                                    f"PMI {svg.fmt_num(c.get('pmi'), 2)}", note=f"×{c.get('count')}" if c.get("count") is not None else ""))
        figs.append(page.figure(svg.bar_chart(bars, title=f"Top {kind} by {measure.replace('_', '-')}", digits=1, width=460, bar_h=13)))
        for c in items:
            exs = [e for e in as_list(c.get("examples")) if isinstance(e, dict)]
            rows.append([str(c.get("ngram", "")), kind[:-1], num(c.get("count")), num(c.get("documents")), num(c.get("expected")),
                         num(c.get("pmi")), num(c.get("log_likelihood")), num(c.get("t_score")), num(c.get("p")),
                         page.cell(f"{len(exs)} examples" if len(exs) != 1 else "1 example", span=exs[0]) if exs else None])
            for e in exs[1:]:
                page.add_evidence(e.get("doc"), e.get("start"), e.get("end"), f"collocation {c.get('ngram')}")
    if figs:
        out += page.h3("Collocations", f"Word pairs and triples within sentences, ranked by {measure.replace('_', '-')} (min. frequency {coll.get('min_freq', '?')}).")
        out += page.figures(*figs)
        out += page.table([Column("n-gram"), Column("kind"), Column("count", "num", digits=0), Column("documents", "num", digits=0),
                           Column("expected", "num", digits=3), Column("PMI", "num", digits=2), Column("log-likelihood", "num", digits=1),
                           Column("t-score", "num", digits=2), Column("p", "num", digits=4), Column("examples")], rows, csv_name="collocations")

    # Keyphrases: the corpus's, then each document's.
    ckp = [k for k in as_list(result.get("corpus_keyphrases")) if isinstance(k, dict)]
    if ckp:
        out += page.h3("Corpus keyphrases", "Phrases that are keyphrases of the most documents.")
        bars = []
        for k in ckp[:20]:
            ids = [str(i) for i in as_list(k.get("doc_ids"))]
            bars.append(svg.Bar(str(k.get("phrase", "?")), num(k.get("documents")) or 0.0, link=page.link_attrs(ids[0]) if ids else None,
                                tip=f"{k.get('phrase')}: keyphrase of {k.get('documents')} documents, {k.get('frequency')} occurrences"))
        out += page.figure(svg.bar_chart(bars, title="Documents with the keyphrase", digits=0, width=560, bar_h=13))
        rows = [[str(k.get("phrase", "")), num(k.get("documents")), num(k.get("frequency")), num(k.get("rank_score")),
                 " ".join(str(i) for i in as_list(k.get("doc_ids"))[:10])] for k in ckp]
        out += page.table([Column("phrase"), Column("documents", "num", digits=0), Column("frequency", "num", digits=0),
                           Column("rank score", "num", digits=2), Column("documents (ids)")], rows, csv_name="corpus-keyphrases")
    docs = docs_of(result)
    if docs and any(as_list(d.get("keyphrases")) for d in docs):
        out += page.h3("Keyphrases per document", "The top phrases of each document; a link opens the first occurrence, and every occurrence is highlighted in the viewer.")
        rows = []
        for d in docs:
            kps = [k for k in as_list(d.get("keyphrases")) if isinstance(k, dict)]
            first = kps[0] if kps else {}
            occ = next((o for o in as_list(first.get("occurrences")) if isinstance(o, dict)), None)
            rows.append([page.cell(d["id"], doc=d["id"]),
                         page.cell(str(first.get("surface") or first.get("phrase") or ""), doc=d["id"], span=occ) if first else None,
                         num(first.get("score")), "; ".join(str(k.get("surface") or k.get("phrase")) for k in kps[1:6]), len(kps)])
            for k in kps[:10]:
                for o in as_list(k.get("occurrences"))[:5]:
                    if isinstance(o, dict):
                        page.add_evidence(d["id"], o.get("start"), o.get("end"), f"keyphrase {k.get('phrase')}")
        out += page.table([Column("document", "doc"), Column("top keyphrase"), Column("score", "num", digits=2), Column("next keyphrases"),
                           Column("keyphrases", "num", digits=0)], rows, csv_name="keyphrases")
    if not out:
        from . import generic

        return generic.render(report, page)
    return out
