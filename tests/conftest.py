"""Shared fixtures: the sample corpus, and plugin isolation so test plugins never leak."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relkit import plugins

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("shared data (../shared) not present")
    return SHARED


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path, monkeypatch):
    """Tests never read or write the user's real result cache."""
    monkeypatch.setenv("RELKIT_CACHE_DIR", str(tmp_path / "relkit-cache"))


@pytest.fixture(autouse=True)
def isolated_plugins():
    """Whatever a test registers or loads is unregistered afterwards, in ``finally``."""
    plugins.load_plugins()
    before = {name: plugin for name, plugin in plugins.pm.list_name_plugin() if plugin is not None}
    state = plugins._state
    saved = (list(state.failures), dict(state.versions), set(state.dirs), set(state.disabled))
    try:
        yield
    finally:
        for name, plugin in list(plugins.pm.list_name_plugin()):
            if name not in before and plugin is not None:
                plugins.pm.unregister(plugin)
        # Plugins a test disabled (--disable-plugin) come back for the next test.
        for name, plugin in before.items():
            if plugins.pm.get_plugin(name) is None:
                if plugins.pm.is_blocked(name):
                    plugins.pm.unblock(name)
                plugins.pm.register(plugin, name=name)
        state.failures, state.versions, state.dirs, state.disabled = saved[0], saved[1], saved[2], saved[3]


@pytest.fixture
def register_plugin():
    """Register a plugin object for one test; it is unregistered in ``finally``."""
    registered = []

    def register(obj, name=None):
        plugins.pm.register(obj, name=name)
        registered.append(obj)
        return obj

    try:
        yield register
    finally:
        for obj in registered:
            if plugins.pm.is_registered(obj):
                plugins.pm.unregister(obj)


def parse_json(output: str):
    return json.loads(output)
