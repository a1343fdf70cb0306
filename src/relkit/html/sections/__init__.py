"""Section renderers: built-in ones by analysis name, plugins' through ``register_report_sections``.

A renderer is ``render(report, page) -> str``: ``report`` is the analysis's envelope
(a dict as in ``<analysis>.json``), ``page`` a :class:`relkit.html.Page`; it returns an
HTML fragment.  A plugin's renderer for an analysis wins over the built-in one; one
that raises is reported in its section, which then falls back to the built-in or
generic rendering.
"""

from __future__ import annotations

import traceback
from typing import Any, Callable

from ... import plugins
from . import generic

__all__ = ["Renderer", "builtin_renderers", "plugin_renderers", "generic"]

Renderer = Callable[[dict, Any], str]


def builtin_renderers() -> dict[str, Renderer]:
    from . import duplicates, keywords, readability, rhetoric, topics

    return {
        "readability": readability.render,
        "keywords": keywords.render,
        "topics": topics.render,
        "duplicates": duplicates.render,
        "rhetoric": rhetoric.render,
    }


def plugin_renderers() -> tuple[dict[str, tuple[str, Renderer]], list[str]]:
    """Renderers plugins register, by analysis name: ``{name: (plugin, render)}``, and problems met."""
    plugins.load_plugins()
    found: dict[str, tuple[str, Renderer]] = {}
    problems: list[str] = []
    for impl in sorted(plugins.pm.hook.register_report_sections.get_hookimpls(), key=plugins._plugin_name):
        plugin = plugins._plugin_name(impl)
        got: list[tuple[Any, Any]] = []
        try:
            impl.function(register=lambda name, render: got.append((name, render)))
        except Exception as e:
            problems.append(f"plugin {plugin!r}: register_report_sections raised {type(e).__name__}: {e}")
            continue
        for name, render in got:
            if not isinstance(name, str) or not callable(render):
                problems.append(f"plugin {plugin!r}: register() takes (analysis_name: str, render: callable), got ({name!r}, {render!r})")
                continue
            found[name] = (plugin, render)
    return found, problems


def format_exception(e: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(e), e)).strip()
