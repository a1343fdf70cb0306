"""The ``rhetoric`` analysis: parameters, the per-document part and the corpus part."""

from __future__ import annotations

from typing import Any

from relkit import Analysis, Context, Parameter
from relkit.grouping import GROUP_BY_HELP, parse_group_by

from .compact import compact
from .document import Settings, analyze
from .lexicons import load_user_lexicon, user_lexicon_digest
from .profiles import summarise_corpus

__all__ = ["RhetoricAnalysis"]


class RhetoricAnalysis(Analysis):
    name = "rhetoric"
    description = (
        "Who is quoted saying what (direct, indirect and mixed quotes with cue, speaker, resolved person and role), "
        "stance (Hyland metadiscourse, modals), tone (VADER per sentence, averaged), frames, persuasion cues "
        "(SemEval-2020 Task 11) and rhetorical figures, each with evidence spans; speaker table and profiles; by group"
    )
    version = "1"
    # evidence the corpus summary never reads (it counts "count"s, quotes, tone), only reports
    unread_keys = ("stance.*.spans", "modals.*.spans", "frames.frames.*.spans", "frames.frames.*.terms",
                   "figures", "persuasion.cues", "quotes.*.content", "quotes.*.cue")
    corpus_memory = 15.0  # peak bytes of the corpus step per packed byte (52,472 news texts; runner scheduling hint)
    parameters = (
        Parameter("lexicon", "list", [], "user frame lexicons: JSON files {category: [terms]} or LIWC-style .dic files "
                  "(terms are token sequences; a trailing * matches a prefix), comma-separated paths"),
        Parameter("builtin_frames", "bool", True, "use the built-in frame lexicons (false: only the user lexicons)"),
        Parameter("group_by", "str", None, GROUP_BY_HELP, nullable=True),
        Parameter("max_spans", "int", 100, "evidence spans listed per category per document (counts are always complete; none: all)",
                  minimum=0, nullable=True),
        Parameter("min_repeats", "int", 3, "a key phrase repeated this many times in a document is reported (and is a Repetition cue)",
                  minimum=2, maximum=100),
        Parameter("evidence_sentences", "int", 3, "most positive / most negative sentences listed per document and for the corpus",
                  minimum=0, maximum=100),
        Parameter("quote_min_words", "int", 6, "an unattributed quoted passage shorter than this is a mention (term, scare quote), not speech",
                  minimum=1, maximum=100),
    )

    @classmethod
    def cache_token(cls, params: Any) -> str:
        """Cached results depend on the user lexicons' contents, not only their paths."""
        paths = tuple(params.get("lexicon") or ())
        return user_lexicon_digest(paths) if paths else ""

    def analyze_document(self, doc, ctx: Context) -> dict[str, Any]:
        return analyze(doc, _settings(ctx.params))

    @staticmethod
    def compact_result(result: dict[str, Any]) -> dict[str, Any]:
        """One per-document result, as decoded from JSON, with its empty values and short
        repeated strings shared again (in place; same JSON; see ``compact.py``).

        For whoever decodes many results to hand them to ``analyze_corpus``: done on each
        batch as it is decoded, the corpus step holds about a third less (20,000 bench
        texts: 440 -> 303 MB of decoded results).  Only ``analyze_corpus`` reads the values
        it shares, and never changes them.
        """
        return compact(result)

    def analyze_corpus(self, corpus, ctx: Context, documents) -> dict[str, Any]:
        p = ctx.params
        if p.group_by:
            try:
                parse_group_by(p.group_by)
            except ValueError as e:
                raise ValueError(f"group_by: {e}") from None
        for path in p.lexicon or ():
            load_user_lexicon(path)  # a bad lexicon fails the analysis with its message
        s = _settings(p)
        docs = documents or []
        for d in docs:
            for q in d.get("quotes", []):
                if "closing_mark_missing" in q["flags"]:
                    ctx.warn(f"quote at {q['quoted'][0]['start']} has no closing mark: closed at the end of its paragraph", doc=d["id"])
        out = summarise_corpus(corpus, docs, p.group_by, s.frame_categories, s.frame_sources, p.evidence_sentences)
        out["documents"] = docs
        return out


_SETTINGS: dict[str, Settings] = {}
_LAST: list[tuple[Any, Settings]] = []  # the parameters object of the run and its settings


def _settings(params: Any) -> Settings:
    # one run passes the same read-only parameters object for every document: spelling
    # the parameters out as a key per document was 2% of the analysis
    if _LAST and _LAST[0][0] is params:
        return _LAST[0][1]
    key = repr(sorted((k, repr(v)) for k, v in params.to_dict().items()))
    s = _SETTINGS.get(key)
    if s is None:
        if len(_SETTINGS) > 16:
            _SETTINGS.clear()
        s = _SETTINGS[key] = Settings(params)
    _LAST[:] = [(params, s)]
    return s
