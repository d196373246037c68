"""Embedded Oxigraph, in memory (the default) or on disk (``--store PATH``)."""
from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pyoxigraph as ox

from .. import dataset
from ..sparql import guard
from .base import GraphNotFound, QueryResult, QuerySyntaxError, StoreError
from .timeouts import call_with_timeout

_RESULT = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
RDF = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}
_QUAD_FORMATS = ("trig", "nquads")


def to_term(value):
    """An rdflib term (or an IRI string) as a pyoxigraph term."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, str) and not isinstance(value, (URIRef, Literal, BNode)):
        return ox.NamedNode(value)
    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, BNode):
        return ox.BlankNode(str(value))
    if isinstance(value, Literal):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        if value.datatype:
            return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
        return ox.Literal(str(value))
    raise TypeError(f"cannot bind {value!r}")


def _graph_name(graph: str | None):
    return ox.DefaultGraph() if graph is None else ox.NamedNode(graph)


class OxigraphStore:
    writable = True
    streams = True  # query(output=...) gets the answer while it is produced, and can stop it

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else None
        self.name = "oxigraph-disk" if path else "oxigraph-memory"
        self._store = ox.Store(str(path)) if path else ox.Store()
        # Held by every write and while an evaluator is forked (see evaluators.py), so a
        # child never inherits the engine half-way through a change.
        self._write_lock = threading.RLock()
        self._generation = 0
        self._session = uuid.uuid4().hex[:8]

    @property
    def fork_lock(self):
        return self._write_lock

    def after_fork(self):
        """In a forked child: the parent's lock may have been held by a thread that is gone."""
        self._write_lock = threading.RLock()

    def checkpoint(self, path: str) -> None:
        """A consistent copy of an on-disk store at `path` (hard links, milliseconds)."""
        with self._write_lock:
            self._store.flush()
            self._store.backup(path)

    @classmethod
    def open_checkpoint(cls, path: str, writable: bool = False) -> "OxigraphStore":
        store = cls.__new__(cls)
        store.path = Path(path)
        store.name = "oxigraph-checkpoint"
        store._store = ox.Store(path) if writable else ox.Store.read_only(path)
        store._write_lock = threading.RLock()
        store._generation = 0
        store._session = "checkpoint"
        return store

    # ------------------------------------------------------------ reading
    def query(self, query, *, result_format, default_graphs=None, named_graphs=None,
              bindings=None, timeout=None, base_iri=None, output=None) -> QueryResult:
        """`output(kind, format)`, when given, returns a writer the answer is streamed into
        (and may stop it by raising); the returned body is then empty."""
        kwargs = {"base_iri": base_iri} if base_iri else {}
        if default_graphs:
            kwargs["default_graph"] = [_graph_name(g) for g in default_graphs]
        elif not guard.names_dataset(query):
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        if bindings:
            kwargs["substitutions"] = {ox.Variable(k): to_term(v) for k, v in bindings.items()}

        def run():
            try:
                result = self._store.query(query, **kwargs)
            except SyntaxError as exc:
                raise QuerySyntaxError(str(exc)) from None
            except (OSError, ValueError, RuntimeError) as exc:
                raise StoreError(str(exc)) from None
            if isinstance(result, ox.QueryTriples):
                kind, fmt = "graph", (result_format if result_format in RDF else "turtle")
                wire = RDF[fmt]
            else:
                kind = "boolean" if isinstance(result, ox.QueryBoolean) else "bindings"
                fmt = result_format if result_format in _RESULT else "json"
                wire = _RESULT[fmt]
            if output is None:
                return QueryResult(kind, result.serialize(format=wire), fmt)
            try:
                result.serialize(output(kind, fmt), format=wire)
            except (OSError, ValueError, RuntimeError) as exc:
                raise StoreError(str(exc)) from None
            return QueryResult(kind, b"", fmt)

        return call_with_timeout(run, timeout)

    # Reads outside a query hold the lock too: a fork must not catch a thread inside the engine.
    def get_graph(self, graph, fmt) -> bytes:
        with self._write_lock:
            if not self.has_graph(graph):
                raise GraphNotFound(f"no graph {graph}")
            if fmt in _QUAD_FORMATS:
                quads = self._store.quads_for_pattern(None, None, None, _graph_name(graph))
                return ox.serialize(quads, format=RDF[fmt])
            return self._store.dump(format=RDF[fmt], from_graph=_graph_name(graph))

    def has_graph(self, graph) -> bool:
        if graph is None:
            return True
        with self._write_lock:
            return self._store.contains_named_graph(ox.NamedNode(graph))

    def named_graphs(self) -> list[str]:
        with self._write_lock:
            return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def dump(self, fmt: str) -> bytes:
        with self._write_lock:
            return self._store.dump(format=RDF[fmt])

    def version(self) -> str:
        return f"{self._session}-{self._generation}"

    def __len__(self) -> int:
        with self._write_lock:
            return len(self._store)

    # ------------------------------------------------------------ writing
    def _changed(self):
        self._generation += 1

    def update(self, update, *, timeout=None, base_iri=None) -> None:
        def run():
            try:
                with self._write_lock:
                    self._store.update(update, base_iri=base_iri)  # transactional: all or nothing
            except SyntaxError as exc:
                raise QuerySyntaxError(str(exc)) from None
            except (OSError, ValueError, RuntimeError) as exc:
                raise StoreError(str(exc)) from None
            finally:
                self._changed()

        call_with_timeout(run, timeout)

    def _parse(self, data: bytes, fmt: str, graph):
        try:
            if fmt in _QUAD_FORMATS:
                return [q for q in ox.parse(data, format=RDF[fmt])]
            return [ox.Quad(t.subject, t.predicate, t.object, _graph_name(graph))
                    for t in ox.parse(data, format=RDF[fmt])]
        except (SyntaxError, ValueError) as exc:
            raise QuerySyntaxError(f"the {fmt} data does not parse: {exc}") from None

    def put_graph(self, graph, data, fmt) -> bool:
        quads = self._parse(data, fmt, graph)  # parse before touching the store
        with self._write_lock:
            existed = self.has_graph(graph) and (graph is not None or len(self._store) > 0)
            # One update is one transaction: readers and a crash see the old graph or the
            # new one, never an empty one in between.
            target = "DEFAULT" if graph is None else f"GRAPH <{graph}>"
            triples = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                                   format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
            body = f"GRAPH <{graph}> {{ {triples} }}" if graph is not None else triples
            create = "" if graph is None else f"CREATE SILENT GRAPH <{graph}> ;\n"
            try:
                self._store.update(f"CLEAR SILENT {target} ;\n{create}INSERT DATA {{ {body} }}")
            except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
                raise StoreError(str(exc)) from None
            finally:
                self._changed()
        return not existed

    def post_graph(self, graph, data, fmt) -> bool:
        quads = self._parse(data, fmt, graph)
        with self._write_lock:
            created = graph is not None and not self.has_graph(graph)
            if created:
                self._store.add_graph(ox.NamedNode(graph))
            self._store.extend(quads)
            self._changed()
        return created

    def delete_graph(self, graph) -> None:
        with self._write_lock:
            if graph is None:
                self._store.clear_graph(ox.DefaultGraph())
            elif self.has_graph(graph):
                self._store.remove_graph(ox.NamedNode(graph))
            else:
                raise GraphNotFound(f"no graph {graph}")
            self._changed()

    def load_shipped(self) -> int:
        with self._write_lock:
            self._store.clear()
            for f in dataset.shipped_files():
                to_graph = ox.NamedNode(f.graph) if f.graph else None
                kwargs = {"to_graph": to_graph} if to_graph else {}
                self._store.bulk_load(path=str(f.path), format=RDF[f.format], **kwargs)
            self._store.flush()
            self._changed()
        return len(self._store)

    def load_files(self, paths) -> int:
        """Load RDF files (format from the extension) in place of the shipped graph."""
        with self._write_lock:
            self._store.clear()
            for path in paths:
                fmt = ox.RdfFormat.from_extension(str(path).rsplit(".", 1)[-1])
                if fmt is None:
                    raise StoreError(f"{path}: unknown RDF file extension")
                try:
                    self._store.bulk_load(path=str(path), format=fmt)
                except (OSError, SyntaxError, ValueError) as exc:
                    raise StoreError(f"{path}: {exc}") from None
            self._changed()
        return len(self._store)

    def close(self) -> None:
        if self.path:
            self._store.flush()
        del self._store
