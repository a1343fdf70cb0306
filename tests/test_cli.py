"""The CLI through click's CliRunner, JSON parsed; plugins, parameters, outputs, exit codes."""

from __future__ import annotations

import json
import textwrap

import pytest
from click.testing import CliRunner

from relkit.cli import cli
from conftest import CORPUS

WORDCOUNT = textwrap.dedent('''
    from relkit import hookimpl, Analysis, Parameter

    __version__ = "1.2.3"

    class WordCount(Analysis):
        name = "wordcount"
        description = "Counts words and shows the first one."
        parameters = (
            Parameter("min_len", "int", 1, "minimum word length", minimum=1),
            Parameter("mode", "str", "all", "which words", choices=("all", "long")),
        )

        def analyze_document(self, doc, ctx):
            words = [t for t in doc.words if t.end - t.start >= ctx.params.min_len]
            if not words:
                ctx.warn("no words", doc=doc.id)
            return {"words": len(words), "first": doc.span(words[0].start, words[0].end) if words else None}

        def analyze_corpus(self, corpus, ctx, documents):
            return {"total": sum(d["words"] for d in documents)}

    @hookimpl
    def register_analyses(register):
        register(WordCount)
''')

EXPLODE = textwrap.dedent('''
    from relkit import hookimpl, Analysis

    class Explode(Analysis):
        name = "explode"
        description = "Always fails."
        def analyze_corpus(self, corpus, ctx, documents):
            raise RuntimeError("kaboom")

    @hookimpl
    def register_analyses(register):
        register(Explode)
''')


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def pdir(tmp_path):
    d = tmp_path / "plugins"
    d.mkdir()
    (d / "wordcount.py").write_text(WORDCOUNT, encoding="utf-8")
    return d


def builtin_plugins():
    from importlib.metadata import entry_points
    return [ep.name for ep in entry_points(group="relkit")]


def without_builtins():
    return [a for name in builtin_plugins() for a in ("--disable-plugin", name)]


def run(runner, *args, input=None):
    return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)


def test_analyze_stdout_is_one_json_document(runner, pdir):
    r = run(runner, "analyze", CORPUS, "--plugins-dir", pdir, "--only", "wordcount", "-p", "wordcount.min_len=4")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    rep = data["reports"]["wordcount"]
    assert rep["ok"] is True and rep["error"] is None
    assert rep["parameters"] == {"min_len": 4, "mode": "all"}
    assert rep["plugin"] == {"name": "wordcount", "version": "1.2.3"}
    assert rep["corpus"]["documents"] == 5 and len(rep["corpus"]["sha256"]) == 64
    docs = rep["result"]["documents"]
    assert [d["id"] for d in docs] == sorted(d["id"] for d in docs)
    first = docs[0]["first"]
    text = (CORPUS / "000_fbbc5cfd56b40f15.txt").read_text("utf-8")
    assert text[first["start"] : first["end"]] == first["text"] == "Russia-Azerbaijan"
    assert rep["result"]["total"] == sum(d["words"] for d in docs)


def test_byte_identical_reruns(runner, pdir):
    a = run(runner, "analyze", CORPUS, "--plugins-dir", pdir, "--only", "wordcount").stdout
    b = run(runner, "analyze", CORPUS, "--plugins-dir", pdir, "--only", "wordcount").stdout
    assert a == b


def test_jsonl_format_one_line_per_analysis(runner, pdir, tmp_path):
    (pdir / "explode.py").write_text(EXPLODE, encoding="utf-8")
    r = run(runner, "analyze", CORPUS, "--plugins-dir", pdir, "--only", "wordcount,explode", "--format", "jsonl")
    lines = r.stdout.strip().splitlines()
    assert sorted(json.loads(line)["analysis"] for line in lines) == ["explode", "wordcount"]


def test_failing_analysis_contained_exit_1(runner, pdir):
    (pdir / "explode.py").write_text(EXPLODE, encoding="utf-8")
    r = run(runner, "analyze", CORPUS, "--plugins-dir", pdir, "--only", "explode", "--only", "wordcount")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data["reports"]["explode"]["ok"] is False
    assert data["reports"]["explode"]["error"] == {"type": "RuntimeError", "message": "kaboom"}
    assert data["reports"]["explode"]["result"] is None
    assert data["reports"]["wordcount"]["ok"] is True
    assert "explode failed (plugin explode): kaboom" in r.stderr
    assert "Traceback" not in r.stderr


def test_strict_reraises(runner, pdir):
    (pdir / "explode.py").write_text(EXPLODE, encoding="utf-8")
    r = runner.invoke(cli, ["analyze", str(CORPUS), "--plugins-dir", str(pdir), "--only", "explode", "--strict"])
    assert r.exit_code != 0 and r.exception is not None
    assert "kaboom" in str(r.exception.__cause__ or r.exception)


