"""relkit's built-in ``rhetoric`` analysis: quotes and who said them, stance and tone,
frames, persuasion cues and rhetorical figures, every finding with its evidence span.

Modules: ``quotes`` (pairing quote marks), ``speakers`` (names, roles, coreference),
``attribution`` (direct/mixed/indirect speech and its speaker), ``lexicons`` (data files
and the token-sequence matcher), ``stance`` (Hyland metadiscourse, modals), ``tone``
(VADER per sentence), ``frames``, ``persuasion``, ``figures``, ``document`` (the
per-document part), ``profiles`` (speaker table, profiles, groups), ``analysis`` (the
Analysis class).  Lexicons are JSON files in ``data/``.
"""

from __future__ import annotations

from relkit import hookimpl

from .analysis import RhetoricAnalysis

__all__ = ["RhetoricAnalysis", "register_analyses"]
__version__ = "0.1.0"


@hookimpl
def register_analyses(register):
    register(RhetoricAnalysis)
