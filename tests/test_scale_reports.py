"""Report files written from stored report text, and corpus-level steps in forked processes."""

from __future__ import annotations

import json
import os
import sqlite3
import zlib

import pytest
from click.testing import CliRunner

import relkit
from relkit import Analysis, Params, hookimpl, runner
from relkit.cache import ResultCache
from relkit.cli import cli
from relkit.jsonstream import Rendered, chunks, render
from relkit.report import dumps
from test_scale import Pairs, big_corpus, lengths, pairs  # noqa: F401  # fixtures

NAMES = ["lengths_test", "pairs_test"]


def _write_corpus(path, corpus):
    with open(path, "w", encoding="utf-8") as fh:
        for d in corpus:
            fh.write(json.dumps({"id": d.id, "text": d.text}) + "\n")
    return str(path)


def _expected(corpus):
    """Each report as `relkit analyze -o` must write it: the API's reports through report.dumps."""
    out = relkit.analyze(corpus, only=NAMES)
    return {n: dumps(out["reports"][n]) + "\n" for n in NAMES}


def _analyze(src, out, *extra):
    r = CliRunner().invoke(cli, ["analyze", src, "--only", ",".join(NAMES), "-o", str(out), "--force", "-q", *extra])
    assert r.exit_code == 0, r.output
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    return {n: (out / f"{n}.json").read_text("utf-8") for n in NAMES}, manifest


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_report_files_identical_cold_warm_and_uncached(lengths, pairs, tmp_path, jobs):  # noqa: F811
    corpus = big_corpus(40)  # above PARALLEL_MIN_DOCS: with -j 2 documents and fits run in other processes
    src = _write_corpus(tmp_path / "c.jsonl", relkit.Corpus.from_texts({d.id: d.text for d in corpus}))
    expected = _expected(relkit.load_corpus(src))
    cdir = tmp_path / "cache"
    cold, m1 = _analyze(src, tmp_path / "cold", "-j", jobs, "--cache-dir", str(cdir))
    warm, m2 = _analyze(src, tmp_path / "warm", "-j", jobs, "--cache-dir", str(cdir))
    plain, _ = _analyze(src, tmp_path / "plain", "-j", jobs, "--no-cache")
    assert cold == warm == plain == expected
    assert (m1["cache"]["corpus_hits"], m1["cache"]["corpus_misses"]) == (0, 2)
    assert (m2["cache"]["corpus_hits"], m2["cache"]["corpus_misses"]) == (2, 0)
    con = sqlite3.connect(cdir / "results.sqlite3")
    assert con.execute("SELECT COUNT(*) FROM corpus_reports").fetchone() == (2,)  # report texts stored with the entries


@pytest.mark.parametrize("damage", ["garbage", "foreign", "truncated", "no-warnings-line"])
def test_damaged_report_text_is_not_trusted(lengths, pairs, tmp_path, damage):  # noqa: F811
    src = _write_corpus(tmp_path / "c.jsonl", big_corpus(12))
    expected = _expected(relkit.load_corpus(src))
    cdir = tmp_path / "cache"
    _analyze(src, tmp_path / "a", "-j", "1", "--cache-dir", str(cdir))
    con = sqlite3.connect(cdir / "results.sqlite3")
    key, blob = con.execute("SELECT r.key, r.value FROM corpus_reports r JOIN corpus_results c ON r.key = c.key "
                            "WHERE c.analysis = 'pairs_test'").fetchone()
    text = zlib.decompress(blob)
    value = {
        "garbage": b"\x00not zlib",
        "foreign": zlib.compress(b"0" * 64 + text[64:]),
        "truncated": zlib.compress(text)[:-9],
        "no-warnings-line": zlib.compress(key.encode() + b'\n{"n_pairs": -1}'),
    }[damage]
    con.execute("UPDATE corpus_reports SET value = ? WHERE key = ?", (value, key))
    con.commit()
    con.close()
    Pairs.fits = 0
    again, manifest = _analyze(src, tmp_path / "b", "-j", "1", "--cache-dir", str(cdir))
    assert again == expected
    assert Pairs.fits == 0 and manifest["cache"]["corpus_hits"] == 2  # the exact entry was reused instead
    fixed = ResultCache(cdir).get_corpus_report(key)
    assert fixed is not None and zlib.decompress(fixed[0]) == text  # and the report text stored again


