"""The plugin manager: entry points, ``--plugins-dir``, enabling and disabling, fault containment.

Built-in analyses are ordinary plugins under the ``relkit`` entry-point group, loaded
by exactly the code below that loads a third party's.  A plugin that fails to import,
fails validation or raises while registering is recorded by name and skipped; it never
takes the host down.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import traceback
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Iterable

import pluggy

from . import hookspecs
from .analysis import Analysis
from .errors import PluginError
from .loaders import BUILTIN_LOADERS, Loader

__all__ = ["pm", "PluginFailure", "load_plugins", "load_plugins_dir", "registry", "plugin_listing", "ENTRY_POINT_GROUP"]

ENTRY_POINT_GROUP = "relkit"
LOAD_ENV = "RELKIT_LOAD_PLUGINS"  # comma-separated entry-point names to load; empty: none
DISABLE_ENV = "RELKIT_DISABLE_PLUGINS"  # comma-separated plugin names never to load

pm = pluggy.PluginManager("relkit")
pm.add_hookspecs(hookspecs)


@dataclass
class PluginFailure:
    """A plugin that could not be used, and why."""

    plugin: str
    stage: str  # "import", "validation" or "register"
    error: str
    traceback: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"plugin": self.plugin, "stage": self.stage, "error": self.error}


@dataclass
class _State:
    loaded: bool = False
    failures: list[PluginFailure] = field(default_factory=list)
    versions: dict[str, str | None] = field(default_factory=dict)
    dirs: set[str] = field(default_factory=set)
    disabled: set[str] = field(default_factory=set)


_state = _State()


def _env_list(name: str) -> list[str] | None:
    value = os.environ.get(name)
    if value is None:
        return None
    return [p.strip() for p in value.split(",") if p.strip()]


def _register_checked(module: Any, name: str) -> bool:
    """Register ``module``; unregister and record it if its hooks do not match a spec."""
    try:
        pm.register(module, name=name)
        pm.check_pending()
    except Exception as e:  # pluggy.PluginValidationError and anything odd in the module
        if pm.is_registered(module):
            pm.unregister(module)
        _state.failures.append(PluginFailure(name, "validation", f"{type(e).__name__}: {e}", traceback.format_exc()))
        return False
    return True


def load_plugins(*, disabled: Iterable[str] = ()) -> None:
    """Load entry-point plugins once (honouring RELKIT_LOAD_PLUGINS / RELKIT_DISABLE_PLUGINS)."""
    _state.disabled.update(disabled)
    _state.disabled.update(_env_list(DISABLE_ENV) or [])
    for name in list(_state.disabled):
        plugin = pm.get_plugin(name)
        if plugin is not None:
            pm.unregister(plugin)
    if _state.loaded:
        return
    _state.loaded = True
    only = _env_list(LOAD_ENV)
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if ep.name in _state.disabled or (only is not None and ep.name not in only):
            continue
        if pm.get_plugin(ep.name) is not None:
            continue
        try:
            module = ep.load()
        except Exception as e:
            _state.failures.append(PluginFailure(ep.name, "import", f"{type(e).__name__}: {e}", traceback.format_exc()))
            continue
        if _register_checked(module, ep.name):
            _state.versions[ep.name] = ep.dist.version if ep.dist is not None else None


def _namespace(name: str) -> Any:
    import types

    module = types.ModuleType(name, "Plugins loaded with --plugins-dir.")
    module.__path__ = []  # a package, so ``relkit_plugins_dir.NAME`` imports resolve
    return module


def load_plugins_dir(directory: str | os.PathLike[str]) -> None:
    """Load every ``*.py`` file in ``directory`` as a plugin named after the file."""
    path = Path(directory).resolve()
    if str(path) in _state.dirs:
        return
    _state.dirs.add(str(path))
    for file in sorted(path.glob("*.py")):
        name = file.stem
        if name in _state.disabled or pm.get_plugin(name) is not None:
            continue
        module_name = f"relkit_plugins_dir.{name}"
        # A parent package in sys.modules, so classes of the module pickle by reference.
        sys.modules.setdefault("relkit_plugins_dir", _namespace("relkit_plugins_dir"))
        try:
            spec = importlib.util.spec_from_file_location(module_name, file)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_name] = module  # so worker processes can unpickle its classes
            spec.loader.exec_module(module)
        except Exception as e:
            sys.modules.pop(module_name, None)
            _state.failures.append(PluginFailure(name, "import", f"{type(e).__name__}: {e}", traceback.format_exc()))
            continue
        if _register_checked(module, name):
            _state.versions[name] = getattr(module, "__version__", None)


def failures() -> list[PluginFailure]:
    return list(_state.failures)


def reset() -> None:
    """Forget everything loaded (for tests)."""
    for name, plugin in list(pm.list_name_plugin()):
        pm.unregister(plugin)
    _state.__init__()  # type: ignore[misc]


@dataclass
class Registry:
    """What the loaded plugins provide."""

    analyses: dict[str, type[Analysis]]
    analysis_plugin: dict[str, str]
    loaders: list[Loader]
    failures: list[PluginFailure]


def _plugin_name(impl: Any) -> str:
    return pm.get_name(impl.plugin) or getattr(impl.plugin, "__name__", "?")


def registry() -> Registry:
    """Call the register hooks of every loaded plugin, one plugin at a time."""
    analyses: dict[str, type[Analysis]] = {}
    owner: dict[str, str] = {}
    loaders: dict[str, Loader] = {ld.name: ld for ld in BUILTIN_LOADERS}
    fails = list(_state.failures)

    # pluggy calls the most recently registered first; sort so the order is stable.
    for impl in sorted(pm.hook.register_analyses.get_hookimpls(), key=_plugin_name):
        plugin = _plugin_name(impl)
        found: list[type[Analysis]] = []
        try:
            impl.function(register=found.append)
            for cls in found:
                if not (isinstance(cls, type) and issubclass(cls, Analysis)) or not cls.name:
                    raise TypeError(f"register() takes an Analysis subclass with a name, got {cls!r}")
        except Exception as e:
            fails.append(PluginFailure(plugin, "register", f"{type(e).__name__}: {e}", traceback.format_exc()))
            continue
        for cls in found:
            if cls.name in analyses:
                raise PluginError(
                    f"analysis {cls.name!r} is registered by two plugins: {owner[cls.name]!r} and {plugin!r}; "
                    f"disable one with --disable-plugin NAME or {DISABLE_ENV}"
                )
            analyses[cls.name] = cls
            owner[cls.name] = plugin

    for impl in sorted(pm.hook.register_loaders.get_hookimpls(), key=_plugin_name):
        plugin = _plugin_name(impl)
        found_loaders: list[Loader] = []
        try:
            impl.function(register=found_loaders.append)
            for ld in found_loaders:
                if not isinstance(ld, Loader):
                    raise TypeError(f"register() takes a relkit.Loader, got {ld!r}")
        except Exception as e:
            fails.append(PluginFailure(plugin, "register", f"{type(e).__name__}: {e}", traceback.format_exc()))
            continue
        for ld in found_loaders:
            loaders[ld.name] = ld  # a plugin may replace a built-in format
    return Registry(dict(sorted(analyses.items())), owner, list(loaders.values()), fails)


def plugin_version(name: str) -> str | None:
    return _state.versions.get(name)


def plugin_listing() -> list[dict[str, Any]]:
    """Every loaded plugin: name, version, hooks, analyses; then the ones that failed."""
    reg = registry()
    by_plugin: dict[str, list[str]] = {}
    for analysis, plugin in reg.analysis_plugin.items():
        by_plugin.setdefault(plugin, []).append(analysis)
    out = []
    for name, plugin in sorted(pm.list_name_plugin(), key=lambda p: p[0]):
        if plugin is None:
            continue
        hooks = sorted(h.name for h in (pm.get_hookcallers(plugin) or []))
        out.append({
            "name": name,
            "version": _state.versions.get(name),
            "hooks": hooks,
            "analyses": sorted(by_plugin.get(name, [])),
            "ok": True,
        })
    for f in reg.failures:
        out.append({"name": f.plugin, "version": _state.versions.get(f.plugin), "hooks": [], "analyses": [], "ok": False, "error": f.error, "stage": f.stage})
    return out
