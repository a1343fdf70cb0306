"""relkit's built-in ``keywords`` analysis and the ``relkit kwic`` command.

Modules: ``candidates`` (keyphrase candidates from the shared tokens), ``rarity``
(general-English frequencies from wordfreq), ``keyphrases`` (scoring and diversified
selection), ``keyness`` (G², p-value, log ratio), ``collocations`` (bigrams and trigrams
inside sentences), ``kwic`` (keyword in context and its command), ``analysis`` (the
Analysis class).
"""

from __future__ import annotations

from relkit import hookimpl

from .analysis import KeywordsAnalysis

__all__ = ["KeywordsAnalysis", "register_analyses", "register_commands"]
__version__ = "1.0.0"


@hookimpl
def register_analyses(register):
    register(KeywordsAnalysis)


@hookimpl
def register_commands(cli):
    from .kwic import kwic_command

    cli.add_command(kwic_command)
