"""The duplicates analysis: exact and near duplicates, containment, clusters, aligned
passages, repeats inside a document, --dedupe, awkward documents."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import relkit
from relkit import Corpus, Document
from relkit.cli import cli as main
from relkit.testing import check_analysis, run_analysis

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
ID001 = "001_1cc5cf0e4fa3a9bc"


def _body(name: str) -> str:
    """A real article body from the sample corpus (its longest paragraphs)."""
    text = next(CORPUS.glob(name + "_*.txt")).read_text(encoding="utf-8")
    paras = [p.strip() for p in text.split("\n") if len(p.split()) > 25]
    return "\n\n".join(paras)


BODY4 = _body("004")
BODY3 = _body("003")
BODY0 = _body("000")


def _substitute(text: str, rate: float, seed: int) -> str:
    rng = random.Random(seed)
    words = text.split(" ")
    for i in range(len(words)):
        if rng.random() < rate:
            words[i] = "zq" + str(rng.randrange(10**6))
    return " ".join(words)


def _result(corpus, **params):
    rep = run_analysis("duplicates", corpus, params)
    assert rep["ok"], rep["error"]
    return rep["result"]


# -- sample corpus ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_result():
    corpus = relkit.load_corpus(str(CORPUS))
    return corpus, relkit.analyze(corpus, only=["duplicates"])["reports"]["duplicates"]["result"]


def test_sample_corpus_reports_only_the_repeated_body_of_001(sample_result):
    corpus, res = sample_result
    assert res["pairs"] == [] and res["clusters"] == [] and res["exact_duplicates"] == []
    with_repeats = [d for d in res["documents"] if d["repeats"]]
    assert [d["id"] for d in with_repeats] == [ID001]
    (rep,) = with_repeats[0]["repeats"]
    first, second = rep["copies"]
    text = corpus[ID001].text
    assert (first["start"], first["end"], second["start"], second["end"]) == (79, 2426, 2427, 4774)
    assert first["text"] == second["text"] == text[79:2426]
    assert first["text"].startswith("According to AZERTAC") and first["text"].endswith("on a permanent basis.")
    assert text.count(first["text"]) == 2
    assert first["words"] == second["words"] == 335
    d = with_repeats[0]
    assert d["repeated_words"] == 335 and d["words"] == 682
    assert d["repeat_share"] == pytest.approx(335 / 682)
    assert 0.45 < d["repeat_share_chars"] < 0.52


def test_related_reports_are_not_near_duplicates(sample_result):
    _, res = sample_result
    assert res["summary"]["near_duplicate_pairs"] == 0
    # 000 and 002 report the same event in different words: not even a candidate
    assert all(d["cluster"] is None for d in res["documents"])


def test_conformance():
    check_analysis("duplicates")


# -- exact duplicates --------------------------------------------------------------------
def test_exact_duplicates_after_normalisation():
    a = BODY4
    b = "  " + BODY4.upper().replace(", ", " , ").replace("\n\n", "\n") + "\n\n"  # case, spacing, punctuation
    c = BODY4.replace("’", "'").replace("“", '"').replace("”", '"')  # typographic marks
    corpus = Corpus([Document("x1", a), Document("x2", b), Document("x3", c), Document("x4", BODY3)])
    res = _result(corpus)
    assert res["exact_duplicates"] == [{"members": ["x1", "x2", "x3"], "words": res["documents"][0]["words"]}]
    (cluster,) = res["clusters"]
    assert cluster["members"] == ["x1", "x2", "x3"] and cluster["exact"] is True and cluster["id"] == "x1"
    assert [d["exact_duplicate_of"] for d in res["documents"]] == [None, "x1", "x1", None]
    assert res["pairs"] == []  # exact copies are reported as groups, not as pairs
    assert res["summary"]["exact_duplicate_copies"] == 2


# -- near duplicates ---------------------------------------------------------------------
def test_near_duplicate_with_substitutions_scores_and_passages():
    edited = _substitute(BODY4, 0.02, 1)
    corpus = Corpus([Document("a", BODY4), Document("b", edited), Document("c", BODY3), Document("d", BODY0)])
    res = _result(corpus)
    (pair,) = res["pairs"]
    assert (pair["a"], pair["b"], pair["kind"]) == ("a", "b", "near")
    # exact Jaccard of the 5-shingle sets, recomputed here independently
    from relkit_duplicates.shingles import shingle_hashes, word_hashes

    sets = [set(shingle_hashes(word_hashes([t.norm for t in d.words]), 5).tolist()) for d in corpus.documents[:2]]
    inter = len(sets[0] & sets[1])
    assert pair["shared_shingles"] == inter
    assert pair["jaccard"] == pytest.approx(inter / len(sets[0] | sets[1]), abs=1e-6)
    assert pair["containment_a"] == pytest.approx(inter / len(sets[0]), abs=1e-6)
    assert 0.5 < pair["jaccard"] < 0.95
    # passages: offsets point at the text, coverage nearly all of both
    for p in pair["passages"]:
        for side, doc in (("a", "a"), ("b", "b")):
            span = p[side]
            assert span["doc"] == doc and corpus[doc].text[span["start"] : span["end"]] == span["text"]
    assert pair["coverage_a"] > 0.9 and pair["coverage_b"] > 0.9
    (cluster,) = res["clusters"]
    assert cluster["members"] == ["a", "b"] and cluster["exact"] is False


def test_both_methods_agree_and_minhash_is_seeded():
    edited = _substitute(BODY4, 0.03, 2)
    corpus = Corpus([Document("a", BODY4), Document("b", edited), Document("c", BODY3)])
    for method in ("oph", "minhash"):
        res = _result(corpus, method=method)
        assert [(p["a"], p["b"]) for p in res["pairs"]] == [("a", "b")]


def test_containment_of_a_shorter_reprint():
    paras = BODY4.split("\n\n")
    short = "\n\n".join(paras[:2])  # the reprint drops the later paragraphs
    corpus = Corpus([Document("long", BODY4), Document("short", short), Document("other", BODY3)])
    res = _result(corpus)
    (pair,) = res["pairs"]
    assert pair["kind"] == "containment" and pair["jaccard"] < 0.5
    assert pair["containment_b"] == 1.0  # all of the short text is in the long one
    (p,) = pair["passages"]
    assert p["b"]["end"] == len(short.rstrip())  # to the end of the reprint
    assert p["b"]["text"].startswith("Yesterday, the TASS news agency")  # after the cleaned date line
    assert p["a"]["start"] == p["b"]["start"] == 16 and corpus["long"].text[p["a"]["start"] : p["a"]["end"]] == p["a"]["text"]
    assert pair["coverage_b"] == 1.0 and pair["coverage_a"] < 0.7
    # Jaccard only: the reprint is not a near-duplicate
    assert _result(corpus, containment=None)["pairs"] == []


def test_copy_pasted_inside_another_text_is_aligned():
    host_paras = BODY3.split("\n\n")
    pasted = "\n\n".join(host_paras[:1] + [BODY0] + host_paras[1:])
    corpus = Corpus([Document("src", BODY0), Document("host", pasted)])
    res = _result(corpus)
    (pair,) = res["pairs"]
    assert pair["containment_a"] == 1.0
    (p,) = pair["passages"]
    start = pasted.index(BODY0)
    assert p["b"]["doc"] == "host" and p["b"]["start"] == start
    assert p["b"]["end"] == start + len(BODY0.rstrip())
    assert p["a"]["start"] == 0


# -- clusters ------------------------------------------------------------------------------
def test_clusters_stable_ids_representative_and_earliest():
    v1 = BODY4
    v2 = _substitute(BODY4, 0.02, 3)
    v3 = v2 + "\n\nAn extra closing paragraph added by the second outlet, with a few more words in it for good measure."
    docs = [
        Document("n3", v3, metadata={"date": "2020-06-02"}),
        Document("n1", v1, metadata={"date": "2020-05-31"}),
        Document("n2", v2, metadata={"date": "2020-05-30"}),
        Document("z", BODY3, metadata={"date": "2019-01-01"}),
    ]
    res = _result(Corpus(docs))
    (c,) = res["clusters"]
    assert c["id"] == "n1" and c["members"] == ["n1", "n2", "n3"] and c["size"] == 3
    assert c["earliest"] == {"id": "n2", "date": "2020-05-30"}
    assert c["representative"] == "n3"  # longest
    assert _result(Corpus(docs), representative="earliest")["clusters"][0]["representative"] == "n2"
    assert _result(Corpus(docs), representative="first")["clusters"][0]["representative"] == "n3"
    # the id does not depend on corpus order or unrelated documents
    res2 = _result(Corpus(list(reversed(docs)) + [Document("zz", BODY0)]))
    assert [x["id"] for x in res2["clusters"]] == ["n1"]


# -- repeats inside one document -----------------------------------------------------------
def test_passage_repeated_three_times():
    para = BODY0.split("\n\n")[0]
    text = "Opening words of the page before anything repeats.\n\n" + "\n\n".join([para, para, para]) + "\n\nThe end."
    corpus = Corpus([Document("r", text)])
    (doc,) = _result(corpus)["documents"]
    (rep,) = doc["repeats"]
    assert len(rep["copies"]) == 3
    starts = [c["start"] for c in rep["copies"]]
    i = text.index(para)
    assert starts == [i, i + len(para) + 2, i + 2 * (len(para) + 2)]
    assert all(c["text"] == para for c in rep["copies"])
    assert doc["repeat_share"] == pytest.approx(2 * rep["copies"][0]["words"] / doc["words"])


def test_short_repeats_are_not_reported():
    text = "The minister said the talks went well. Later the minister said the talks went well again."
    (doc,) = _result(Corpus([Document("s", text)]))["documents"]
    assert doc["repeats"] == [] and doc["repeat_share"] == 0.0


# -- awkward documents -------------------------------------------------------------------------
def test_empty_and_one_word_documents():
    corpus = Corpus([Document("e1", ""), Document("e2", "   \n"), Document("w1", "Hello"),
                     Document("w2", "hello!"), Document("w3", "Goodbye"), Document("b", BODY0)])
    res = _result(corpus)
    assert [d["words"] for d in res["documents"]] == [0, 0, 1, 1, 1, res["documents"][-1]["words"]]
    assert res["summary"]["empty_documents"] == 2
    # empty documents are not duplicates of each other; one-word ones can be exact copies
    assert res["exact_duplicates"] == [{"members": ["w1", "w2"], "words": 1}]
    assert res["pairs"] == []
    assert _result(Corpus([Document("e", "")]))["clusters"] == []
    assert _result(Corpus([]))["pairs"] == []


def test_deterministic_json():
    corpus = Corpus([Document("a", BODY4), Document("b", _substitute(BODY4, 0.05, 4)), Document("c", BODY3)])
    one = json.dumps(_result(corpus), sort_keys=True)
    two = json.dumps(_result(corpus), sort_keys=True)
    assert one == two


# -- --dedupe --------------------------------------------------------------------------------
WORDCOUNT_PLUGIN = '''
from relkit import hookimpl, Analysis

class WordCount(Analysis):
    name = "wordcount"
    description = "Words in the cleaned view (test plugin)."
    def analyze_document(self, doc, ctx):
        return {"words": len(doc.words), "regions": [list(r) for r in doc.regions]}

@hookimpl
def register_analyses(register):
    register(WordCount)
'''


def _dedupe_corpus_dir(tmp_path: Path) -> Path:
    d = tmp_path / "corpus"
    d.mkdir()
    for f in CORPUS.glob("*.txt"):
        (d / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (d / "005_reprint.txt").write_text(_substitute(BODY4, 0.02, 5), encoding="utf-8")
    return d


def test_dedupe_cli_end_to_end(tmp_path):
    plugdir = tmp_path / "plugs"
    plugdir.mkdir()
    (plugdir / "wordcount.py").write_text(WORDCOUNT_PLUGIN, encoding="utf-8")
    cdir = _dedupe_corpus_dir(tmp_path)
    runner = CliRunner()
    base = ["analyze", str(cdir), "--only", "wordcount", "--only", "duplicates", "--plugins-dir", str(plugdir), "-j", "1", "--no-cache"]
    plain = json.loads(runner.invoke(main, base).stdout)
    dedup = json.loads(runner.invoke(main, base + ["--dedupe"]).stdout)
    wc_plain = {d["id"]: d["words"] for d in plain["reports"]["wordcount"]["result"]["documents"]}
    wc_dedup = {d["id"]: d["words"] for d in dedup["reports"]["wordcount"]["result"]["documents"]}
    # without the flag nothing is removed
    assert len(wc_plain) == 6 and "set_aside" not in plain["reports"]["wordcount"]["corpus"]
    # the reprint cluster is collapsed to its representative (the longer text)
    dup = dedup["reports"]["duplicates"]["result"]
    (cluster,) = dup["clusters"]
    assert cluster["members"] == ["004_05352d0e9c5baae8", "005_reprint"]
    dropped = [m for m in cluster["members"] if m != cluster["representative"]]
    assert set(wc_dedup) == set(wc_plain) - set(dropped) and len(wc_dedup) == 5
    # the repeated body of 001 is dropped: its word count roughly halves
    assert wc_dedup[ID001] == wc_plain[ID001] - 335
    # what was set aside is in every report's corpus record
    aside = dedup["reports"]["wordcount"]["corpus"]["set_aside"]
    assert aside == dedup["reports"]["duplicates"]["corpus"]["set_aside"]
    kinds = sorted(a["kind"] for a in aside)
    assert kinds == ["near_duplicate", "repeated_passage"]
    rep = next(a for a in aside if a["kind"] == "repeated_passage")
    assert (rep["doc"], rep["start"], rep["end"]) == (ID001, 2427, 4774)
    assert dedup["reports"]["wordcount"]["corpus"]["documents"] == 5


def test_dedupe_python_api_reduces_regions_and_logs_it():
    corpus = relkit.load_corpus(str(CORPUS))
    from relkit_duplicates import Duplicates

    res = relkit.analyze(corpus, only=["duplicates"])["reports"]["duplicates"]["result"]
    reduced, aside = Duplicates().deduplicate(corpus, res, None)
    doc = reduced[ID001]
    assert doc.text == corpus[ID001].text  # offsets stay original
    assert len(doc.words) == len(corpus[ID001].words) - 335
    assert doc.cleaning[-1].step == "duplicates.repeat" and (doc.cleaning[-1].start, doc.cleaning[-1].end) == (2427, 4774)
    assert all(not (2427 <= w.start < 4774) for w in doc.words)
    assert [a["kind"] for a in aside] == ["repeated_passage"]
    assert [d.id for d in reduced] == [d.id for d in corpus]


def test_subtract_regions():
    from relkit_duplicates.dedupe import subtract_regions

    assert subtract_regions([(0, 10), (20, 30)], [(5, 25)]) == [(0, 5), (25, 30)]
    assert subtract_regions([(0, 10)], [(0, 10)]) == []
    assert subtract_regions([(0, 10)], [(2, 3), (5, 6)]) == [(0, 2), (3, 5), (6, 10)]


# -- internals --------------------------------------------------------------------------------
def test_lsh_probability_and_banding_choice():
    from relkit_duplicates.minhash import collision_probability, optimal_bands

    b, r = optimal_bands(0.5, 128)
    assert b * r <= 128 and collision_probability(0.8, b, r) > 0.99 and collision_probability(0.1, b, r) < 0.05


def test_signatures_estimate_jaccard():
    from relkit_duplicates.minhash import oph_signatures, signatures

    rng = np.random.default_rng(0)
    base = np.unique(rng.integers(0, 2**32, 3000)).astype(np.uint64)
    a, b = np.sort(base[:2000]), np.sort(base[1000:])  # Jaccard 1000/3000
    for f in (signatures, oph_signatures):
        sig = f([a, b, np.zeros(0, np.uint64)], 256, 0)
        assert abs((sig[0] == sig[1]).mean() - 1 / 3) < 0.1
        assert (sig[2] == np.iinfo(np.uint64).max).all()


def test_dedupe_halves_readability_word_count_of_001():
    from relkit import plugins

    if "readability" not in plugins.registry().analyses:
        pytest.skip("readability plugin not installed")
    runner = CliRunner()
    counts = []
    for flag in ([], ["--dedupe"]):
        out = runner.invoke(main, ["analyze", str(CORPUS), "--only", "readability", "-j", "1", "--no-cache", *flag])
        docs = json.loads(out.stdout)["reports"]["readability"]["result"]["documents"]
        counts.append(next(d for d in docs if d["id"] == ID001)["counts"]["words"])
    assert counts[1] < 0.55 * counts[0] and counts[1] > 0.45 * counts[0]


# -- fast paths equal their plain definitions ---------------------------------------------
_M64 = (1 << 64) - 1


def _splitmix(x: int) -> int:
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & _M64
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def test_word_and_shingle_hashes_match_their_definition():
    from relkit_duplicates.shingles import shingle_hashes, word_hashes

    def word_ref(w: str) -> int:  # polynomial hash of the code points, plus the length
        h = sum(ord(c) * pow(0x9E3779B97F4A7C15, i, 1 << 64) for i, c in enumerate(w)) + len(w)
        return _splitmix(h & _M64)

    def shingles_ref(wh: list[int], k: int) -> list[int]:  # Horner over each window
        k = min(k, len(wh))
        out = []
        for j in range(len(wh) - k + 1):
            acc = 0
            for x in wh[j : j + k]:
                acc = (acc * 0x100000001B3 + x) & _M64
            out.append(_splitmix((acc + k) & _M64) >> 32)
        return out

    words = ["wire", "copy", "is", "reprinted", "by", "several", "outlets", "ß", "Ωmega", "😀", "wire", "copy"]
    wh = word_hashes(words)
    assert wh.dtype == np.uint64 and wh.tolist() == [word_ref(w) for w in words]
    assert wh[:2].tolist() == [0xDB53E20BA16D8396, 0x8BD3E5AD641C974F]  # pinned: stored sets depend on them
    assert shingle_hashes(word_hashes(words[:7]), 5).tolist() == [2890854581, 31934770, 3052115173]
    for k in (1, 2, 3, 5, 12, 20):
        assert shingle_hashes(wh, k).tolist() == shingles_ref(wh.tolist(), k)
        assert shingle_hashes(wh[1:], k).tolist() == shingles_ref(wh[1:].tolist(), k)  # a view, not at offset 0
    assert len(word_hashes([])) == 0 and len(shingle_hashes(word_hashes([]), 5)) == 0


def test_unique_sorted_equals_numpy_unique():
    from relkit_duplicates.shingles import unique_sorted

    rng = np.random.default_rng(1)
    for n in (0, 1, 2, 50, 1000):
        x = rng.integers(0, 40, n).astype(np.uint64)
        u = unique_sorted(x)
        assert u.dtype == np.uint64 and np.array_equal(u, np.unique(x))


def _oph_reference(values: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """One document at a time, straight from the definition."""
    from relkit_duplicates.minhash import _permute_once, permutations

    a, b = permutations(1, seed)
    out = np.full(num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
    if len(values) == 0:
        return out
    h = _permute_once(np.asarray(values, dtype=np.uint64), a[0], b[0])
    for x in h.tolist():
        j = x % num_perm
        out[j] = min(int(out[j]), x // num_perm)
    filled = out != np.iinfo(np.uint64).max
    rng = np.random.RandomState(seed + 1)
    probes = []
    res = out.copy()
    for j in np.flatnonzero(~filled):
        t = 0
        while True:
            while len(probes) <= t:
                probes.append(rng.randint(0, num_perm, size=num_perm))
            src = probes[t][j]
            if filled[src]:
                res[j] = (int(out[src]) + (t + 1) * (1 << 56)) & _M64
                break
            t += 1
    return res


@pytest.mark.parametrize("num_perm", [128, 100])
def test_oph_signatures_blocked_equal_per_document_reference(monkeypatch, num_perm):
    from relkit_duplicates import minhash

    rng = np.random.default_rng(2)
    sets = [np.unique(rng.integers(0, 2**32, n)).astype(np.uint64) for n in (0, 1, 3, 40, 300, 0, 7, 129)]
    want = np.stack([_oph_reference(s, num_perm, 5) for s in sets])
    assert np.array_equal(minhash.oph_signatures(sets, num_perm, 5), want)
    monkeypatch.setattr(minhash, "_OPH_BLOCK", 50)  # blocks of a few documents, one text larger than a block
    assert np.array_equal(minhash.oph_signatures(sets, num_perm, 5), want)


def test_pairs_from_groups_equal_all_pairs_or_chain():
    from relkit_duplicates.lsh import pairs_from_groups

    rng = np.random.default_rng(3)
    for _ in range(100):
        sizes = rng.integers(1, 12, size=rng.integers(0, 25))
        members = rng.permutation(1000)[: sizes.sum()].astype(np.int64)
        ends = np.cumsum(sizes).astype(np.int64)
        starts = ends - sizes
        max_bucket = int(rng.integers(1, 9))
        want, capped = set(), 0
        for s, e in zip(starts, ends):
            m = sorted(members[s:e].tolist())
            if len(m) > max(max_bucket, 2):
                capped += 1
                want |= set(zip(m[:-1], m[1:]))
            else:
                want |= {(x, y) for i, x in enumerate(m) for y in m[i + 1 :]}
        got, got_capped = pairs_from_groups(members, starts, ends, max_bucket)
        assert got.dtype == np.int64 and got_capped == capped
        assert sorted(map(tuple, got.tolist())) == sorted(want)  # each pair once, smaller id first


def test_repeats_need_a_repeated_shingle():
    # the per-document fast path: no shingle twice, no self-alignment, no repeats
    corpus = Corpus([Document("a", BODY4), Document("b", BODY4 + "\n\n" + BODY4)])
    docs = {d["id"]: d for d in _result(corpus)["documents"]}
    assert docs["a"]["repeats"] == [] and docs["a"]["repeat_share"] == 0.0
    (rep,) = docs["b"]["repeats"]
    assert len(rep["copies"]) == 2 and rep["copies"][0]["text"] == rep["copies"][1]["text"]
