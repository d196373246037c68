"""Run the shapes over a dataset and gather one report.

SHACL sees one graph, so the shapes run over the union of the named graphs, and the
provenance rules that need to know which graph a triple sits in (is every fact's graph a
described source?) run here in Python beside them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF

from .. import resources
from ..namespaces import DK
from . import safety

SH = Namespace("http://www.w3.org/ns/shacl#")
SEVERITIES = ("Violation", "Warning", "Info")


@dataclass
class Result:
    focus: str
    severity: str  # Violation, Warning, Info
    message: dict  # lang -> text
    path: str | None = None
    value: str | None = None
    shape: str | None = None

    def text(self, lang: str = "en") -> str:
        return self.message.get(lang) or self.message.get("en") or self.message.get("da") or next(iter(self.message.values()), "")


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)
    focus_count: int = 0

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)


def load_shapes(paths: list[Path] | None = None) -> Graph:
    shapes = Graph()
    for p in paths or resources.rdf_files("shapes"):
        shapes.parse(p, format="turtle")
    safety.check_shapes(shapes)
    return shapes


_SHIPPED_SHAPES: Graph | None = None


def shipped_shapes() -> Graph:
    global _SHIPPED_SHAPES
    if _SHIPPED_SHAPES is None:
        _SHIPPED_SHAPES = load_shapes()
    return _SHIPPED_SHAPES


def union(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, _ in ds.quads():
        g.add((s, p, o))
    return g


def graph_results(ds: Dataset, u: Graph | None = None) -> list[Result]:
    """Every named graph that holds facts must be a described source (or Digikort's metadata)."""
    u = union(ds) if u is None else u
    results = []
    named = [c for c in ds.contexts() if isinstance(c.identifier, URIRef) and not str(c.identifier).startswith("urn:x-rdflib:") and len(c)]
    if not named:
        return results  # plain triples (an upload): there are no graphs to check
    for ctx in ds.contexts():
        name = ctx.identifier
        if not isinstance(name, URIRef) or len(ctx) == 0 or str(name).startswith("urn:x-rdflib:"):
            if isinstance(name, URIRef) and str(name) == "urn:x-rdflib:default" and len(ctx):
                results.append(Result(str(name), "Violation", {
                    "da": f"{len(ctx)} udsagn ligger i standardgrafen uden en kilde; læg dem i en navngiven graf for et beskrevet kildedokument",
                    "en": f"{len(ctx)} statements sit in the default graph with no source; put them in a named graph of a described source document"}))
            continue
        if (name, RDF.type, DK.MetadataGraph) in u:
            continue
        docs = [d for d in u.objects(name, PROV.wasDerivedFrom) if (d, RDF.type, DK.SourceDocument) in u]
        if (name, RDF.type, DK.FactGraph) not in u or not docs:
            results.append(Result(str(name), "Violation", {
                "da": f"Grafen {name} indeholder {len(ctx)} udsagn, men er ikke beskrevet som afledt af et kildedokument",
                "en": f"The graph {name} holds {len(ctx)} statements but is not described as derived from a source document"},
                path=str(PROV.wasDerivedFrom)))
    return results


def split(shapes: Graph) -> tuple[Graph, list]:
    """(the core shapes for pyshacl, the SHACL-SPARQL shapes for the Oxigraph runner)."""
    rule_shapes = set(shapes.subjects(SH.sparql, None))
    core = Graph()

    def reach(node):
        for s, p, o in shapes.triples((node, None, None)):
            core.add((s, p, o))
            if isinstance(o, BNode):
                reach(o)

    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape)):
        if shape not in rule_shapes:
            reach(shape)
    return core, sorted(rule_shapes, key=str)


def validate_dataset(ds: Dataset, shapes: Graph | None = None) -> Report:
    shapes = shapes if shapes is not None else shipped_shapes()
    data = union(ds)
    core, rule_shapes = split(shapes)
    # inplace: `data` is our own union copy, so pyshacl need not clone it (a third of the time).
    _, report_graph, text = pyshacl.validate(data, shacl_graph=core, inference="none", allow_warnings=True, inplace=True,
                                             do_owl_imports=False, advanced=True)
    if not isinstance(report_graph, Graph):  # pyshacl could not run the shapes at all
        raise safety.UnsafeInput(f"the shapes cannot be used: {getattr(report_graph, 'message', text)}")
    report = Report()
    for r in report_graph.subjects(RDF.type, SH.ValidationResult):
        severity = str(report_graph.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]
        messages = {}
        for m in report_graph.objects(r, SH.resultMessage):
            messages.setdefault(getattr(m, "language", None) or "en", str(m))
        value = report_graph.value(r, SH.value)
        path = report_graph.value(r, SH.resultPath)
        shape = report_graph.value(r, SH.sourceShape)
        report.results.append(Result(str(report_graph.value(r, SH.focusNode)), severity, messages,
                                     str(path) if isinstance(path, URIRef) else None,
                                     str(value) if value is not None else None,
                                     str(shape) if isinstance(shape, URIRef) else None))
    from .rules import run_rules

    report.results += run_rules(data, shapes, rule_shapes)
    report.results += graph_results(ds, data)
    report.results.sort(key=lambda r: (SEVERITIES.index(r.severity) if r.severity in SEVERITIES else 9, r.focus, r.text()))
    report.focus_count = len({r.focus for r in report.results})
    return report


def report_graph(report: Report) -> Graph:
    """The report as a SHACL validation report graph."""
    g = Graph()
    g.bind("sh", SH)
    root = BNode()
    g.add((root, RDF.type, SH.ValidationReport))
    g.add((root, SH.conforms, Literal(report.conforms)))
    for r in report.results:
        node = BNode()
        g.add((root, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.focusNode, URIRef(r.focus)))
        g.add((node, SH.resultSeverity, SH[r.severity]))
        for lang, text in r.message.items():
            g.add((node, SH.resultMessage, Literal(text, lang=lang)))
        if r.path:
            g.add((node, SH.resultPath, URIRef(r.path)))
        if r.shape:
            g.add((node, SH.sourceShape, URIRef(r.shape)))
    return g
