"""Invariants of readability's speed work: the per-document result holds measures and
evidence offsets only, and the report built from it (fresh, or read back from the result
cache) is the same; corpus distributions break ties as documented."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from relkit import Context, Corpus, Document, Params, analyze, load_corpus
from relkit.stats import distribution

from relkit_readability import ReadabilityAnalysis
from relkit_readability.analysis import _N_COUNTS as N_COUNTS
from relkit_readability.counts import count_document

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _ctx(a: ReadabilityAnalysis, **params) -> Context:
    values = {p.name: p.default for p in a.parameters}
    values.update(params)
    return Context(Params(values), "readability")


def test_per_document_result_is_one_list_of_numbers():
    a = ReadabilityAnalysis()
    doc = load_corpus(str(CORPUS)).documents[0]
    res = a.analyze_document(doc, _ctx(a))
    assert list(res) == ["measures"]
    v = res["measures"]
    assert all(isinstance(x, int) for i, x in enumerate(v) if i not in (N_COUNTS + 1, N_COUNTS + 2))
    assert v[:N_COUNTS] == list(count_document(doc).totals.values())  # the counts, in COUNT_KEYS order
    full = a.report_document(doc, _ctx(a))
    assert list(full) == ["formulas", "counts", "ratios", "lexical_diversity", "reading_time", "reliable", "flags", "hard_sentences"]
    assert full["lexical_diversity"]["mattr"] == v[N_COUNTS + 1] and full["lexical_diversity"]["mtld"] == v[N_COUNTS + 2]
    assert len(full["hard_sentences"]) == 3
    first = full["hard_sentences"][0]
    assert first["text"] == doc.text[first["start"] : first["end"]]
    assert first["hard_words"] and all(doc.text[w["start"] : w["end"]] == w["text"] for w in first["hard_words"])


# Texts that exercise every branch of the batch counts (test_readability_batch): possessives
# (chained, at a sentence start, after punctuation), headings, a text without punctuation,
# names, numbers, hyphenated and -ed/-ing words, non-English words, more than eight
# polysyllabic words in one sentence, an empty text and one of punctuation only.
EDGE_TEXTS = [
    "",
    "... !!! ---",
    "Top News\n\nTom's dog's bone is Jones' car's. O'Neil's 'twas fine.\n",
    "'s is odd. The cat's's toy. Hello 's world, James' 's.",
    "no punctuation anywhere in this line\nnor in this one",
    "A Heading Line\nThe Extraordinarily Complicated Administration unexpectedly reorganized "
    "international telecommunications, simultaneously revolutionizing governmental "
    "infrastructure, educational opportunities, environmental sustainability, "
    "organizational accountability and individual responsibility. Short one.\n"
    "3 Around the rainbow\nWell-known co-operated, interested visiting uncomplicated 1918 3.2% 21st Ph.D. Nov. 22-23.",
    "Der Bundesrat beschließt heute über die Änderungen. Les députés européens votent. Zyxquorbian words.",
    "AN ALL CAPS HEADLINE WITH NAMES LIKE BARACK OBAMA AND WASHINGTON. It follows here, in Washington too.",
]


def test_edge_texts_take_the_branches_they_are_meant_to():
    c = count_document(Document("h", EDGE_TEXTS[5]))
    assert c.totals["headings_excluded"] == 2
    assert max(len(s.hard_words) for s in c.sentences) > 8  # the hard words are cut to eight
    # "cat's" + "'s" joined; a quote mark is punctuation and joins nothing
    assert count_document(Document("p", EDGE_TEXTS[3])).forms == [
        "s", "is", "odd", "the", "cat's's", "toy", "hello", "s", "world", "james", "s"]


def test_report_equals_report_document_and_cache_round_trip(tmp_path):
    corpus = load_corpus(str(CORPUS))
    a = ReadabilityAnalysis()
    fresh = analyze(corpus, only=["readability"], cache=None)["reports"]["readability"]["result"]
    for entry, doc in zip(fresh["documents"], corpus):
        assert json.dumps(entry) == json.dumps({"id": doc.id, **a.report_document(doc, _ctx(a))})
    # Per-document results read back from the cache (the corpus part refitted on a corpus
    # with one more document) give the same entries as a run without the cache.
    analyze(corpus, only=["readability"], cache=str(tmp_path))
    bigger = Corpus(corpus.documents + [Document("extra", "One more short text. It has two sentences.")])
    warm = analyze(bigger, only=["readability"], cache=str(tmp_path))["reports"]["readability"]["result"]
    cold = analyze(bigger, only=["readability"], cache=None)["reports"]["readability"]["result"]
    assert json.dumps(warm, sort_keys=True) == json.dumps(cold, sort_keys=True)
    assert json.dumps(warm["documents"][:-1]) == json.dumps(fresh["documents"])


def test_possessives_joined_and_heading_left_out():
    doc = Document("t", "Top News\n\nTom's dog's bone is Jones' car's. O'Neil's 'twas fine.\n")
    c = count_document(doc)
    assert c.forms == ["tom's", "dog's", "bone", "is", "jones", "car's", "o'neil's", "twas", "fine"]
    assert c.totals["headings_excluded"] == 1 and c.totals["sentences"] == 2
    assert [s.words for s in c.sentences] == [6, 3]


def test_distribution_ties_and_skipped_values():
    d = distribution({"b": 1.0, "a": 1.0, "ab": 3.0, "a2": 3.0, "n": None, "x": math.nan, "i": math.inf})
    assert d["count"] == 4 and d["min"] == 1.0 and d["max"] == 3.0
    assert d["min_doc"] == "a"  # smallest id among the minima
    assert d["max_doc"] == "a2"  # greatest negated code points: "a2" beats "ab"
    assert distribution({"a": 5.0, "ab": 5.0})["max_doc"] == "ab"  # a longer id beats its prefix
    assert d["mean"] == 2.0 and d["median"] == 2.0 and d["q1"] == 1.0 and d["q3"] == 3.0
    assert d["sd"] == pytest.approx(math.sqrt(4 / 3))
    assert distribution({"a": None}) is None and distribution({}) is None
    one = distribution({"z": 2})
    assert one["sd"] == 0.0 and one["min_doc"] == one["max_doc"] == "z"


def test_max_tie_break_matches_the_negated_code_point_key():
    import random

    from relkit.stats import _max_negated

    rng = random.Random(7)
    for _ in range(3000):
        ids = list({"".join(rng.choice("ab\x00\U0010ffff") for _ in range(rng.randint(0, 5))) for _ in range(rng.randint(1, 8))})
        assert _max_negated(ids) == max(ids, key=lambda k: [-ord(c) for c in k])


def _mtld_pass_definition(forms, threshold):
    # McCarthy & Jarvis's pass as first written: the TTR checked after every token.
    factors, types, count = 0.0, set(), 0
    for w in forms:
        types.add(w)
        count += 1
        if len(types) <= threshold * count:
            factors, types, count = factors + 1.0, set(), 0
    if count:
        factors += (1.0 - len(types) / count) / (1.0 - threshold)
    return factors


def _mattr_definition(forms, window):
    n = len(forms)
    if n <= window:
        return len(set(forms)) / n
    return sum(len(set(forms[j : j + window])) for j in range(n - window + 1)) / ((n - window + 1) * window)


def test_mtld_and_mattr_equal_their_definitions():
    import random

    from relkit_readability.diversity import _mtld_pass, mattr

    rng = random.Random(3)
    seqs = [count_document(d).forms for d in load_corpus(str(CORPUS))]
    seqs += [[rng.choice("abcdefghij"[: rng.randint(1, 10)]) for _ in range(rng.randint(1, 300))] for _ in range(300)]
    for forms in seqs:
        for threshold in (0.05, 0.5, 0.72, 0.9, 0.99):
            assert _mtld_pass(forms, threshold) == _mtld_pass_definition(forms, threshold)
            assert _mtld_pass(forms[::-1], threshold) == _mtld_pass_definition(forms[::-1], threshold)
        for window in (2, 7, 50):
            assert mattr(forms, window) == _mattr_definition(forms, window)


def test_summary_from_columns_equals_summary_from_entries():
    from relkit_readability.summary import summarize

    corpus = Corpus(list(load_corpus(str(CORPUS))) + [Document(f"e{i}", t) for i, t in enumerate(EDGE_TEXTS)])
    for reliable_only in (False, True):
        res = analyze(corpus, only=["readability"], params={"readability": {"reliable_only": reliable_only}},
                      cache=None)["reports"]["readability"]["result"]
        plain = summarize(res["documents"], reliable_only=reliable_only)
        assert json.dumps(res["summary"]) == json.dumps(plain)


def test_compute_formulas_equals_each_published_function():
    import random

    from relkit_readability import formulas as F

    rng = random.Random(5)
    for _ in range(5000):
        words = rng.choice([0, 1, 2, 7, 100, 275, rng.randint(0, 5000)])
        c = {
            "words": words, "sentences": rng.choice([0, 1, 3, rng.randint(0, 300)]),
            "syllables": rng.randint(words, 3 * words + 1), "polysyllabic_words": rng.randint(0, words),
            "complex_words": rng.randint(0, words), "letters": rng.randint(0, 8 * words), "characters": rng.randint(0, 9 * words),
            "difficult_words": rng.choice([0, rng.randint(0, words)]), "spache_difficult_unique": rng.randint(0, words),
        }
        expected = {name: f(c) for name, f in F.FORMULAS.items()}
        expected["dale_chall_grade"] = F.dale_chall_grade(expected["dale_chall"])
        expected["consensus_grade"] = F.consensus(expected)
        got = F.compute_formulas(c)
        assert got == expected and list(got) == list(expected)


def _random_counts(rng, n):
    rows = []
    for _ in range(n):
        words = rng.choice([0, 1, 2, 7, 100, 275, rng.randint(0, 5000)])
        rows.append((
            words, rng.choice([0, 1, 3, rng.randint(0, 300)]), rng.randint(words, 3 * words + 1),
            rng.randint(0, words), rng.randint(0, words), rng.randint(0, 8 * words), rng.randint(0, 9 * words),
            rng.choice([0, rng.randint(0, words)]), rng.randint(0, words),
        ))
    return rows


def _bits(values):
    return [None if v is None else v.hex() for v in values]


def test_formula_columns_are_formula_values_bit_for_bit():
    import random

    from relkit_readability import formulas as F

    rng = random.Random(11)
    rows = _random_counts(rng, 3000)
    defined = [r for r in rows if r[0] > 0 and r[1] > 0]
    for sample in (rows, defined, rows[:1], [(0, 0, 0, 0, 0, 0, 0, 0, 0)]):
        columns = F.formula_columns(*map(list, zip(*sample)))
        assert len(columns) == len(F.FORMULA_KEYS) and all(len(c) == len(sample) for c in columns)
        for row, got in zip(sample, zip(*columns)):
            assert _bits(got) == _bits(F.formula_values(*row))
    keys = ("words", "sentences", "syllables", "polysyllabic_words", "complex_words", "letters", "characters",
            "difficult_words", "spache_difficult_unique")
    for row in rows[:500]:
        assert list(F.formula_values(*row)) == list(F.compute_formulas(dict(zip(keys, row))).values())


def test_corpus_entries_follow_the_definitions():
    # The corpus part computes formulas and ratios column by column: each entry must still
    # hold compute_formulas of its counts and the ratios as defined (None when undefined).
    corpus = Corpus(list(load_corpus(str(CORPUS))) + [Document(f"e{i}", t) for i, t in enumerate(EDGE_TEXTS)])
    from relkit_readability.formulas import compute_formulas

    texts = {d.id: d.text for d in corpus}
    res = analyze(corpus, only=["readability"], cache=None)["reports"]["readability"]["result"]
    assert any(e["hard_sentences"] for e in res["documents"])
    assert any(e["counts"]["words"] == 0 for e in res["documents"])  # both branches taken
    for e in res["documents"]:
        c, r = e["counts"], e["ratios"]
        w = c["words"]

        def ratio(a, b):
            return a / b if b else None

        assert _bits(e["formulas"].values()) == _bits(compute_formulas(c).values())
        assert list(e["formulas"]) == list(compute_formulas(c))
        assert list(r.items()) == list({
            "words_per_sentence": ratio(w, c["sentences"]), "syllables_per_word": ratio(c["syllables"], w),
            "letters_per_word": ratio(c["letters"], w), "characters_per_word": ratio(c["characters"], w),
            "percent_polysyllabic_words": ratio(100.0 * c["polysyllabic_words"], w),
            "percent_complex_words": ratio(100.0 * c["complex_words"], w),
            "percent_long_words": ratio(100.0 * c["long_words"], w),
            "percent_difficult_words": ratio(100.0 * c["difficult_words"], w),
            "longest_sentence_words": r["longest_sentence_words"],
        }.items())
        assert e["lexical_diversity"]["ttr"] == ratio(c["unique_words"], w)
        text = texts[e["id"]]
        for s in e["hard_sentences"]:
            assert s["text"] == text[s["start"] : s["end"]]
            assert all(h["text"] == text[h["start"] : h["end"]] for h in s["hard_words"])


def test_group_summaries_from_columns_equal_those_from_entries():
    from relkit_readability.summary import summarize_groups

    docs = list(load_corpus(str(CORPUS))) + [Document(f"e{i}", t) for i, t in enumerate(EDGE_TEXTS)]
    corpus = Corpus(docs)
    for reliable_only in (False, True):
        res = analyze(corpus, only=["readability"], cache=None,
                      params={"readability": {"group_by": "source", "reliable_only": reliable_only}})
        res = res["reports"]["readability"]["result"]
        assert len(res["groups"]) > 2
        plain = summarize_groups(docs, res["documents"], "source", reliable_only=reliable_only)
        assert json.dumps(res["groups"]) == json.dumps(plain)
