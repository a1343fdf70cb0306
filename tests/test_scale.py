"""Parallel per-document work, the incremental cache, and the Dask backend."""

from __future__ import annotations

import json
import sqlite3
import zlib

import pytest
from click.testing import CliRunner

import relkit
from relkit import Analysis, Parameter, hookimpl
from relkit.cache import ResultCache
from relkit.cli import cli
from relkit.report import dumps
from conftest import CORPUS


class Lengths(Analysis):
    name = "lengths_test"
    description = "sentence lengths with a private per-document state"
    version = "1"
    parameters = (Parameter("scale", "int", 1),)
    calls: list[str] = []

    def analyze_document(self, doc, ctx):
        Lengths.calls.append(doc.id)
        longest = max(doc.sentences, key=lambda s: (s.end - s.start, -s.start), default=None)
        return {
            "sentences": len(doc.sentences) * ctx.params.scale,
            "longest": doc.span(longest.start, longest.end) if longest else None,
            "_norms": [t.norm for t in doc.words[:5]],
        }

    def analyze_corpus(self, corpus, ctx, documents):
        return {"total": sum(d["sentences"] for d in documents), "first_norms": documents[0]["_norms"]}


class LengthsPlugin:
    @hookimpl
    def register_analyses(self, register):
        register(Lengths)


@pytest.fixture
def lengths(register_plugin):
    register_plugin(LengthsPlugin(), name="lengths-test")
    Lengths.calls = []
    return Lengths


def big_corpus(n=80):
    texts = {f"d{i:03d}": f"Document number {i} talks. It has {i % 7 + 1} words more. " * (i % 3 + 1) for i in range(n)}
    return relkit.Corpus.from_texts(texts)


def test_private_keys_reach_corpus_part_but_not_report(lengths):
    out = relkit.analyze(relkit.load_corpus(str(CORPUS)), only=["lengths_test"])
    res = out["reports"]["lengths_test"]["result"]
    assert res["first_norms"] == ["the", "russia-azerbaijan", "expert", "council", "'s"]
    assert all("_norms" not in d for d in res["documents"])


def test_jobs_1_and_2_byte_identical(lengths):
    corpus = big_corpus()
    one = dumps(relkit.analyze(corpus, only=["lengths_test"], jobs=1))
    two = dumps(relkit.analyze(corpus, only=["lengths_test"], jobs=2))
    assert one == two
    assert json.loads(one)["reports"]["lengths_test"]["result"]["total"] > 80


def test_cache_hits_misses_and_added_document(lengths, tmp_path):
    corpus = big_corpus(40)
    cache = ResultCache(tmp_path / "c")
    cold = dumps(relkit.analyze(corpus, only=["lengths_test"], cache=cache))
    assert (cache.hits, cache.misses) == (0, 40) and len(Lengths.calls) == 40
    Lengths.calls = []
    cache2 = ResultCache(tmp_path / "c")
    warm = dumps(relkit.analyze(corpus, only=["lengths_test"], cache=cache2))
    assert warm == cold and Lengths.calls == [] and cache2.hits == 40
    # One more document: only it is computed.
    grown = relkit.Corpus(corpus.documents + [relkit.Document("new", "A brand new text. Two sentences.")])
    cache3 = ResultCache(tmp_path / "c")
    relkit.analyze(grown, only=["lengths_test"], cache=cache3)
    assert Lengths.calls == ["new"] and (cache3.hits, cache3.misses) == (40, 1)
    # Another parameter value is another key.
    Lengths.calls = []
    relkit.analyze(corpus, only=["lengths_test"], cache=ResultCache(tmp_path / "c"), params=["lengths_test.scale=2"])
    assert len(Lengths.calls) == 40


def test_corrupt_and_foreign_entries_are_rebuilt(lengths, tmp_path):
    corpus = big_corpus(5)
    cache = ResultCache(tmp_path / "c")
    good = dumps(relkit.analyze(corpus, only=["lengths_test"], cache=cache))
    cache.close()
    con = sqlite3.connect(tmp_path / "c" / "results.sqlite3")
    keys = [k for (k,) in con.execute("SELECT key FROM results ORDER BY key")]
    con.execute("UPDATE results SET value = '{not json' WHERE key = ?", (keys[0],))
    con.execute("UPDATE results SET value = ? WHERE key = ?", (json.dumps({"key": "someone-else", "result": {"sentences": 999}}), keys[1]))
    # Right key at the head, broken further on: found by the quick check, recomputed when unpacked.
    con.execute("UPDATE results SET value = ? WHERE key = ?", (zlib.compress(b'{"key": "' + keys[2].encode() + b'", "result": {"sent'), keys[2]))
    con.execute("DELETE FROM corpus_results")  # so the per-document entries are read
    con.commit()
    con.close()
    Lengths.calls = []
    cache2 = ResultCache(tmp_path / "c")
    again = dumps(relkit.analyze(corpus, only=["lengths_test"], cache=cache2))
    assert again == good and len(Lengths.calls) == 3 and cache2.misses == 2


