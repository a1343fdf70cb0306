"""Tests for relkit-lexicon: parsing, matching on relkit's tokens, the analysis through relkit's test kit."""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pytest

from relkit.testing import check_analysis, make_corpus, run_analysis
from relkit_lexicon import LexiconAnalysis, LexiconError, load_lexicon, parse_dic, parse_json
from relkit_lexicon.matching import TermIndex

HERE = Path(__file__).resolve().parent
LEXICONS = HERE.parent / "lexicons"

TEXT = (
    "Interest rates rose again. The economy, economists said, may slow; "
    "interest is high. Taxes and the tax rate were unchanged."
)


@pytest.fixture
def lexicon_file(tmp_path):
    path = tmp_path / "lex.json"
    path.write_text(json.dumps({
        "economy": ["econom*", "interest rate*", "tax*", "rate*"],
        "hedge": ["may", "might"],
        "money": ["tax*"],
    }), encoding="utf-8")
    return path


def test_parse_json_merges_terms_across_categories():
    lex = parse_json(json.dumps({"a": ["tax*", "New York"], "b": ["tax*"]}), "x.json")
    by_raw = {t.raw: t for t in lex.terms}
    assert lex.categories == ("a", "b")
    assert by_raw["tax*"].categories == ("a", "b") and by_raw["tax*"].pattern == (("tax", True),)
    assert by_raw["New York"].pattern == (("new", False), ("york", False))


def test_parse_dic_formats_and_conditional_entries():
    text = "%\n01\tposemo\n2 negemo\n%\nhappy\t1\nkind of 1 2\nabandon*\t02\nlike\t02/134\n"
    lex = parse_dic(text, "x.dic")
    assert lex.categories == ("posemo", "negemo")
    by_raw = {t.raw: t for t in lex.terms}
    assert by_raw["kind of"].categories == ("posemo", "negemo")
    assert by_raw["abandon*"].categories == ("negemo",)
    assert lex.skipped == ("line 8: 'like' uses conditional category syntax",)
    assert lex.describe()["categories"] == [{"name": "posemo", "terms": 2, "wildcards": 0},
                                            {"name": "negemo", "terms": 2, "wildcards": 1}]


@pytest.mark.parametrize("text, message", [
    ("1\tposemo\n", "starts with a '%' line"),
    ("%\n1\tposemo\n", "no closing '%'"),
    ("%\n1\tposemo\n%\nhappy\t3\n", "line 4: category number 3 is not defined"),
    ("%\n1\tposemo\n1\tother\n%\n", "line 3: category number 1 is defined twice"),
])
def test_bad_dic_files_name_the_line(text, message):
    with pytest.raises(LexiconError, match=message):
        parse_dic(text, "x.dic")


@pytest.mark.parametrize("data, message", [
    ("[1, 2]", "expected a JSON object"),
    ('{"a": "tax"}', "category 'a': expected a list of strings"),
    ('{"a": ["*"]}', "a wildcard needs at least one character"),
    ('{"a": ["*ism"]}', "only allowed at the end of a word"),
    ('{"a": ["ta*x"]}', "only allowed at the end of a word"),
    ("{", "invalid JSON"),
])
def test_bad_json_lexicons(data, message):
    with pytest.raises(LexiconError, match=message):
        parse_json(data, "x.json")


def test_matching_longest_first_per_category_and_within_sentences(lexicon_file):
    lex = load_lexicon(str(lexicon_file))
    doc = make_corpus({"d": TEXT})["d"]
    found = [(doc.text[doc.tokens[m.first].start:doc.tokens[m.last - 1].end], m.category, m.term.raw)
             for m in TermIndex(lex).find(doc.tokens)]
    assert found == [
        ("Interest rates", "economy", "interest rate*"),   # not also "rate*": longest first
        ("economy", "economy", "econom*"),
        ("economists", "economy", "econom*"),
        ("may", "hedge", "may"),
        ("Taxes", "economy", "tax*"),
        ("Taxes", "money", "tax*"),
        ("tax", "economy", "tax*"),
        ("tax", "money", "tax*"),
        ("rate", "economy", "rate*"),
    ]
    # "interest is high": no match across words that do not follow each other
    lone = make_corpus({"d": "Interest. Rates fell."})["d"]
    assert [m.term.raw for m in TermIndex(lex, ["economy"]).find(lone.tokens)] == ["rate*"]


