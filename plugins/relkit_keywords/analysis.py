"""The ``keywords`` Analysis: keyphrases per document; keyness and collocations per corpus."""

from __future__ import annotations

from collections import Counter
from itertools import compress
from typing import Any

from relkit import Analysis, Context, Corpus, Document, Parameter
from relkit.grouping import GROUP_BY_HELP, group_key, parse_group_by
from relkit.text import segment

from .collocations import document_ngrams, has_letter, score_ngrams
from .keyness import keyness_table, row_dict
from .keyphrases import KeyphraseScorer
from .rarity import frequency_dict, known_frequency
from . import wordruns

__all__ = ["KeywordsAnalysis"]

_MEASURES = {"log_likelihood": "log_likelihood", "pmi": "pmi", "t_score": "t_score"}


class KeywordsAnalysis(Analysis):
    name = "keywords"
    description = (
        "Keyphrases per document (position-biased word graph, general-English rarity, diversified), "
        "keyness against general English, a reference corpus or between groups (G², log ratio), "
        "and bigram/trigram collocations within sentences (PMI, log-likelihood, t-score)."
    )
    version = "1.1"  # 1.1: fragments seen only inside a one-word-longer candidate are dropped
    corpus_memory = 15.0  # peak bytes of the corpus step per packed byte (52,472 news texts; runner scheduling hint)
    parameters = (
        Parameter("k", "int", 10, "keyphrases per document", minimum=0, maximum=200),
        Parameter("max_words", "int", 4, "longest keyphrase, in words", minimum=1, maximum=8),
        Parameter("max_overlap", "float", 0.5,
                  "fold a phrase into a better one when their stemmed words overlap this much (Jaccard); 1 keeps near-duplicates apart",
                  minimum=0.0, maximum=1.0),
        Parameter("reference", "str", None,
                  "corpus (file, directory or glob, read like relkit analyze's input) to compare against instead of general English",
                  nullable=True),
        Parameter("reference_size", "float", 100_000_000.0,
                  "tokens the general-English (wordfreq) reference is taken to have; sets its counts and G²",
                  minimum=1.0),
        Parameter("group_by", "str", None, GROUP_BY_HELP + "; keyness of each group against the other documents",
                  nullable=True),
        Parameter("min_freq", "int", 5, "keyness: a word is tested when it occurs this often in the target or the reference",
                  minimum=1),
        Parameter("max_p", "float", 0.05, "keyness: keep words with a G² p-value at most this (chi-square, 1 df)",
                  minimum=0.0, maximum=1.0),
        Parameter("top", "int", 50, "keyness: positive and negative keywords listed (each), per comparison", minimum=1),
        Parameter("stopwords", "bool", False, "keyness: include stopwords (the, of, we...) in the tables"),
        Parameter("collocation_min_freq", "int", 3, "collocations: minimum count of a bigram or trigram", minimum=1),
        Parameter("collocation_top", "int", 50, "collocations: bigrams and trigrams listed (each)", minimum=0),
        Parameter("collocation_measure", "str", "log_likelihood", "collocations: ranking measure",
                  choices=tuple(_MEASURES)),
        Parameter("corpus_top", "int", 30, "keyphrases listed for the whole corpus (by documents that have them)", minimum=0),
    )

    # -- per document ------------------------------------------------------------
    def analyze_document(self, doc: Document, ctx: Context) -> dict[str, Any]:
        p = ctx.params
        scorer = _scorer(p.max_words, p.max_overlap)
        keyphrases = [self._keyphrase_entry(doc, kp) for kp in scorer.extract(doc, p.k)] if p.k else []
        # Word and n-gram counts and example offsets are derived from this in the corpus
        # part: a fraction of the memory of per-document dicts (see wordruns).
        return {"keyphrases": keyphrases, "_runs": wordruns.encode(doc)}

    @classmethod
    def cache_token(cls, params) -> str:
        # The private per-document state changed form ("_runs" replaced "_unigrams",
        # "_first", "_ngrams", "_ngram_first") without changing any report: entries cached
        # in the old form must not reach the new corpus part.
        return "runs"

    @staticmethod
    def _keyphrase_entry(doc: Document, kp) -> dict[str, Any]:
        c = kp.candidate
        text = doc.text
        return {
            "phrase": " ".join(kp.words),
            "surface": c.surface(text),
            "score": kp.score,
            "words": len(kp.words),
            "frequency": c.tf,
            "first_sentence": c.occurrence_tuples[0][2],
            # doc.span's dict, built inline (offsets of tokens are always inside the text)
            "occurrences": [{"start": s, "end": e, "text": text[s:e]} for s, e, _, _ in c.occurrence_tuples],
            "variants": [{"phrase": v.phrase, "frequency": v.tf} for v in kp.variants],
        }

    # -- corpus ------------------------------------------------------------------
    def analyze_corpus(self, corpus: Corpus, ctx: Context, documents: list[dict[str, Any]] | None) -> dict[str, Any]:
        p = ctx.params
        documents = documents or []
        ids = [d["id"] for d in documents]
        runs = [d.get("_runs", "") for d in documents]
        total: Counter = Counter()
        doc_freq: Counter = Counter()
        for r in runs:
            w = wordruns.words(r)
            total.update(w)
            doc_freq.update(set(w))
        n_tokens = sum(total.values())
        if n_tokens == 0:
            ctx.warn("the corpus has no words: no keyness or collocations")
        tokens = _Segmented(corpus, ids)

        def example(word: str, members: list[int]) -> dict[str, Any] | None:
            for i in members:
                if wordruns.has_word(runs[i], word):
                    cols = tokens.features(i).columns
                    for start, end, norm, kind in zip(cols.start, cols.end, cols.norm, cols.kind):
                        if norm == word and kind == "word":
                            return corpus[ids[i]].span(start, end, doc=ids[i])
            return None

        everyone = list(range(len(documents)))
        result: dict[str, Any] = {
            "corpus_keyphrases": self._corpus_keyphrases(documents, p.corpus_top),
            "keyness": self._keyness_main(corpus, ctx, total, doc_freq, n_tokens, everyone, example),
        }
        if p.group_by:
            result["keyness_by_group"] = self._keyness_groups(corpus, ctx, documents, runs, total, n_tokens, example)
        result["collocations"] = self._collocations(corpus, ctx, runs, ids, total, n_tokens, tokens)
        result["documents"] = [{k: v for k, v in d.items() if not k.startswith("_")} for d in documents]
        return result

    @staticmethod
    def _corpus_keyphrases(documents: list[dict[str, Any]], top: int) -> list[dict[str, Any]]:
        # phrase -> [documents, frequency, sum of 1/rank, first 20 document ids]
        agg: dict[str, list] = {}
        get = agg.get
        for d in documents:
            doc_id = d["id"]
            for rank, kp in enumerate(d.get("keyphrases", ()), 1):
                phrase = kp["phrase"]
                a = get(phrase)
                if a is None:
                    a = agg[phrase] = [0, 0, 0.0, []]
                a[0] += 1
                a[1] += kp["frequency"]
                a[2] += 1.0 / rank
                if len(a[3]) < 20:  # only 20 are listed
                    a[3].append(doc_id)
        rows = sorted(agg.items(), key=lambda item: (-item[1][0], -item[1][2], item[0]))[:top]
        return [{"phrase": phrase, "documents": a[0], "frequency": a[1], "rank_score": a[2], "doc_ids": a[3]}
                for phrase, a in rows]

    def _word_filter(self, p):
        from relkit import STOPWORDS

        def ok(w: str) -> bool:
            return (p.stopwords or w not in STOPWORDS) and has_letter(w)

        return ok

    def _keyness_main(self, corpus, ctx, total, doc_freq, n_tokens, everyone, example) -> dict[str, Any]:
        p = ctx.params
        ok = self._word_filter(p)
        target = {w: c for w, c in total.items() if ok(w)}
        if p.reference:
            ref_counts, ref_total, ref_docs = _reference_counts(p.reference)
            reference = {w: c for w, c in ref_counts.items() if ok(w)}
            vocab = set(target) | set(reference)
            info = {"kind": "corpus", "path": p.reference, "documents": ref_docs, "tokens": ref_total}
        else:
            freqs = frequency_dict()
            ref_total = float(p.reference_size)
            # Every target word, and every general-English word the target would be expected
            # to contain at least once (only those can be significantly under-used).
            floor = 1.0 / max(n_tokens, 1)
            # wordfreq keeps "it's" whole where the shared tokenizer splits off "'s": such
            # entries can never be seen in the target and are left out.
            vocab = set(target) | {w for w, f in freqs.items() if f >= floor and ok(w) and not w.endswith(("'s", "’s"))}
            reference = {w: known_frequency(w) * ref_total for w in vocab}
            info = {"kind": "wordfreq", "name": "wordfreq general English (en)", "tokens": ref_total,
                    "note": "counts are expected counts: frequency × tokens"}
        pos, neg = keyness_table(target, reference, n_tokens, ref_total, min_freq=p.min_freq, max_p=p.max_p, words=vocab)
        return {
            "reference": info,
            "target_tokens": n_tokens,
            "tested": {"min_freq": p.min_freq, "max_p": p.max_p},
            "positive": [row_dict(r, {"documents": doc_freq.get(r.word, 0), "example": example(r.word, everyone)}) for r in pos[: p.top]],
            "negative": [row_dict(r, {"documents": doc_freq.get(r.word, 0)}) for r in neg[: p.top]],
        }

    def _keyness_groups(self, corpus, ctx, documents, runs, total, n_tokens, example) -> dict[str, Any]:
        p = ctx.params
        ok = self._word_filter(p)
        spec = parse_group_by(p.group_by)
        assert spec is not None
        field, unit = spec
        members: dict[str, list[int]] = {}
        for i, d in enumerate(documents):
            members.setdefault(group_key(corpus[d["id"]].metadata, field, unit), []).append(i)
        members = dict(sorted(members.items()))
        if len(members) < 2:
            ctx.warn(f"group_by={p.group_by}: only one group ({', '.join(members) or 'none'}); nothing to compare")
        groups: dict[str, Any] = {}
        for g, idx in members.items():
            counts = Counter()
            dfreq = Counter()
            for i in idx:
                w = wordruns.words(runs[i])
                counts.update(w)
                dfreq.update(set(w))
            g_total = sum(counts.values())
            rest = {w: total[w] - counts.get(w, 0) for w in total if ok(w)}
            rest = {w: c for w, c in rest.items() if c}
            rest_total = n_tokens - g_total
            target = {w: c for w, c in counts.items() if ok(w)}
            pos, neg = keyness_table(target, rest, g_total, rest_total, min_freq=p.min_freq, max_p=p.max_p)
            groups[g] = {
                "documents": len(idx),
                "tokens": g_total,
                "reference_tokens": rest_total,
                "positive": [row_dict(r, {"documents": dfreq.get(r.word, 0), "example": example(r.word, idx)}) for r in pos[: p.top]],
                "negative": [row_dict(r, {"documents": dfreq.get(r.word, 0)}) for r in neg[: p.top]],
            }
        return {"group_by": p.group_by, "reference": "the other documents", "groups": groups}

    def _collocations(self, corpus, ctx, runs, ids, total, n_tokens, tokens) -> dict[str, Any]:
        p = ctx.params
        # Only n-grams that can reach the minimum are counted exactly (bounded memory).
        counts = wordruns.count_ngrams(runs, p.collocation_min_freq, n_tokens)
        rows = score_ngrams(counts, total, n_tokens, min_freq=p.collocation_min_freq)
        del counts
        measure = _MEASURES[p.collocation_measure]
        rows.sort(key=lambda r: (-r[measure], r["ngram"]))
        out: dict[str, Any] = {"measure": p.collocation_measure, "min_freq": p.collocation_min_freq, "tokens": n_tokens}
        chosen = {}
        for n, label in ((2, "bigrams"), (3, "trigrams")):
            out[label] = sel = [{k: v for k, v in r.items() if k != "n"} for r in rows if r["n"] == n][: p.collocation_top]
            chosen.update((r["ngram"], r) for r in sel)
        # Documents holding each listed n-gram, and the first three of them for examples.
        doc_freq: Counter = Counter()
        holders: dict[str, list[int]] = {k: [] for k in chosen}
        for k, i in wordruns.holders(runs, list(chosen)):
            doc_freq[k] += 1
            if len(holders[k]) < 3:
                holders[k].append(i)
        for k, r in chosen.items():
            r["documents"] = doc_freq[k]
            r["examples"] = [corpus[ids[i]].span(*document_ngrams(tokens.features(i))[1][k], doc=ids[i]) for i in holders[k]]
        return out


