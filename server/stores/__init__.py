"""Open a store from a spec: nothing or "memory" (embedded Oxigraph in memory, the
default), "rdflib" (rdflib's memory store, the reference), a directory path (Oxigraph on
disk) or an http(s) URL of a SPARQL 1.1 endpoint (a remote engine)."""
from __future__ import annotations

from .base import Store, StoreError


def open_store(spec: str | None = None, *, load: bool = True, data: list[str] | None = None,
               **options) -> Store:
    """`data`: RDF files to load instead of the shipped graph (in-memory stores)."""
    if spec in (None, "", "memory"):
        from .oxigraph import OxigraphStore

        store = OxigraphStore()
        if data:
            store.load_files(data)
        elif load:
            store.load_shipped()
        return store
    if spec == "rdflib":
        from .rdflib_store import RdflibStore

        store = RdflibStore()
        if load:
            store.load_shipped()
        return store
    if spec.startswith(("http://", "https://")):
        from ..config import Settings
        from .remote import RemoteStore

        settings = Settings.load()
        options.setdefault("update_url", settings.remote_update_url or None)
        options.setdefault("graph_store_url", settings.remote_graph_store_url or None)
        return RemoteStore(spec, **options)
    from .oxigraph import OxigraphStore

    # On disk the data persists: load the shipped graph only into a new, empty store.
    store = OxigraphStore(spec)
    if load and len(store) == 0:
        store.load_shipped()
    return store


__all__ = ["open_store", "Store", "StoreError"]