def test_broken_import_plugin_reported_by_name(runner, pdir):
    (pdir / "broken.py").write_text("import no_such_module_xyz\n", encoding="utf-8")
    r = run(runner, "analyze", CORPUS, "--plugins-dir", pdir, *without_builtins())
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data["reports"]["broken"]["ok"] is False
    assert "No module named 'no_such_module_xyz'" in data["reports"]["broken"]["error"]["message"]
    assert data["reports"]["wordcount"]["ok"] is True
    assert "broken" in r.stderr


def test_misspelled_hook_fails_loudly(runner, pdir):
    (pdir / "typo.py").write_text(
        "from relkit import hookimpl\n@hookimpl\ndef register_analyzes(register):\n    pass\n", encoding="utf-8"
    )
    r = run(runner, "plugins", "--plugins-dir", pdir)
    listing = {p["name"]: p for p in json.loads(r.stdout)}
    assert listing["typo"]["ok"] is False and "register_analyzes" in listing["typo"]["error"]
    r = run(runner, "analyze", CORPUS, "--plugins-dir", pdir, *without_builtins())
    assert r.exit_code == 1 and "typo" in r.stderr
    r = run(runner, "analyze", CORPUS, "--plugins-dir", pdir, "--only", "wordcount")
    assert r.exit_code == 0 and "plugin 'typo' failed at validation" in r.stderr


def test_duplicate_analysis_name_is_an_error_naming_both(runner, pdir):
    (pdir / "wordcount2.py").write_text(WORDCOUNT, encoding="utf-8")
    r = run(runner, "analyze", CORPUS, "--plugins-dir", pdir, "--only", "wordcount")
    assert r.exit_code == 2
    assert "'wordcount' is registered by two plugins: 'wordcount' and 'wordcount2'" in r.stderr


def test_disable_plugin(runner, pdir):
    r = run(runner, "analyses", "--plugins-dir", pdir, "--disable-plugin", "wordcount")
    assert "wordcount" not in [a["name"] for a in json.loads(r.stdout)]


def test_plugins_and_analyses_listing(runner, pdir):
    r = run(runner, "plugins", "--plugins-dir", pdir)
    entry = next(p for p in json.loads(r.stdout) if p["name"] == "wordcount")
    assert entry == {"name": "wordcount", "version": "1.2.3", "hooks": ["register_analyses"], "analyses": ["wordcount"], "ok": True}
    r = run(runner, "analyses", "--plugins-dir", pdir)
    a = next(a for a in json.loads(r.stdout) if a["name"] == "wordcount")
    assert a["plugin"] == "wordcount"
    assert a["parameters"][0] == {"name": "min_len", "type": "int", "default": 1, "help": "minimum word length", "minimum": 1}


@pytest.mark.parametrize(
    "arg,message",
    [
        ("wordcount.min_len=abc", "invalid value for wordcount.min_len: expected int in [1, inf], got 'abc'"),
        ("wordcount.min_len=0", "invalid value for wordcount.min_len"),
        ("wordcount.nope=1", "unknown parameter wordcount.nope (valid for wordcount: min_len, mode)"),
        ("nosuch.k=1", "parameters given for unknown analysis 'nosuch'"),
        ("wordcount.mode=short", "expected one of all, long"),
        ("garbage", "expected ANALYSIS.NAME=VALUE"),
    ],
)
def test_parameter_errors_exit_2_before_work(runner, pdir, arg, message):
    r = run(runner, "analyze", CORPUS, "--plugins-dir", pdir, "--only", "wordcount", "-p", arg)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_config_file(runner, pdir, tmp_path):
    cfg = tmp_path / "relkit.toml"
    cfg.write_text("[wordcount]\nmin_len = 5\nmode = 'long'\n", encoding="utf-8")
    r = run(runner, "analyze", CORPUS, "--plugins-dir", pdir, "--only", "wordcount", "--config", cfg, "-p", "wordcount.min_len=6")
    assert json.loads(r.stdout)["reports"]["wordcount"]["parameters"] == {"min_len": 6, "mode": "long"}
    cfg.write_text("[wordcount]\nmin_len = 'x'\n", encoding="utf-8")
    r = run(runner, "analyze", CORPUS, "--plugins-dir", pdir, "--only", "wordcount", "--config", cfg)
    assert r.exit_code == 2 and "wordcount.min_len" in r.stderr


def test_unknown_only(runner, pdir):
    r = run(runner, "analyze", CORPUS, "--plugins-dir", pdir, "--only", "nosuch")
    assert r.exit_code == 2 and "unknown analysis 'nosuch'" in r.stderr


def test_bad_path_one_line_exit_2(runner):
    r = run(runner, "analyze", "does/not/exist")
    assert r.exit_code == 2
    assert r.stderr.strip() == "relkit: error: does/not/exist: no such file or directory"
    assert r.stdout == ""


