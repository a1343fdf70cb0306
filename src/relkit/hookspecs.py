"""The hooks a relkit plugin can implement (pluggy project name ``relkit``)."""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("relkit")
hookimpl = pluggy.HookimplMarker("relkit")


@hookspec
def register_analyses(register):
    """Register analyses: call ``register(AnalysisClass)`` once for each."""


@hookspec
def register_loaders(register):
    """Register corpus formats: call ``register(Loader(name, extensions, load))``."""


@hookspec
def register_commands(cli):
    """Add commands to the ``relkit`` click group ``cli``."""


@hookspec
def register_report_sections(register):
    """Add HTML report sections: call ``register(analysis_name, render)``; ``render(report, page)`` returns HTML."""
