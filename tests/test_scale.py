"""Parallel per-document work, the incremental cache, and the Dask backend."""

from __future__ import annotations

import json
import sqlite3

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
    con.commit()
    con.close()
    Lengths.calls = []
    cache2 = ResultCache(tmp_path / "c")
    again = dumps(relkit.analyze(corpus, only=["lengths_test"], cache=cache2))
    assert again == good and len(Lengths.calls) == 2 and cache2.misses == 2


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
    assert "cache: 0 hits, 5 misses" in r.stderr
    r = runner.invoke(cli, ["analyze", str(CORPUS), "--only", "lengths_test", "--cache-dir", str(cdir), "-j", "1"])
    assert "cache: 5 hits, 0 misses" in r.stderr
    info = json.loads(runner.invoke(cli, ["cache", "info", "--cache-dir", str(cdir)]).stdout)
    assert info["entries"] == 5 and info["analyses"] == {"lengths_test": 5}
    assert json.loads(runner.invoke(cli, ["cache", "clear", "--cache-dir", str(cdir)]).stdout) == {"cleared": 5}
    assert json.loads(runner.invoke(cli, ["cache", "info", "--cache-dir", str(cdir)]).stdout)["entries"] == 0
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
