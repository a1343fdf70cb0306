"""Every built-in analysis passes relkit.testing.check_analysis on the sample corpus.

Parametrised over the built-in entry points (pyproject's ``[project.entry-points.relkit]``
that point into ``plugins/``); one that cannot be imported yet is skipped, so the test
tightens by itself as each plugin lands.
"""

from __future__ import annotations

import importlib
import sys
from importlib.metadata import entry_points

import pytest

from relkit import plugins
from relkit.analysis import Analysis
from relkit.testing import check_analysis, make_corpus
from conftest import CORPUS, ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BUILTIN = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["entry-points"]["relkit"]


def _analyses_of(module) -> list[type[Analysis]]:
    found: list[type[Analysis]] = []
    module.register_analyses(register=found.append)
    return found


def _cases():
    for plugin, module_name in sorted(BUILTIN.items()):
        yield pytest.param(plugin, module_name, id=plugin)


@pytest.mark.parametrize("plugin, module_name", list(_cases()))
def test_builtin_analysis_conforms(plugin, module_name):
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        pytest.skip(f"built-in plugin {plugin!r} is not importable yet: {e}")
    if not hasattr(module, "register_analyses"):
        pytest.skip(f"built-in plugin {plugin!r} registers no analyses yet")
    plugins.load_plugins()
    registered = plugins.registry()
    classes = _analyses_of(module)
    assert classes, f"{plugin} registers no analysis"
    corpus = make_corpus(paths=[CORPUS])
    for cls in classes:
        assert registered.analysis_plugin.get(cls.name) == plugin, f"{cls.name} is not registered through its entry point"
        report = check_analysis(cls.name, corpus)
        assert report["ok"] and report["analysis"] == cls.name
        assert report["plugin"]["name"] == plugin


def test_the_builtin_list_matches_the_installed_entry_points():
    installed = {ep.name: ep.value for ep in entry_points(group="relkit") if ep.name in BUILTIN}
    assert installed == BUILTIN