def test_rendered_value_written_as_its_text_or_as_the_value():
    value = {"documents": [{"id": "a", "score": 0.123456789, "spans": [{"start": 0, "end": 2}]}], "empty": [], "n": float("nan")}
    header = b"key\n[]\n"
    r = Rendered(render(value, 1, header), 1, lambda: value, len(header))
    report = {"analysis": "x", "result": r}
    for indent in (2, None):
        pieces: list[str] = []
        chunks(report, pieces.append, indent=indent)
        assert "".join(pieces) == dumps({"analysis": "x", "result": value}, indent=indent)
    nested: list[str] = []
    chunks({"reports": {"x": report}}, nested.append)  # deeper than it was rendered for: the value is used
    assert "".join(nested) == dumps({"reports": {"x": {"analysis": "x", "result": value}}})


class Crash(Analysis):
    name = "crash_test"
    description = "a corpus-level step whose process dies"
    version = "1"

    def analyze_document(self, doc, ctx):
        return {"n": len(doc.words)}

    def analyze_corpus(self, corpus, ctx, documents):
        os._exit(3)  # as if killed (out of memory): no exception, no result


class CrashPlugin:
    @hookimpl
    def register_analyses(self, register):
        register(Crash)


def test_a_dying_corpus_step_fails_only_its_analysis(lengths, pairs, register_plugin):  # noqa: F811
    register_plugin(CrashPlugin(), name="crash-test")
    corpus = big_corpus(40)
    out = relkit.analyze(corpus, only=["lengths_test", "crash_test", "pairs_test"], jobs=2)
    crash = out["reports"]["crash_test"]
    assert crash["ok"] is False and "corpus-level step failed" in crash["error"]["message"]
    assert "exit code 3" in crash["error"]["message"]
    alone = relkit.analyze(corpus, only=NAMES, jobs=1)
    assert dumps(out["reports"]["pairs_test"]) == dumps(alone["reports"]["pairs_test"])


def _log_corpus_steps(monkeypatch, log):
    """Make both test analyses' corpus steps last 0.3 s and log (start, end) to ``log``."""
    import time

    from test_scale import Lengths

    for cls in (Lengths, Pairs):
        def timed(self, corpus, ctx, documents, _real=cls.analyze_corpus):  # logged from the forked process
            t0 = time.monotonic()
            time.sleep(0.3)
            out = _real(self, corpus, ctx, documents)
            with open(log, "a") as fh:
                fh.write(f"{t0} {time.monotonic()}\n")
            return out

        monkeypatch.setattr(cls, "analyze_corpus", timed)


def test_memory_budget_runs_large_steps_one_at_a_time_with_the_same_reports(lengths, pairs, tmp_path, monkeypatch):  # noqa: F811
    from test_scale import Lengths

    corpus = big_corpus(40)
    together = dumps(relkit.analyze(corpus, only=NAMES, jobs=2))
    log = tmp_path / "steps.log"
    _log_corpus_steps(monkeypatch, log)
    monkeypatch.setattr(runner, "CORPUS_MEMORY_BUDGET", 0)  # every step is estimated above it: one at a time
    cache = ResultCache(tmp_path / "c")
    alone = dumps(relkit.analyze(corpus, only=NAMES, jobs=2, cache=cache))
    assert alone == together
    (a0, a1), (b0, b1) = sorted(tuple(map(float, line.split())) for line in log.read_text().splitlines())
    assert a1 <= b0  # the second started after the first ended
    measured = cache.corpus_memory()  # peak memory per packed byte, for the next run's estimate
    # kept per analysis version (and cache token): a new version does not inherit the figure
    assert set(measured) == {f"{n} 1" for n in NAMES} and all(v > 0 for v in measured.values())
    monkeypatch.setattr(Lengths, "version", "2")
    assert runner._memory_key(runner._make_jobs(["lengths_test"], {"lengths_test": Lengths}, {"lengths_test": Params({"scale": 1})},
                                                {"lengths_test": "lengths-test"})[0]) == "lengths_test 2"


def test_entries_decoded_together_as_one_at_a_time():
    from relkit.cache import decode_entries, decode_entry, encode_entry

    keys = [f"k{i}" for i in range(6)]
    blobs = [encode_entry(k, {"words": {"the": i, "a": [i, i + 1]}, "x": i / 3}, [{"message": "w"}] if i == 2 else []) for i, k in enumerate(keys)]
    broken = list(blobs)
    broken[1] = zlib.compress(b'{"key": "k1", "result": {"wor')  # does not parse: the batch falls back
    broken[3] = encode_entry("other", {"words": {}})  # foreign
    broken[4] = None  # absent
    for batch in (blobs, broken):
        assert decode_entries(batch, keys) == [decode_entry(b, k) for b, k in zip(batch, keys)]
    got = decode_entries(blobs, keys)
    assert got[2] == ({"words": {"the": 2, "a": [2, 3]}, "x": 2 / 3}, [{"message": "w"}])
    assert [e is None for e in decode_entries(broken, keys)] == [False, True, False, True, True, False]