def test_garbage_cache_file_never_breaks_a_run(lengths, tmp_path):
    d = tmp_path / "c"
    d.mkdir()
    (d / "results.sqlite3").write_bytes(b"this is not a database at all" * 100)
    warnings = []
    cache = ResultCache(d, warn=warnings.append)
    out = relkit.analyze(big_corpus(3), only=["lengths_test"], cache=cache)
    assert out["reports"]["lengths_test"]["ok"] is True
    assert warnings and "unreadable" in warnings[0]


def test_cli_cache_info_and_clear(lengths, tmp_path):
    runner = CliRunner()
    cdir = tmp_path / "cli-cache"
    r = runner.invoke(cli, ["analyze", str(CORPUS), "--only", "lengths_test", "--cache-dir", str(cdir), "-j", "1"])
    assert r.exit_code == 0, r.output
    assert "cache: 0 hits, 5 misses; corpus-level: 0 reused, 1 computed" in r.stderr
    r = runner.invoke(cli, ["analyze", str(CORPUS), "--only", "lengths_test", "--cache-dir", str(cdir), "-j", "1"])
    assert "cache: 5 hits, 0 misses; corpus-level: 1 reused, 0 computed" in r.stderr
    info = json.loads(runner.invoke(cli, ["cache", "info", "--cache-dir", str(cdir)]).stdout)
    assert info["entries"] == 5 and info["analyses"] == {"lengths_test": 5}
    assert info["corpus_entries"] == 1 and info["corpus_analyses"] == {"lengths_test": 1}
    assert json.loads(runner.invoke(cli, ["cache", "clear", "--cache-dir", str(cdir)]).stdout) == {"cleared": 6}
    info = json.loads(runner.invoke(cli, ["cache", "info", "--cache-dir", str(cdir)]).stdout)
    assert info["entries"] == 0 and info["corpus_entries"] == 0
    r = runner.invoke(cli, ["analyze", str(CORPUS), "--only", "lengths_test", "--no-cache", "-j", "1"])
    assert "cache:" not in r.stderr


def test_dask_local_cluster_byte_identical(lengths):
    distributed = pytest.importorskip("distributed")
    corpus = big_corpus(40)
    local = dumps(relkit.analyze(corpus, only=["lengths_test"], jobs=1))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            remote = dumps(relkit.analyze(corpus, only=["lengths_test"], scheduler=cluster.scheduler_address))
    assert remote == local


class Pairs(Analysis):
    """Corpus-level state that is costly to fit: counts calls so reuse is visible."""

    name = "pairs_test"
    description = "word pairs shared between documents, with a warning from each part"
    version = "1"
    parameters = (Parameter("min_shared", "int", 1),)
    doc_calls: list[str] = []
    fits = 0

    def analyze_document(self, doc, ctx):
        Pairs.doc_calls.append(doc.id)
        if len(doc.words) < 8:
            ctx.warn("short document", doc=doc.id)
        return {"words": len(doc.words), "_set": sorted({t.norm for t in doc.words})}

    def analyze_corpus(self, corpus, ctx, documents):
        Pairs.fits += 1
        ctx.warn(f"fitted on {len(documents)} documents")
        sets = [set(d["_set"]) for d in documents]
        shared = []
        for a in range(len(sets)):
            for b in range(a + 1, len(sets)):
                n = len(sets[a] & sets[b])
                if n >= ctx.params.min_shared:
                    shared.append({"a": documents[a]["id"], "b": documents[b]["id"], "shared": n, "ratio": n / 3})
        first = corpus[documents[0]["id"]]
        return {"pairs": shared[:50], "n_pairs": len(shared), "example": first.span(0, 8, doc=first.id)}


class PairsPlugin:
    @hookimpl
    def register_analyses(self, register):
        register(Pairs)


@pytest.fixture
def pairs(register_plugin):
    register_plugin(PairsPlugin(), name="pairs-test")
    Pairs.doc_calls, Pairs.fits = [], 0
    return Pairs


def _small_corpus(n=12):
    texts = {f"p{i:02d}": ("Short one." if i % 5 == 0 else f"Text {i} about trade and ports and rail number {i % 4}. More words follow here.")
             for i in range(n)}
    return relkit.Corpus.from_texts(texts)


