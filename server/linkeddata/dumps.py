"""Dumps of the dataset at stable URLs, regenerated when the data changes.

The bytes are cached per dataset version, and their sizes and checksums come from those
same bytes, so the catalogue always states what a download delivers.
"""
from __future__ import annotations

import gzip
import hashlib
import threading
from dataclasses import dataclass

# file name -> (media type, store format, gzip?)
WHOLE = {
    "digikort.ttl": ("text/turtle", "turtle", False),
    "digikort.nt.gz": ("application/n-triples", "ntriples", True),
    "digikort.jsonld": ("application/ld+json", "jsonld", False),
    "digikort.trig": ("application/trig", "trig", False),
    "digikort.nq": ("application/n-quads", "nquads", False),
}


@dataclass(frozen=True)
class Dump:
    name: str
    media_type: str
    body: bytes
    gzipped: bool

    @property
    def sha1(self) -> str:
        return hashlib.sha1(self.body).hexdigest()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


_cache: dict = {}
_lock = threading.Lock()


def graph_slug(graph: str) -> str | None:
    marker = "/graph/"
    return graph.split(marker, 1)[1] if marker in graph else None


def _build(store, name: str) -> Dump | None:
    if name in WHOLE:
        media, fmt, gz = WHOLE[name]
        if fmt in ("trig", "nquads"):
            body = store.dump(fmt)
        else:  # triple formats: the union of all graphs
            body = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", result_format=fmt).body
        return Dump(name, media, gzip.compress(body, mtime=0) if gz else body, gz)
    if name.startswith("graphs/") and name.endswith(".ttl"):
        slug = name[len("graphs/"):-len(".ttl")]
        for graph in store.named_graphs():
            if graph_slug(graph) == slug:
                return Dump(name, "text/turtle", store.get_graph(graph, "turtle"), False)
    return None


def get(store, name: str) -> Dump | None:
    """The dump called `name` of the store's current data (None if there is no such dump)."""
    key = (id(store), store.version(), name)
    with _lock:
        if key in _cache:
            return _cache[key]
    dump = _build(store, name)
    if dump is not None and store.version():
        with _lock:
            for old in [k for k in _cache if k[0] == id(store) and k[1] != store.version()]:
                del _cache[old]
            _cache[key] = dump
    return dump


def names(store) -> list[str]:
    """Every dump: the whole dataset in each format, and each named graph as Turtle."""
    per_graph = [f"graphs/{s}.ttl" for s in (graph_slug(g) for g in store.named_graphs()) if s]
    return list(WHOLE) + sorted(per_graph)
