"""relkit.testing: corpora, running one analysis as the CLI does, and the conformance check.

Each check of check_analysis is shown to catch the mistake it is for, with the message a
plugin author sees.  The pytest fixtures are exercised in a separate pytest process
(this directory's conftest defines its own ``register_plugin``).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from relkit import Analysis, AnalysisError, Parameter, ParameterError, plugins
from relkit.params import Params
from relkit.cache import ResultCache
from relkit.testing import (
    EDGE_TEXTS,
    SAMPLE_TEXTS,
    ConformanceError,
    check_analysis,
    check_parameters,
    iter_spans,
    make_corpus,
    run_analysis,
    validate_report,
)
from conftest import CORPUS


# -- analyses used below (module level, so they pickle) -----------------------------------
class Good(Analysis):
    name = "good"
    description = "First word of every sentence."
    parameters = (Parameter("min_len", "int", 1, "shortest word", minimum=1),)

    def analyze_document(self, doc, ctx):
        firsts = []
        for i in range(len(doc.sentences)):
            words = [t for t in doc.sentence_tokens(i) if t.kind == "word" and t.end - t.start >= ctx.params.min_len]
            if words:
                firsts.append(doc.span(words[0].start, words[0].end, sentence=i))
        return {"firsts": firsts, "_n": len(firsts)}

    def analyze_corpus(self, corpus, ctx, documents):
        best = max(documents, key=lambda d: (d["_n"], d["id"]), default=None)
        top = [{"doc": best["id"], **s} for s in best["firsts"][:1]] if best else []
        return {"total": sum(d["_n"] for d in documents), "top": top}


class ShiftedSpans(Good):
    name = "shifted"

    def analyze_document(self, doc, ctx):
        res = super().analyze_document(doc, ctx)
        for s in res["firsts"]:
            s["start"] += 1
        return res


class OrphanSpan(Good):
    name = "orphan"

    def analyze_corpus(self, corpus, ctx, documents):
        d = corpus.documents[0]
        return {"first": {"start": 0, "end": 3, "text": d.text[:3]}, "ghost": {"doc": "nope", "start": 0, "end": 0, "text": ""}}


_calls = {"n": 0}


class Unstable(Good):
    name = "unstable"

    def analyze_corpus(self, corpus, ctx, documents):
        _calls["n"] += 1
        return {"sample": random.Random(_calls["n"]).random()}


class NotJson(Good):
    name = "notjson"

    def analyze_corpus(self, corpus, ctx, documents):
        return {"ids": {d["id"] for d in documents}}


class PrivateSet(Good):
    name = "privateset"

    def analyze_document(self, doc, ctx):
        return {"n": len(doc.words), "_seen": {t.norm for t in doc.words}}

    def analyze_corpus(self, corpus, ctx, documents):
        return {"vocabulary": len(set().union(*(set(d["_seen"]) for d in documents)))}


class EdgeFail(Analysis):
    name = "edgefail"
    description = "Average word length; forgets empty documents."

    def analyze_document(self, doc, ctx):
        return {"mean_len": sum(t.end - t.start for t in doc.words) / len(doc.words)}


class Mutates(Good):
    name = "mutates"

    def analyze_document(self, doc, ctx):
        doc.text = doc.text.upper()
        return {}


class BadParams(Analysis):
    name = "bad.name"
    description = ""
    version = ""
    parameters = (
        Parameter("k", "int", "five", "topics"),
        Parameter("k", "int", 5, ""),
        Parameter("path", "str", None, "a file"),
        Parameter("mode", "str", "a", "mode", choices=("a", "b")),
        Parameter("lo", "float", 0.5, "bounded", minimum=1.0, maximum=0.0),
    )


class NoParts(Analysis):
    name = "noparts"
    description = "Does nothing."


# -- make_corpus ------------------------------------------------------------------------
def test_make_corpus_from_strings_dicts_and_files(tmp_path):
    c = make_corpus(["One. Two.", "Three."])
    assert [d.id for d in c] == ["doc0", "doc1"] and c[1].text == "Three."
    c = make_corpus({"a": "Alpha.", "b": "Beta."}, metadata={"b": {"source": "X"}})
    assert [d.id for d in c] == ["a", "b"] and c["b"].metadata["source"] == "X" and "source" not in c["a"].metadata
    assert [d.id for d in make_corpus("Just one.")] == ["doc0"]
    assert [d.id for d in make_corpus()] == list(SAMPLE_TEXTS)
    files = make_corpus(CORPUS)
    assert len(files) == 5 and files[0].id == "000_fbbc5cfd56b40f15"
    assert [d.id for d in make_corpus(paths=[str(CORPUS)])] == [d.id for d in files]
    assert [d.id for d in make_corpus([CORPUS / "001_1cc5cf0e4fa3a9bc.txt"])] == ["001_1cc5cf0e4fa3a9bc"]
    jsonl = tmp_path / "x.jsonl"
    jsonl.write_text('{"id": "n1", "body": "Hello there.", "source": "S"}\n', encoding="utf-8")
    (d,) = make_corpus(paths=[jsonl], text_field="body")
    assert (d.id, d.text, d.metadata["source"]) == ("n1", "Hello there.", "S")
    assert make_corpus(c) is c
    raw = make_corpus(["Subscribe to our newsletter\n\nReal text here."], clean=False)
    assert raw[0].regions == ((0, len(raw[0].text)),)
    with pytest.raises(TypeError, match="not a string"):
        make_corpus({"a": 3})
    with pytest.raises(ValueError, match="2 metadata dicts for 1 documents"):
        make_corpus(["x"], metadata=[{}, {}])
    assert len(make_corpus(EDGE_TEXTS)) == len(EDGE_TEXTS)


# -- run_analysis -------------------------------------------------------------------------
def test_run_analysis_registers_a_class_only_for_the_call():
    before = {n for n, _ in plugins.pm.list_name_plugin()}
    report = run_analysis(Good, make_corpus({"a": "Hello world. Bye now."}), {"min_len": "3"})
    assert report["ok"] and report["analysis"] == "good" and report["parameters"] == {"min_len": 3}
    assert report["result"] == {
        "documents": [{"id": "a", "firsts": [{"start": 0, "end": 5, "text": "Hello", "sentence": 0},
                                             {"start": 13, "end": 16, "text": "Bye", "sentence": 1}]}],
        "total": 2,
        "top": [{"doc": "a", "start": 0, "end": 5, "text": "Hello", "sentence": 0}],
    }
    assert report["plugin"]["name"] == "relkit_testing_good"
    assert {n for n, _ in plugins.pm.list_name_plugin()} == before
    assert "good" not in plugins.registry().analyses


def test_run_analysis_validates_parameters_like_the_cli():
    with pytest.raises(ParameterError, match=r"invalid value for good.min_len: expected int in \[1, inf\], got '0'"):
        run_analysis(Good, make_corpus(["x"]), {"min_len": "0"})
    with pytest.raises(ParameterError, match="unknown parameter good.nope"):
        run_analysis(Good, make_corpus(["x"]), {"nope": 1})


def test_run_analysis_failure_is_a_report_or_raises_with_strict():
    report = run_analysis(EdgeFail, make_corpus({"e": ""}))
    assert report["ok"] is False and report["result"] is None
    assert report["error"] == {"type": "ZeroDivisionError", "message": "on document 'e': division by zero"}
    with pytest.raises(AnalysisError, match="ZeroDivisionError"):
        run_analysis(EdgeFail, make_corpus({"e": ""}), strict=True)


def test_run_analysis_by_name_and_unknown_name(register_plugin):
    with pytest.raises(LookupError, match="no analysis named 'nothing-here' is registered"):
        run_analysis("nothing-here", make_corpus(["x"]))
    from relkit.testing import _throwaway_module

    register_plugin(_throwaway_module(Good), name="goodplugin")
    report = run_analysis("good", make_corpus(["Hi there."]))
    assert report["plugin"]["name"] == "goodplugin"


def test_a_class_shadowing_a_registered_name_sets_the_owner_aside(register_plugin):
    from relkit.testing import _throwaway_module

    class Other(Good):
        description = "Another analysis called good."

        def analyze_corpus(self, corpus, ctx, documents):
            return {"other": True}

    owner = register_plugin(_throwaway_module(Good), name="goodplugin")
    assert run_analysis(Other, make_corpus(["Hi."]))["result"]["other"] is True
    assert plugins.pm.get_plugin("goodplugin") is owner
    assert plugins.registry().analyses["good"] is Good


def test_run_analysis_with_plugins_dir(tmp_path):
    d = tmp_path / "p"
    d.mkdir()
    (d / "lengths.py").write_text(textwrap.dedent('''
        from relkit import hookimpl, Analysis

        class Lengths(Analysis):
            name = "lengths"
            description = "Characters per document."
            def analyze_document(self, doc, ctx):
                return {"chars": len(doc.text)}

        @hookimpl
        def register_analyses(register):
            register(Lengths)
    '''))
    report = run_analysis("lengths", make_corpus(["abc", "de"]), plugins_dir=d)
    assert report["result"]["documents"] == [{"id": "doc0", "chars": 3}, {"id": "doc1", "chars": 2}]
    check_analysis("lengths", plugins_dir=d)


# -- check_analysis ---------------------------------------------------------------------
def test_a_conforming_analysis_passes_and_returns_its_report():
    report = check_analysis(Good, make_corpus(paths=[CORPUS]), require_evidence=True)
    assert report["ok"] and report["result"]["total"] > 0
    check_analysis(Good)  # default corpus: SAMPLE_TEXTS, plus EDGE_TEXTS


def _problems(analysis, **kw) -> list[str]:
    with pytest.raises(ConformanceError) as info:
        check_analysis(analysis, **kw)
    assert str(info.value).startswith(f"analysis {info.value.analysis!r} does not conform")
    return info.value.problems


def test_detects_offsets_that_do_not_point_at_the_text():
    problems = _problems(ShiftedSpans, corpus={"a": "Hello world. Bye now."}, edge_cases=False)
    assert problems[0] == ("sample run: $.result.documents[0].firsts[0]: doc 'a'[1:5] is 'ello', "
                           "but the span's text is 'Hello'")
    assert problems[-1].startswith("sample run: evidence offsets must index doc.text")


def test_detects_spans_without_or_with_an_unknown_doc():
    problems = _problems(OrphanSpan, corpus={"a": "Hello world."}, edge_cases=False)
    assert problems[:2] == [
        "sample run: $.result.first: evidence span outside a result.documents entry has no \"doc\" naming its document",
        "sample run: $.result.ghost: evidence span names document 'nope', which is not in the corpus",
    ]


def test_detects_nondeterminism():
    problem = _problems(Unstable, edge_cases=False)[0]
    assert problem.startswith("two runs on the same input gave different JSON: first difference at line")


def test_detects_values_that_are_not_json():
    (problem,) = _problems(NotJson, edge_cases=False)
    assert problem.startswith("sample run: $.result.ids: builtins.set is not JSON")


def test_detects_per_document_results_the_cache_cannot_hold():
    problems = _problems(PrivateSet, edge_cases=False)
    assert problems == ["the warm cached run found no cached per-document results (are they JSON-able?)"]
    check_analysis(PrivateSet, cache=False, edge_cases=False)


def test_detects_failure_on_edge_cases_with_the_traceback():
    (problem,) = _problems(EdgeFail)
    assert problem.startswith("edge-case run (empty, one-word, non-Latin documents): the analysis failed: "
                              "ZeroDivisionError: on document 'empty': division by zero\nTraceback")
    assert "sum(t.end - t.start for t in doc.words) / len(doc.words)" in problem
    check_analysis(EdgeFail, edge_cases=False)


def test_detects_a_modified_corpus():
    assert "the corpus changed during the run: analyses must not modify documents" in _problems(Mutates, edge_cases=False)


def test_detects_unpicklable_classes_and_missing_evidence():
    class Local(Good):
        name = "local"

    problems = _problems(Local, edge_cases=False)
    assert len(problems) == 1 and problems[0].startswith("the class cannot be pickled")

    class NoEvidence(Analysis):
        name = "noevidence"
        description = "Counts."

        def analyze_corpus(self, corpus, ctx, documents):
            return {"n": len(corpus)}

    problems = _problems(NoEvidence, edge_cases=False, require_evidence=True)
    assert problems[-1].startswith("the report holds no evidence span")


def test_parameter_declarations():
    assert check_parameters(BadParams) == [
        "name 'bad.name' must start with a letter and hold only letters, digits, - and _ (it is typed in -p NAME.param=value and --only NAME)",
        "description is empty: `relkit analyses` shows it to users",
        "version '' must be a non-empty string (it keys the result cache)",
        "defines neither analyze_document nor analyze_corpus",
        "parameter 'k': default 'five' does not parse: expected int, got 'five'",
        "parameter 'k': declared twice",
        "parameter 'k': no help text (`relkit analyses` shows it to users)",
        "parameter 'path': default is None but the parameter is not nullable=True",
        "parameter 'lo': default 0.5 does not parse: expected float in [1.0, 0.0], got 0.5",
        "parameter 'lo': minimum 1.0 is above maximum 0.0",
    ]
    assert check_parameters(Good) == []
    assert check_parameters(NoParts) == ["defines neither analyze_document nor analyze_corpus"]


# -- spans and schema helpers ------------------------------------------------------------
def test_iter_spans_attributes_documents():
    report = {"ok": True, "result": {
        "documents": [{"id": "a", "x": [{"start": 0, "end": 1, "text": "H"}], "y": {"doc": "b", "s": {"start": 0, "end": 1, "text": "B"}}}],
        "pairs": [{"doc": "c", "passage": {"start": 2, "end": 3, "text": "z"}}],
        "loose": {"start": 0, "end": 0, "text": ""},
    }}
    assert [(p, d) for p, d, _ in iter_spans(report)] == [
        ("$.result.documents[0].x[0]", "a"),
        ("$.result.documents[0].y.s", "b"),
        ("$.result.pairs[0].passage", "c"),
        ("$.result.loose", None),
    ]


def test_validate_report_uses_the_envelope_schema():
    pytest.importorskip("jsonschema")
    report = run_analysis(Good, make_corpus(["Hi."]))
    assert validate_report(report) == []
    broken = {**report, "ok": "yes", "extra": 1}
    del broken["warnings"]
    problems = validate_report(broken)
    assert "$: envelope schema: 'warnings' is a required property" in problems
    assert "$: envelope schema: Additional properties are not allowed ('extra' was unexpected)" in problems
    assert "$.ok: envelope schema: 'yes' is not of type 'boolean'" in problems


# -- core: Analysis.cache_token ----------------------------------------------------------------
def test_cache_token_is_part_of_the_cache_key(tmp_path):
    class Tokened(Good):
        token = "v1"

        @classmethod
        def cache_token(cls, params):
            return cls.token

    doc = make_corpus(["Hi."])[0]
    params = Params({"min_len": 1})
    k1 = ResultCache.key("good", Tokened, params, doc)
    Tokened.token = "v2"
    assert ResultCache.key("good", Tokened, params, doc) != k1
    Tokened.token = ""  # no token: the key is the one an analysis without cache_token gets
    plain = type("Good", (Good,), {"__module__": Tokened.__module__, "__qualname__": Tokened.__qualname__})
    assert ResultCache.key("good", Tokened, params, doc) == ResultCache.key("good", plain, params, doc)

    class Broken(Good):
        @classmethod
        def cache_token(cls, params):
            raise OSError("gone")

    assert ResultCache.key("good", Broken, params, doc) != ResultCache.key("good", Broken, params, doc)


# -- the pytest plugin ------------------------------------------------------------------------
def test_pytest_fixtures_in_a_plugin_authors_project(tmp_path):
    (tmp_path / "test_mine.py").write_text(textwrap.dedent('''
        from relkit import Analysis, plugins
        from relkit.testing import run_analysis

        class Count(Analysis):
            name = "count"
            description = "Words."
            def analyze_document(self, doc, ctx):
                return {"words": len(doc.words)}

        def test_corpora(relkit_corpus, relkit_edge_corpus):
            assert relkit_corpus[0].id == "budget" and relkit_edge_corpus["empty"].text == ""

        def test_register_plugin(register_plugin, relkit_corpus):
            register_plugin(Count)
            assert "count" in plugins.registry().analyses
            assert run_analysis("count", relkit_corpus)["result"]["documents"][0]["words"] == 73

        def test_unregistered_afterwards():
            assert "count" not in plugins.registry().analyses
    '''))
    env = {**os.environ, "RELKIT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("PYTEST_ADDOPTS", None)
    res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_mine.py"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "3 passed" in res.stdout


def test_relkit_does_not_import_the_test_kit():
    # relkit.testing may import pytest; nothing else in relkit imports relkit.testing.
    import ast

    src = Path(plugins.__file__).resolve().parent
    offenders = []
    for path in src.rglob("*.py"):
        if path.name == "testing.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [f"{'.' * node.level}{node.module or ''}"] + [f"{node.module or ''}.{a.name}" for a in node.names]
            if any(n.endswith("testing") and ("relkit" in n or n.startswith(".")) for n in names):
                offenders.append(path.name)
    assert offenders == []
