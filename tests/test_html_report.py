"""The HTML report without a browser: commands, files, sections, links, the section hook, robustness."""

from __future__ import annotations

import json
import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from relkit import hookimpl, hookspecs
from relkit.cli import cli
from relkit.html import ReportData, render_directory, render_report
from relkit.html.data import DOCUMENTS_FILE, DocInfo, iter_spans
from relkit.html.sections import builtin_renderers
from conftest import CORPUS

WORDCOUNT = textwrap.dedent('''
    from relkit import hookimpl, Analysis

    class LongWords(Analysis):
        name = "longwords"
        description = "Words of more than ten letters (a plugin relkit's report does not know)."

        def analyze_document(self, doc, ctx):
            words = [t for t in doc.words if t.end - t.start > 10]
            return {"words": len(doc.words), "long": [doc.span(t.start, t.end, kind="long word") for t in words][:8],
                    "first": doc.span(doc.words[0].start, doc.words[0].end) if doc.words else None}

        def analyze_corpus(self, corpus, ctx, documents):
            longest = max(((d["id"], s) for d in documents for s in d["long"]), key=lambda x: x[1]["end"] - x[1]["start"])
            return {"total": sum(d["words"] for d in documents), "longest": {**longest[1], "doc": longest[0]},
                    "by_length": {"11": {"n": 3, "share": 0.5}, "12": {"n": 1, "share": 0.25}}}

    @hookimpl
    def register_analyses(register):
        register(LongWords)
''')


@pytest.fixture
def pdir(tmp_path):
    d = tmp_path / "plugins"
    d.mkdir()
    (d / "longwords.py").write_text(WORDCOUNT, encoding="utf-8")
    return d


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)


@pytest.fixture
def outdir(tmp_path, pdir):
    out = tmp_path / "out"
    r = run("analyze", CORPUS, "--plugins-dir", pdir, "-o", out, "-q", "-j", "1")
    assert r.exit_code in (0, 1), r.stderr  # 1: a built-in still being written may fail; its section shows that
    return out


class Links(HTMLParser):
    """Every element with data-doc (evidence and document links, SVG marks) and every section id."""

    def __init__(self):
        super().__init__()
        self.links, self.sections, self._open, self._svg = [], [], None, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg":
            self._svg = True
        if tag == "section":
            self.sections.append(a.get("id"))
        if "data-doc" in a:
            self.links.append({"tag": tag if not self._svg else "svg:" + tag, **a, "text": ""})
            self._open = self.links[-1] if tag == "a" else None

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None
        if tag == "svg":
            self._svg = False