_SCORERS: dict[tuple[int, float], KeyphraseScorer] = {}


def _scorer(max_words: int, max_overlap: float) -> KeyphraseScorer:
    """One (frozen, stateless) scorer per parameter pair, not one per document."""
    s = _SCORERS.get((max_words, max_overlap))
    if s is None:
        s = _SCORERS[(max_words, max_overlap)] = KeyphraseScorer(max_words=max_words, max_overlap=max_overlap)
    return s


class _Segmented:
    """Tokens of the few documents whose offsets a report shows (examples), segmented
    again in the corpus step: the per-document state keeps no offsets.  Kept for reuse,
    up to 256 documents at a time."""

    def __init__(self, corpus: Corpus, ids: list[str]) -> None:
        self.corpus, self.ids = corpus, ids
        self._done: dict[int, Any] = {}

    def features(self, i: int):
        f = self._done.get(i)
        if f is None:
            d = self.corpus[self.ids[i]]
            if len(self._done) >= 256:  # many groups, each with its examples: bound the memory
                self._done.clear()
            # segment() directly, not d.columns: the document keeps no features afterwards
            f = self._done[i] = segment(d.text, d.regions)
        return f


def _reference_counts(path: str) -> tuple[dict[str, int], int, int]:
    """Word counts of a reference corpus read with the same loaders and cleaning as the input."""
    from relkit import load_corpus

    ref = load_corpus(path)
    counts: Counter = Counter()
    for d in ref:
        cols = d.columns
        counts.update(compress(cols.norm, map(_WORD_OR_NUMBER, cols.kind)))
        d.drop_features()
    if not len(ref):
        raise ValueError(f"keywords.reference={path}: no documents found")
    return dict(counts), sum(counts.values()), len(ref)


_WORD_OR_NUMBER = frozenset(("word", "number")).__contains__
