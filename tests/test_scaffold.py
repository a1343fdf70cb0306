"""`relkit new-plugin`: names, files, refusal to overwrite, and the generated package working.

The generated tests run unchanged in a subprocess (the package on PYTHONPATH); one test
installs the package with pip (into a --target directory, so this environment is left
alone) and checks that `relkit plugins` lists it, `relkit analyze` runs it and its tests
pass against the installed copy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from relkit.cli import cli
from relkit.scaffold import plugin_names, render, write_plugin
from conftest import CORPUS


def test_plugin_names():
    n = plugin_names("mything")
    assert (n.analysis, n.module, n.distribution, n.cls) == ("mything", "relkit_mything", "relkit-mything", "Mything")
    n = plugin_names("relkit-Word_count")
    assert (n.analysis, n.module, n.distribution, n.cls) == ("word_count", "relkit_word_count", "relkit-word-count", "WordCount")
    for bad in ("9lives", "my thing", "", "a.b", "relkit-_x"):
        with pytest.raises(ValueError):
            plugin_names(bad)


def test_rendered_files():
    files = render(plugin_names("my-thing"))
    assert sorted(files) == [".gitignore", "README.md", "pyproject.toml", "src/relkit_my_thing/__init__.py", "tests/test_my_thing.py"]
    pyproject = files["pyproject.toml"]
    assert '[project.entry-points.relkit]\nmy-thing = "relkit_my_thing"' in pyproject
    assert 'name = "relkit-my-thing"' in pyproject
    assert 'test = ["pytest>=7", "jsonschema>=4.18"]' in pyproject
    module = files["src/relkit_my_thing/__init__.py"]
    compile(module, "module", "exec")
    compile(files["tests/test_my_thing.py"], "tests", "exec")
    assert 'name = "my-thing"' in module and "class MyThing(Analysis)" in module
    assert "-p my-thing.min_words=30" in files["README.md"]


def test_cli_writes_package_and_refuses_to_overwrite(tmp_path):
    runner = CliRunner()
    target = tmp_path / "scaffoldcheck"
    res = runner.invoke(cli, ["new-plugin", "scaffoldcheck", "--dir", str(target)])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == str(target)
    assert (target / "pyproject.toml").is_file() and (target / "src/relkit_scaffoldcheck/__init__.py").is_file()
    before = (target / "README.md").read_text()
    (target / "README.md").write_text("mine")
    res = runner.invoke(cli, ["new-plugin", "scaffoldcheck", "--dir", str(target)])
    assert res.exit_code == 2
    assert res.stderr.count("\n") == 1 and "already exists" in res.stderr and res.stdout == ""
    assert (target / "README.md").read_text() == "mine" and before != "mine"
    # no temporary directories left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scaffoldcheck"]


def test_cli_default_directory_and_empty_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli, ["new-plugin", "alpha"])
    assert res.exit_code == 0 and (tmp_path / "alpha" / "pyproject.toml").is_file()
    (tmp_path / "empty").mkdir()
    res = CliRunner().invoke(cli, ["new-plugin", "beta", "--dir", "empty"])
    assert res.exit_code == 0 and (tmp_path / "empty" / "src" / "relkit_beta").is_dir()
    (tmp_path / "afile").write_text("x")
    res = CliRunner().invoke(cli, ["new-plugin", "gamma", "--dir", "afile"])
    assert res.exit_code == 2 and "already exists" in res.stderr


def test_cli_rejects_bad_and_taken_names(tmp_path, register_plugin):
    res = CliRunner().invoke(cli, ["new-plugin", "no good", "--dir", str(tmp_path / "x")])
    assert res.exit_code == 2 and "must start with a letter" in res.stderr
    from relkit.testing import _throwaway_module
    from relkit import Analysis

    class Taken(Analysis):
        name = "taken"
        description = "x"

        def analyze_corpus(self, corpus, ctx, documents):
            return {}

    register_plugin(_throwaway_module(Taken), name="takenplugin")
    res = CliRunner().invoke(cli, ["new-plugin", "taken", "--dir", str(tmp_path / "y")])
    assert res.exit_code == 2 and "already exists (plugin 'takenplugin')" in res.stderr
    assert not (tmp_path / "y").exists()


def _pytest(args, cwd, pythonpath):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, pythonpath)), "RELKIT_CACHE_DIR": str(Path(cwd) / ".cache")}
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_generated_tests_pass_unchanged(tmp_path):
    target = write_plugin("scaffoldcheck", tmp_path / "scaffoldcheck")
    res = _pytest([], target, [target / "src"])
    assert res.returncode == 0, res.stdout + res.stderr
    assert "4 passed, 1 skipped" in res.stdout  # the skip: the package is not pip-installed here


def test_generated_analysis_runs_through_plugins_dir_equivalent(tmp_path, register_plugin):
    target = write_plugin("scaffoldcheck", tmp_path / "scaffoldcheck")
    sys.path.insert(0, str(target / "src"))
    try:
        import relkit_scaffoldcheck
        from relkit.testing import check_analysis, run_analysis

        register_plugin(relkit_scaffoldcheck, name="scaffoldcheck")
        report = check_analysis("scaffoldcheck", params={"min_words": 20})
        assert report["analysis"] == "scaffoldcheck" and report["plugin"]["name"] == "scaffoldcheck"
        from relkit.testing import make_corpus

        r = run_analysis("scaffoldcheck", make_corpus(paths=[CORPUS]), {"min_words": 1})
        assert r["ok"] and r["result"]["long"] == r["result"]["sentences"] > 0
    finally:
        sys.path.remove(str(target / "src"))
        sys.modules.pop("relkit_scaffoldcheck", None)


def _pip_install_target(package: Path, site: Path) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--disable-pip-version-check", "--target", str(site), str(package)]
    try:
        import wheel  # noqa: F401  # with wheel present the build needs nothing from the network

        cmd.insert(4, "--no-build-isolation")
    except ImportError:
        pass
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


_DRIVER = """
import json, sys
from click.testing import CliRunner
import pytest
from relkit.cli import cli

