"""relkit's built-in ``topics`` analysis: NMF/LDA topics with coherence, automatic k,
diagnostics and prevalence by group.

Modules: ``terms`` (content terms and bigrams from the shared tokens), ``vectorize``
(vocabulary and matrices), ``models`` (NMF, LDA), ``metrics`` (NPMI, diversity,
exclusivity, FREX, stability), ``selection`` (choosing k), ``pipeline`` (the modelling
run), ``describe`` (report entries), ``analysis`` (the Analysis class).
"""

from __future__ import annotations

from relkit import hookimpl

from .analysis import TopicsAnalysis

__all__ = ["TopicsAnalysis", "register_analyses"]
__version__ = "0.1.0"


@hookimpl
def register_analyses(register):
    register(TopicsAnalysis)
