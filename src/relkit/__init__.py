"""relkit: evidence-backed text analysis for news corpora."""

from __future__ import annotations

__version__ = "0.1.0"

from .hookspecs import hookimpl  # noqa: E402
from .analysis import Analysis, Context  # noqa: E402
from .params import Parameter, Params  # noqa: E402
from .corpus import Corpus, Document, LoadWarning  # noqa: E402
from .loaders import Loader, LoadContext  # noqa: E402
from .text import STOPWORDS, Sentence, TextFeatures, Token, TokenColumns, normalize, segment  # noqa: E402
from .errors import AnalysisError, InputError, ParameterError, PluginError, RelkitError  # noqa: E402
from .api import analyze, load_corpus  # noqa: E402

__all__ = [
    "__version__", "hookimpl", "Analysis", "Context", "Parameter", "Params", "Corpus", "Document",
    "LoadWarning", "Loader", "LoadContext", "Token", "Sentence", "TokenColumns", "TextFeatures", "STOPWORDS",
    "normalize", "segment", "analyze", "load_corpus", "RelkitError", "InputError", "ParameterError",
    "PluginError", "AnalysisError",
]
