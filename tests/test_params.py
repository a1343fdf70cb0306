"""Parameter declaration, parsing and validation."""

from __future__ import annotations

import pytest

from relkit.errors import ParameterError
from relkit.params import Parameter, parse_assignments, resolve_parameters


@pytest.mark.parametrize(
    "param,raw,value",
    [
        (Parameter("k", "int", 5, special=("auto",)), "auto", "auto"),
        (Parameter("k", "int", 5, special=("auto",)), "7", 7),
        (Parameter("t", "float", 0.5, minimum=0, maximum=1), "0.25", 0.25),
        (Parameter("b", "bool", False), "yes", True),
        (Parameter("b", "bool", True), "off", False),
        (Parameter("l", "list", []), "a, b,,c", ["a", "b", "c"]),
        (Parameter("s", "str", None, nullable=True), "none", None),
        (Parameter("i", "int", 1), 3.0, 3),
    ],
)
def test_parse(param, raw, value):
    assert param.parse(raw) == value


@pytest.mark.parametrize(
    "param,raw",
    [
        (Parameter("k", "int", 5), "auto"),
        (Parameter("k", "int", 5), "2.5"),
        (Parameter("k", "int", 5), True),
        (Parameter("t", "float", 0.5, minimum=0, maximum=1), "1.5"),
        (Parameter("t", "float", 0.5), "nan"),
        (Parameter("b", "bool", False), "maybe"),
        (Parameter("m", "str", "a", choices=("a", "b")), "c"),
    ],
)
def test_parse_rejects(param, raw):
    with pytest.raises(ValueError):
        param.parse(raw)


def test_declaration_errors():
    with pytest.raises(ValueError):
        Parameter("k", "integer")
    with pytest.raises(ValueError):
        Parameter("not-an-identifier")


def test_resolve_layers_and_errors():
    declared = {"topics": [Parameter("k", "int", 5, minimum=1), Parameter("method", "str", "nmf", choices=("nmf", "lda"))]}
    got = resolve_parameters(declared, {"topics": {"k": 3}}, parse_assignments(["topics.method=lda"]))
    assert got["topics"].to_dict() == {"k": 3, "method": "lda"} and got["topics"].k == 3
    with pytest.raises(ParameterError, match="unknown parameter topics.x"):
        resolve_parameters(declared, {"topics": {"x": 1}})
    with pytest.raises(ParameterError, match=r"invalid value for topics.k: expected int in \[1, inf\], got '0'"):
        resolve_parameters(declared, parse_assignments(["topics.k=0"]))