class OddKeys(Analysis):
    name = "oddkeys_test"
    description = "a corpus-level result with keys that are not text"
    version = "1"

    def analyze_document(self, doc, ctx):
        return {"n": len(doc.words)}

    def analyze_corpus(self, corpus, ctx, documents):
        return {"by": {True: 1, None: 2, 3: "three", 2.5: "half"}, "total": sum(d["n"] for d in documents) / 3}


class OddKeysPlugin:
    @hookimpl
    def register_analyses(self, register):
        register(OddKeys)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_keys_that_are_not_text_survive_the_packed_entry(lengths, register_plugin, tmp_path, jobs):  # noqa: F811
    register_plugin(OddKeysPlugin(), name="oddkeys-test")
    src = _write_corpus(tmp_path / "c.jsonl", big_corpus(40))
    corpus = relkit.load_corpus(src)
    names = ["oddkeys_test", "lengths_test"]
    plain = relkit.analyze(corpus, only=names)
    cdir = tmp_path / "cache"
    for out in ("a", "b"):  # cold, then from the stored report text
        r = CliRunner().invoke(cli, ["analyze", src, "--only", ",".join(names), "-o", str(tmp_path / out), "-q", "-j", jobs,
                                     "--cache-dir", str(cdir)])
        assert r.exit_code == 0, r.output
        for n in names:
            assert (tmp_path / out / f"{n}.json").read_text("utf-8") == dumps(plain["reports"][n]) + "\n"
    warm = relkit.analyze(corpus, only=names, cache=ResultCache(cdir))  # from the exact entry
    assert dumps(warm) == dumps(plain)
    assert '"True": 1' in dumps(warm["reports"]["oddkeys_test"])


class Compacting(Analysis):
    name = "compacting_test"
    description = "shares a value in each decoded per-document result"
    version = "1"
    SHARED: list = []

    def analyze_document(self, doc, ctx):
        return {"n": len(doc.words), "empty": []}

    @classmethod
    def compact_result(cls, result):
        result["empty"] = cls.SHARED  # same JSON, one shared object
        return result

    def analyze_corpus(self, corpus, ctx, documents):
        return {"shared": sum(d["empty"] is self.SHARED for d in documents), "total": sum(d["n"] for d in documents)}


class CompactingPlugin:
    @hookimpl
    def register_analyses(self, register):
        register(Compacting)


@pytest.mark.parametrize("jobs", [1, 2])
def test_decoded_results_are_compacted_before_the_corpus_step(register_plugin, tmp_path, jobs):
    register_plugin(CompactingPlugin(), name="compacting-test")
    corpus = big_corpus(40)
    out = relkit.analyze(corpus, only=["compacting_test"], jobs=jobs, cache=ResultCache(tmp_path / "c"))
    result = out["reports"]["compacting_test"]["result"]
    assert result["shared"] == 40
    assert all(d["empty"] == [] for d in result["documents"])


def test_report_files_handed_on_as_steps_end_manifest_in_plan_order(lengths, pairs, tmp_path, monkeypatch):  # noqa: F811
    import time

    from relkit.api import plan
    from test_scale import Lengths

    def slow(self, corpus, ctx, documents, _real=Lengths.analyze_corpus):  # first in order, ends last
        time.sleep(1.0)
        return _real(self, corpus, ctx, documents)

    monkeypatch.setattr(Lengths, "analyze_corpus", slow)
    corpus = big_corpus(40)
    src = _write_corpus(tmp_path / "c.jsonl", relkit.Corpus.from_texts({d.id: d.text for d in corpus}))
    loaded = relkit.load_corpus(src)
    # Writing report files: the finished step is not held back behind the slower one.
    assert [r.name for r in plan(loaded, only=NAMES, jobs=2).runs(rendered=True)] == ["pairs_test", "lengths_test"]
    # Anything else (stdout, the API) keeps the plan's order.
    assert [r.name for r in plan(loaded, only=NAMES, jobs=2).runs()] == NAMES
    files, manifest = _analyze(src, tmp_path / "out", "-j", "2", "--no-cache")
    assert files == _expected(loaded)
    assert list(manifest["analyses"]) == NAMES


