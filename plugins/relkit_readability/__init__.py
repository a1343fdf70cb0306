"""relkit's readability plugin: standard formulas on relkit's counts, with evidence.

Modules: ``syllables`` (CMU dictionary, rules, numbers), ``wordlists`` (Dale–Chall and
Spache familiar words), ``counts`` (intermediate counts from the shared tokens, word by
word: the definition), ``diversity`` (MTLD, MATTR: the definitions), ``batch`` (the same
counts, MATTR, MTLD and evidence for a batch of documents with numpy: what runs),
``formulas`` (the published formulas and the consensus), ``reliability`` (flags),
``summary`` (corpus distributions), ``analysis`` (the Analysis).
"""

from __future__ import annotations

from relkit import hookimpl

from .analysis import ReadabilityAnalysis

__all__ = ["ReadabilityAnalysis", "register_analyses"]


@hookimpl
def register_analyses(register):
    register(ReadabilityAnalysis)
