"""Quote extraction and attribution against the hand-built gold set.

    python benchmarks/eval_rhetoric_quotes.py corpus/ tests/data/rhetoric_gold.json
"""

from __future__ import annotations

import argparse
import json
import sys

from relkit.testing import make_corpus, run_analysis
from relkit_rhetoric.evaluate import score


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", help="the sample corpus directory (corpus/)")
    ap.add_argument("gold", help="tests/data/rhetoric_gold.json")
    a = ap.parse_args()
    from pathlib import Path

    corpus = make_corpus([Path(a.corpus)])
    report = run_analysis("rhetoric", corpus)
    gold = json.load(open(a.gold, encoding="utf-8"))
    s = score(report["result"]["documents"], gold)
    print("| measure | precision | recall | F1 |")
    print("|---|---|---|---|")
    for key, label in (("quotes_exact", "direct quotes, exact span"), ("quotes_overlap", "direct quotes, overlap > 0.3"),
                       ("quotes_with_speaker", "direct quotes with the right speaker"), ("indirect", "indirect speech, overlap > 0.5")):
        m = s[key]
        print(f"| {label} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} |")
    print()
    print(f"gold quotes {s['gold_quotes']}, predicted {s['predicted_quotes']}; speaker accuracy on found quotes {s['speaker_accuracy']:.3f}; "
          f"indirect: gold {s['gold_indirect']}, predicted {s['predicted_indirect']}, with right speaker {s['indirect_speaker_right']}; "
          f"quoted titles recognised as mentions {s['mentions_found']}/{s['gold_mentions']}")
    print()
    print("command: python " + " ".join(sys.argv))


if __name__ == "__main__":
    main()
