"""Inline SVG charts, generated in Python: bars, diverging bars, box plots, histograms, heat maps, lines.

Every chart is a self-contained ``<svg>`` string with a ``viewBox`` (it scales to its
container), ``<title>`` tooltips on every mark, and optional links: a mark whose item
carries ``link`` (a dict of ``data-*`` attributes from :meth:`Page.link_attrs`) is
wrapped in an ``<a>`` the report's script opens in the document viewer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape
from typing import Any, Iterable, Mapping, Sequence

__all__ = ["PALETTE", "Bar", "Box", "bar_chart", "column_chart", "box_plot", "histogram", "heatmap", "line_chart", "color", "fmt_num"]

# Okabe-Ito + Tableau-like extension: distinguishable, colour-blind safe for the first 8.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
           "#8c564b", "#7f7f7f", "#bcbd22", "#17becf")
POS, NEG = "#2b6cb0", "#c05621"
FONT = 12
CHAR_W = 7.0  # average glyph width at FONT px in a sans-serif face (generous: labels must not clip)


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def fmt_num(v: Any, digits: int = 2) -> str:
    """Compact number formatting: integers as is, floats to ``digits`` significant decimals."""
    if v is None:
        return "–"
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        if not math.isfinite(v):
            return "–"
        if v == int(v) and abs(v) < 1e12 and digits == 0:
            return f"{int(v):,}"
        a = abs(v)
        if a != 0 and (a < 10 ** -digits):
            return f"{v:.{digits}g}" if a >= 1e-4 else f"{v:.1e}"
        return f"{v:,.{digits}f}"
    return str(v)


def _e(s: Any) -> str:
    return escape(str(s), quote=True)


def _attrs(link: Mapping[str, Any] | None) -> str:
    if not link:
        return ""
    return "".join(f' {k}="{_e(v)}"' for k, v in link.items())


def _wrap(mark: str, link: Mapping[str, Any] | None, tip: str) -> str:
    title = f"<title>{_e(tip)}</title>" if tip else ""
    if link:
        href = link.get("href", "#")
        rest = {k: v for k, v in link.items() if k != "href"}
        return f'<a class="ev" href="{_e(href)}"{_attrs(rest)}>{title}{mark}</a>'
    if title:
        return f"<g>{title}{mark}</g>"
    return mark


def _trunc(label: str, width: float) -> str:
    n = max(3, int(width / CHAR_W))
    return label if len(label) <= n else label[: n - 1] + "…"


def _svg(width: float, height: float, body: str, label: str) -> str:
    return (f'<svg class="rk-chart" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
            f'role="img" aria-label="{_e(label)}" xmlns="http://www.w3.org/2000/svg" '
            f'font-size="{FONT}">{body}</svg>')


def _nice_ticks(lo: float, hi: float, n: int = 5, integer: bool = False) -> list[float]:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return []
    if hi == lo:
        hi = lo + 1 if lo == 0 else lo + abs(lo) * 0.1
    raw = (hi - lo) / max(1, n)
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw), default=raw)
    if integer:
        step = max(1.0, float(math.ceil(step)))
    start = math.ceil(lo / step - 1e-9) * step
    ticks = []
    t = start
    while t <= hi + step * 1e-9 and len(ticks) < 50:
        ticks.append(round(t, 10))
        t += step
    return ticks


def _tick_label(t: float) -> str:
    if abs(t) >= 1000:
        return f"{t:,.0f}"
    if t == int(t):
        return str(int(t))
    return f"{t:g}"


@dataclass
class Bar:
    label: str
    value: float
    link: dict[str, Any] | None = None
    tip: str = ""
    color: str | None = None
    note: str = ""  # printed after the value (e.g. "n=12")


def bar_chart(bars: Sequence[Bar], *, title: str = "", width: int = 640, bar_h: int = 18, label_w: int | None = None,
              digits: int = 2, diverging: bool = False, max_bars: int = 40, x_label: str = "") -> str:
    """Horizontal bars, one per item, in the order given; ``diverging``: negative bars to the left."""
    bars = [b for b in bars if b.value is not None and math.isfinite(float(b.value))][:max_bars]
    if not bars:
        return ""
    if label_w is None:
        label_w = int(min(260, max(60, max(len(b.label) for b in bars) * CHAR_W + 10)))
    value_w = int(max(50, max(len(fmt_num(b.value, digits)) + (len(b.note) + 1 if b.note else 0) for b in bars) * CHAR_W * 0.85 + 8))
    plot_w = width - label_w - value_w - 10
    vals = [float(b.value) for b in bars]
    lo = min(0.0, min(vals)) if diverging else min(0.0, min(vals))
    hi = max(0.0, max(vals))
    if hi == lo:
        hi = lo + 1
    top = 22 if title else 6
    height = top + len(bars) * (bar_h + 4) + 24

    def x(v: float) -> float:
        return label_w + (v - lo) / (hi - lo) * plot_w

    parts = []
    if title:
        parts.append(f'<text x="0" y="14" font-weight="600">{_e(title)}</text>')
    ticks = _nice_ticks(lo, hi, integer=digits == 0)
    axis_y = top + len(bars) * (bar_h + 4)
    for t in ticks:
        if lo - 1e-12 <= t <= hi + 1e-12:
            parts.append(f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{top - 2}" y2="{axis_y}" class="grid"/>'
                         f'<text x="{x(t):.1f}" y="{axis_y + 14}" text-anchor="middle" class="tick">{_tick_label(t)}</text>')
    if x_label:
        parts.append(f'<text x="{label_w + plot_w / 2:.0f}" y="{axis_y + 24}" text-anchor="middle" class="axis-label">{_e(x_label)}</text>')
        height += 8
    zero = x(0.0)
    for i, b in enumerate(bars):
        y = top + i * (bar_h + 4)
        v = float(b.value)
        x0, x1 = sorted((zero, x(v)))
        c = b.color or (NEG if v < 0 else POS)
        tip = b.tip or f"{b.label}: {fmt_num(b.value, digits)}"
        parts.append(f'<text x="{label_w - 6}" y="{y + bar_h * 0.72:.1f}" text-anchor="end" class="lab">{_e(_trunc(b.label, label_w - 8))}</text>')
        mark = f'<rect x="{x0:.1f}" y="{y}" width="{max(1.0, x1 - x0):.1f}" height="{bar_h}" fill="{c}" rx="2"/>'
        parts.append(_wrap(mark, b.link, tip))
        vx = x1 + 4 if v >= 0 else x0 - 4
        anchor = "start" if v >= 0 else "end"
        if diverging and v < 0:
            vx, anchor = x1 + 4, "start"
        note = f" {b.note}" if b.note else ""
        parts.append(f'<text x="{vx:.1f}" y="{y + bar_h * 0.72:.1f}" text-anchor="{anchor}" class="val">{_e(fmt_num(b.value, digits))}{_e(note)}</text>')
    if lo < 0 < hi:
        parts.append(f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="{top - 2}" y2="{axis_y}" class="zero"/>')
    return _svg(width, height, "".join(parts), title or "bar chart")


@dataclass
class Box:
    """One box: a label, its summary (min, q1, median, q3, max, optional mean) and optional points."""

    label: str
    stats: Mapping[str, Any]
    points: Sequence[tuple[float, dict[str, Any] | None, str]] = field(default_factory=list)  # (value, link, tip)
    link_min: dict[str, Any] | None = None
    link_max: dict[str, Any] | None = None
    note: str = ""


def summarize(values: Iterable[float]) -> dict[str, float] | None:
    vals = sorted(float(v) for v in values if v is not None and math.isfinite(float(v)))
    if not vals:
        return None

    def q(p: float) -> float:
        pos = (len(vals) - 1) * p
        lo = math.floor(pos)
        hi = min(lo + 1, len(vals) - 1)
        return vals[lo] + (vals[hi] - vals[lo]) * (pos - lo)

    return {"count": len(vals), "min": vals[0], "q1": q(0.25), "median": q(0.5), "q3": q(0.75), "max": vals[-1],
            "mean": sum(vals) / len(vals)}


def box_plot(boxes: Sequence[Box], *, title: str = "", width: int = 640, digits: int = 2, x_label: str = "",
             max_points: int = 150) -> str:
    """Horizontal box plots (min–max whiskers, quartile box, median line, mean dot) with the points jittered on top.

    With more than ``max_points`` points in a box only its outliers (beyond 1.5 IQR) are drawn.
    """
    boxes = [b for b in boxes if b.stats and all(b.stats.get(k) is not None for k in ("min", "q1", "median", "q3", "max"))]
    if not boxes:
        return ""
    label_w = int(min(220, max(60, max(len(b.label) for b in boxes) * CHAR_W + 10)))
    plot_w = width - label_w - 20
    lo = min(float(b.stats["min"]) for b in boxes)
    hi = max(float(b.stats["max"]) for b in boxes)
    ticks = _nice_ticks(lo, hi)
    if ticks:
        lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    if hi == lo:
        hi = lo + 1
    row_h = 30
    top = 22 if title else 6
    axis_y = top + len(boxes) * row_h
    height = axis_y + 22 + (10 if x_label else 0)

    def x(v: float) -> float:
        return label_w + (float(v) - lo) / (hi - lo) * plot_w

    parts = []
    if title:
        parts.append(f'<text x="0" y="14" font-weight="600">{_e(title)}</text>')
    for t in ticks:
        parts.append(f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{top - 2}" y2="{axis_y}" class="grid"/>'
                     f'<text x="{x(t):.1f}" y="{axis_y + 14}" text-anchor="middle" class="tick">{_tick_label(t)}</text>')
    if x_label:
        parts.append(f'<text x="{label_w + plot_w / 2:.0f}" y="{axis_y + 28}" text-anchor="middle" class="axis-label">{_e(x_label)}</text>')
    for b in boxes:
        if len(b.points) > max_points:
            valid = [p for p in b.points if p[0] is not None and math.isfinite(float(p[0]))]
            if valid and b.link_min is None:
                b.link_min = min(valid, key=lambda p: p[0])[1]
            if valid and b.link_max is None:
                b.link_max = max(valid, key=lambda p: p[0])[1]
    for i, b in enumerate(boxes):
        s = b.stats
        cy = top + i * row_h + row_h / 2
        c = color(i)
        n = s.get("count")
        full = b.label + (f" {b.note}" if b.note else (f" (n={n})" if n is not None else ""))
        parts.append(f'<text x="{label_w - 6}" y="{cy + 4:.1f}" text-anchor="end" class="lab">{_e(_trunc(b.label, label_w - 8))}<title>{_e(full)}</title></text>')
        tip = (f"{b.label}: min {fmt_num(s['min'], digits)}, Q1 {fmt_num(s['q1'], digits)}, median {fmt_num(s['median'], digits)}, "
               f"Q3 {fmt_num(s['q3'], digits)}, max {fmt_num(s['max'], digits)}"
               + (f", mean {fmt_num(s['mean'], digits)}" if s.get("mean") is not None else "") + (f", n={n}" if n is not None else "")
               + (f" {b.note}" if b.note else ""))
        parts.append(f'<g><title>{_e(tip)}</title>'
                     f'<line x1="{x(s["min"]):.1f}" x2="{x(s["max"]):.1f}" y1="{cy:.1f}" y2="{cy:.1f}" stroke="#555"/>'
                     f'<rect x="{x(s["q1"]):.1f}" y="{cy - 8:.1f}" width="{max(1.0, x(s["q3"]) - x(s["q1"])):.1f}" height="16" '
                     f'fill="{c}" fill-opacity="0.25" stroke="{c}"/>'
                     f'<line x1="{x(s["median"]):.1f}" x2="{x(s["median"]):.1f}" y1="{cy - 8:.1f}" y2="{cy + 8:.1f}" stroke="{c}" stroke-width="2.5"/>'
                     '</g>')
        for key, link in (("min", b.link_min), ("max", b.link_max)):
            mark = f'<line x1="{x(s[key]):.1f}" x2="{x(s[key]):.1f}" y1="{cy - 5:.1f}" y2="{cy + 5:.1f}" stroke="#555" stroke-width="2"/>'
            parts.append(_wrap(mark, link, f"{b.label} {key}: {fmt_num(s[key], digits)}" + (" (click: document)" if link else "")))
        if s.get("mean") is not None:
            parts.append(f'<circle cx="{x(s["mean"]):.1f}" cy="{cy:.1f}" r="3" fill="#fff" stroke="#222"><title>mean {fmt_num(s["mean"], digits)}</title></circle>')
        pts = [p for p in b.points if p[0] is not None and math.isfinite(float(p[0]))]
        if len(pts) > max_points:  # many documents: only Tukey outliers as dots (min and max stay linked)
            iqr = float(s["q3"]) - float(s["q1"])
            lo_f, hi_f = float(s["q1"]) - 1.5 * iqr, float(s["q3"]) + 1.5 * iqr
            out_pts = sorted((p for p in pts if p[0] < lo_f or p[0] > hi_f), key=lambda p: -abs(p[0] - float(s["median"])))
            pts = out_pts[:max_points // 3]
        for j, (v, link, ptip) in enumerate(pts):
            if v is None or not math.isfinite(float(v)):
                continue
            jitter = ((j * 7919) % 13 - 6) * 0.9  # deterministic jitter
            mark = f'<circle cx="{x(v):.1f}" cy="{cy + jitter:.1f}" r="2.6" fill="{c}" fill-opacity="0.65" class="pt"/>'
            parts.append(_wrap(mark, link, ptip or fmt_num(v, digits)))
    return _svg(width, height, "".join(parts), title or "box plot")


def histogram(values: Sequence[float], *, bins: int = 20, title: str = "", width: int = 640, height: int = 170,
              x_label: str = "", color_: str = POS) -> str:
    vals = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    if not vals:
        return ""
    lo, hi = min(vals), max(vals)
    if hi == lo:
        hi = lo + 1
    bins = max(1, min(bins, len(set(vals)) if len(set(vals)) > 1 else 1))
    w = (hi - lo) / bins
    counts = [0] * bins
    for v in vals:
        counts[min(bins - 1, int((v - lo) / w))] += 1
    top = 22 if title else 6
    left, bottom = 40, 30 + (10 if x_label else 0)
    plot_w, plot_h = width - left - 10, height - top - bottom
    cmax = max(counts)
    parts = []
    if title:
        parts.append(f'<text x="0" y="14" font-weight="600">{_e(title)}</text>')
    for t in _nice_ticks(0, cmax, 4, integer=True):
        y = top + plot_h - t / cmax * plot_h
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" class="tick">{_tick_label(t)}</text>')
    for i, c in enumerate(counts):
        bx = left + i / bins * plot_w
        bh = c / cmax * plot_h
        parts.append(f'<rect x="{bx + 0.5:.1f}" y="{top + plot_h - bh:.1f}" width="{max(0.5, plot_w / bins - 1):.1f}" height="{bh:.1f}" '
                     f'fill="{color_}"><title>{_e(f"{lo + i * w:.3g} – {lo + (i + 1) * w:.3g}: {c}")}</title></rect>')
    for t in _nice_ticks(lo, hi, 6):
        if lo <= t <= hi:
            tx = left + (t - lo) / (hi - lo) * plot_w
            parts.append(f'<text x="{tx:.1f}" y="{top + plot_h + 14}" text-anchor="middle" class="tick">{_tick_label(t)}</text>')
    if x_label:
        parts.append(f'<text x="{left + plot_w / 2:.0f}" y="{height - 4}" text-anchor="middle" class="axis-label">{_e(x_label)}</text>')
    return _svg(width, height, "".join(parts), title or "histogram")


def _heat(v: float, vmax: float, diverging: bool = False) -> str:
    if vmax <= 0:
        return "#f7f7f7"
    t = max(-1.0, min(1.0, v / vmax))
    if diverging and t < 0:
        r, g, b = 247 + (192 - 247) * -t, 247 + (86 - 247) * -t, 247 + (33 - 247) * -t
    else:
        t = abs(t)
        r, g, b = 247 + (8 - 247) * t, 251 + (81 - 251) * t, 255 + (156 - 255) * t
    return f"#{int(r):02x}{int(g):02x}{int(b):02x}"


def heatmap(row_labels: Sequence[str], col_labels: Sequence[str], matrix: Sequence[Sequence[float | None]], *,
            title: str = "", width: int = 680, cell_h: int = 16, digits: int = 2, row_links: Sequence[dict | None] | None = None,
            cell_links: Sequence[Sequence[dict | None]] | None = None, show_values: bool | None = None,
            diverging: bool = False, col_tips: Sequence[str] | None = None) -> str:
    """Rows × columns of shaded cells (white → blue; with ``diverging`` negatives in orange)."""
    if not row_labels or not col_labels:
        return ""
    label_w = int(min(240, max(50, max(len(r) for r in row_labels) * CHAR_W + 10)))
    col_label_h = int(min(110, max(20, max(len(c) for c in col_labels) * CHAR_W * 0.72 + 12)))
    top = (22 if title else 4) + col_label_h
    cell_w = max(8.0, min(70.0, (width - label_w - 10) / len(col_labels)))
    width = int(label_w + cell_w * len(col_labels) + 10 + col_label_h * 0.7)  # room for the last rotated label
    if show_values is None:
        show_values = cell_w >= 34 and cell_h >= 14 and len(row_labels) * len(col_labels) <= 300
    vals = [abs(float(v)) for row in matrix for v in row if v is not None and math.isfinite(float(v))]
    vmax = max(vals) if vals else 1.0
    height = top + len(row_labels) * cell_h + 6
    parts = []
    if title:
        parts.append(f'<text x="0" y="14" font-weight="600">{_e(title)}</text>')
    for j, c in enumerate(col_labels):
        cx = label_w + j * cell_w + cell_w / 2
        tip = col_tips[j] if col_tips else c
        parts.append(f'<text transform="translate({cx + 4:.1f},{top - 4}) rotate(-45)" class="lab">{_e(_trunc(c, col_label_h * 1.3))}<title>{_e(tip)}</title></text>')
    for i, r in enumerate(row_labels):
        y = top + i * cell_h
        lab = f'<text x="{label_w - 6}" y="{y + cell_h * 0.75:.1f}" text-anchor="end" class="lab">{_e(_trunc(r, label_w - 8))}<title>{_e(r)}</title></text>'
        link = row_links[i] if row_links else None
        parts.append(_wrap(lab, link, "") if link else lab)
        for j, v in enumerate(matrix[i]):
            fv = None if v is None else float(v)
            fill = "#eee" if fv is None or not math.isfinite(fv) else _heat(fv, vmax, diverging)
            mark = f'<rect x="{label_w + j * cell_w:.1f}" y="{y}" width="{cell_w - 1:.1f}" height="{cell_h - 1}" fill="{fill}"/>'
            if show_values and fv is not None:
                dark = fv is not None and abs(fv) / vmax > 0.55
                mark += (f'<text x="{label_w + j * cell_w + cell_w / 2:.1f}" y="{y + cell_h * 0.72:.1f}" text-anchor="middle" '
                         f'class="cellv" fill="{"#fff" if dark else "#222"}">{_e(fmt_num(fv, digits))}</text>')
            clink = cell_links[i][j] if cell_links else None
            parts.append(_wrap(mark, clink, f"{r} × {col_labels[j]}: {fmt_num(fv, digits)}"))
    return _svg(width, height, "".join(parts), title or "heat map")


def line_chart(x_labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *, title: str = "",
               width: int = 680, height: int = 220, digits: int = 2, y_label: str = "") -> str:
    """One line per series over categorical x positions (e.g. months), with a legend."""
    if not x_labels or not series:
        return ""
    vals = [float(v) for _, ys in series for v in ys if v is not None]
    if not vals:
        return ""
    lo, hi = min(0.0, min(vals)), max(vals)
    if hi == lo:
        hi = lo + 1
    ticks = _nice_ticks(lo, hi, 4, integer=digits == 0)
    if ticks:
        hi = max(hi, ticks[-1])
    legend_rows = math.ceil(len(series) / 4)
    top = (22 if title else 6)
    left, bottom = 46, 40 + legend_rows * 16
    plot_w, plot_h = width - left - 34, height - top - bottom  # room for the last x label
    n = len(x_labels)

    def px(i: int) -> float:
        return left + (i / (n - 1) * plot_w if n > 1 else plot_w / 2)

    def py(v: float) -> float:
        return top + plot_h - (v - lo) / (hi - lo) * plot_h

    parts = []
    if title:
        parts.append(f'<text x="0" y="14" font-weight="600">{_e(title)}</text>')
    for t in ticks:
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{py(t):.1f}" y2="{py(t):.1f}" class="grid"/>'
                     f'<text x="{left - 4}" y="{py(t) + 4:.1f}" text-anchor="end" class="tick">{_tick_label(t)}</text>')
    step = max(1, math.ceil(n / max(1, plot_w // 60)))
    for i, xl in enumerate(x_labels):
        if i % step == 0 or i == n - 1:
            parts.append(f'<text x="{px(i):.1f}" y="{top + plot_h + 14}" text-anchor="middle" class="tick">{_e(xl)}</text>')
    if y_label:
        parts.append(f'<text transform="translate(10,{top + plot_h / 2:.0f}) rotate(-90)" text-anchor="middle" class="axis-label">{_e(y_label)}</text>')
    for k, (name, ys) in enumerate(series):
        c = color(k)
        pts = [(px(i), py(float(v)), v, x_labels[i]) for i, v in enumerate(ys) if v is not None]
        if len(pts) > 1:
            d = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y, _, _) in enumerate(pts))
            parts.append(f'<path d="{d}" fill="none" stroke="{c}" stroke-width="2"><title>{_e(name)}</title></path>')
        for x, y, v, xl in pts:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{c}"><title>{_e(f"{name}, {xl}: {fmt_num(v, digits)}")}</title></circle>')
        lx = left + (k % 4) * (plot_w / 4)
        ly = top + plot_h + 30 + (k // 4) * 16
        parts.append(f'<rect x="{lx:.1f}" y="{ly - 9}" width="10" height="10" fill="{c}"/>'
                     f'<text x="{lx + 14:.1f}" y="{ly}" class="lab">{_e(_trunc(name, plot_w / 4 - 20))}<title>{_e(name)}</title></text>')
    return _svg(width, height, "".join(parts), title or "line chart")


def column_chart(labels: Sequence[str], values: Sequence[float], *, title: str = "", width: int = 460, height: int = 190,
                 digits: int = 0, links: Sequence[dict | None] | None = None, color_: str = POS) -> str:
    """Vertical columns over categorical x positions (e.g. documents per month)."""
    if not labels or not values:
        return ""
    vals = [float(v or 0) for v in values]
    vmax = max(vals) or 1.0
    top = 22 if title else 6
    left, bottom = 40, 34
    plot_w, plot_h = width - left - 10, height - top - bottom
    n = len(labels)
    slot = plot_w / n
    parts = []
    if title:
        parts.append(f'<text x="0" y="14" font-weight="600">{_e(title)}</text>')
    for t in _nice_ticks(0, vmax, 4, integer=digits == 0):
        y = top + plot_h - t / vmax * plot_h
        if t <= vmax * 1.0001:
            parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                         f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" class="tick">{_tick_label(t)}</text>')
    step = max(1, math.ceil(n / max(1, plot_w // 56)))
    for i, (lab, v) in enumerate(zip(labels, vals)):
        h = v / vmax * plot_h
        x = left + i * slot
        mark = f'<rect x="{x + slot * 0.12:.1f}" y="{top + plot_h - h:.1f}" width="{max(1.0, slot * 0.76):.1f}" height="{h:.1f}" fill="{color_}"/>'
        parts.append(_wrap(mark, links[i] if links else None, f"{lab}: {fmt_num(v, digits)}"))
        if i % step == 0:
            parts.append(f'<text x="{x + slot / 2:.1f}" y="{top + plot_h + 14}" text-anchor="middle" class="tick">{_e(lab)}</text>')
    return _svg(width, height, "".join(parts), title or "column chart")
