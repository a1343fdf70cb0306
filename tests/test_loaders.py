"""Every loader and encoding case, and each bad input: skipped with a warning, the run goes on."""

from __future__ import annotations

import codecs
import io

import pytest

import relkit
from relkit.errors import InputError
from conftest import CORPUS


def test_directory_recursive_sorted_ids(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Zed.", encoding="utf-8")
    (tmp_path / "a.md").write_text("Alpha.", encoding="utf-8")
    (tmp_path / "b" / "c.txt").write_text("Cee.", encoding="utf-8")
    (tmp_path / "ignored.bin").write_bytes(b"\x00\x01")
    (tmp_path / ".hidden.txt").write_text("no", encoding="utf-8")
    corpus = relkit.load_corpus(str(tmp_path))
    assert [d.id for d in corpus] == ["a", "b/c", "b/z"]
    assert corpus["b/c"].path.endswith("c.txt")


def test_sample_corpus_loads_unchanged():
    corpus = relkit.load_corpus(str(CORPUS))
    assert len(corpus) == 5
    for doc in corpus:
        assert doc.text == (CORPUS / f"{doc.id}.txt").read_text("utf-8")


def test_paths_may_be_pathlib_paths(tmp_path):
    (tmp_path / "a.txt").write_text("Alpha.", encoding="utf-8")
    by_path = relkit.load_corpus(CORPUS, tmp_path / "a.txt")
    by_str = relkit.load_corpus(str(CORPUS), str(tmp_path / "a.txt"))
    assert [(d.id, d.text) for d in by_path] == [(d.id, d.text) for d in by_str]
    assert len(by_path) == 6


def test_glob_and_files(tmp_path):
    for n in "abc":
        (tmp_path / f"{n}.txt").write_text(f"Doc {n}.", encoding="utf-8")
    corpus = relkit.load_corpus(str(tmp_path / "[ab].txt"), str(tmp_path / "c.txt"))
    assert [d.id for d in corpus] == ["a", "b", "c"]


def test_jsonl_records_end_at_newline_only(tmp_path):
    # JSON allows U+2028, U+2029 and U+0085 unescaped inside strings; str.splitlines()
    # would cut such a record in two (seen in real scraped news).
    p = tmp_path / "seps.jsonl"
    texts = ["Line one\u2028line two.", "Para\u2029next \x85 and \x1c too.", "Windows line end."]
    p.write_bytes(("\n".join(__import__("json").dumps({"id": str(i), "text": t}, ensure_ascii=False)
                              for i, t in enumerate(texts[:2])) + "\n").encode("utf-8")
                  + ('{"id": "2", "text": "%s"}\r\n' % texts[2]).encode("utf-8"))
    corpus = relkit.load_corpus(str(p))
    assert corpus.warnings == []
    assert [d.text for d in corpus] == texts


def test_jsonl_fields_metadata_and_bad_lines(tmp_path):
    p = tmp_path / "news.jsonl"
    p.write_text(
        '{"id": "n1", "body": "First text.", "source": "AP", "date": "2020-01-02"}\n'
        "{not json\n"
        '{"id": "n3", "title": "no body"}\n'
        "[1, 2]\n"
        '{"body": "No id here."}\n',
        encoding="utf-8",
    )
    corpus = relkit.load_corpus(str(p), text_field="body")
    assert [d.id for d in corpus] == ["n1", "news:5"]
    assert corpus["n1"].metadata == {"source": "AP", "date": "2020-01-02"}
    msgs = [(w.line, w.message) for w in corpus.warnings]
    assert msgs[0][0] == 2 and "malformed JSON" in msgs[0][1]
    assert msgs[1] == (3, "no 'body' field")
    assert msgs[2][0] == 4 and "expected a JSON object" in msgs[2][1]
    assert all(w.path == str(p) for w in corpus.warnings)


def test_id_field_option(tmp_path):
    p = tmp_path / "x.ndjson"
    p.write_text('{"uid": 7, "text": "Seven."}\n', encoding="utf-8")
    assert relkit.load_corpus(str(p), id_field="uid")[0].id == "7"


@pytest.mark.parametrize("ext,delim", [(".csv", ","), (".tsv", "\t")])
def test_delimited(tmp_path, ext, delim):
    p = tmp_path / f"t{ext}"
    p.write_text(f"id{delim}text{delim}source\nr1{delim}Row one.{delim}X\nr2{delim}Row two.\nr3{delim}Row three.{delim}Z\n", encoding="utf-8")
    corpus = relkit.load_corpus(str(p))
    assert [d.id for d in corpus] == ["r1", "r3"]
    assert corpus["r1"].metadata == {"source": "X"}
    assert corpus.warnings[0].line == 3 and "2 fields" in corpus.warnings[0].message


def test_csv_without_text_column(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("id,body\n1,x\n", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("Fine.", encoding="utf-8")
    corpus = relkit.load_corpus(str(tmp_path))
    assert [d.id for d in corpus] == ["ok"]
    assert "no 'text' column" in corpus.warnings[0].message


@pytest.mark.parametrize(
    "data,expected,warns",
    [
        ("Café talks.".encode("utf-8"), "Café talks.", False),
        (codecs.BOM_UTF8 + "Café talks.".encode("utf-8"), "Café talks.", False),
        (codecs.BOM_UTF16_LE + "Café talks.".encode("utf-16-le"), "Café talks.", False),
        (codecs.BOM_UTF16_BE + "Café talks.".encode("utf-16-be"), "Café talks.", False),
        ("Café “talks”.".encode("cp1252"), "Café “talks”.", True),
    ],
)
def test_encodings(tmp_path, data, expected, warns):
    p = tmp_path / "e.txt"
    p.write_bytes(data)
    corpus = relkit.load_corpus(str(p))
    assert corpus[0].text == expected
    assert bool(corpus.warnings) == warns
    if warns:
        assert "Windows-1252" in corpus.warnings[0].message


def test_binary_file_skipped_others_loaded(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "ok.txt").write_text("Fine.", encoding="utf-8")
    corpus = relkit.load_corpus(str(tmp_path))
    assert [d.id for d in corpus] == ["ok"]
    assert "binary" in corpus.warnings[0].message and corpus.warnings[0].path.endswith("bin.txt")


def test_unreadable_file_skipped(tmp_path):
    # A dangling link cannot be read even by root.
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing-target.txt")
    (tmp_path / "ok.txt").write_text("Fine.", encoding="utf-8")
    corpus = relkit.load_corpus(str(tmp_path))
    assert [d.id for d in corpus] == ["ok"]
    assert corpus.warnings[0].path.endswith("gone.txt") and "cannot be read" in corpus.warnings[0].message


def test_empty_document_kept_and_flagged(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("Fine.", encoding="utf-8")
    corpus = relkit.load_corpus(str(tmp_path))
    assert corpus["empty"].is_empty and corpus["empty"].summary()["empty"] is True
    assert corpus["empty"].sentences == ()


def test_missing_path_and_empty_corpus(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        relkit.load_corpus(str(tmp_path / "nope"))
    with pytest.raises(InputError, match="no documents found"):
        relkit.load_corpus(str(tmp_path))
    with pytest.raises(InputError, match="no files match"):
        relkit.load_corpus(str(tmp_path / "*.txt"))


def test_stdin_text_and_jsonl():
    c = relkit.load_corpus("-", stdin=io.BytesIO("One doc. Two sentences.".encode()))
    assert c[0].id == "stdin" and len(c[0].sentences) == 2
    c = relkit.load_corpus("-", stdin=io.BytesIO(b'{"id": "a", "text": "A."}\n{"id": "b", "text": "B."}\n'))
    assert [d.id for d in c] == ["a", "b"]


def test_duplicate_ids_renamed(tmp_path):
    p = tmp_path / "d.jsonl"
    p.write_text('{"id": "x", "text": "A."}\n{"id": "x", "text": "B."}\n', encoding="utf-8")
    c = relkit.load_corpus(str(p))
    assert [d.id for d in c] == ["x", "x#2"]
    assert "duplicate document id" in c.warnings[0].message


def test_plugin_loader_through_hook(register_plugin, tmp_path):
    from relkit import Loader, hookimpl

    class Plugin:
        @hookimpl
        def register_loaders(self, register):
            def load(ctx):
                for i, para in enumerate(ctx.decode().split("\n\n")):
                    yield ctx.document(f"{ctx.doc_id}/{i}", para, {"para": i})
            register(Loader("paras", (".paras",), load))

    register_plugin(Plugin(), name="paras-test")
    (tmp_path / "f.paras").write_text("First.\n\nSecond.", encoding="utf-8")
    c = relkit.load_corpus(str(tmp_path))
    assert [d.id for d in c] == ["f/0", "f/1"] and c["f/1"].metadata == {"para": 1}


def test_api_plugins_dir_may_be_a_pathlib_path(tmp_path):
    (tmp_path / "lengths_api.py").write_text(
        "from relkit import hookimpl, Analysis\n"
        "class Lengths(Analysis):\n"
        "    name = 'lengths_api'\n"
        "    description = 'Characters per document.'\n"
        "    def analyze_document(self, doc, ctx):\n"
        "        return {'chars': len(doc.text)}\n"
        "@hookimpl\n"
        "def register_analyses(register):\n"
        "    register(Lengths)\n",
        encoding="utf-8",
    )
    corpus = relkit.load_corpus(tmp_path / "lengths_api.py", input_format="text")
    out = relkit.analyze(corpus, only=["lengths_api"], plugins_dir=tmp_path, cache=None)
    assert out["reports"]["lengths_api"]["result"]["documents"][0]["chars"] == len(corpus[0].text)
