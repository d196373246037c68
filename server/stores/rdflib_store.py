"""rdflib's in-memory Dataset: the reference store (slow, but every line of it is Python).

rdflib would fetch the documents named by FROM; that is switched off. Its property paths
recurse, so a very deep path ends as a StoreError instead of killing the request. Updates
are made atomic by restoring a snapshot when one fails.
"""
from __future__ import annotations

import threading
import uuid

import rdflib.plugins.sparql
from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .. import dataset
from .base import GraphNotFound, QueryResult, QuerySyntaxError, StoreError
from .timeouts import call_with_timeout

rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # never fetch FROM <url>

_RESULT = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"}
_RDF = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml", "trig": "trig", "nquads": "nquads"}


def _syntax_error(exc: Exception) -> bool:
    return type(exc).__name__ in ("ParseException", "ParseSyntaxException") or "Expected" in str(exc)[:200]


class RdflibStore:
    name = "rdflib-memory"
    writable = True

    def __init__(self):
        self._ds = Dataset(default_union=True)
        self._lock = threading.RLock()
        self._session = uuid.uuid4().hex[:8]
        self._generation = 0

    @property
    def fork_lock(self):
        return self._lock

    def after_fork(self):
        self._lock = threading.RLock()

    def _graph_id(self, graph):
        return DATASET_DEFAULT_GRAPH_ID if graph is None else URIRef(graph)

    # ------------------------------------------------------------ reading
    def query(self, query, *, result_format, default_graphs=None, named_graphs=None, bindings=None,
              timeout=None, base_iri=None, output=None) -> QueryResult:
        def run():
            result = answer()
            if output is not None:
                output(result.kind, result.format).write(result.body)
                return QueryResult(result.kind, b"", result.format)
            return result

        def answer():
            target = self._ds
            if default_graphs or named_graphs:
                target = self._dataset_view(default_graphs, named_graphs)
            try:
                with self._lock:
                    result = target.query(query, initBindings=bindings or {}, base=base_iri)
                    if result.type in ("CONSTRUCT", "DESCRIBE"):
                        fmt = result_format if result_format in _RDF else "turtle"
                        g = result.graph
                        if fmt in ("trig", "nquads"):
                            ds = Dataset()
                            for t in g:
                                ds.add(t)
                            g = ds
                        return QueryResult("graph", g.serialize(format=_RDF[fmt], encoding="utf-8"), fmt)
                    fmt = result_format if result_format in _RESULT else "json"
                    kind = "boolean" if result.type == "ASK" else "bindings"
                    return QueryResult(kind, result.serialize(format=_RESULT[fmt], encoding="utf-8"), fmt)
            except RecursionError:
                raise StoreError("the query is too deep for the rdflib store (its property paths recurse); "
                                 "use the Oxigraph store") from None
            except Exception as exc:
                if _syntax_error(exc):
                    raise QuerySyntaxError(" ".join(str(exc).split())[:300]) from None
                raise StoreError(" ".join(str(exc).split())[:300]) from None

        return call_with_timeout(run, timeout)

    def _dataset_view(self, default_graphs, named_graphs) -> Dataset:
        view = Dataset()
        for g in default_graphs or []:
            for t in self._ds.graph(self._graph_id(g)):
                view.add(t)
        for g in named_graphs or []:
            target = view.graph(URIRef(g))
            for t in self._ds.graph(URIRef(g)):
                target.add(t)
        return view

    def has_graph(self, graph) -> bool:
        return graph is None or URIRef(graph) in {c.identifier for c in self._ds.contexts()}

    def named_graphs(self) -> list[str]:
        return sorted(str(c.identifier) for c in self._ds.contexts()
                      if c.identifier != DATASET_DEFAULT_GRAPH_ID and len(c))

    def get_graph(self, graph, fmt) -> bytes:
        if not self.has_graph(graph):
            raise GraphNotFound(f"no graph {graph}")
        g = self._ds.graph(self._graph_id(graph))
        if fmt in ("trig", "nquads"):
            ds = Dataset()
            target = ds.graph(g.identifier) if graph else ds.default_graph
            for t in g:
                target.add(t)
            return ds.serialize(format=_RDF[fmt], encoding="utf-8")
        return Graph().__iadd__(g).serialize(format=_RDF[fmt], encoding="utf-8")

    def dump(self, fmt) -> bytes:
        return self._ds.serialize(format=_RDF[fmt], encoding="utf-8")

    def version(self) -> str:
        return f"{self._session}-{self._generation}"

    def __len__(self) -> int:
        return sum(1 for _ in self._ds.quads())

    # ------------------------------------------------------------ writing
    def update(self, update, *, timeout=None, base_iri=None) -> None:
        def run():
            with self._lock:
                snapshot = list(self._ds.quads())
                kwargs = {"base": base_iri} if base_iri else {}
                try:
                    try:
                        self._ds.update(update, **kwargs)
                    except ValueError as exc:
                        # rdflib 7.6: a Dataset cannot take triples without GRAPH ("not enough
                        # values to unpack"); such an update is about the default graph.
                        if "unpack" not in str(exc):
                            raise
                        self._restore(snapshot)
                        self._ds.default_graph.update(update, **kwargs)
                except Exception as exc:
                    self._restore(snapshot)
                    if _syntax_error(exc):
                        raise QuerySyntaxError(" ".join(str(exc).split())[:300]) from None
                    raise StoreError(" ".join(str(exc).split())[:300]) from None
                finally:
                    self._generation += 1

        call_with_timeout(run, timeout)

    def _restore(self, quads):
        ds = Dataset(default_union=True)
        for q in quads:
            ds.add(q)
        self._ds = ds

    def _parse(self, data: bytes, fmt: str, graph) -> Graph | Dataset:
        try:
            if fmt in ("trig", "nquads"):
                ds = Dataset()
                ds.parse(data=data, format=_RDF[fmt])
                return ds
            g = Graph()
            g.parse(data=data, format=_RDF[fmt])
            return g
        except Exception as exc:
            raise QuerySyntaxError(f"the {fmt} data does not parse: {' '.join(str(exc).split())[:200]}") from None

    def _add(self, parsed, graph):
        if isinstance(parsed, Dataset):
            for s, p, o, g in parsed.quads():
                self._ds.graph(self._graph_id(graph) if graph else g).add((s, p, o))
        else:
            target = self._ds.graph(self._graph_id(graph))
            for t in parsed:
                target.add(t)

    def put_graph(self, graph, data, fmt) -> bool:
        parsed = self._parse(data, fmt, graph)
        with self._lock:
            existed = self.has_graph(graph) and graph is not None
            self._ds.remove_graph(self._ds.graph(self._graph_id(graph))) if graph else self._ds.default_graph.remove((None, None, None))
            self._add(parsed, graph)
            self._generation += 1
        return not existed

    def post_graph(self, graph, data, fmt) -> bool:
        parsed = self._parse(data, fmt, graph)
        with self._lock:
            created = graph is not None and not self.has_graph(graph)
            self._add(parsed, graph)
            self._generation += 1
        return created

    def delete_graph(self, graph) -> None:
        with self._lock:
            if graph is None:
                self._ds.default_graph.remove((None, None, None))
            elif self.has_graph(graph):
                self._ds.remove_graph(self._ds.graph(URIRef(graph)))
            else:
                raise GraphNotFound(f"no graph {graph}")
            self._generation += 1

    def load_shipped(self) -> int:
        with self._lock:
            self._ds = Dataset(default_union=True)
            for f in dataset.shipped_files():
                if f.graph:
                    self._ds.graph(URIRef(f.graph)).parse(f.path, format=f.format)
                else:
                    self._ds.parse(f.path, format=f.format)
            self._generation += 1
        return len(self)

    def close(self) -> None:
        pass
