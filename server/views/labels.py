"""Labels of every resource, read once per dataset version, in both languages, so that
pages show names, not IRIs (with the other language as a marked fallback)."""
from __future__ import annotations

import threading

from . import rows

_cache: dict = {}
_lock = threading.Lock()


class Labels:
    def __init__(self, names: dict[str, dict[str, str]]):
        self.names = names  # iri -> {lang or "": label}

    def get(self, iri: str, lang: str) -> tuple[str, str | None]:
        """(label, fallback language or None); the IRI's last segment when it has no label."""
        from ..web.i18n import pick

        text, alt = pick(self.names.get(str(iri), {}), lang)
        return (text, alt) if text else (_short(str(iri)), None)

    def text(self, iri: str, lang: str) -> str:
        return self.get(iri, lang)[0]

    def __contains__(self, iri) -> bool:
        return str(iri) in self.names


def _short(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def labels_for(store) -> Labels:
    version = store.version()
    key = (id(store), version)
    with _lock:
        if version and key in _cache:
            return _cache[key]
    names: dict[str, dict[str, str]] = {}
    for r in rows(store, "labels"):
        lang = r.get("label@lang", "")
        # One label per language: a hand-curated rdfs:label (read first, sorted) wins.
        names.setdefault(r["x"], {}).setdefault(lang, r["label"])
    result = Labels(names)
    if version:
        with _lock:
            _cache.clear()
            _cache[key] = result
    return result