def test_analysis_counts_rates_and_evidence(lexicon_file):
    report = run_analysis(LexiconAnalysis, make_corpus({"d": TEXT, "e": "Nothing here."}),
                          {"lexicon": str(lexicon_file), "max_evidence": 3})
    assert report["ok"], report["error"]
    d, e = report["result"]["documents"]
    assert d["words"] == 20
    assert d["counts"] == {"economy": 6, "hedge": 1, "money": 2}
    assert d["rates"]["economy"] == pytest.approx(300.0)
    assert d["matches_total"] == 7 and len(d["matches"]) == 3
    assert d["matches"][0] == {"start": 0, "end": 14, "text": "Interest rates", "terms": ["interest rate*"], "categories": ["economy"]}
    taxes = TEXT.index("Taxes")
    assert run_analysis(LexiconAnalysis, make_corpus({"d": TEXT}), {"lexicon": str(lexicon_file)})["result"]["documents"][0]["matches"][4] == {
        "start": taxes, "end": taxes + 5, "text": "Taxes", "terms": ["tax*"], "categories": ["economy", "money"]}
    assert "_terms" not in d  # private state stays out of the report
    assert e == {"id": "e", "words": 2, "counts": {"economy": 0, "hedge": 0, "money": 0},
                 "rates": {"economy": 0.0, "hedge": 0.0, "money": 0.0}, "matches_total": 0, "matches": []}
    totals = report["result"]["totals"]
    assert totals["words"] == 22
    assert totals["categories"]["economy"]["count"] == 6 and totals["categories"]["economy"]["documents"] == 1
    assert totals["categories"]["economy"]["top_terms"][:2] == [{"term": "econom*", "count": 2, "documents": 1},
                                                                {"term": "tax*", "count": 2, "documents": 1}]
    assert report["result"]["lexicon"]["format"] == "json"


def test_categories_and_group_by(lexicon_file):
    corpus = make_corpus({"a": "Taxes rose.", "b": "Tax cuts may come.", "c": "No news."},
                         metadata=[{"source": "X"}, {"source": "Y"}, {"source": "X"}])
    report = run_analysis(LexiconAnalysis, corpus, {"lexicon": str(lexicon_file), "categories": "money", "group_by": "source"})
    assert list(report["result"]["totals"]["categories"]) == ["money"]
    assert report["result"]["groups"] == {
        "X": {"documents": ["a", "c"], "words": 4, "counts": {"money": 1}, "rates": {"money": 250.0}},
        "Y": {"documents": ["b"], "words": 4, "counts": {"money": 1}, "rates": {"money": 250.0}},
    }
    bad = run_analysis(LexiconAnalysis, corpus, {"lexicon": str(lexicon_file), "categories": "nope"})
    assert not bad["ok"] and "categories not in the lexicon: nope" in bad["error"]["message"]


def test_missing_lexicon_fails_cleanly_and_no_lexicon_warns(tmp_path):
    report = run_analysis(LexiconAnalysis, make_corpus(["Some text."]), {"lexicon": str(tmp_path / "missing.json")})
    assert report["ok"] is False and "cannot read the lexicon" in report["error"]["message"]
    report = run_analysis(LexiconAnalysis, make_corpus(["Some text."]))
    assert report["ok"] and report["result"]["lexicon"] is None
    assert "no lexicon given" in report["warnings"][0]["message"]


def test_changed_lexicon_file_is_not_served_from_the_cache(tmp_path):
    from relkit.api import plan
    from relkit.cache import ResultCache
    from relkit.testing import registered

    path = tmp_path / "lex.json"
    corpus = make_corpus(["Taxes rose and taxes fell."])

    def count():
        with registered(LexiconAnalysis):
            p = plan(corpus, only=["lexicon"], params={"lexicon": {"lexicon": str(path)}}, cache=ResultCache(tmp_path / "c"))
            (run,) = [r for r in p.runs() if r.name == "lexicon"]
        return run.report["result"]["documents"][0]["counts"]

    path.write_text('{"t": ["tax*"]}')
    assert count() == {"t": 2}
    path.write_text('{"t": ["rose"]}')
    assert count() == {"t": 1}


@pytest.mark.parametrize("name", ["economy.json", "economy.dic"])
def test_conformance_with_the_demo_lexicons(name):
    report = check_analysis(LexiconAnalysis, params={"lexicon": str(LEXICONS / name)}, require_evidence=True)
    assert report["result"]["totals"]["categories"]["economy"]["count"] == 11


def test_conformance_without_a_lexicon():
    check_analysis(LexiconAnalysis)


def test_installed_entry_point():
    try:
        distribution("relkit-lexicon")
    except PackageNotFoundError:
        pytest.skip("relkit-lexicon is not installed (pip install -e examples/relkit-lexicon)")
    from relkit import plugins

    plugins.load_plugins()
    assert plugins.registry().analysis_plugin.get("lexicon") == "lexicon"
