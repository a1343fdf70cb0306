"""Typed analysis parameters: declared by each analysis, set with ``-p`` or a config file.

Every value is parsed and validated here, for all analyses, before any work starts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping, Sequence

from .errors import ParameterError

__all__ = ["Parameter", "Params", "parse_assignments", "resolve_parameters"]

_TYPES = ("int", "float", "str", "bool", "list")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Parameter:
    """One parameter an analysis accepts.

    ``type`` is one of int, float, str, bool, list (comma-separated strings).
    ``choices`` limits the values; ``minimum``/``maximum`` bound numbers; ``special``
    names extra literal values allowed besides the type (e.g. ``"auto"`` for a number);
    ``nullable`` allows ``none``.
    """

    name: str
    type: str = "str"
    default: Any = None
    help: str = ""
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    special: tuple[str, ...] = ()
    nullable: bool = False

    def __post_init__(self) -> None:
        if self.type not in _TYPES:
            raise ValueError(f"parameter {self.name!r}: type must be one of {', '.join(_TYPES)}, not {self.type!r}")
        if not self.name.isidentifier():
            raise ValueError(f"parameter name {self.name!r} is not an identifier")

    def describe(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "type": self.type, "default": self.default, "help": self.help}
        if self.choices is not None:
            d["choices"] = list(self.choices)
        if self.minimum is not None:
            d["minimum"] = self.minimum
        if self.maximum is not None:
            d["maximum"] = self.maximum
        if self.special:
            d["special"] = list(self.special)
        if self.nullable:
            d["nullable"] = True
        return d

    def expected(self) -> str:
        parts = [self.type]
        if self.choices is not None:
            parts = ["one of " + ", ".join(map(str, self.choices))]
        if self.minimum is not None or self.maximum is not None:
            lo = "-inf" if self.minimum is None else self.minimum
            hi = "inf" if self.maximum is None else self.maximum
            parts.append(f"in [{lo}, {hi}]")
        if self.special:
            parts.append("or " + " or ".join(self.special))
        if self.nullable:
            parts.append("or none")
        return " ".join(parts)

    def parse(self, value: Any) -> Any:
        """The typed value; raises ValueError with what is expected."""
        if isinstance(value, str):
            v = value.strip()
            if v in self.special:
                return v
            if self.nullable and v.lower() in ("none", "null", ""):
                return None
        elif value is None and self.nullable:
            return None
        try:
            out = self._convert(value)
        except (TypeError, ValueError):
            raise ValueError(f"expected {self.expected()}, got {value!r}") from None
        if self.choices is not None and out not in self.choices:
            raise ValueError(f"expected {self.expected()}, got {value!r}")
        if isinstance(out, (int, float)) and not isinstance(out, bool):
            if isinstance(out, float) and not math.isfinite(out):
                raise ValueError(f"expected a finite number, got {value!r}")
            if (self.minimum is not None and out < self.minimum) or (self.maximum is not None and out > self.maximum):
                raise ValueError(f"expected {self.expected()}, got {value!r}")
        return out

    def _convert(self, value: Any) -> Any:
        t = self.type
        if t == "bool":
            if isinstance(value, bool):
                return value
            s = str(value).strip().lower()
            if s in _TRUE:
                return True
            if s in _FALSE:
                return False
            raise ValueError
        if t == "int":
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, float):
                if not value.is_integer():
                    raise ValueError
                return int(value)
            return int(str(value).strip())
        if t == "float":
            if isinstance(value, bool):
                raise ValueError
            return float(value)
        if t == "list":
            if isinstance(value, (list, tuple)):
                return [str(v) for v in value]
            return [p.strip() for p in str(value).split(",") if p.strip()]
        if isinstance(value, (dict, list)):
            raise ValueError
        return str(value)


class Params(Mapping[str, Any]):
    """The validated parameters of one analysis run: read-only, attribute access too."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = MappingProxyType(dict(values))

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __getattr__(self, key: str) -> Any:
        if key.startswith("_"):  # includes unpickling, before _values exists
            raise AttributeError(key)
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(key) from None

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Params({dict(self._values)!r})"

    def to_dict(self) -> dict[str, Any]:
        return dict(self._values)

    def __reduce__(self):
        return (Params, (dict(self._values),))


def parse_assignments(pairs: Sequence[str]) -> dict[str, dict[str, str]]:
    """``["topics.k=5", ...]`` to ``{"topics": {"k": "5"}}``."""
    out: dict[str, dict[str, str]] = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        analysis, dot, name = key.strip().partition(".")
        if not eq or not dot or not analysis or not name:
            raise ParameterError(f"-p {pair!r}: expected ANALYSIS.NAME=VALUE, e.g. -p topics.k=5")
        out.setdefault(analysis, {})[name] = value
    return out


def resolve_parameters(
    declared: Mapping[str, Sequence[Parameter]],
    *sources: Mapping[str, Mapping[str, Any]],
) -> dict[str, Params]:
    """Defaults overlaid with each source in turn (config file, then ``-p``), validated.

    ``declared`` maps every known analysis to its parameters; values for an analysis that
    is not known, or a parameter it does not declare, are errors.
    """
    values: dict[str, dict[str, Any]] = {a: {p.name: p.default for p in ps} for a, ps in declared.items()}
    for source in sources:
        for analysis, settings in source.items():
            if analysis not in declared:
                known = ", ".join(sorted(declared)) or "none"
                raise ParameterError(f"parameters given for unknown analysis {analysis!r} (known: {known})")
            if not isinstance(settings, Mapping):
                raise ParameterError(f"parameters for {analysis!r} must be a table of name = value")
            by_name = {p.name: p for p in declared[analysis]}
            for name, raw in settings.items():
                if name not in by_name:
                    valid = ", ".join(sorted(by_name)) or "none"
                    raise ParameterError(f"unknown parameter {analysis}.{name} (valid for {analysis}: {valid})")
                try:
                    values[analysis][name] = by_name[name].parse(raw)
                except ValueError as e:
                    raise ParameterError(f"invalid value for {analysis}.{name}: {e}") from None
    return {a: Params(v) for a, v in values.items()}
