"""The example third-party plugin, examples/relkit-lexicon.

Without installing anything: its module is imported from its source tree and checked
with relkit.testing, and its own test suite runs.  When CI has installed it
(``pip install -e examples/relkit-lexicon``): ``relkit plugins`` lists it and
``relkit analyze`` runs it, through the real entry point, in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, distribution

import pytest

from relkit.testing import check_analysis, make_corpus, run_analysis
from conftest import CORPUS, ROOT

EXAMPLE = ROOT / "examples" / "relkit-lexicon"
DEMO_JSON = EXAMPLE / "lexicons" / "economy.json"
DEMO_DIC = EXAMPLE / "lexicons" / "economy.dic"


@pytest.fixture
def lexicon_module(monkeypatch):
    monkeypatch.syspath_prepend(str(EXAMPLE / "src"))
    import relkit_lexicon

    return relkit_lexicon


def _installed() -> bool:
    try:
        distribution("relkit-lexicon")
    except PackageNotFoundError:
        return False
    return True


def _env(tmp_path):
    return {**os.environ, "RELKIT_CACHE_DIR": str(tmp_path / "cache")}


def test_example_conforms_from_its_source_tree(lexicon_module):
    for lexicon in (DEMO_JSON, DEMO_DIC):
        report = check_analysis(lexicon_module.LexiconAnalysis, make_corpus(paths=[CORPUS]), {"lexicon": str(lexicon)},
                                require_evidence=True)
        economy = report["result"]["totals"]["categories"]["economy"]
        assert economy["count"] == 13 and economy["documents"] == 4


def test_example_counts_on_the_sample_corpus(lexicon_module):
    report = run_analysis(lexicon_module.LexiconAnalysis, make_corpus(paths=[CORPUS]),
                          {"lexicon": str(DEMO_JSON), "max_evidence": 1})
    first = report["result"]["documents"][0]
    assert first["id"] == "000_fbbc5cfd56b40f15" and first["words"] == 277
    assert first["counts"] == {"economy": 1, "uncertainty": 0}
    assert first["matches"] == [{"start": 1868, "end": 1876, "text": "economic", "terms": ["econom*"], "categories": ["economy"]}]
    assert report["result"]["totals"]["categories"]["economy"]["top_terms"][0] == {"term": "econom*", "count": 12, "documents": 4}


def test_example_own_test_suite_passes():
    env = {**os.environ, "PYTHONPATH": str(EXAMPLE / "src")}
    env.pop("PYTEST_ADDOPTS", None)
    res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE / "tests")],
                         cwd=EXAMPLE, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr


@pytest.mark.skipif(not _installed(), reason="relkit-lexicon is not installed (CI: pip install -e examples/relkit-lexicon)")
def test_installed_example_is_listed_by_relkit_plugins(tmp_path):
    res = subprocess.run([sys.executable, "-m", "relkit", "plugins"], capture_output=True, text=True, env=_env(tmp_path), timeout=120)
    assert res.returncode == 0, res.stderr
    entry = next(p for p in json.loads(res.stdout) if p["name"] == "lexicon")
    assert entry == {"name": "lexicon", "version": "0.1.0", "hooks": ["register_analyses"], "analyses": ["lexicon"], "ok": True}


@pytest.mark.skipif(not _installed(), reason="relkit-lexicon is not installed (CI: pip install -e examples/relkit-lexicon)")
def test_installed_example_runs_in_relkit_analyze(tmp_path):
    env = _env(tmp_path)
    res = subprocess.run([sys.executable, "-m", "relkit", "analyze", str(CORPUS), "-j", "1", "--only", "lexicon",
                          "-p", f"lexicon.lexicon={DEMO_DIC}"], capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    report = json.loads(res.stdout)["reports"]["lexicon"]
    assert report["ok"] and report["plugin"] == {"name": "lexicon", "version": "0.1.0"}
    assert report["result"]["totals"]["categories"]["economy"]["count"] == 13
    # a plain `relkit analyze corpus/` includes its report (no lexicon: ok, with a warning)
    res = subprocess.run([sys.executable, "-m", "relkit", "analyze", str(CORPUS), "-j", "1"], capture_output=True, text=True,
                         env=env, timeout=300)
    assert res.returncode in (0, 1), res.stderr  # 1 only if some other analysis failed
    report = json.loads(res.stdout)["reports"]["lexicon"]
    assert report["ok"] and report["result"]["lexicon"] is None
    assert "no lexicon given" in report["warnings"][0]["message"]
    assert "lexicon: no lexicon given" in res.stderr