def payload(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="rk-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


def tables(html: str) -> dict[str, dict]:
    return {tid: json.loads(t) for tid, t in
            re.findall(r'<script type="application/json" id="(t-[^"]+)">(.*?)</script>', html, re.S)}


def test_analyze_o_writes_documents_jsonl_with_the_original_texts(outdir):
    manifest = json.loads((outdir / "manifest.json").read_text("utf-8"))
    assert manifest["documents"] == DOCUMENTS_FILE and DOCUMENTS_FILE not in manifest["files"]
    rows = [json.loads(line) for line in (outdir / DOCUMENTS_FILE).read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == sorted(p.stem for p in CORPUS.glob("*.txt"))
    for r in rows:
        assert r["text"] == (CORPUS / f"{r['id']}.txt").read_text("utf-8")
    first = rows[0]
    assert first["metadata"] == {"date": "2023-02-28", "source": "News.Az"}
    assert [s["step"] for s in first["cleaning"]] == ["date_line", "font_size_widget", "trailing_byline"]
    assert first["chars"] == 2069


def test_report_command_one_self_contained_file(outdir, tmp_path, pdir):
    out = tmp_path / "report.html"
    r = run("report", outdir, "-o", out, "--plugins-dir", pdir)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "" and "wrote" in r.stderr
    html = out.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    # Nothing is fetched: no external scripts, styles, images, fonts or imports.
    assert not re.search(r"<(script|img|iframe|link)[^>]*\s(src|href)=", html)
    assert "@import" not in html and "url(" not in html
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", html.split("<script>")[0].split('id="rk-data"')[0])
    p = Links()
    p.feed(html)
    manifest = json.loads((outdir / "manifest.json").read_text("utf-8"))
    expected = ["sec-overview"] + [f"sec-{Path(f).stem}" for f in manifest["files"]]
    assert p.sections == expected
    assert "sec-longwords" in p.sections


def test_every_link_points_at_its_evidence(outdir, pdir):
    from relkit import plugins

    plugins.load_plugins_dir(pdir)
    html = render_directory(outdir)
    data = payload(html)
    texts = {i: d["x"] for i, d in enumerate(data["docs"])}
    assert [d["id"] for d in data["docs"]] == sorted(p.stem for p in CORPUS.glob("*.txt"))
    p = Links()
    p.feed(html)
    spans = [link for link in p.links if "data-s" in link]
    assert spans, "no evidence links"
    for link in spans:
        s, e, text = int(link["data-s"]), int(link["data-e"]), texts[int(link["data-doc"])]
        assert 0 <= s <= e <= len(text)
        shown = link["text"]
        if shown and not shown.endswith("…") and link["tag"] == "a" and not re.match(r"^\S+ \d+–\d+$", shown) and link.get("class") == "ev":
            if not re.fullmatch(r"[\d.,–-]+", shown):  # a number linking to its span shows the number, not the text
                assert text[s:e] == shown, (link, text[s:e])
    # Table cells link the same way.
    n = 0
    for spec in tables(html).values():
        for row in spec["rows"]:
            for c in row:
                if isinstance(c, dict) and "s" in c:
                    assert 0 <= c["s"] <= c["e"] <= len(texts[c["d"]])
                    n += 1
    assert n > 0
    # The viewer's evidence index holds only valid spans, and every analysis that found spans has some.
    for di, evs in data["evidence"].items():
        for s, e, a, label in evs:
            assert 0 <= s <= e <= len(texts[int(di)]) and 0 <= a < len(data["analyses"]) and 0 <= label < len(data["labels"])
    assert "longwords" in data["analyses"]
    # The unknown plugin's spans: the corpus-level "longest" span and per-document "long" words.
    lw = json.loads((outdir / "longwords.json").read_text("utf-8"))["result"]
    longest = lw["longest"]
    di = [d["id"] for d in data["docs"]].index(longest["doc"])
    ai = data["analyses"].index("longwords")
    assert [longest["start"], longest["end"]] in [[s, e] for s, e, a, _ in data["evidence"][str(di)] if a == ai]


def test_unknown_analysis_gets_readable_tables(outdir, pdir):
    from relkit import plugins

    plugins.load_plugins_dir(pdir)
    html = render_directory(outdir)
    section = re.search(r'<section id="sec-longwords".*?</section>', html, re.S).group(0)
    assert "<th>total</th><td>2,875</td>" in section.replace("\n", "") or "total" in section
    specs = tables(section)
    docs_table = next(s for s in specs.values() if s["columns"][0]["kind"] == "doc")
    labels = [c["label"] for c in docs_table["columns"]]
    assert labels == ["document", "words", "long (n)", "first"]
    assert len(docs_table["rows"]) == 5
    first_row = docs_table["rows"][0]
    assert first_row[0]["v"] == "000_fbbc5cfd56b40f15" and first_row[1] == 277
    assert first_row[3]["v"] == "The" and (first_row[3]["s"], first_row[3]["e"]) == (30, 33)
    by_length = next(s for s in specs.values() if s["columns"][0]["label"] == "by_length")
    assert by_length["rows"] == [["11", 3, 0.5], ["12", 1, 0.25]]


def test_analyze_html_does_both(tmp_path, pdir):
    out = tmp_path / "both.html"
    r = run("analyze", CORPUS, "--plugins-dir", pdir, "--only", "longwords", "--html", out, "-j", "1")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["reports"]["longwords"]["ok"] is True  # stdout is still the JSON
    html = out.read_text("utf-8")
    assert 'id="sec-longwords"' in html and 'id="sec-overview"' in html
    data = payload(html)
    assert data["docs"][0]["x"] == (CORPUS / "000_fbbc5cfd56b40f15.txt").read_text("utf-8")
    assert data["docs"][0]["m"] == {"date": "2023-02-28", "source": "News.Az"}
    assert data["docs"][0]["r"] == [[0, 17, "date_line"], [17, 28, "font_size_widget"], [2062, 2069, "trailing_byline"]]
    # A bad --html directory is refused before any work.
    r = run("analyze", CORPUS, "--plugins-dir", pdir, "--only", "longwords", "--html", tmp_path / "nope" / "x.html")
    assert r.exit_code == 2 and "does not exist" in r.stderr


def test_report_is_deterministic_and_works_without_texts(outdir, tmp_path):
    assert render_directory(outdir) == render_directory(outdir)
    (outdir / DOCUMENTS_FILE).unlink()
    html = render_directory(outdir)
    assert "documents.jsonl not found" in html
    data = payload(html)
    assert all(d["x"] is None for d in data["docs"]) and len(data["docs"]) == 5


def test_report_errors(tmp_path):
    r = run("report", tmp_path)
    assert r.exit_code == 2 and "no manifest.json" in r.stderr


def test_failed_analysis_renders_its_error():
    rep = {"analysis": "broken", "plugin": {"name": "x", "version": "1"}, "ok": False, "result": None,
           "error": {"type": "RuntimeError", "message": "kaboom", "stage": "corpus"}, "warnings": [], "parameters": {}}
    html = render_report(ReportData({"corpus": {"documents": 0}}, [rep], []))
    assert "kaboom" in html and 'id="sec-broken"' in html and "failed" in html


def _doc(i, text="Alpha beta gamma. Delta epsilon."):
    return DocInfo(f"d{i}", i, {"source": "A" if i % 2 else "B", "date": f"2020-0{1 + i % 3}-01"}, text, chars=len(text))


def test_section_hook_is_used_and_a_broken_renderer_falls_back(register_plugin):
    class Sections:
        @hookimpl
        def register_report_sections(self, register):
            register("mine", lambda report, page: f'<p id="custom">{page.ev_link({"start": 0, "end": 5, "text": "Alpha", "doc": "d0"})}</p>')
            register("bad", lambda report, page: 1 / 0)

    register_plugin(Sections(), name="sections-test")
    reports = [
        {"analysis": "mine", "plugin": {"name": "p", "version": None}, "ok": True, "result": {"x": 1}, "warnings": [], "parameters": {}},
        {"analysis": "bad", "plugin": {"name": "p", "version": None}, "ok": True, "result": {"y": 2}, "warnings": [], "parameters": {}},
    ]
    html = render_report(ReportData({}, reports, [_doc(0), _doc(1)]))
    assert '<p id="custom"><a class="ev" href="#doc=0&amp;s=0&amp;e=5"' in html
    bad = re.search(r'<section id="sec-bad".*?</section>', html, re.S).group(0)
    assert "ZeroDivisionError" in bad and "<th>y</th>" in bad  # the note, then the generic rendering
    assert payload(html)["evidence"]["0"][0][:3] == [0, 5, 0]


def test_hookspec_signature():
    import inspect

    spec = getattr(hookspecs, "register_report_sections")
    assert list(inspect.signature(spec).parameters) == ["register"]
    assert spec.__doc__ and "\n" not in spec.__doc__.strip()


@pytest.mark.parametrize("name", sorted(builtin_renderers()))
@pytest.mark.parametrize("result", [
    {},
    {"documents": [{"id": "d0"}, {"id": "d1", "topics": "nope", "formulas": None, "keyphrases": [None, 3]}]},
    {"documents": "x", "summary": {"distributions": {"smog": {}}}, "topics": [{}, None, {"terms": [1, {"term": None}]}],
     "model": {"k_selection": {"sweep": [{"k": 2}, {"k": 3}]}}, "keyness": {"positive": [{"word": "w"}], "negative": None},
     "clusters": [{"members": ["d0", "zz"]}, {}], "pairs": [{"a": "d0", "b": "d1", "passages": [{"a": {"start": 0, "end": 5, "text": "Alpha"}}]}],
     "collocations": {"bigrams": [{"ngram": "a b", "examples": [{"start": 0, "end": 1, "text": "A", "doc": "d0"}]}]},
     "quotes": [{"speaker": None}], "speakers": {"x": None}},
])
def test_builtin_sections_survive_missing_or_odd_keys(name, result):
    rep = {"analysis": name, "plugin": {"name": name, "version": None}, "ok": True, "result": result, "warnings": [], "parameters": {}}
    html = render_report(ReportData({}, [rep], [_doc(0), _doc(1)]))
    section = re.search(rf'<section id="sec-{name}".*?</section>', html, re.S).group(0)
    assert "renderer failed" not in section


def test_iter_spans_assigns_documents():
    result = {"documents": [{"id": "a", "hits": [{"start": 1, "end": 2, "text": "x"}]}],
              "top": [{"start": 3, "end": 4, "text": "y", "doc": "b"}], "loose": {"start": 0, "end": 1, "text": "z"}}
    got = sorted((s["start"], d, path) for d, s, path in iter_spans(result))
    assert got == [(0, None, ("loose",)), (1, "a", ("documents", "hits")), (3, "b", ("top",))]


FIGURES = textwrap.dedent('''
    from relkit import hookimpl, Analysis

    class Figures(Analysis):
        name = "figures"
        description = "Numbers written as digits."

        def analyze_document(self, doc, ctx):
            return {"figures": sum(1 for t in doc.tokens if t.kind == "number")}

    @hookimpl
    def register_analyses(register):
        register(Figures)
''')


def test_hook_example_in_docs_report_md_runs(tmp_path):
    doc = (Path(__file__).resolve().parents[1] / "docs" / "report.md").read_text("utf-8")
    example = re.search(r"<!-- example: report section -->\s*```python\n(.*?)```", doc, re.S).group(1)
    d = tmp_path / "plugins"
    d.mkdir()
    (d / "figures.py").write_text(FIGURES, encoding="utf-8")
    (d / "figures_section.py").write_text(example, encoding="utf-8")
    out = tmp_path / "out"
    assert run("analyze", CORPUS, "--plugins-dir", d, "--only", "figures", "-o", out, "-q", "-j", "1").exit_code == 0
    r = run("report", out, "-o", tmp_path / "r.html", "--plugins-dir", d)
    assert r.exit_code == 0, r.stderr
    section = re.search(r'<section id="sec-figures".*?</section>', (tmp_path / "r.html").read_text("utf-8"), re.S).group(0)
    assert "Figures per document" in section and "renderer failed" not in section
    spec = next(iter(tables(section).values()))
    assert [c["label"] for c in spec["columns"]] == ["document", "figures"] and len(spec["rows"]) == 5
    assert section.count('class="ev" href="#doc=') == 5  # one linked bar per document


def test_hostile_text_cannot_break_out_of_the_page():
    evil = 'Hello </script><script>alert(1)</script> <img src=x onerror=alert(2)> world.'
    doc = DocInfo("<b>d0</b>", 0, {"source": "<i>outlet</i>", "title": "</title><script>x</script>"}, evil, chars=len(evil))
    rep = {"analysis": "x<y", "plugin": {"name": "<p>", "version": None}, "ok": True, "warnings": [{"message": "<script>w</script>", "doc": "<b>d0</b>"}],
           "parameters": {"a": "</script>"}, "result": {"documents": [{"id": "<b>d0</b>", "span": {"start": 6, "end": 15, "text": evil[6:15]}}],
                                                       "<k>": "<v>"}}
    html = render_report(ReportData({}, [rep], [doc]))
    tags = re.findall(r"<script([^>]*)>", html)
    assert [t for t in tags if 'type="application/json"' not in t] == [""]  # one script: the report's own
    assert "<img" not in html and "<b>d0</b>" not in html and "<i>outlet</i>" not in html
    data = payload(html)
    assert data["docs"][0]["x"] == evil and data["docs"][0]["id"] == "<b>d0</b>"


def test_svg_charts():
    from relkit.html import svg

    chart = svg.bar_chart([svg.Bar("<a>", 3), svg.Bar("b", 1)], digits=0)
    assert "&lt;a&gt;" in chart and "<a>" not in chart
    ticks = re.findall(r'class="tick">([^<]+)<', chart)
    assert ticks == ["0", "1", "2", "3"]  # counts get whole-number ticks
    many = [(float(i), {"href": f"#doc={i}", "data-doc": i}, "") for i in range(300)] + [(10_000.0, {"href": "#doc=999", "data-doc": 999}, "")]
    box = svg.box_plot([svg.Box("all", svg.summarize(v for v, _, _ in many), many)])
    assert box.count('class="pt"') == 1  # only the outlier is drawn as a dot
    assert 'data-doc="0"' in box and 'data-doc="999"' in box  # min and max stay linked
    heat = svg.heatmap(["r1", "r2"], ["c1", "c2"], [[1.0, None], [0.5, -0.2]], diverging=True)
    assert heat.count("<rect") == 4 and "#eee" in heat
    assert svg.bar_chart([]) == "" and svg.heatmap([], [], []) == "" and svg.line_chart(["a"], [("s", [None])]) == ""