def test_unchanged_corpus_reuses_corpus_level_result_byte_identically(pairs, tmp_path):
    corpus = _small_corpus()
    plain = dumps(relkit.analyze(corpus, only=["pairs_test"]))
    Pairs.doc_calls, Pairs.fits = [], 0
    cold_cache = ResultCache(tmp_path / "c")
    cold = dumps(relkit.analyze(corpus, only=["pairs_test"], cache=cold_cache))
    assert (Pairs.fits, len(Pairs.doc_calls)) == (1, 12)
    assert (cold_cache.corpus_hits, cold_cache.corpus_misses) == (0, 1)
    Pairs.doc_calls, Pairs.fits = [], 0
    warm_cache = ResultCache(tmp_path / "c")
    warm = dumps(relkit.analyze(corpus, only=["pairs_test"], cache=warm_cache))
    # Neither part ran again: no document was segmented or analysed, nothing refitted.
    assert (Pairs.fits, Pairs.doc_calls) == (0, [])
    assert (warm_cache.corpus_hits, warm_cache.corpus_misses, warm_cache.hits, warm_cache.misses) == (1, 0, 12, 0)
    assert warm == cold == plain
    report = json.loads(warm)["reports"]["pairs_test"]
    assert [w["message"] for w in report["warnings"]] == ["short document"] * 3 + ["fitted on 12 documents"]
    assert all("_set" not in d for d in report["result"]["documents"])


def test_added_changed_or_removed_document_refits(pairs, tmp_path):
    corpus = _small_corpus()
    relkit.analyze(corpus, only=["pairs_test"], cache=ResultCache(tmp_path / "c"))
    variants = {
        "added": corpus.documents + [relkit.Document("new", "Text about trade and ports, newly added today.")],
        "changed": corpus.documents[:-1] + [relkit.Document(corpus.documents[-1].id, corpus.documents[-1].text + " Edited.")],
        "removed": corpus.documents[:-1],
        "reordered": corpus.documents[1:] + corpus.documents[:1],
    }
    for label, docs in variants.items():
        Pairs.doc_calls, Pairs.fits = [], 0
        grown = relkit.Corpus(list(docs))
        cache = ResultCache(tmp_path / "c")
        got = dumps(relkit.analyze(grown, only=["pairs_test"], cache=cache))
        assert Pairs.fits == 1, label
        new_ids = [d.id for d in docs if d.id == "new" or (label == "changed" and d is docs[-1])]
        assert Pairs.doc_calls == new_ids, label  # per-document work only for what is new
        assert got == dumps(relkit.analyze(grown, only=["pairs_test"])), label
    # Another parameter value is another analysis: nothing is reused.
    Pairs.doc_calls, Pairs.fits = [], 0
    relkit.analyze(corpus, only=["pairs_test"], cache=ResultCache(tmp_path / "c"), params=["pairs_test.min_shared=3"])
    assert (Pairs.fits, len(Pairs.doc_calls)) == (1, 12)


@pytest.mark.parametrize("damage", ["garbage", "foreign", "truncated-json"])
def test_corrupt_corpus_entry_is_rebuilt(pairs, tmp_path, damage):
    import zlib

    corpus = _small_corpus()
    good = dumps(relkit.analyze(corpus, only=["pairs_test"], cache=ResultCache(tmp_path / "c")))
    con = sqlite3.connect(tmp_path / "c" / "results.sqlite3")
    (key,) = con.execute("SELECT key FROM corpus_results").fetchone()
    value = {
        "garbage": b"\x00not zlib at all",
        "foreign": zlib.compress(json.dumps({"key": "other", "result": {"n_pairs": -1}, "warnings": []}).encode()),
        "truncated-json": zlib.compress(b'{"key": "' + key.encode() + b'", "result": {"n_pa'),
    }[damage]
    con.execute("UPDATE corpus_results SET value = ? WHERE key = ?", (value, key))
    con.commit()
    con.close()
    Pairs.doc_calls, Pairs.fits = [], 0
    cache = ResultCache(tmp_path / "c")
    again = dumps(relkit.analyze(corpus, only=["pairs_test"], cache=cache))
    assert again == good and Pairs.fits == 1 and Pairs.doc_calls == []  # refitted from cached per-document results
    assert (cache.corpus_hits, cache.corpus_misses) == (0, 1)
    cache3 = ResultCache(tmp_path / "c")
    assert dumps(relkit.analyze(corpus, only=["pairs_test"], cache=cache3)) == good and cache3.corpus_hits == 1  # rewritten


def test_only_the_newest_corpus_entries_are_kept(pairs, tmp_path):
    from relkit.cache import CORPUS_KEEP

    docs = _small_corpus(CORPUS_KEEP + 3).documents
    for n in range(3, CORPUS_KEEP + 4):
        relkit.analyze(relkit.Corpus(docs[:n]), only=["pairs_test"], cache=ResultCache(tmp_path / "c"))
    assert ResultCache(tmp_path / "c").info()["corpus_analyses"] == {"pairs_test": CORPUS_KEEP}
    Pairs.fits = 0
    relkit.analyze(relkit.Corpus(docs), only=["pairs_test"], cache=ResultCache(tmp_path / "c"))  # the newest
    assert Pairs.fits == 0


