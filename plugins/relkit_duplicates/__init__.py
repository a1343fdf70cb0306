"""relkit's built-in ``duplicates`` analysis.

Modules: ``shingles`` (normalisation, word shingles, hashing), ``minhash`` (signatures),
``lsh`` (candidate pairs), ``verify`` (exact Jaccard and containment), ``clusters``,
``align`` (shared passages between two documents), ``repeats`` (inside one document),
``dedupe`` (the reduced corpus for ``--dedupe``), ``analysis`` (the Analysis class).
"""

from relkit import hookimpl

from .analysis import Duplicates

__all__ = ["Duplicates", "register_analyses"]
__version__ = "1.0"


@hookimpl
def register_analyses(register):
    register(Duplicates)