def test_corpus_memory_hint_keeps_large_steps_apart_until_measured(lengths, pairs, tmp_path, monkeypatch):  # noqa: F811
    from test_scale import Lengths

    corpus = big_corpus(40)
    log = tmp_path / "steps.log"
    _log_corpus_steps(monkeypatch, log)

    def spans():
        rows = sorted(tuple(map(float, line.split())) for line in log.read_text().splitlines())
        log.unlink()
        return rows

    relkit.analyze(corpus, only=NAMES, jobs=2)  # small estimates: side by side
    (a0, a1), (b0, b1) = spans()
    assert b0 < a1
    monkeypatch.setattr(Lengths, "corpus_memory", 1e12)  # the plugin says its step is huge: alone
    relkit.analyze(corpus, only=NAMES, jobs=2)
    (a0, a1), (b0, b1) = spans()
    assert a1 <= b0


class Evidence(Analysis):
    name = "evidence_test"
    description = "per-document evidence the corpus part only passes on"
    version = "1"
    unread_keys = ("found.*.spans", "extra")
    seen: str = ""  # file the forked corpus step writes what it saw to

    def analyze_document(self, doc, ctx):
        words = [doc.span(t.start, t.end) for t in doc.words]
        return {"found": {"long": {"count": sum(len(w["text"]) > 5 for w in words), "spans": [w for w in words if len(w["text"]) > 5]},
                          "none": {"count": 0, "spans": []}},
                "extra": [{"n": len(words), "x": 0.1}], "empty": []}

    def analyze_corpus(self, corpus, ctx, documents):
        if Evidence.seen:
            with open(Evidence.seen, "a") as fh:
                d = documents[0]
                fh.write(" ".join(type(v).__name__ for v in (d["found"]["long"]["spans"], d["found"]["none"]["spans"], d["extra"])) + "\n")
        return {"total": sum(d["found"]["long"]["count"] for d in documents), "documents": documents}


class EvidencePlugin:
    @hookimpl
    def register_analyses(self, register):
        register(Evidence)


def test_unread_parts_held_as_text_in_a_forked_step_reports_unchanged(lengths, register_plugin, tmp_path):  # noqa: F811
    from relkit.jsonstream import Deferred, defer_paths, undefer

    register_plugin(EvidencePlugin(), name="evidence-test")
    names = ["evidence_test", "lengths_test"]  # two corpus steps: with -j 2 each runs forked
    corpus = big_corpus(40)
    src = _write_corpus(tmp_path / "c.jsonl", relkit.Corpus.from_texts({d.id: d.text for d in corpus}))
    expected = dumps(relkit.analyze(relkit.load_corpus(src), only=names, jobs=1)["reports"]["evidence_test"]) + "\n"
    Evidence.seen = str(tmp_path / "seen.txt")
    try:
        outs = []
        for run_ in ("cold", "warm", "plain"):
            extra = ["--no-cache"] if run_ == "plain" else ["--cache-dir", str(tmp_path / "cache")]
            r = CliRunner().invoke(cli, ["analyze", src, "--only", ",".join(names), "-o", str(tmp_path / run_), "-j", "2", "-q", *extra])
            assert r.exit_code == 0, r.output
            outs.append((tmp_path / run_ / "evidence_test.json").read_text("utf-8"))
        api = relkit.analyze(relkit.load_corpus(src), only=names, jobs=2, cache=ResultCache(tmp_path / "cache"))
    finally:
        Evidence.seen = ""
    assert outs == [expected] * 3
    assert dumps(api["reports"]["evidence_test"]) + "\n" == expected  # read back from the cache: plain values
    assert "Deferred" not in repr(api["reports"]["evidence_test"])
    # The forked corpus step saw the unread, non-empty parts as text; empty ones as they were.
    assert (tmp_path / "seen.txt").read_text().splitlines()[0] == "Deferred list Deferred"
    # The helpers themselves: paths with "*", empty values untouched, undefer restores in place.
    r = {"a": {"x": {"s": [1]}, "y": {"s": []}}, "b": [{"k": "é"}], "c": 1.5}
    before = json.dumps(r)
    defer_paths(r, ["a.*.s", "b", "missing.z"])
    assert isinstance(r["a"]["x"]["s"], Deferred) and r["a"]["y"]["s"] == [] and isinstance(r["b"], Deferred)
    assert dumps(r) == dumps(json.loads(before))
    assert json.dumps(undefer(r)) == before


def test_defer_paths_through_lists():
    from relkit.jsonstream import Deferred, defer_paths, undefer

    r = {"quotes": [{"content": {"start": 1}, "words": 3}, {"content": {}, "words": 0}], "n": [1, 2]}
    before = json.dumps(r)
    defer_paths(r, ["quotes.*.content", "n.*.x"])
    assert isinstance(r["quotes"][0]["content"], Deferred) and r["quotes"][1]["content"] == {} and r["n"] == [1, 2]
    assert json.dumps(undefer(r)) == before
