"""The section for an analysis the report does not know: its result as readable tables.

Scalars become a key/value table; lists of records become sortable tables (evidence
spans become links to their document, nested lists are counted); ``documents`` gets a
document column and histograms of its numeric fields; deeper structures get a heading
each, down to a fixed depth, then collapsible JSON.
"""

from __future__ import annotations

import json
from typing import Any

from .. import svg
from ..page import Column, Markup, Page, esc

MAX_DEPTH = 4
MAX_ROWS = 5000


def is_span(v: Any) -> bool:
    return isinstance(v, dict) and isinstance(v.get("start"), int) and isinstance(v.get("end"), int) and "text" in v


def _scalar(v: Any) -> bool:
    return v is None or isinstance(v, (str, int, float, bool))


def _short_list(v: Any) -> bool:
    return isinstance(v, list) and len(v) <= 8 and all(isinstance(x, (str, int, float)) and len(str(x)) <= 40 for x in v)


def _flatten(rec: dict[str, Any], prefix: str = "", depth: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in rec.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict) and not is_span(v) and depth < 1 and all(_scalar(x) or is_span(x) for x in v.values()) and len(v) <= 12:
            out.update(_flatten(v, key + ".", depth + 1))
        else:
            out[key] = v
    return out


def records_table(page: Page, records: list[Any], *, doc_key: str | None = None, caption: str = "",
                  key_label: str = "", keys: list[str] | None = None) -> str:
    """A table of dicts: scalar fields as columns, spans as links, lists as counts."""
    recs = [(_flatten(r) if isinstance(r, dict) else {"value": r}) for r in records[:MAX_ROWS]]
    if not recs:
        return ""
    cols: list[str] = []
    for r in recs[:300]:
        for k in r:
            if k not in cols:
                cols.append(k)
    if doc_key and doc_key in cols:
        cols.remove(doc_key)
        cols.insert(0, doc_key)
    kinds: dict[str, str] = {}
    for c in cols:
        vals = [r.get(c) for r in recs if r.get(c) is not None]
        if vals and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals):
            kinds[c] = "num"
        elif vals and all(is_span(v) for v in vals):
            kinds[c] = "span"
        elif vals and all(isinstance(v, list) for v in vals):
            kinds[c] = "short" if all(_short_list(v) for v in vals) else "list"
        else:
            kinds[c] = "text"
    columns = []
    if keys is not None:
        columns.append(Column(key_label or "key"))
    for c in cols:
        if c == doc_key:
            columns.append(Column("document", "doc"))
        elif kinds[c] == "num":
            digits = 0 if all(isinstance(r.get(c), int) for r in recs if r.get(c) is not None) else 3
            columns.append(Column(c, "num", digits=digits))
        elif kinds[c] == "list":
            columns.append(Column(f"{c} (n)", "num", digits=0, title=f"number of items in {c}"))
        else:
            columns.append(Column(c))
    rows = []
    for i, r in enumerate(recs):
        doc = r.get(doc_key) if doc_key else r.get("doc")
        row: list[Any] = [keys[i]] if keys is not None else []
        for c in cols:
            v = r.get(c)
            if c == doc_key:
                row.append(page.cell(str(v), doc=v))
            elif kinds[c] == "span" and isinstance(v, dict):
                t = str(v.get("text", ""))
                row.append(page.cell(t[:120] + ("…" if len(t) > 120 else ""), doc=v.get("doc", doc), span=v))
            elif kinds[c] == "list" and isinstance(v, list):
                first = next((x for x in v if is_span(x)), None)
                row.append(page.cell(len(v), doc=(first or {}).get("doc", doc), span=first) if first else len(v))
            elif kinds[c] == "short" and isinstance(v, list):
                row.append(", ".join(str(x) for x in v))
            elif isinstance(v, (dict, list)):
                s = json.dumps(v, ensure_ascii=False)
                row.append(s[:200] + ("…" if len(s) > 200 else ""))
            else:
                row.append(v)
        rows.append(row)
    note = f" (first {MAX_ROWS} of {len(records)})" if len(records) > MAX_ROWS else ""
    return page.table(columns, rows, caption=caption + note)