def test_parallel_corpus_phase_matches_serial(pairs, lengths, tmp_path):
    corpus = big_corpus(40)
    one = dumps(relkit.analyze(corpus, only=["pairs_test", "lengths_test"], jobs=1))
    two = dumps(relkit.analyze(corpus, only=["pairs_test", "lengths_test"], jobs=2))
    assert one == two
    cache = ResultCache(tmp_path / "c")
    assert dumps(relkit.analyze(corpus, only=["pairs_test", "lengths_test"], jobs=2, cache=cache)) == one
    assert cache.corpus_costs().keys() == {"pairs_test", "lengths_test"}
    warm = ResultCache(tmp_path / "c")
    assert dumps(relkit.analyze(corpus, only=["pairs_test", "lengths_test"], jobs=2, cache=warm)) == one
    assert warm.corpus_hits == 2


def test_progress_on_a_terminal_only():
    import io

    from relkit.cli import _Progress

    class Tty(io.StringIO):
        def isatty(self):
            return True

    err = Tty()
    p = _Progress(enabled=True, stream=err)
    p("documents", 0, 4)
    p("documents", 4, 4)
    p("topics", 0, 1)
    p("topics", 1, 1)
    text = err.getvalue()
    assert "documents: 4/4" in text and "topics: 1/1" in text and text.endswith("\n")
    off = Tty()
    _Progress(enabled=False, stream=off)("documents", 1, 4)
    assert off.getvalue() == ""


def test_large_uncached_run_spills_to_a_temporary_file_and_removes_it(pairs, lengths, monkeypatch, tmp_path):
    import tempfile

    from relkit import runner

    corpus = big_corpus(40)
    in_memory = dumps(relkit.analyze(corpus, only=["pairs_test", "lengths_test"], jobs=2))
    monkeypatch.setattr(runner, "SPILL_MIN_DOCS", 10)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    for jobs, here in ((1, 40), (2, 1)):  # with 2 jobs the first document runs here, the rest in workers
        Pairs.doc_calls = []
        assert dumps(relkit.analyze(corpus, only=["pairs_test", "lengths_test"], jobs=jobs)) == in_memory
        assert len(Pairs.doc_calls) == here  # none recomputed when unpacked from the spill file
    assert list(tmp_path.iterdir()) == []  # the spill file is gone


def test_streamed_json_is_byte_identical_to_dumps(tmp_path):
    import math

    np = pytest.importorskip("numpy")
    from relkit.cache import _plain
    from relkit.jsonstream import chunks, compressed, write_report

    tricky = {
        "floats": [1.0, -0.0, 1e-9, 0.1234567, -2.0000004, float("nan"), float("inf"), -math.inf, 2**70, 3],
        "flags": [True, False, None], "text": "é\u2028\"\\\n\x00 😀", "tuple": (1, (2, [3])),
        "empty": [[], {}, [[]], [{}], ""], 1: "int key", 2.5: "float key", True: "bool key", None: "none key",
        "numpy": [np.float32(1.5), np.int64(7), np.arange(3), np.float64(0.1) + np.float64(0.2), np.bool_(True)],
        "nested": {"x": {"y": [{"z": [1, {"w": None}]}]}},
        "long": list(range(10000)) + [{"i": i, "f": i / 7} for i in range(3000)],
    }
    for indent in (2, None):
        pieces: list[str] = []
        chunks(tricky, pieces.append, indent=indent)
        assert "".join(pieces) == dumps(tricky, indent=indent)
        assert len(pieces) > 2  # handed on in pieces, not built whole
    write_report(tmp_path / "r.json", tricky)
    assert (tmp_path / "r.json").read_text("utf-8") == dumps(tricky) + "\n"
    assert zlib.decompress(compressed(tricky)).decode() == json.dumps(_plain(tricky), ensure_ascii=False, allow_nan=True)
    with pytest.raises(TypeError):
        chunks({"a": {1, 2}}, lambda s: None)


def test_cli_stdout_json_is_written_in_pieces_with_the_same_bytes(lengths, pairs):
    runner = CliRunner()
    args = ["analyze", str(CORPUS), "--only", "lengths_test,pairs_test", "--no-cache", "-j", "1"]
    r = runner.invoke(cli, args)
    assert r.exit_code == 0, r.output
    corpus = relkit.load_corpus(str(CORPUS))
    expected = relkit.analyze(corpus, only=["lengths_test", "pairs_test"])
    assert r.stdout == dumps(expected) + "\n"
    lines = runner.invoke(cli, [*args, "--format", "jsonl"]).stdout.splitlines()
    assert lines == [dumps(expected["reports"][n], indent=None) for n in ("lengths_test", "pairs_test")]
