"""docs/writing-plugins.md stays true (a meta-test in the style of datasette's).

* Every hookspec in relkit.hookspecs is documented under a ``#### `name(args)` `` heading
  with its exact signature, with an example, and nothing documented is not a hook.
* Every hookspec has a test: a function named ``test_hook_<name>`` in some tests/*.py.
  A new hook (say ``register_report_sections``) fails both until it is documented and
  tested.
* The examples in the guide run: the tutorial's one-file plugin through --plugins-dir,
  the tutorial's tests, and each hook's example (they are this file's hook tests).
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import relkit.testing
from relkit import Parameter, hookspecs, plugins
from relkit.cli import cli
from relkit.testing import check_analysis, make_corpus, run_analysis
from conftest import CORPUS, ROOT

DOC = ROOT / "docs" / "writing-plugins.md"
TESTS = ROOT / "tests"


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def hookspec_functions() -> dict[str, object]:
    """Every hookspec relkit declares (functions pluggy marked with ``relkit_spec``)."""
    return {name: fn for name, fn in vars(hookspecs).items() if callable(fn) and hasattr(fn, "relkit_spec")}


def signature(name: str, fn) -> str:
    """``name(arg, ...)``: pluggy passes hook arguments by name, so the names are the signature."""
    return f"{name}({', '.join(inspect.signature(fn).parameters)})"


def documented_hooks() -> dict[str, str]:
    """``{name: "name(args)"}`` from the guide's ``#### `name(args)` `` headings in the Hooks section."""
    section = _doc().split("### Hooks", 1)[1].split("\n### ", 1)[0]
    return {m.group(1): m.group(0)[len("#### `"):-1] for m in re.finditer(r"^#### `(\w+)\([^)]*\)`$", section, re.M)}


def examples() -> dict[str, str]:
    """Code blocks marked ``<!-- example: KIND NAME -->`` in the guide, by "KIND NAME"."""
    return {m.group(1).strip(): m.group(2) for m in
            re.finditer(r"<!-- example: ([^>]+?) -->\s*```python\n(.*?)```", _doc(), re.S)}


HOOKS = sorted(hookspec_functions())