def _numeric_histograms(page: Page, docs: list[dict[str, Any]]) -> str:
    flat = [_flatten(d) for d in docs if isinstance(d, dict)]
    keys: list[str] = []
    for r in flat[:200]:
        for k, v in r.items():
            if k not in keys and isinstance(v, (int, float)) and not isinstance(v, bool):
                keys.append(k)
    figs = []
    for k in keys[:6]:
        vals = [r.get(k) for r in flat if isinstance(r.get(k), (int, float)) and not isinstance(r.get(k), bool)]
        if len(vals) >= 3 and len(set(vals)) > 1:
            figs.append(page.figure(svg.histogram(vals, title=k, width=420, height=150), f"{esc(k)} over {len(vals)} documents"))
    return page.figures(*figs)


def render_value(page: Page, value: Any, *, title: str = "", depth: int = 0) -> str:
    h = f"h{min(6, 3 + depth)}"
    head = f"<{h}>{esc(title)}</{h}>" if title else ""
    if _scalar(value):
        return head + f"<p>{esc(svg.fmt_num(value, 4))}</p>"
    if depth >= MAX_DEPTH:
        s = json.dumps(value, ensure_ascii=False, indent=1)
        return head + f"<details><summary>JSON ({len(s):,} characters)</summary><pre class=\"json\">{esc(s[:20000])}</pre></details>"
    if is_span(value):
        return head + f"<p>{page.ev_link(value)}</p>"
    if isinstance(value, list):
        if not value:
            return head + '<p class="empty">(empty)</p>'
        if all(_scalar(v) for v in value):
            return head + "<p>" + esc(", ".join(svg.fmt_num(v, 4) for v in value[:200])) + ("…" if len(value) > 200 else "") + "</p>"
        if all(isinstance(v, dict) for v in value):
            doc_key = "id" if title == "documents" and all(isinstance(v.get("id"), str) for v in value) else ("doc" if any("doc" in v for v in value[:50]) else None)
            out = head
            if title == "documents":
                out += _numeric_histograms(page, value)
            return out + records_table(page, value, doc_key=doc_key)
        return head + "".join(render_value(page, v, title=f"[{i}]", depth=depth + 1) for i, v in enumerate(value[:50]))
    if isinstance(value, dict):
        scalars = [(k, v) for k, v in value.items() if _scalar(v) or _short_list(v)]
        spans = [(k, v) for k, v in value.items() if is_span(v)]
        rest = [(k, v) for k, v in value.items() if not (_scalar(v) or _short_list(v) or is_span(v))]
        out = head
        if scalars or spans:
            pairs = [(k, Markup(esc(", ".join(str(x) for x in v))) if isinstance(v, list) else v) for k, v in scalars]
            pairs += [(k, Markup(page.ev_link(v))) for k, v in spans]
            out += page.kv_table(pairs)
        for k, v in rest:
            if isinstance(v, dict) and v and all(isinstance(x, dict) for x in v.values()) and all(
                    all(_scalar(y) or is_span(y) or _short_list(y) or isinstance(y, (list, dict)) for y in x.values()) for x in v.values()):
                out += f"<{h}>{esc(k)}</{h}>"
                out += records_table(page, list(v.values()), keys=[str(x) for x in v.keys()], key_label=str(k))
            else:
                out += render_value(page, v, title=str(k), depth=depth + 1)
        return out
    return head + f"<p>{esc(value)}</p>"


def render(report: dict[str, Any], page: Page) -> str:
    result = report.get("result")
    if not isinstance(result, dict) or not result:
        return page.note("This analysis returned an empty result.")
    # Documents last: corpus-level findings first, as a reader expects.
    ordered = {k: v for k, v in result.items() if k != "documents"}
    out = render_value(page, ordered) if ordered else ""
    if "documents" in result:
        out += render_value(page, result["documents"], title="documents", depth=0)
    return out
