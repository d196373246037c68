"""Media types of SPARQL results and RDF, content negotiation and the `format=` override."""
from __future__ import annotations

import functools

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

RESULTS = {  # short name -> media type (first is the default)
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPHS = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "trig": "application/trig",
    "nquads": "application/n-quads",
}
# other names clients use for the same formats
_RESULT_ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml"}
_GRAPH_ALIASES = {"text/plain": "ntriples", "application/x-turtle": "turtle", "application/json": "jsonld",
                  "application/xml": "rdfxml", "text/xml": "rdfxml", "text/n3": "turtle"}
# values of format= (SPARQLWrapper sends format=json / xml / csv / tsv / turtle / n3 / rdf / json-ld)
_FORMAT_WORDS = {
    "json": ("json", "jsonld"), "xml": ("xml", "rdfxml"), "csv": ("csv", None), "tsv": ("tsv", None),
    "turtle": (None, "turtle"), "ttl": (None, "turtle"), "n3": (None, "turtle"), "rdf": (None, "rdfxml"),
    "rdfxml": (None, "rdfxml"), "rdf+xml": (None, "rdfxml"), "json-ld": (None, "jsonld"), "jsonld": (None, "jsonld"),
    "nt": (None, "ntriples"), "ntriples": (None, "ntriples"), "n-triples": (None, "ntriples"),
    "trig": (None, "trig"), "nquads": (None, "nquads"), "nq": (None, "nquads"), "html": ("html", "html"),
}


def media_type(fmt: str) -> str:
    return RESULTS.get(fmt) or GRAPHS.get(fmt) or "text/html"


def choose(kind: str, accept: MIMEAccept, format_values: list[str]) -> str | None:
    """The format for a result of `kind` ("bindings"/"boolean" or "graph"), or None (406).

    `format=` wins over Accept; it may be a short name or a media type. "html" is
    returned when a browser asks for HTML first.
    """
    graph = kind == "graph"
    table, aliases = (GRAPHS, _GRAPH_ALIASES) if graph else (RESULTS, _RESULT_ALIASES)
    for value in format_values:
        value = value.strip().lower()
        if value in _FORMAT_WORDS:
            fmt = _FORMAT_WORDS[value][1 if graph else 0]
            if fmt:
                return fmt
        mt = value.split(";")[0].strip()
        for name, media in table.items():
            if media == mt:
                return name
        if mt in aliases:
            return aliases[mt]
    if not accept or not accept.values():
        return next(iter(table))
    # "text/turtle; charset=utf-8" asks for Turtle: media-type parameters other than q don't matter here
    accept = MIMEAccept([(value.split(";")[0].strip(), q) for value, q in accept])
    offers = list(table.values()) + list(aliases)
    best = accept.best_match(offers + ["text/html"])
    if best is None:
        return None
    if best == "text/html":  # a browser; on a tie the data formats (listed first) win
        return "html"
    for name, media in table.items():
        if media == best:
            return name
    return aliases[best]


@functools.lru_cache(maxsize=512)
def choose_for_header(kind: str, accept_header: str, format_values: tuple) -> str | None:
    """choose() for a raw Accept header; clients repeat their headers, so this is cached."""
    accept = parse_accept_header(accept_header, MIMEAccept) if accept_header else MIMEAccept()
    return choose(kind, accept, list(format_values))