def test_there_are_hooks():
    assert {"register_analyses", "register_loaders", "register_commands"} <= set(HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented_with_its_exact_signature(hook):
    documented = documented_hooks()
    assert hook in documented, f"hook {hook} is not documented in {DOC.name}: add a '#### `{signature(hook, hookspec_functions()[hook])}`' section"
    assert documented[hook] == signature(hook, hookspec_functions()[hook])


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_an_example_in_the_guide(hook):
    assert f"hook {hook}" in examples(), f"add an example: <!-- example: hook {hook} --> before a ```python block"
    assert f"def {hook}(" in examples()[f"hook {hook}"]


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_test(hook):
    pattern = re.compile(rf"^(?:async )?def test_hook_{hook}\b", re.M)
    found = [p.name for p in TESTS.glob("test_*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert found, f"hook {hook} has no test: write test_hook_{hook} in tests/"


def test_no_documented_hook_is_missing_from_the_specs():
    assert set(documented_hooks()) <= set(HOOKS)


def test_the_api_tables_cover_parameter_fields_and_the_test_kit():
    doc = _doc()
    for f in dataclasses.fields(Parameter):
        assert f"`{f.name}`" in doc, f"Parameter field {f.name} is not documented"
    for name in relkit.testing.__all__:
        if name not in ("ConformanceError", "RelkitTestingWarning"):
            assert f"{name}" in doc, f"relkit.testing.{name} is not documented"
    assert "`relkit_corpus`" in doc and "`register_plugin`" in doc and "`relkit_edge_corpus`" in doc
    for attr in ("id", "text", "metadata", "regions", "clean_text", "to_original", "cleaning", "sentences", "tokens",
                 "words", "sentence_tokens", "span"):
        assert f"`doc.{attr}" in doc, f"Document.{attr} is not documented"
    for env in (plugins.LOAD_ENV, plugins.DISABLE_ENV, "--disable-plugin", "--plugins-dir", "--strict"):
        assert env in doc


# -- the guide's examples, run ----------------------------------------------------------------
def _plugin_dir(tmp_path: Path, filename: str, code: str) -> Path:
    d = tmp_path / "doc-plugins"
    d.mkdir(exist_ok=True)
    (d / filename).write_text(code, encoding="utf-8")
    return d


def test_tutorial_one_file_plugin(tmp_path):
    d = _plugin_dir(tmp_path, "figures.py", examples()["plugins-dir figures.py"])
    runner = CliRunner()
    res = runner.invoke(cli, ["analyses", "--plugins-dir", str(d)])
    listed = {a["name"]: a for a in json.loads(res.stdout)}
    assert listed["figures"]["parameters"] == [
        {"name": "min_digits", "type": "int", "default": 1, "help": "ignore numbers with fewer digits than this", "minimum": 1}]
    res = runner.invoke(cli, ["analyze", str(CORPUS), "--plugins-dir", str(d), "--only", "figures", "-p", "figures.min_digits=2",
                              "-j", "1", "-q"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)["reports"]["figures"]
    first = report["result"]["documents"][0]
    # the numbers quoted in the guide
    assert first == {"id": "000_fbbc5cfd56b40f15", "words": 277, "figures": 1, "per_100_words": 0.361011,
                     "evidence": [{"start": 127, "end": 131, "text": "21st"}]}
    assert (report["result"]["figures"], report["result"]["per_100_words"]) == (17, 0.591716)
    res = runner.invoke(cli, ["analyze", str(CORPUS), "--plugins-dir", str(d), "--only", "figures", "-p", "figures.min_digits=0"])
    assert res.exit_code == 2
    assert "relkit: error: invalid value for figures.min_digits: expected int in [1, inf], got '0'" in res.stderr
    check_analysis("figures", make_corpus(paths=[CORPUS]), require_evidence=True)


def test_tutorial_tests_pass(tmp_path):
    d = _plugin_dir(tmp_path, "figures.py", examples()["plugins-dir figures.py"])
    (d / "test_figures.py").write_text(examples()["test figures.py"], encoding="utf-8")
    env = {**os.environ, "RELKIT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("PYTEST_ADDOPTS", None)
    res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_figures.py"], cwd=d, env=env,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "2 passed" in res.stdout


def test_the_guide_quotes_a_real_check_analysis_message(tmp_path):
    code = examples()["plugins-dir figures.py"].replace("doc.span(t.start, t.end)", '{"start": t.start, "end": t.end, "text": doc.clean_text[t.start:t.end]}')
    d = _plugin_dir(tmp_path, "figures.py", code)
    with pytest.raises(relkit.testing.ConformanceError) as info:
        check_analysis("figures", plugins_dir=d)
    first = info.value.problems[0]
    assert first in _doc()


def test_hook_register_analyses(tmp_path):
    d = _plugin_dir(tmp_path, "sentences.py", examples()["hook register_analyses"])
    plugins.load_plugins_dir(d)
    assert plugins.registry().analysis_plugin["sentences"] == "sentences"
    report = run_analysis("sentences", {"a": "One. Two. Three.", "b": ""})
    assert report["result"]["documents"] == [{"id": "a", "sentences": 3}, {"id": "b", "sentences": 0}]
    entry = next(p for p in plugins.plugin_listing() if p["name"] == "sentences")
    assert entry["hooks"] == ["register_analyses"] and entry["analyses"] == ["sentences"]


def test_hook_register_loaders(tmp_path):
    d = _plugin_dir(tmp_path, "jsonarray.py", examples()["hook register_loaders"])
    data = tmp_path / "articles.json"
    data.write_text(json.dumps({"articles": [
        {"id": "a1", "text": "First story. It rained.", "source": "Daily"},
        {"text": "Second story."},
        {"id": "bad", "body": "no text field"},
    ]}), encoding="utf-8")
    res = CliRunner().invoke(cli, ["corpus", str(data), "--plugins-dir", str(d)])
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [(r["id"], r["metadata"].get("source"), r["sentences"]) for r in rows] == [("a1", "Daily", 2), ("articles:2", None, 1)]
    assert res.exit_code == 2  # a skipped record is an input warning
    assert "articles.json: item 3 has no 'text' string; skipped" in res.stderr
    entry = next(p for p in plugins.plugin_listing() if p["name"] == "jsonarray")
    assert entry["hooks"] == ["register_loaders"]


def test_hook_register_report_sections(tmp_path):
    d = _plugin_dir(tmp_path, "figures.py", examples()["plugins-dir figures.py"])
    _plugin_dir(tmp_path, "figures_report.py", examples()["hook register_report_sections"])
    out = tmp_path / "out"
    runner = CliRunner()
    res = runner.invoke(cli, ["analyze", str(CORPUS), "--plugins-dir", str(d), "--only", "figures", "-o", str(out), "-j", "1", "-q"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["report", str(out), "--plugins-dir", str(d)])
    assert res.exit_code == 0, res.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Figures per document" in html and "first figure" in html and "21st" in html
    entry = next(p for p in plugins.plugin_listing() if p["name"] == "figures_report")
    assert entry["hooks"] == ["register_report_sections"]


def test_hook_register_commands(tmp_path):
    from relkit import cli as cli_module

    d = _plugin_dir(tmp_path, "wordcount.py", examples()["hook register_commands"])
    plugins.load_plugins_dir(d)
    try:
        cli_module._register_plugin_commands()
        res = CliRunner().invoke(cli, ["wordcount", str(CORPUS / "000_fbbc5cfd56b40f15.txt")])
        assert res.exit_code == 0, res.output
        assert res.stdout == "000_fbbc5cfd56b40f15\t277\n"
    finally:
        cli.commands.pop("wordcount", None)
