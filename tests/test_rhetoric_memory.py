"""The rhetoric corpus part's memory-saving paths give exactly what the plain ones gave."""

from __future__ import annotations

import json
from pathlib import Path

from relkit.testing import make_corpus, run_analysis
from relkit_rhetoric.profiles import speaker_table, top_speakers

ROOT = Path(__file__).resolve().parents[1]
CATS = ("cooperation", "conflict")


def _quote(kind: str, words: int, *, resolved=None, members=None, written=None, speaker_kind="name"):
    sp = {"as_written": {"start": 0, "end": len(written), "text": written} if written else None,
          "kind": speaker_kind, "resolved": resolved, "how": "trailing", "roles": []}
    if members:
        sp["members"] = members
    return {"type": kind, "words": words, "speaker": sp, "quoted": [],
            "profile": {"tone": None, "hedges": 0, "boosters": 0, "frames": {}}}


def _cut(rows):
    return [{"speaker": r["speaker"], "quotes": r["quotes"], "words_quoted": r["words_quoted"]} for r in rows]


def test_top_speakers_are_the_first_rows_of_the_speaker_table():
    docs = [
        {"id": "a", "quotes": [_quote("direct", 5, resolved="Bea"), _quote("direct", 5, resolved="Abe"),
                               _quote("indirect", 40, resolved="Cid"), _quote("mixed", 7, members=["Abe", "Abe", "Dee"])]},
        {"id": "b", "quotes": [_quote("direct", 5, resolved="Bea"), _quote("indirect", 9, written="Eve Roe"),
                               _quote("direct", 3, written="the man", speaker_kind="description"),
                               _quote("direct", 12)]},
        {"id": "c", "quotes": []},
        {"id": "d"},
    ]
    table = speaker_table(docs, CATS)
    # ties on quotes and words are broken by the name; indirect words are not counted;
    # a member listed twice counts twice, as in the table
    assert [r["speaker"] for r in table] == ["Abe", "Bea", "Dee", "Cid", "Eve Roe"]
    for n in range(len(table) + 2):
        assert top_speakers(docs, n) == _cut(table[:n])


def test_group_speakers_equal_the_groups_own_speaker_table():
    from relkit.grouping import group_key

    corpus = make_corpus([ROOT / "corpus"])
    report = run_analysis("rhetoric", corpus, {"group_by": "source"})
    assert report["ok"], report["error"]
    res = report["result"]
    cats = list(res["lexicons"]["frames"])
    group_of = {d.id: group_key(d.metadata, "source", "year") for d in corpus}
    assert len(res["groups"]["groups"]) >= 2
    for g in res["groups"]["groups"]:
        docs = [d for d in res["documents"] if group_of[d["id"]] == g["group"]]
        assert g["speakers"] == _cut(speaker_table(docs, cats)[:10])
    assert any(g["speakers"] for g in res["groups"]["groups"])


def _roundtrip_results():
    from relkit import Context
    from relkit.params import resolve_parameters
    from relkit_rhetoric import RhetoricAnalysis

    params = resolve_parameters({"rhetoric": RhetoricAnalysis.parameters})["rhetoric"]
    texts = {"plain": "Nothing to see here at all.",
             "loud": "BANK OF JAPAN TO SELL BILLS\nThe bank will sell billion yen bills, traders said. "
                     "The billion yen sale may help; billion yen bills could follow. Why not?",
             "q": "“We will cooperate closely with our partners in every field,” Ivan Petrov said. "
                  "He stressed that security and trade must grow together."}
    out = []
    for doc in [*make_corpus([ROOT / "corpus"]), *make_corpus(texts)]:
        r = RhetoricAnalysis().analyze_document(doc, Context(params, "rhetoric"))
        out.append(json.loads(json.dumps(r)))  # as the runner hands results over: through JSON
    return out


def test_compact_keeps_the_json_and_the_report_text_and_shares_the_empties():
    from relkit.report import dumps
    from relkit_rhetoric import RhetoricAnalysis
    from relkit_rhetoric.constant import EMPTY_COUNT, EMPTY_FRAME, EMPTY_LIST

    results = _roundtrip_results()
    before = [(json.dumps(r, ensure_ascii=False), dumps(r)) for r in results]
    shared = 0
    for r, (exact, report) in zip(results, before):
        assert RhetoricAnalysis.compact_result(r) is r
        assert json.dumps(r, ensure_ascii=False) == exact and dumps(r) == report
        shared += sum(v is EMPTY_COUNT for v in [*r["stance"].values(), *r["modals"].values()])
        shared += sum(v is EMPTY_FRAME for v in r["frames"]["frames"].values())
        shared += sum(v is EMPTY_LIST for v in r["figures"].values())
    assert shared > 10 * len(results)
    plain = results[-3]
    assert plain["quotes"] is EMPTY_LIST and plain["stance"]["hedges"] is EMPTY_COUNT
    # the same lexicon word in two documents is one string
    words = [s["text"] for r in results for c in r["modals"].values() for s in c["spans"] if s["text"] == "will"]
    assert len(words) >= 2 and all(w is words[0] for w in words)


def test_compact_shares_only_what_is_written_the_same():
    from relkit_rhetoric.compact import _same, compact
    from relkit_rhetoric.constant import EMPTY_COUNT

    odd = {"stance": {"a": {"count": 0, "per_1000_words": 0, "spans": []},  # an int, not 0.0
                      "b": {"count": 0, "spans": [], "per_1000_words": 0.0},  # another key order
                      "c": {"count": 0, "per_1000_words": -0.0, "spans": []},
                      "d": {"count": 0, "per_1000_words": 0.0, "spans": []}},
           "quotes": "not a list", "figures": None}
    text = json.dumps(odd)
    compact(odd)
    assert json.dumps(odd) == text
    assert [v is EMPTY_COUNT for v in odd["stance"].values()] == [False, False, False, True]
    assert not _same(0, 0.0) and not _same(-0.0, 0.0) and _same([1, {"x": 2.5}], [1, {"x": 2.5}])
