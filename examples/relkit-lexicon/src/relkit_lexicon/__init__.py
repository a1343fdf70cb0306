"""relkit-lexicon: count the terms of your own lexicon in a relkit corpus.

Installed, it registers the ``lexicon`` analysis through the ``relkit`` entry point::

    relkit analyze corpus/ --only lexicon -p lexicon.lexicon=my.dic

Modules: ``lexicon`` (reading JSON and LIWC-style .dic files), ``matching`` (finding
terms in relkit's shared tokens), ``analysis`` (the Analysis subclass).
"""

from __future__ import annotations

from relkit import hookimpl

from .analysis import LexiconAnalysis
from .lexicon import Lexicon, LexiconError, load_lexicon, parse_dic, parse_json

__version__ = "0.1.0"
__all__ = ["LexiconAnalysis", "Lexicon", "LexiconError", "load_lexicon", "parse_dic", "parse_json", "register_analyses"]


@hookimpl
def register_analyses(register):
    register(LexiconAnalysis)
