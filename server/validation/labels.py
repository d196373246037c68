"""Names for the IRIs a report mentions, so auditors read "NemKonto", not an IRI.

Taken from the validated data itself (rdfs:label, skos:prefLabel, dct:title, foaf:name), in
the page's language with the other language as fallback; an IRI without a name is shortened
to a prefixed name (dk:dependencyKind) or to its path under /id/.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDFS, SKOS

from ..namespaces import BASE, PREFIXES

_NAME_PROPS = (SKOS.prefLabel, RDFS.label, DCTERMS.title, FOAF.name)  # first found wins


@dataclass
class Labels:
    by_iri: dict = field(default_factory=dict)  # iri -> {lang: name}

    @classmethod
    def of(cls, graph) -> "Labels":
        out: dict = {}
        for prop in _NAME_PROPS:
            for s, o in graph.subject_objects(prop):
                if isinstance(s, URIRef) and isinstance(o, Literal):
                    out.setdefault(str(s), {}).setdefault(o.language or "", str(o))
        return cls(out)

    def keep(self, iris) -> None:
        """Drop the names no result needs (a report may be cached for a long time)."""
        self.by_iri = {i: self.by_iri[i] for i in iris if i in self.by_iri}

    def names(self, iri) -> dict:
        return self.by_iri.get(str(iri), {})

    def name(self, iri, lang: str = "en") -> str:
        names = self.by_iri.get(str(iri), {})
        other = "en" if lang == "da" else "da"
        return names.get(lang) or names.get(other) or names.get("") or self.curie(iri)

    @staticmethod
    def curie(iri) -> str:
        iri = str(iri)
        if iri.startswith(BASE + "id/"):
            return iri[len(BASE + "id/"):]
        best = max(((p, ns) for p, ns in PREFIXES.items() if iri.startswith(ns) and p != "id"),
                   key=lambda pn: len(pn[1]), default=None)
        return f"{best[0]}:{iri[len(best[1]):]}" if best else iri

    def term(self, term, lang: str = "en") -> str:
        """An RDF term as a person reads it: a name for an IRI, quotes around a literal."""
        if isinstance(term, Literal):
            return f"“{term}”"
        if term is None:
            return ""
        return self.name(term, lang)
