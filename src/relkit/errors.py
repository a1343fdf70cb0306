"""Errors relkit raises, each mapped to a documented exit code by the CLI."""

from __future__ import annotations

__all__ = ["RelkitError", "InputError", "ParameterError", "PluginError", "AnalysisError"]


class RelkitError(Exception):
    """Base class; ``exit_code`` is what the CLI exits with."""

    exit_code = 2


class InputError(RelkitError):
    """A path that does not exist, an unknown format, or a corpus with no documents."""


class ParameterError(RelkitError):
    """An unknown, ill-typed or out-of-range analysis parameter."""


class PluginError(RelkitError):
    """Plugins that cannot work together (two registering one analysis name)."""


class AnalysisError(RelkitError):
    """An analysis raised while it ran (only re-raised with ``--strict``)."""

    exit_code = 1