def test_skipped_input_still_analysed_exit_2(runner, pdir, tmp_path):
    (tmp_path / "ok.txt").write_text("A fine text with words.", encoding="utf-8")
    (tmp_path / "bad.jsonl").write_text('{"id": "j1", "text": "Good line."}\n{broken\n', encoding="utf-8")
    r = run(runner, "analyze", tmp_path, "--plugins-dir", pdir, "--only", "wordcount")
    assert r.exit_code == 2
    data = json.loads(r.stdout)
    assert [d["id"] for d in data["reports"]["wordcount"]["result"]["documents"]] == ["j1", "ok"]
    assert data["corpus"]["warnings"][0]["line"] == 2
    assert "bad.jsonl:2: malformed JSON" in r.stderr


def test_quiet_still_names_skipped_input(runner, pdir, tmp_path):
    # --quiet silences progress and analysis warnings, but not the reason for exit code 2
    (tmp_path / "bad.jsonl").write_text('{"id": "j1", "text": "Good line."}\n{broken\n', encoding="utf-8")
    r = run(runner, "analyze", tmp_path, "--plugins-dir", pdir, "--only", "wordcount", "-q")
    assert r.exit_code == 2
    assert json.loads(r.stdout)["corpus"]["documents"] == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.jsonl:2: malformed JSON" in lines[0]


def test_stdin(runner, pdir):
    r = run(runner, "analyze", "-", "--plugins-dir", pdir, "--only", "wordcount", input="Piped text here. And more.")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)["reports"]["wordcount"]["result"]["documents"][0]
    assert doc["id"] == "stdin" and doc["words"] == 5


def test_output_dir_atomic_and_refusals(runner, pdir, tmp_path):
    out = tmp_path / "out"
    r = run(runner, "analyze", CORPUS, "--plugins-dir", pdir, "--only", "wordcount", "-o", out)
    assert r.exit_code == 0 and r.stdout == ""
    names = sorted(p.name for p in out.iterdir())
    assert names == ["documents.jsonl", "manifest.json", "wordcount.json"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["documents"] == "documents.jsonl"  # texts + metadata, for `relkit report`
    assert manifest["files"] == ["wordcount.json"] and manifest["analyses"]["wordcount"]["ok"] is True
    assert "seconds" in manifest
    report = json.loads((out / "wordcount.json").read_text())
    assert "seconds" not in json.dumps(report)
    # An earlier relkit output may be overwritten; a foreign non-empty directory may not.
    assert run(runner, "analyze", CORPUS, "--plugins-dir", pdir, "--only", "wordcount", "-o", out).exit_code == 0
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    r = run(runner, "analyze", CORPUS, "--plugins-dir", pdir, "--only", "wordcount", "-o", foreign)
    assert r.exit_code == 2 and "not empty" in r.stderr
    assert sorted(p.name for p in foreign.iterdir()) == ["notes.txt"]
    r = run(runner, "analyze", CORPUS, "--plugins-dir", pdir, "--only", "wordcount", "-o", foreign, "--force")
    assert r.exit_code == 0 and (foreign / "wordcount.json").exists()


def test_corpus_command_jsonl(runner):
    r = run(runner, "corpus", CORPUS)
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["id"] for row in rows][:2] == ["000_fbbc5cfd56b40f15", "001_1cc5cf0e4fa3a9bc"]
    assert rows[0]["metadata"] == {"date": "2023-02-28", "source": "News.Az"}
    assert rows[3]["sentences"] == 18 and "text" not in rows[0]
    assert rows[0]["cleaning"][1]["step"] == "font_size_widget"
    r = run(runner, "corpus", CORPUS / "000_fbbc5cfd56b40f15.txt", "--text")
    row = json.loads(r.stdout)
    assert row["text"] == (CORPUS / "000_fbbc5cfd56b40f15.txt").read_text("utf-8")
    assert "↺" not in row["clean_text"]


def test_python_api_matches_cli(runner, pdir):
    import relkit
    cli_out = json.loads(run(runner, "analyze", CORPUS, "--plugins-dir", pdir, "--only", "wordcount").stdout)
    api_out = relkit.analyze(relkit.load_corpus(str(CORPUS)), only=["wordcount"])
    assert json.loads(json.dumps(api_out)) == cli_out


def test_python_m_relkit():
    import subprocess, sys
    r = subprocess.run([sys.executable, "-m", "relkit", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and "relkit" in r.stdout


def test_manifest_reports_forked_corpus_step_memory(runner, tmp_path):
    # Corpus-level steps run in processes of their own with -j 2 and two analyses: the
    # manifest says how much memory each added; in-process (-j 1) there is no such figure.
    for jobs, forked in (("2", True), ("1", False)):
        out = tmp_path / f"out{jobs}"
        r = run(runner, "analyze", CORPUS, "--only", "readability,duplicates", "-j", jobs, "--no-cache", "-o", out)
        assert r.exit_code == 0, r.stderr
        analyses = json.loads((out / "manifest.json").read_text())["analyses"]
        for name in ("readability", "duplicates"):
            peak = analyses[name]["corpus_peak_mb"]
            assert (isinstance(peak, float) and peak >= 0) if forked else peak is None
