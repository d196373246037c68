"""Documentation of the ontology, laid out as pyLODE lays it out, and the JSON-LD @context.

pyLODE was the first choice. The newest release on the package index (3.4.1) fails at import
(it reads a pyproject.toml its wheel does not ship); 3.3.4 runs offline with our rdflib, but
on this ontology it mixes the two languages in one page, takes the code lists' concept schemes
for ontology metadata (nine titles) and documents no code list. So the page is generated
here, point by point as pyLODE's OntPub: a metadata block (title, IRI, version IRI, version,
licence, creators/publisher, dates, prefix), a table of contents, one anchored entry per
class and property with its domain/range, super/sub terms and "in domain/range of" tables,
plus a section per SKOS code list, in the page's language with the other as fallback."""
from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from .namespaces import DK, PREFIXES

VANN = Namespace("http://purl.org/vocab/vann/")


def _text(g: Graph, s, prop, lang):
    values = {o.language: str(o) for o in g.objects(s, prop)}
    return values.get(lang) or values.get("en" if lang == "da" else "da") or values.get(None) or ""


def _local(s) -> str:
    return str(s).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _label(g, s, lang):
    return (_text(g, s, RDFS.label, lang) or _text(g, s, SKOS.prefLabel, lang) or _text(g, s, DCTERMS.title, lang)
            or _curie(s))


def _curie(s) -> str:
    s = str(s)
    best = max(((p, ns) for p, ns in PREFIXES.items() if s.startswith(ns) and p != "id"), key=lambda x: len(x[1]), default=None)
    return f"{best[0]}:{s[len(best[1]):]}" if best and s != best[1] else _local(s) or s


def _definition(g, s, lang):
    return _text(g, s, SKOS.definition, lang) or _text(g, s, RDFS.comment, lang) or _text(g, s, DCTERMS.description, lang)


def document(g: Graph, lang: str, names=None) -> dict:
    """Everything the documentation page shows, in one language (the other as fallback).

    Laid out as pyLODE lays out an ontology (metadata block, table of contents, one anchored
    entry per term with domain/range tables) plus a section per SKOS code list, which pyLODE's
    OntPub profile leaves out. `names(iri, lang)` names IRIs the ontology does not label
    (the publisher, say), from the knowledge graph.
    """
    def own(s):
        return isinstance(s, URIRef) and str(s).startswith(str(DK)) and "/code/" not in str(s)

    def name(s):
        label = _label(g, s, lang)
        if label == _curie(s) and names is not None:
            return names(str(s), lang) or label
        return label

    def ref(o):
        return {"iri": str(o), "label": name(o), "anchor": _anchor(o), "curie": _curie(o)}

    classes = sorted((s for s in g.subjects(RDF.type, OWL.Class) if own(s)), key=lambda s: _label(g, s, lang).lower())
    object_props = sorted((s for s in g.subjects(RDF.type, OWL.ObjectProperty) if own(s)), key=lambda s: _label(g, s, lang).lower())
    data_props = sorted((s for s in g.subjects(RDF.type, OWL.DatatypeProperty) if own(s)), key=lambda s: _label(g, s, lang).lower())
    props = object_props + data_props

    def term(s):
        entry = {"iri": str(s), "name": _local(s), "anchor": _anchor(s), "label": _label(g, s, lang),
                 "other_label": _text(g, s, RDFS.label, "en" if lang == "da" else "da"),
                 "definition": _definition(g, s, lang), "curie": _curie(s),
                 "super": [ref(o) for o in g.objects(s, RDFS.subClassOf) if isinstance(o, URIRef)],
                 "sub": [ref(o) for o in g.subjects(RDFS.subClassOf, s) if own(o)],
                 "super_property": [ref(o) for o in g.objects(s, RDFS.subPropertyOf) if isinstance(o, URIRef)],
                 "inverse": [ref(o) for o in set(g.objects(s, OWL.inverseOf)) | set(g.subjects(OWL.inverseOf, s))],
                 "domain": [ref(o) for o in g.objects(s, RDFS.domain) if isinstance(o, URIRef)],
                 "range": [ref(o) for o in g.objects(s, RDFS.range) if isinstance(o, URIRef)],
                 "characteristics": [_local(k) for k in (OWL.FunctionalProperty, OWL.TransitiveProperty,
                                                         OWL.SymmetricProperty, OWL.InverseFunctionalProperty)
                                     if (s, RDF.type, k) in g],
                 "kind": "object" if (s, RDF.type, OWL.ObjectProperty) in g else "datatype"}
        entry["in_domain_of"] = [ref(p) for p in props if (p, RDFS.domain, s) in g]
        entry["in_range_of"] = [ref(p) for p in props if (p, RDFS.range, s) in g]
        return entry

    schemes = []
    for scheme in sorted(g.subjects(RDF.type, SKOS.ConceptScheme), key=lambda s: _label(g, s, lang).lower()):
        concepts = sorted(g.subjects(SKOS.inScheme, scheme),
                          key=lambda c: (int(g.value(c, DK.stateRank)) if g.value(c, DK.stateRank) is not None else 99,
                                         _label(g, c, lang).lower()))
        schemes.append({"iri": str(scheme), "anchor": _anchor(scheme), "label": _label(g, scheme, lang),
                        "definition": _definition(g, scheme, lang),
                        "used_by": [ref(p) for p in props if any((p, RDFS.range, r) in g for r in (scheme,))],
                        "concepts": [{"iri": str(c), "anchor": _anchor(c), "label": _label(g, c, lang),
                                      "notation": str(g.value(c, SKOS.notation) or ""),
                                      "definition": _definition(g, c, lang)} for c in concepts]})
    onto = URIRef(str(DK))
    agents = []
    for role, prop in (("creator", DCTERMS.creator), ("contributor", DCTERMS.contributor), ("publisher", DCTERMS.publisher)):
        for o in g.objects(onto, prop):
            agents.append({"role": role, **(ref(o) if isinstance(o, URIRef) else {"iri": "", "label": str(o), "anchor": "", "curie": ""})})
    licence = g.value(onto, DCTERMS.license)
    metadata = {
        "iri": str(onto), "title": _text(g, onto, DCTERMS.title, lang) or _label(g, onto, lang),
        "description": _definition(g, onto, lang), "version": str(g.value(onto, OWL.versionInfo) or ""),
        "version_iri": str(g.value(onto, OWL.versionIRI) or ""),
        "licence": {"iri": str(licence), "label": _licence_name(g, licence, lang)} if licence is not None else None,
        "agents": agents, "created": str(g.value(onto, DCTERMS.created) or ""),
        "modified": str(g.value(onto, DCTERMS.modified) or ""),
        "prefix": str(g.value(onto, VANN.preferredNamespacePrefix) or ""),
        "namespace": str(g.value(onto, VANN.preferredNamespaceUri) or str(DK)),
        "imports": [str(o) for o in g.objects(onto, OWL.imports)],
    }
    return {"metadata": metadata, "title": metadata["title"], "definition": metadata["description"],
            "version": metadata["version"], "version_iri": metadata["version_iri"],
            "classes": [term(c) for c in classes], "object_properties": [term(p) for p in object_props],
            "datatype_properties": [term(p) for p in data_props], "properties": [term(p) for p in props],
            "code_lists": schemes, "namespaces": sorted(PREFIXES.items()),
            "diagram": diagram(g, classes, props, lang)}


