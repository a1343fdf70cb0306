"""The page: overview, one section per analysis, the document viewer, all inline.

Nothing is fetched when the page is opened: styles, script, charts (SVG) and data
(document texts, evidence, tables as JSON) are all in the one file.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
from importlib.resources import files
from typing import Any, Iterable

from .. import __version__, plugins
from . import sections as section_registry
from .data import ReportData, iter_spans
from .page import Page, esc, json_script
from .sections import generic, overview
from .svg import PALETTE

__all__ = ["render_report", "render_directory", "render_run", "asset", "COMPRESS_TEXTS_OVER"]

COMPRESS_TEXTS_OVER = 400_000  # characters of text above which texts are embedded gzip-compressed


def asset(name: str) -> str:
    """A file from ``relkit/templates`` (the report's CSS and script)."""
    return files("relkit").joinpath("templates", name).read_text("utf-8")


def _descriptions() -> dict[str, str]:
    try:
        return {n: c.description for n, c in plugins.registry().analyses.items() if getattr(c, "description", "")}
    except Exception:
        return {}


def _span_label(span: dict[str, Any], path: tuple[str, ...]) -> str:
    for k in ("label", "kind", "type", "category", "technique", "cue", "marker", "term", "phrase", "speaker"):
        v = span.get(k)
        if isinstance(v, str) and v:
            return v[:60]
    keys = [p for p in path if p not in ("documents",) and not p.isdigit()]
    return keys[-1] if keys else "evidence"


def _meta_value(v: Any) -> Any:
    if isinstance(v, (int, float, bool)) or v is None:
        return v
    s = str(v)
    return s if len(s) <= 200 else s[:199] + "…"


def _section_header(report: dict[str, Any], name: str, description: str, page: Page) -> str:
    plugin = report.get("plugin") or {}
    ok = bool(report.get("ok"))
    badge = '<span class="badge ok">ok</span>' if ok else '<span class="badge bad">failed</span>'
    meta = f'plugin {esc(plugin.get("name"))} {esc(plugin.get("version") or "")}'
    if report.get("analysis_version"):
        meta += f' · analysis version {esc(report["analysis_version"])}'
    out = f'<h2>{esc(name)} {badge}</h2>'
    if description:
        out += f'<p class="desc">{esc(description)}</p>'
    out += f'<p class="meta">{meta}</p>'
    params = report.get("parameters")
    if isinstance(params, dict) and params:
        cells = "".join(f"<tr><th>{esc(k)}</th><td><code>{esc(v if not isinstance(v, (list, dict)) else json.dumps(v, ensure_ascii=False))}</code></td></tr>"
                        for k, v in params.items())
        out += f'<details class="params"><summary>Parameters ({len(params)})</summary><table class="kv">{cells}</table></details>'
    warnings = [w for w in (report.get("warnings") or []) if isinstance(w, dict)]
    if warnings:
        items = "".join(f"<li>{page.doc_link(w['doc']) + ': ' if w.get('doc') else ''}{esc(w.get('message'))}</li>" for w in warnings[:500])
        more = f"<li>… and {len(warnings) - 500} more</li>" if len(warnings) > 500 else ""
        out += f'<details class="warnings"><summary>Warnings ({len(warnings)})</summary><ul>{items}{more}</ul></details>'
    return out


def render_report(data: ReportData, *, title: str | None = None, include_texts: bool = True,
                  evidence_budget: int = 40000) -> str:
    """The whole report as one HTML string."""
    page = Page(data, evidence_budget=evidence_budget)
    renderers: dict[str, Any] = dict(section_registry.builtin_renderers())
    from_plugins, problems = section_registry.plugin_renderers()
    descriptions = _descriptions()

    sections: list[dict[str, Any]] = []
    used: set[str] = {"overview"}
    for report in data.reports:
        name = str(report.get("analysis") or "unnamed")
        anchor = base = "sec-" + "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name)
        i = 1
        while anchor in used:
            i += 1
            anchor = f"{base}-{i}"
        used.add(anchor)
        page.analysis = name
        if name not in page.analyses:
            page.analyses.append(name)
        body = ""
        if not report.get("ok"):
            err = report.get("error") or {}
            body = (f'<div class="rk-error"><strong>{esc(err.get("type", "Error"))}</strong>'
                    f'{" at " + esc(err["stage"]) if err.get("stage") else ""}: {esc(err.get("message", ""))}</div>')
        else:
            chain = []
            if name in from_plugins:
                chain.append((f"plugin {from_plugins[name][0]!r}", from_plugins[name][1]))
            if name in renderers:
                chain.append(("built-in", renderers[name]))
            chain.append(("generic", generic.render))
            for who, render in chain:
                try:
                    out = render(report, page)
                    body += out if isinstance(out, str) else str(out or "")
                    break
                except Exception as e:  # a broken section must not break the report
                    body += page.note(f"The {who} section renderer failed ({section_registry.format_exception(e)}); "
                                      "showing a simpler rendering instead.", "warn")
        sections.append({"name": name, "anchor": anchor, "ok": bool(report.get("ok")),
                         "plugin": (report.get("plugin") or {}).get("name"), "version": (report.get("plugin") or {}).get("version"),
                         "warnings": len(report.get("warnings") or []),
                         "html": _section_header(report, name, descriptions.get(name, ""), page) + body})

    # Every span in every report is highlighted in its document, within the budget; all are counted.
    for report in data.reports:
        name = str(report.get("analysis") or "unnamed")
        if report.get("ok") and isinstance(report.get("result"), dict):
            for doc_id, span, path in iter_spans(report["result"]):
                if doc_id is not None:
                    page.span_counts[(str(doc_id), name)] = page.span_counts.get((str(doc_id), name), 0) + 1
                    page.add_evidence(doc_id, span["start"], span["end"], _span_label(span, path), analysis=name)

    page.analysis = "overview"
    over = overview.render(page, sections=sections)
    for p in problems:
        over = page.note(p, "warn") + over

    n = len(data.documents)
    title = title or f"relkit report: {n:,} document{'s' if n != 1 else ''}"
    nav = "".join(f'<li><a href="#{s["anchor"]}">{esc(s["name"])}{"" if s["ok"] else " ⚠"}</a></li>' for s in sections)
    body_sections = "".join(f'<section id="{s["anchor"]}" class="rk-section" data-analysis="{esc(s["name"])}">{s["html"]}</section>'
                            for s in sections)
    texts = [d.text if include_texts else None for d in data.documents]
    evidence = {str(k): v for k, v in page.evidence.items()}
    labels = page.labels
    packed = None
    if sum(len(t) for t in texts if t) > COMPRESS_TEXTS_OVER:
        # Large corpora: texts and evidence travel gzip-compressed (base64); the browser unpacks them.
        raw = json.dumps({"texts": texts, "evidence": evidence, "labels": page.labels}, ensure_ascii=False,
                         separators=(",", ":")).encode("utf-8")
        packed = base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")
        texts, evidence, labels = [None] * len(texts), {}, []
    docs_payload = {
        "docs": [{
            "id": d.id,
            "t": d.title,
            "m": {k: _meta_value(v) for k, v in d.metadata.items() if k != "title"},
            "x": texts[i],
            "r": [[s["start"], s["end"], s.get("step", "")] for s in d.cleaning
                  if s.get("removed") and isinstance(s.get("start"), int) and isinstance(s.get("end"), int)],
        } for i, d in enumerate(data.documents)],
        "packed": packed,
        "analyses": page.analyses,
        "colors": [PALETTE[i % len(PALETTE)] for i in range(len(page.analyses))],
        "evidence": evidence,
        "labels": labels,
    }
    colors = "".join(f".hl.a{i}{{background:{PALETTE[i % len(PALETTE)]}33;border-bottom:2px solid {PALETTE[i % len(PALETTE)]}}}"
                     f".sw.a{i}{{background:{PALETTE[i % len(PALETTE)]}}}" for i in range(len(page.analyses)))
    generated = f"relkit {__version__}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{esc(generated)}">
<title>{esc(title)}</title>
<style>{asset("report.css")}{colors}</style>
</head>
<body>
<header class="rk-top"><div class="rk-brand">relkit</div><h1>{esc(title)}</h1>
<div class="rk-actions"><button type="button" id="rk-print" title="Print or save as PDF">Print</button></div></header>
<div class="rk-layout">
<nav class="rk-nav" aria-label="Sections"><ul><li><a href="#sec-overview">Overview</a></li>{nav}</ul></nav>
<main class="rk-main">
<section id="sec-overview" class="rk-section" data-analysis="overview"><h2>Corpus overview</h2>{over}</section>
{body_sections}
<footer class="rk-foot">Generated by {esc(generated)}. Every linked number opens its document at the characters it came from (offsets index the original text).</footer>
</main>
</div>
<aside id="rk-viewer" class="rk-viewer" hidden aria-label="Document viewer">
<div class="rk-vhead"><div class="rk-vtitle"></div><div class="rk-vnav"><button type="button" data-act="prev" title="Previous document">◀</button><button type="button" data-act="next" title="Next document">▶</button><button type="button" data-act="close" title="Close (Esc)">✕</button></div></div>
<div class="rk-vmeta"></div><div class="rk-vlegend"></div><div class="rk-vfocus"></div><div class="rk-vtext"></div>
</aside>
{json_script(docs_payload, "rk-data")}
<script>{asset("report.js")}</script>
</body>
</html>
"""


def render_directory(directory: str | os.PathLike[str], **kwargs: Any) -> str:
    """Render the reports that ``relkit analyze -o DIR`` wrote."""
    return render_report(ReportData.from_directory(directory), **kwargs)


def render_run(manifest: dict[str, Any], reports: Iterable[dict[str, Any]], corpus: Iterable[Any], **kwargs: Any) -> str:
    """Render reports straight from a run, with the corpus's texts (``relkit analyze --html``)."""
    return render_report(ReportData.from_run(manifest, list(reports), corpus), **kwargs)