corpus, tests = sys.argv[1], sys.argv[2]
runner = CliRunner()
out = {}
res = runner.invoke(cli, ["plugins"])
out["plugins"] = [res.exit_code, json.loads(res.stdout)]
res = runner.invoke(cli, ["analyze", corpus, "--only", "scaffoldcheck", "-j", "1", "-q", "-p", "scaffoldcheck.min_words=30"])
out["analyze"] = [res.exit_code, json.loads(res.stdout) if res.exit_code == 0 else res.output]
out["pytest"] = int(pytest.main(["-q", "-p", "no:cacheprovider", tests]))
print("RESULT " + json.dumps(out))
"""


def test_installed_package_is_listed_runs_and_passes_its_tests(tmp_path):
    """The Done-when of issue 3, automated: install, `relkit plugins`, `relkit analyze`, generated tests."""
    target = write_plugin("scaffoldcheck", tmp_path / "scaffoldcheck")
    site = tmp_path / "site"
    res = _pip_install_target(target, site)
    if res.returncode != 0:
        if any(s in res.stderr for s in ("NewConnectionError", "Could not find a version", "No matching distribution", "network")):
            pytest.skip(f"pip could not fetch the build backend (offline?): {res.stderr.strip().splitlines()[-1]}")
        pytest.fail(res.stderr)
    assert (site / "relkit_scaffoldcheck" / "__init__.py").is_file()
    # One fresh interpreter with the installed copy on its path: relkit finds it only through
    # the entry point in its dist-info, exactly as after `pip install`.
    env = {**os.environ, "PYTHONPATH": str(site), "RELKIT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("PYTEST_ADDOPTS", None)
    run = subprocess.run([sys.executable, "-c", _DRIVER, str(CORPUS), str(target / "tests")], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300)
    line = next((l for l in run.stdout.splitlines() if l.startswith("RESULT ")), None)
    assert line is not None, run.stdout + run.stderr
    out = json.loads(line[len("RESULT "):])
    code, listing = out["plugins"]
    assert code == 0
    entry = next(p for p in listing if p["name"] == "scaffoldcheck")
    assert entry == {"name": "scaffoldcheck", "version": "0.1.0", "hooks": ["register_analyses"], "analyses": ["scaffoldcheck"], "ok": True}
    code, analyzed = out["analyze"]
    assert code == 0, analyzed
    report = analyzed["reports"]["scaffoldcheck"]
    assert report["ok"] and report["plugin"] == {"name": "scaffoldcheck", "version": "0.1.0"}
    assert report["parameters"] == {"min_words": 30}
    texts = {p.stem: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
    assert report["result"]["long"] > 0
    for d in report["result"]["documents"]:
        for s in d["long_sentences"]:
            assert texts[d["id"]][s["start"]:s["end"]] == s["text"] and s["words"] >= 30
    # the generated tests, against the installed copy: all 5 pass, none skipped
    assert out["pytest"] == 0, run.stdout
    assert "5 passed" in run.stdout


def test_new_plugin_is_in_cli_help():
    res = CliRunner().invoke(cli, ["--help"])
    assert "new-plugin" in res.output
