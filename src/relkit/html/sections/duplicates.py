"""Duplicates: clusters with their shared passages highlighted, pairs, who reprints whom, repeats inside documents."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from typing import Any

from .. import svg
from ..page import Column, Page, esc
from .util import as_dict, as_list, date_of, docs_of, num, outlet, pretty

MAX_CLUSTERS = 25
MAX_PASSAGES = 3
_WORD = re.compile(r"\S+")


def _marked(text: str, other: str) -> str:
    """``text`` as HTML with the words it shares with ``other`` marked (word-level alignment)."""
    a = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    b = [m.group().lower().strip(".,;:!?\"'“”‘’()") for m in _WORD.finditer(other)]
    wa = [text[s:e].lower().strip(".,;:!?\"'“”‘’()") for s, e in a]
    if len(wa) > 1500 or len(b) > 1500:
        return f"<mark>{esc(text)}</mark>"
    shared = [False] * len(a)
    for blk in difflib.SequenceMatcher(None, wa, b, autojunk=False).get_matching_blocks():
        for i in range(blk.a, blk.a + blk.size):
            shared[i] = True
    out, pos, i = [], 0, 0
    while i < len(a):
        j = i
        while j + 1 < len(a) and shared[j + 1] == shared[i]:
            j += 1
        s, e = a[i][0], a[j][1]
        out.append(esc(text[pos:s]))
        out.append(f"<mark>{esc(text[s:e])}</mark>" if shared[i] else f'<span class="diff">{esc(text[s:e])}</span>')
        pos, i = e, j + 1
    out.append(esc(text[pos:]))
    return "".join(out)


def _passage(page: Page, p: dict[str, Any], a: Any, b: Any) -> str:
    sa, sb = as_dict(p.get("a")), as_dict(p.get("b"))
    ta, tb = str(sa.get("text", "")), str(sb.get("text", ""))
    if not sa and not sb:
        return ""
    sa = {**sa, "doc": sa.get("doc", a)}
    sb = {**sb, "doc": sb.get("doc", b)}
    words = p.get("matched_words")
    la = "{} {}–{}".format(sa.get("doc"), sa.get("start"), sa.get("end"))
    lb = "{} {}–{}".format(sb.get("doc"), sb.get("start"), sb.get("end"))
    head = (f'<div class="meta">{page.ev_link(sa, la, tag="shared passage")} ⇄ {page.ev_link(sb, lb, tag="shared passage")}'
            + (f" · {words} matched words" if words is not None else "") + "</div>")
    body = _marked(ta, tb) if ta and tb else esc(ta or tb)
    if len(ta) > 700:
        body = _marked(ta[:700], tb) + "…"
    same = ta.strip() == tb.strip()
    note = "" if same else '<div class="meta">Marked: words in both passages; plain: only in this one.</div>'
    return f'{head}<div class="passage">{body}</div>{note}'


def render(report: dict[str, Any], page: Page) -> str:
    result = as_dict(report.get("result"))
    summary = as_dict(result.get("summary"))
    settings = as_dict(result.get("settings"))
    docs = docs_of(result)
    pairs = [p for p in as_list(result.get("pairs")) if isinstance(p, dict)]
    clusters = [c for c in as_list(result.get("clusters")) if isinstance(c, dict)]
    exact = [e for e in as_list(result.get("exact_duplicates")) if isinstance(e, dict)]
    out = ""

    labels = {"documents": "documents", "exact_duplicate_groups": "exact-duplicate groups", "exact_duplicate_copies": "exact copies",
              "near_duplicate_pairs": "near-duplicate pairs", "clusters": "clusters", "documents_in_clusters": "documents in clusters",
              "documents_with_repeats": "documents with repeated passages", "repeated_words": "repeated words"}
    cards = "".join(f'<div class="card"><div class="card-v">{page.fmt(summary[k], 0)}</div><div class="card-l">{esc(lab)}</div></div>'
                    for k, lab in labels.items() if isinstance(summary.get(k), (int, float)))
    if cards:
        out += f'<div class="cards">{cards}</div>'
    if settings:
        bits = ", ".join(f"{pretty(k)} {page.fmt(v, 3) if isinstance(v, float) else esc(v)}" for k, v in settings.items() if not isinstance(v, (list, dict)))
        out += f'<p class="meta">Settings: {bits}.</p>'

    pairs_by_key = {}
    for p in pairs:
        pairs_by_key.setdefault(frozenset((str(p.get("a")), str(p.get("b")))), p)

    # Clusters, largest first, with the passages their members share.
    if clusters:
        out += page.h3(f"Clusters ({len(clusters):,})", "Connected groups of exact and near-duplicates. The earliest member by date is the likely source.")
        ordered = sorted(clusters, key=lambda c: (-(num(c.get("size")) or len(as_list(c.get("members")))), str(c.get("id"))))
        for c in ordered[:MAX_CLUSTERS]:
            members = [str(m) for m in as_list(c.get("members"))]
            rep = c.get("representative")
            earliest = as_dict(c.get("earliest"))
            items = []
            for m in members:
                d = page.doc(m)
                tags = []
                if m == rep:
                    tags.append("representative")
                if m == earliest.get("id"):
                    tags.append("earliest")
                meta = " · ".join(x for x in (date_of(d.metadata) if d else None, outlet(d.metadata) if d else None) if x)
                items.append(f'<li>{page.doc_link(m)} <span class="meta">{esc(meta)}</span>'
                             + "".join(f' <span class="chip">{t}</span>' for t in tags) + (f' — {esc(d.title)}' if d and d.title else "") + "</li>")
            cp = [p for p in pairs if str(p.get("a")) in members and str(p.get("b")) in members]
            passages = ""
            shown = 0
            for p in sorted(cp, key=lambda p: -(num(p.get("jaccard")) or 0)):
                for psg in as_list(p.get("passages")):
                    if isinstance(psg, dict) and shown < MAX_PASSAGES:
                        passages += _passage(page, psg, p.get("a"), p.get("b"))
                        shown += 1
            n_psg = sum(len(as_list(p.get("passages"))) for p in cp)
            more = f'<p class="meta">{n_psg - shown} more shared passages in the pairs table below.</p>' if n_psg > shown else ""
            kind = "exact copies" if c.get("exact") is True else "near-duplicates"
            out += (f'<div class="cluster"><h4>Cluster {esc(c.get("id"))} · {len(members)} documents · {kind}</h4>'
                    f"<ul>{''.join(items)}</ul>{passages}{more}</div>")
        if len(ordered) > MAX_CLUSTERS:
            out += page.note(f"{len(ordered) - MAX_CLUSTERS} smaller clusters are in the table below.")
        rows = []
        for c in ordered:
            members = [str(m) for m in as_list(c.get("members"))]
            earliest = as_dict(c.get("earliest"))
            rows.append([str(c.get("id")), num(c.get("size")) or len(members), page.cell(str(c.get("representative") or ""), doc=c.get("representative")),
                         page.cell(str(earliest.get("id") or ""), doc=earliest.get("id")) if earliest.get("id") else None, earliest.get("date"),
                         bool(c.get("exact")), ", ".join(members[:12]) + (" …" if len(members) > 12 else "")])
        out += page.table([Column("cluster"), Column("size", "num", digits=0), Column("representative", "doc"), Column("earliest", "doc"),
                           Column("earliest date"), Column("exact"), Column("members")], rows, csv_name="duplicates-clusters")

        # Who reprints whom: outlet of the earliest member → outlets of the later ones.
        flows: Counter[tuple[str, str]] = Counter()
        for c in clusters:
            src = page.doc(as_dict(c.get("earliest")).get("id"))
            so = outlet(src.metadata) if src else None
            if not so:
                continue
            for m in as_list(c.get("members")):
                d = page.doc(m)
                if d is None or d is src:
                    continue
                mo = outlet(d.metadata)
                if mo:
                    flows[(so, mo)] += 1
        if flows and len({o for f in flows for o in f}) >= 2:
            srcs = sorted({s for s, _ in flows}, key=lambda o: (-sum(v for (s, _), v in flows.items() if s == o), o))[:20]
            dsts = sorted({d for _, d in flows}, key=lambda o: (-sum(v for (_, d), v in flows.items() if d == o), o))[:20]
            matrix = [[flows.get((s, d), 0) or None for d in dsts] for s in srcs]
            out += page.figure(svg.heatmap(srcs, dsts, matrix, title="Who reprints whom (earliest outlet → later copies)", digits=0, width=700),
                               "Rows: outlet of each cluster's earliest member (by date); columns: outlets of the other members; cells: documents.", wide=True)

    if pairs:
        out += page.h3(f"Pairs ({len(pairs):,})", "Every verified pair with its exact scores; the passage link opens the first shared passage.")
        js = [num(p.get("jaccard")) for p in pairs if num(p.get("jaccard")) is not None]
        if len(js) >= 5:
            out += page.figure(svg.histogram(js, bins=20, title="Jaccard similarity of the pairs", width=460, height=150, x_label="Jaccard"))
        rows = []
        for p in pairs:
            first = next((x for x in as_list(p.get("passages")) if isinstance(x, dict) and isinstance(x.get("a"), dict)), None)
            fa = {**first["a"], "doc": first["a"].get("doc", p.get("a"))} if first else None
            rows.append([page.cell(str(p.get("a")), doc=p.get("a")), page.cell(str(p.get("b")), doc=p.get("b")), p.get("kind"),
                         num(p.get("jaccard")), num(p.get("containment_a")), num(p.get("containment_b")),
                         num(p.get("coverage_a")), num(p.get("coverage_b")),
                         page.cell(len(as_list(p.get("passages"))), span=fa) if fa else len(as_list(p.get("passages")))])
        out += page.table([Column("a", "doc"), Column("b", "doc"), Column("kind"), Column("Jaccard", "num", digits=3),
                           Column("containment a", "num", digits=3, title="share of a's shingles found in b"),
                           Column("containment b", "num", digits=3, title="share of b's shingles found in a"),
                           Column("coverage a", "num", digits=3, title="share of a covered by shared passages"),
                           Column("coverage b", "num", digits=3), Column("passages", "num", digits=0)], rows, sort=(3, "desc"),
                          csv_name="duplicates-pairs")
    if exact:
        out += page.h3(f"Exact duplicates ({len(exact):,} groups)")
        rows = [[len(as_list(e.get("members"))), e.get("words"), " ".join(str(m) for m in as_list(e.get("members"))[:20])] for e in exact]
        out += page.table([Column("copies", "num", digits=0), Column("words", "num", digits=0), Column("members")], rows, sort=(0, "desc"),
                          csv_name="duplicates-exact")

    # Repeats inside one document (a body captured twice).
    rep_docs = [d for d in docs if as_list(d.get("repeats"))]
    if rep_docs:
        out += page.h3(f"Repeated passages inside documents ({len(rep_docs):,})",
                       "A passage that appears more than once in the same document; every copy is linked. Repeats inflate counts in other analyses (use --dedupe).")
        rep_docs.sort(key=lambda d: (-(num(d.get("repeat_share")) or 0), d["id"]))
        bars = [svg.Bar(d["id"], num(d.get("repeat_share")) or 0.0, link=page.link_attrs(d["id"]),
                        tip=f"{d['id']}: {svg.fmt_num(d.get('repeat_share'), 3)} of its words are later copies") for d in rep_docs[:20]]
        out += page.figure(svg.bar_chart(bars, title="Share of the document that is repeat", digits=2, width=560))
        rows = []
        for d in rep_docs:
            for r in as_list(d.get("repeats")):
                copies = [c for c in as_list(as_dict(r).get("copies")) if isinstance(c, dict)]
                if not copies:
                    continue
                links = " ".join(f"{c.get('start')}–{c.get('end')}" for c in copies)
                t = str(copies[0].get("text", ""))
                rows.append([page.cell(d["id"], doc=d["id"]), len(copies), as_dict(r).get("repeated_words"), num(d.get("repeat_share")),
                             page.cell(t[:160] + ("…" if len(t) > 160 else ""), doc=d["id"], span=copies[0], tip="first copy"),
                             page.cell(links, doc=d["id"], span=copies[1] if len(copies) > 1 else copies[0], tip="second copy")])
                for c in copies:
                    page.add_evidence(d["id"], c.get("start"), c.get("end"), "repeated passage")
        out += page.table([Column("document", "doc"), Column("copies", "num", digits=0), Column("repeated words", "num", digits=0),
                           Column("repeat share", "num", digits=3), Column("passage (first copy)"), Column("copies at")], rows,
                          csv_name="duplicates-repeats")
    if not (clusters or pairs or exact or rep_docs):
        out += page.note("No duplicates, reuse or repeated passages were found at these settings.")
    return out
