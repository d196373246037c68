"""The one narrow interface every store offers the web and CLI layers.

Stores execute SPARQL and serialise the answer themselves, in the format the protocol
layer chose, so that a fast engine (Oxigraph) never round-trips through Python objects.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

# Result formats, by short name. Solutions/boolean formats and graph formats.
RESULT_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml", "trig", "nquads")


class StoreError(Exception):
    """A request the store could not carry out; the message is safe to show a client."""


class QuerySyntaxError(StoreError):
    """The query or update text does not parse."""


class QueryTimeout(StoreError):
    """Evaluation took longer than the configured limit."""


class GraphNotFound(StoreError):
    pass


@dataclass
class QueryResult:
    kind: str  # "bindings", "boolean" or "graph"
    body: bytes
    format: str


class Store(Protocol):
    #: a short name shown by /health and `digikort stats`, e.g. "oxigraph-memory"
    name: str
    #: True when update and graph-store writes are possible at all
    writable: bool

    def query(
        self,
        query: str,
        *,
        result_format: str,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        bindings: dict | None = None,
        timeout: float | None = None,
        base_iri: str | None = None,  # resolves relative IRIs in the text
    ) -> QueryResult: ...

    def update(self, update: str, *, timeout: float | None = None, base_iri: str | None = None) -> None: ...

    # Graph Store Protocol; graph=None is the default graph.
    def get_graph(self, graph: str | None, fmt: str) -> bytes: ...
    def put_graph(self, graph: str | None, data: bytes, fmt: str) -> bool: ...  # True if created
    def post_graph(self, graph: str | None, data: bytes, fmt: str) -> bool: ...
    def delete_graph(self, graph: str | None) -> None: ...
    def has_graph(self, graph: str | None) -> bool: ...

    def load_shipped(self) -> int: ...  # replace contents with the shipped dataset; returns quads
    def dump(self, fmt: str) -> bytes: ...  # whole dataset, "trig" or "nquads"
    def version(self) -> str: ...  # changes whenever the data changes
    def close(self) -> None: ...
