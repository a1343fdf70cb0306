"""The HTML report in a real browser: headless Chromium (Debian's ``chromium`` package).

CI installs it (``apt-get install -y chromium``, see ``.ci/run``); locally these tests
skip when no Chromium is found (``RELKIT_CHROMIUM`` may name the executable).  For each
report: no console errors or exceptions, no network requests, every section rendered,
a PNG screenshot of each section, and the document viewer, tables and print styles work.
"""

from __future__ import annotations

import json
import struct
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from relkit.cli import cli
from relkit.html.browser import Browser, find_chromium
from conftest import CORPUS, SHARED

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (CI installs Debian's chromium package)")

BENCH = SHARED / "bench" / "news.jsonl"
MAX_BYTES_2000 = 5_000_000

LONGWORDS = textwrap.dedent('''
    from relkit import hookimpl, Analysis

    class BigWords(Analysis):
        name = "bigwords"
        description = "Words of more than ten letters."

        def analyze_document(self, doc, ctx):
            return {"long": [doc.span(t.start, t.end) for t in doc.words if t.end - t.start > 10][:8]}

    @hookimpl
    def register_analyses(register):
        register(BigWords)
''')


def run(*args):
    r = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return r


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def check_page(b: Browser, html: Path, shots: Path) -> list[str]:
    """Open ``html``; assert it is clean and every section renders; screenshot each section."""
    b.open(html)
    b.wait_for("document.documentElement.getAttribute('data-ready') === '1'", timeout=60)
    assert b.console_errors() == []
    urls = b.requests()
    assert urls and all(u.startswith(("file:", "data:", "blob:", "about:")) for u in urls), urls
    sections = b.evaluate("""Array.from(document.querySelectorAll('section.rk-section')).map(s => ({
        id: s.id, height: s.getBoundingClientRect().height, text: s.innerText.length,
        tables: s.querySelectorAll('.rk-table').length, rendered: s.querySelectorAll('.rk-table tbody tr').length,
        charts: s.querySelectorAll('svg.rk-chart').length}))""")
    assert sections[0]["id"] == "sec-overview"
    shots.mkdir(parents=True, exist_ok=True)
    for s in sections:
        assert s["height"] > 80 and s["text"] > 80, s
        if s["tables"]:
            assert s["rendered"] > 0, s  # the script turned the JSON into rows
        png = b.screenshot(shots / f"{s['id']}.png", selector=f"#{s['id']}")
        assert png.stat().st_size > 5000
        w, h = png_size(png)
        assert w >= 600 and h >= 80
    assert b.console_errors() == []
    return [s["id"] for s in sections]


def open_first_evidence(b: Browser, scope: str) -> dict:
    """Click the first evidence link in ``scope``; return what the viewer shows."""
    return b.evaluate("""(() => {
        const a = document.querySelector(%s);
        if (!a) return null;
        a.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}));  // SVG links have no click()
        const f = document.getElementById('rk-focus');
        const d = relkit.data.docs[+a.dataset.doc];
        return {hidden: document.getElementById('rk-viewer').hidden, focus: f ? f.textContent : null,
                expected: d.x.slice(+a.dataset.s, +a.dataset.e), legend: document.querySelectorAll('.rk-vlegend input').length};
    })()""" % json.dumps(scope))


@pytest.fixture
def sample_report(tmp_path):
    tmp = tmp_path  # function scope: the plugin it loads is unloaded after the test (conftest)
    pdir = tmp / "plugins"
    pdir.mkdir()
    (pdir / "bigwords.py").write_text(LONGWORDS, encoding="utf-8")
    out = tmp / "out"
    r = run("analyze", CORPUS, "--plugins-dir", pdir, "-o", out, "-q", "--cache-dir", tmp / "cache")
    assert r.exit_code in (0, 1), r.stderr
    html = tmp / "report.html"
    r = run("report", out, "-o", html, "--plugins-dir", pdir)
    assert r.exit_code == 0, r.stderr
    return html, json.loads((out / "manifest.json").read_text("utf-8"))


def test_sample_corpus_report_in_chromium(sample_report, tmp_path):
    html, manifest = sample_report
    assert "bigwords.json" in manifest["files"]
    with Browser(CHROMIUM) as b:
        ids = check_page(b, html, tmp_path / "shots")
        assert ids == ["sec-overview"] + [f"sec-{Path(f).stem}" for f in manifest["files"]]
        assert len(list((tmp_path / "shots").glob("*.png"))) == len(ids)

        # Evidence link -> viewer with exactly that span highlighted.
        got = open_first_evidence(b, "#sec-bigwords a.ev[data-s]")
        assert got and got["hidden"] is False and got["focus"] == got["expected"] and got["legend"] >= 1
        b.screenshot(tmp_path / "shots" / "viewer.png")
        assert (tmp_path / "shots" / "viewer.png").stat().st_size > 5000
        b.evaluate("relkit.closeViewer()")
        assert b.evaluate("document.getElementById('rk-viewer').hidden") is True

        # A document link from the overview table opens the document with every analysis's evidence.
        n_marks = b.evaluate("""(() => { document.querySelector('#sec-overview .rk-table a.doc').click();
            return document.querySelectorAll('.rk-vtext .hl').length; })()""")
        assert n_marks > 0
        assert b.evaluate("document.querySelectorAll('.rk-vtext .rm').length") > 0  # cleaning shown struck through

        # Filtering and sorting the documents table, without a server.
        counts = b.evaluate("""(() => {
            const t = relkit.tables.find(t => t.name === 'documents');
            const input = t.el.querySelector('input');
            input.value = '000_'; input.dispatchEvent(new Event('input'));
            const filtered = t.el.querySelector('.rk-count').textContent;
            input.value = 'characters>4000'; input.dispatchEvent(new Event('input'));
            const big = t.el.querySelectorAll('tbody tr').length;
            input.value = ''; input.dispatchEvent(new Event('input'));
            const th = Array.from(t.el.querySelectorAll('th')).find(h => h.textContent === 'characters');
            th.click();
            const col = Array.from(t.el.querySelectorAll('th')).indexOf(th);
            const vals = Array.from(t.el.querySelectorAll('tbody tr')).map(r => +r.children[col].textContent.replace(/,/g, ''));
            return {filtered, big, vals};
        })()""")
        assert counts["filtered"] == "1–1 of 1 (filtered from 5)"
        assert counts["big"] == 2  # 001 (4,777) and 004 (6,360)
        assert counts["vals"] == sorted(counts["vals"], reverse=True) and counts["vals"][0] == 6360

        # Print styles: navigation and controls hidden.
        b.send("Emulation.setEmulatedMedia", {"media": "print"}, session=True)
        assert b.evaluate("getComputedStyle(document.querySelector('.rk-nav')).display") == "none"
        assert b.evaluate("getComputedStyle(document.querySelector('.rk-tools')).display") == "none"
        assert b.console_errors() == []


@pytest.mark.skipif(not BENCH.is_file(), reason="../shared/bench/news.jsonl not present")
def test_first_2000_news_texts_report_in_chromium(tmp_path):
    src = tmp_path / "news2000.jsonl"
    with BENCH.open(encoding="utf-8") as fh, src.open("w", encoding="utf-8") as out:
        for i, line in enumerate(fh):
            if i == 2000:
                break
            out.write(line)
    html = tmp_path / "report.html"
    # Every analysis; topics at a fixed k (the automatic choice of k sweeps 2-30 and is the slow part).
    r = run("analyze", src, "--html", html, "-o", tmp_path / "out", "-q", "-p", "topics.k=10", "--cache-dir", tmp_path / "cache")
    assert r.exit_code in (0, 1), r.stderr
    size = html.stat().st_size
    assert size < MAX_BYTES_2000, f"report is {size:,} bytes for 2,000 texts"
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    with Browser(CHROMIUM) as b:
        ids = check_page(b, html, tmp_path / "shots")
        assert ids == ["sec-overview"] + [f"sec-{Path(f).stem}" for f in manifest["files"]]
        # The texts travel compressed at this size: the viewer still shows the exact span.
        got = open_first_evidence(b, "section:not(#sec-overview) a.ev[data-s]")
        assert got and got["focus"] == got["expected"]
        assert b.console_errors() == []


def test_offsets_count_code_points_in_the_viewer(tmp_path):
    """Report offsets count code points; the browser's strings count UTF-16 units (emoji are two)."""
    from relkit.html import DocInfo, ReportData, render_report

    text = "Emoji 😀😀 first, then the quoted words “we agree” 🎉 and more."
    s = text.index("we agree")
    span = {"start": s, "end": s + len("we agree"), "text": "we agree", "doc": "e1"}
    rep = {"analysis": "spans", "plugin": {"name": "t", "version": None}, "ok": True, "warnings": [], "parameters": {},
           "result": {"best": span}}
    html = tmp_path / "emoji.html"
    html.write_text(render_report(ReportData({}, [rep], [DocInfo("e1", 0, {}, text, chars=len(text))])), encoding="utf-8")
    with Browser(CHROMIUM) as b:
        b.open(html)
        b.wait_for("document.documentElement.getAttribute('data-ready') === '1'")
        got = b.evaluate("""(() => { document.querySelector('#sec-spans a.ev').click();
            return [document.getElementById('rk-focus').textContent, document.querySelector('.rk-vfocus').textContent]; })()""")
        assert got[0] == "we agree" and got[1].endswith("“we agree”")
        assert b.console_errors() == []
