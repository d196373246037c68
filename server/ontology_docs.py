"""Documentation of the ontology (classes, properties, domains and ranges, definitions in
both languages, a Graphviz diagram) and the JSON-LD @context for the data."""
from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .namespaces import DK, PREFIXES


def _text(g: Graph, s, prop, lang):
    values = {o.language: str(o) for o in g.objects(s, prop)}
    return values.get(lang) or values.get("en") or values.get("da") or ""


def _label(g, s, lang):
    return _text(g, s, RDFS.label, lang) or str(s).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def document(g: Graph, lang: str) -> dict:
    def own(s):
        return isinstance(s, URIRef) and str(s).startswith(str(DK)) and "/code/" not in str(s)

    classes = sorted((s for s in g.subjects(RDF.type, OWL.Class) if own(s)), key=str)
    props = sorted((s for k in (OWL.ObjectProperty, OWL.DatatypeProperty) for s in g.subjects(RDF.type, k) if own(s)), key=str)
    def term(s):
        return {"iri": str(s), "name": str(s)[len(str(DK)):], "label": _label(g, s, lang),
                "definition": _text(g, s, SKOS.definition, lang),
                "super": [(str(o), _label(g, o, lang)) for o in g.objects(s, RDFS.subClassOf)],
                "domain": [(str(o), _label(g, o, lang)) for o in g.objects(s, RDFS.domain)],
                "range": [(str(o), _label(g, o, lang)) for o in g.objects(s, RDFS.range)],
                "kind": "object" if (s, RDF.type, OWL.ObjectProperty) in g else "datatype"}
    onto = URIRef(str(DK))
    return {"title": _text(g, onto, RDFS.label, lang), "definition": _text(g, onto, SKOS.definition, lang),
            "version": str(g.value(onto, OWL.versionInfo) or ""), "version_iri": str(g.value(onto, OWL.versionIRI) or ""),
            "classes": [term(c) for c in classes], "properties": [term(p) for p in props],
            "diagram": diagram(g, classes, props, lang)}


def diagram(g, classes, props, lang) -> str:
    """Classes as boxes, object properties as arrows from domain to range (SVG via Graphviz)."""
    from .architecture.depmap import MapError, to_svg

    def node(c):
        return '"' + str(c).rsplit("/", 1)[-1].rsplit("#", 1)[-1] + '"'

    lines = ["digraph ontology {", "  rankdir=LR; node [shape=box, style=rounded, fontname=Helvetica, fontsize=10];",
             "  edge [fontname=Helvetica, fontsize=8];"]
    for c in classes:
        lines.append(f'  {node(c)} [label="{_label(g, c, lang)}", URL="#{str(c).rsplit("/", 1)[-1]}"];')
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