_LICENCES = {"https://creativecommons.org/licenses/by/4.0/": "Creative Commons Attribution 4.0 (CC BY 4.0)"}


def _licence_name(g, licence, lang) -> str:
    label = _label(g, licence, lang)
    return label if label != _curie(licence) else _LICENCES.get(str(licence), str(licence))


def _anchor(s) -> str:
    """The fragment a term is documented under: its local name; code-list entries as code-<list>-<concept>."""
    s = str(s)
    if s.startswith(str(DK) + "code/"):
        return "code-" + s[len(str(DK) + "code/"):].replace("/", "-")
    return _local(s) if s.startswith(str(DK)) else ""


def diagram(g, classes, props, lang) -> str:
    """Classes as boxes, object properties as arrows from domain to range (SVG via Graphviz)."""
    from .architecture.depmap import MapError, to_svg

    def node(c):
        return '"' + str(c).rsplit("/", 1)[-1].rsplit("#", 1)[-1] + '"'

    lines = ["digraph ontology {", "  rankdir=LR; node [shape=box, style=rounded, fontname=Helvetica, fontsize=10];",
             "  edge [fontname=Helvetica, fontsize=8];"]
    for c in classes:
        lines.append(f'  {node(c)} [label="{_label(g, c, lang)}", URL="#{_anchor(c)}", tooltip="{_curie(c)}"];')
    for p in props:
        if (p, RDF.type, OWL.ObjectProperty) not in g:
            continue
        for d in g.objects(p, RDFS.domain):
            for r in g.objects(p, RDFS.range):
                if d in classes and r in classes:
                    lines.append(f'  {node(d)} -> {node(r)} [label="{_label(g, p, lang)}"];')
    lines.append("}")
    try:
        svg = to_svg("\n".join(lines)).decode("utf-8")
    except MapError:
        return ""
    return svg[svg.find("<svg"):]


def jsonld_context(g: Graph) -> dict:
    ctx: dict = {prefix: iri for prefix, iri in PREFIXES.items()}
    for s in g.subjects(RDF.type, OWL.ObjectProperty):
        if str(s).startswith(str(DK)):
            ctx[str(s)[len(str(DK)):]] = {"@id": str(s), "@type": "@id"}
    for s in g.subjects(RDF.type, OWL.DatatypeProperty):
        if str(s).startswith(str(DK)):
            rng = g.value(s, RDFS.range)
            entry = {"@id": str(s)}
            if rng is not None and str(rng) != str(RDF.langString):
                entry["@type"] = str(rng)
            ctx[str(s)[len(str(DK)):]] = entry
    for s in g.subjects(RDF.type, OWL.Class):
        if str(s).startswith(str(DK)):
            ctx[str(s)[len(str(DK)):]] = str(s)
    ctx["label"] = {"@id": str(RDFS.label), "@container": "@language"}
    return {"@context": ctx}
