"""Named SPARQL queries (queries/*.rq): their metadata and the binding of their parameters.

Parameters are bound as RDF terms through the store's `bindings` argument, never pasted
into the query text, so a parameter value cannot change what the query does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from . import resources
from .namespaces import ID

_HEADER = re.compile(r"^#\s*([a-z]+)(?:@([a-z]{2}))?:\s*(.*)$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9.\-]*(/[a-z0-9][a-z0-9.\-]*)*$")

# parameter type -> the id/ folder its slug lives in
_SLUG_TYPES = {"component": "component", "initiative": "initiative", "agency": "agency", "report": "report"}


class ParameterError(ValueError):
    """A missing or ill-typed parameter; the message names the parameter."""


@dataclass
class Parameter:
    name: str
    type: str
    default: str | None
    description: str = ""

    def bind(self, raw: str | None):
        value = self.default if raw in (None, "") else raw
        if value is None:
            raise ParameterError(f"parameter '{self.name}' is required ({self.type})")
        try:
            return _convert(self.type, value)
        except ValueError as exc:
            raise ParameterError(f"parameter '{self.name}': {exc}") from None


def _convert(kind: str, value: str):
    if kind in _SLUG_TYPES:
        if not _SLUG.match(value):
            raise ValueError(f"{value!r} is not a {kind} slug (lower-case letters, digits, '-', '.', '/')")
        return URIRef(f"{ID}{_SLUG_TYPES[kind]}/{value}")
    if kind == "iri":
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", value):
            raise ValueError(f"{value!r} is not an http(s) IRI")
        return URIRef(value)
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", value):
            raise ValueError(f"{value!r} is not an integer")
        return Literal(int(value))
    if kind == "year":
        if not re.fullmatch(r"\d{4}", value):
            raise ValueError(f"{value!r} is not a year (YYYY)")
        return Literal(value, datatype=XSD.gYear)
    if kind == "lang":
        if value not in ("da", "en"):
            raise ValueError(f"{value!r} is not a language (da or en)")
        return Literal(value)
    if kind == "string":
        if len(value) > 500:
            raise ValueError("longer than 500 characters")
        return Literal(value)
    raise ValueError(f"unknown parameter type {kind!r}")


@dataclass
class NamedQuery:
    name: str
    text: str
    title: dict = field(default_factory=dict)
    description: dict = field(default_factory=dict)
    audience: str = "everyone"
    parameters: list[Parameter] = field(default_factory=list)
    columns: dict = field(default_factory=dict)  # variable -> {lang: column header}
    parameter_labels: dict = field(default_factory=dict)  # parameter -> {lang: description}

    def bindings(self, raw: dict[str, str]) -> dict:
        unknown = set(raw) - {p.name for p in self.parameters}
        if unknown:
            raise ParameterError(f"unknown parameter(s) for {self.name}: {', '.join(sorted(unknown))}")
        return {p.name: p.bind(raw.get(p.name)) for p in self.parameters}

    def text_with_values(self, bindings: dict) -> str:
        """The query as a standalone text with a trailing VALUES clause, to open in an editor."""
        if not bindings:
            return self.text
        names = " ".join(f"?{k}" for k in bindings)
        values = " ".join(v.n3() for v in bindings.values())
        return f"{self.text.rstrip()}\nVALUES ({names}) {{ ({values}) }}\n"

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "audience": self.audience,
            "columns": self.columns,
            "parameter_labels": self.parameter_labels,
            "parameters": [{"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                           for p in self.parameters],
        }


def parse(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    q = NamedQuery(name=path.stem, text=text)
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if not m:
            continue
        key, lang, value = m.groups()
        if key == "title":
            q.title[lang or "en"] = value
        elif key == "description":
            q.description[lang or "en"] = value
        elif key == "column":
            var, _, header = value.partition(" ")
            q.columns.setdefault(var, {})[lang or "en"] = header.strip()
        elif key == "audience":
            q.audience = value
        elif key == "param" and lang:  # param@da: NAME description in that language
            name, _, text = value.partition(" ")
            q.parameter_labels.setdefault(name, {})[lang] = text.strip()
        elif key == "param":
            name, kind, default, *desc = value.split(" ", 3)
            if desc:
                q.parameter_labels.setdefault(name, {})["en"] = desc[0].strip()
            q.parameters.append(Parameter(name, kind, None if default == "-" else default, " ".join(desc)))
    return q


_cache: dict[str, NamedQuery] | None = None


def all_queries() -> dict[str, NamedQuery]:
    global _cache
    if _cache is None:
        _cache = {p.stem: parse(p) for p in sorted(resources.folder("queries").glob("*.rq"))}
    return _cache


def get(name: str) -> NamedQuery | None:
    return all_queries().get(name)
