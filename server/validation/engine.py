"""Run the shapes over a dataset and gather one report.

SHACL sees one graph, so the shapes run over the union of the named graphs, and the
provenance rules that need to know which graph a triple sits in (is every fact's graph a
described source?) run here in Python beside them.

Every result names its rule: property shapes written as blank nodes get a stable IRI
(`<node shape>-<property>`) before validation, so `sh:sourceShape` is never a blank node.
Messages are written for the constraint that failed: a shape's `sh:message` often speaks of
one of its constraints (say `sh:in`), so a cardinality breach or an ill-formed literal gets a
message of its own, and the shape's message becomes the rule's title.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF

from .. import resources
from ..namespaces import DK
from . import safety
from .labels import Labels

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES = Namespace("https://w3id.org/digikort/shapes/")
SEVERITIES = ("Violation", "Warning", "Info")

# rdflib logs a full traceback (as a warning) for every ill-formed literal it meets, e.g.
# "2017-02-30"^^xsd:date; the report says it in words, so nobody should see that traceback.
logging.getLogger("rdflib.term").setLevel(logging.ERROR)

# The two provenance rules run in Python (SHACL sees no named graphs); named like shapes.
GRAPH_RULES = {
    str(SHAPES["DefaultGraph-rule"]): {
        "da": "Alle udsagn ligger i en navngiven graf for et beskrevet kildedokument",
        "en": "Every statement sits in a named graph of a described source document"},
    str(SHAPES["SourceGraph-rule"]): {
        "da": "En graf med udsagn er afledt af et beskrevet kildedokument",
        "en": "A graph holding statements is derived from a described source document"},
}


@dataclass
class Result:
    focus: str
    severity: str  # Violation, Warning, Info
    message: dict  # lang -> text
    path: str | None = None
    value: str | None = None
    shape: str | None = None
    component: str | None = None  # the constraint that failed: "MinCount", "Datatype", "SPARQL", ...
    value_term: object = field(default=None, repr=False, compare=False)  # the RDF term, for RDF output

    def text(self, lang: str = "en") -> str:
        return self.message.get(lang) or self.message.get("en") or self.message.get("da") or next(iter(self.message.values()), "")

    def key(self):
        return (self.focus, self.shape, self.component, self.path, self.value, self.text("en"))


@dataclass
class Rule:
    """One shape (or Python rule) and the results it gave."""
    shape: str
    severity: str
    title: dict  # lang -> what the rule asks for
    results: list = field(default_factory=list)

    def text(self, lang: str = "en") -> str:
        return self.title.get(lang) or self.title.get("en") or self.title.get("da") or short_shape(self.shape)

    @property
    def name(self) -> str:
        return short_shape(self.shape)


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)
    focus_count: int = 0
    labels: Labels = field(default_factory=Labels)
    titles: dict = field(default_factory=dict)  # shape IRI -> {lang: title}

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def rules(self) -> list[Rule]:
        """Results grouped by rule: violations first, then the rules with most results."""
        groups: dict = {}
        for r in self.results:
            key = (r.severity, r.shape or "")
            if key not in groups:
                groups[key] = Rule(r.shape or "", r.severity, self.titles.get(r.shape or "", {}))
            groups[key].results.append(r)
        return sorted(groups.values(), key=lambda g: (_severity_rank(g.severity), -len(g.results), g.shape))


def _severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def short_shape(iri: str) -> str:
    return "shapes:" + iri[len(str(SHAPES)):] if iri.startswith(str(SHAPES)) else iri


def load_shapes(paths: list[Path] | None = None) -> Graph:
    shapes = Graph()
    for p in paths or resources.rdf_files("shapes"):
        shapes.parse(p, format="turtle")
    safety.check_shapes(shapes)
    name_property_shapes(shapes)
    return shapes


_SHIPPED_SHAPES: Graph | None = None


def shipped_shapes() -> Graph:
    global _SHIPPED_SHAPES
    if _SHIPPED_SHAPES is None:
        _SHIPPED_SHAPES = load_shapes()
    return _SHIPPED_SHAPES


def _local(iri) -> str:
    return str(iri).rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


_NAMING_PARAMS = ("class", "datatype", "in", "pattern", "nodeKind", "or", "languageIn", "uniqueLang", "hasValue",
                  "minCount", "maxCount")


def name_property_shapes(shapes: Graph) -> None:
    """Give every blank-node property shape of a named node shape a stable IRI, in place.

    `shapes:Dependency` + `sh:path dk:dependencyKind` -> `shapes:Dependency-dependencyKind`;
    when one node shape has several property shapes on the same path, each is told apart by
    its first constraint (`shapes:Initiative-leadAgency-minCount`, `...-leadAgency-class`).
    """
    taken = {str(s) for s in shapes.subjects()}
    for node in sorted({n for n in shapes.subjects(SH.property, None) if isinstance(n, URIRef)}, key=str):
        blanks = [p for p in shapes.objects(node, SH.property) if isinstance(p, BNode)]
        blanks.sort(key=lambda p: sorted((str(pr), o.n3() if not isinstance(o, BNode) else "_")
                                         for pr, o in shapes.predicate_objects(p)))
        paths = [shapes.value(p, SH.path) for p in blanks]
        for prop, path in zip(blanks, paths):
            base = f"{node}-{_local(path) if isinstance(path, URIRef) else 'path'}"
            if paths.count(path) > 1:
                kind = next((k for k in _NAMING_PARAMS if shapes.value(prop, SH[k]) is not None), "")
                base += f"-{kind}" if kind else ""
            iri, n = base, 1
            while iri in taken:
                n += 1
                iri = f"{base}-{n}"
            taken.add(iri)
            new = URIRef(iri)
            for p, o in list(shapes.predicate_objects(prop)):
                shapes.add((new, p, o))
                shapes.remove((prop, p, o))
            for s, p in list(shapes.subject_predicates(prop)):
                shapes.add((s, p, new))
                shapes.remove((s, p, prop))
            shapes.add((new, RDF.type, SH.PropertyShape))


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
                    "en": f"{len(ctx)} statements sit in the default graph with no source; put them in a named graph of a described source document"},
                    shape=str(SHAPES["DefaultGraph-rule"]), component="Graph"))
            continue
        if (name, RDF.type, DK.MetadataGraph) in u:
            continue
        docs = [d for d in u.objects(name, PROV.wasDerivedFrom) if (d, RDF.type, DK.SourceDocument) in u]
        if (name, RDF.type, DK.FactGraph) not in u or not docs:
            results.append(Result(str(name), "Violation", {
                "da": f"Grafen {name} indeholder {len(ctx)} udsagn, men er ikke beskrevet som afledt af et kildedokument",
                "en": f"The graph {name} holds {len(ctx)} statements but is not described as derived from a source document"},
                path=str(PROV.wasDerivedFrom), shape=str(SHAPES["SourceGraph-rule"]), component="Graph"))
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


def _messages(graph: Graph, node, prop) -> dict:
    out: dict = {}
    for m in graph.objects(node, prop):
        out.setdefault(getattr(m, "language", None) or "en", str(m))
    return out


def rule_title(shapes: Graph, shape, labels: Labels | None = None) -> dict:
    """What a rule asks for, in words: its sh:name/rdfs:label, else its message; in a SPARQL
    message the focus node ({$this}) becomes ‹the target class's name›, and the other
    placeholders an ellipsis."""
    import re

    from rdflib.namespace import RDFS

    for prop in (SH.name, RDFS.label, RDFS.comment, SH.message):
        found = _messages(shapes, shape, prop)
        if found:
            return found
    targets = list(shapes.objects(shape, SH.targetClass))
    for constraint in shapes.objects(shape, SH.sparql):
        found = _messages(shapes, constraint, SH.message)
        if found:
            def fill(text, lang):
                if len(targets) == 1 and labels is not None:
                    # the focus node (or its name in the message's language) becomes ‹class›
                    focus = r"'?\{[?$]this(?:Da|En)?\}'?"
                    text = re.sub(focus, "‹" + labels.name(targets[0], lang).lower() + "›", text)
                return re.sub(r"\{[?$]\w+\}", "…", text)

            return {lang: fill(text, lang) for lang, text in found.items()}
    if str(shape) in GRAPH_RULES:
        return GRAPH_RULES[str(shape)]
    return {}


# Constraint parameters that say something about the form of a value: when a property shape
# has one of these, its sh:message is about that, not about how many values there are.
_VALUE_PARAMS = (SH["in"], SH.datatype, SH.pattern, SH.hasValue, SH.nodeKind, SH.languageIn, SH["or"])


def _specific(component: str, focus, path, value, shape, shapes: Graph, data: Graph, labels: Labels) -> dict | None:
    """A message for the constraint that failed, or None to keep the shape's message."""
    def name(term, lang):
        return labels.term(term, lang)

    if isinstance(value, Literal) and value.ill_typed:
        dt = labels.curie(value.datatype) if value.datatype else "?"
        return {"da": f"»{value}« er ikke en gyldig {dt} (ugyldig værdi)",
                "en": f"“{value}” is not a valid {dt} (ill-formed value)"}
    if not isinstance(path, URIRef):
        return None
    values = sorted(data.objects(focus, path), key=str) if focus is not None else []
    if component == "MaxCount":
        n = shapes.value(shape, SH.maxCount)
        return {lang: tpl.format(f=name(focus, lang), k=len(values), p=name(path, lang), n=n,
                                 v=", ".join(name(v, lang) for v in values))
                for lang, tpl in (("da", "{f} har {k} værdier for {p} ({v}); højst {n} er tilladt"),
                                  ("en", "{f} has {k} values of {p} ({v}); at most {n} allowed"))}
    if component == "MinCount" and any(shapes.value(shape, p) is not None for p in _VALUE_PARAMS):
        n = shapes.value(shape, SH.minCount)
        if values:
            return {"da": f"{name(focus, 'da')} har kun {len(values)} værdier for {name(path, 'da')}; mindst {n} kræves",
                    "en": f"{name(focus, 'en')} has only {len(values)} values of {name(path, 'en')}; at least {n} required"}
        return {"da": f"{name(focus, 'da')} mangler {name(path, 'da')} (mindst {n} kræves)",
                "en": f"{name(focus, 'en')} has no {name(path, 'en')} (at least {n} required)"}
    if component == "UniqueLang":
        by_lang: dict = {}
        for v in values:
            if isinstance(v, Literal) and v.language:
                by_lang.setdefault(v.language, []).append(str(v))
        doubles = {lang: names for lang, names in sorted(by_lang.items()) if len(names) > 1}
        if doubles:
            lang_names = {"da": {"da": "danske", "en": "engelske"}, "en": {"da": "Danish", "en": "English"}}
            return {lang: ("; ".join(f"{n} {lang_names[lang].get(code, code)} "
                                     f"{'navne' if lang == 'da' else 'names'}: " + " / ".join(f"“{x}”" for x in names)
                                     for code, names in doubles.items() for n in [len(names)]))
                    for lang in ("da", "en")}
    return None


def _pyshacl_results(data: Graph, shapes: Graph, core: Graph, labels: Labels) -> list[Result]:
    # inplace: `data` is our own union copy, so pyshacl need not clone it (a third of the time).
    _, report_graph, text = pyshacl.validate(data, shacl_graph=core, inference="none", allow_warnings=True, inplace=True,
                                             do_owl_imports=False, advanced=True)
    if not isinstance(report_graph, Graph):  # pyshacl could not run the shapes at all
        raise safety.UnsafeInput(f"the shapes cannot be used: {getattr(report_graph, 'message', text)}")
    results = []
    for r in report_graph.subjects(RDF.type, SH.ValidationResult):
        severity = str(report_graph.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]
        focus = report_graph.value(r, SH.focusNode)
        value = report_graph.value(r, SH.value)
        path = report_graph.value(r, SH.resultPath)
        shape = report_graph.value(r, SH.sourceShape)
        component = _local(report_graph.value(r, SH.sourceConstraintComponent) or "").removesuffix("ConstraintComponent")
        messages = _specific(component, focus, path, value, shape, shapes, data, labels) or _messages(report_graph, r, SH.resultMessage)
        results.append(Result(str(focus), severity, messages,
                              str(path) if isinstance(path, URIRef) else None,
                              str(value) if value is not None else None,
                              str(shape) if isinstance(shape, URIRef) else None,
                              component or None, value))
    return results


def validate_dataset(ds: Dataset, shapes: Graph | None = None, background: Graph | None = None) -> Report:
    """Validate `ds` against `shapes` (default: the shipped shapes).

    `background` (e.g. the ontology and code lists) is added to the data for the checks and
    for labels, so an uploaded document can name Digikort's classes without failing.
    """
    shapes = shapes if shapes is not None else shipped_shapes()
    data = union(ds)
    if background is not None:
        for t in background:
            data.add(t)
    labels = Labels.of(data)
    core, rule_shapes = split(shapes)
    report = Report(labels=labels)
    from .rules import run_rules

    results = _pyshacl_results(data, shapes, core, labels)
    results += run_rules(data, shapes, rule_shapes, labels)
    results += graph_results(ds, data)
    if background is not None:  # report on the document, not on the background it was given
        mine = {str(s) for s in ds.subjects() if isinstance(s, URIRef)} | {str(c.identifier) for c in ds.contexts()}
        results = [r for r in results if r.focus in mine]
    seen = set()
    for r in results:  # pyshacl may report one breach once per value or language: keep one
        if r.key() not in seen:
            seen.add(r.key())
            report.results.append(r)
    report.titles = {s: rule_title(shapes, URIRef(s), labels) for s in {r.shape for r in report.results if r.shape}}
    report.results.sort(key=lambda r: (_severity_rank(r.severity), r.shape or "", labels.name(r.focus, "en").lower(), r.text()))
    report.focus_count = len({r.focus for r in report.results})
    labels.keep({r.focus for r in report.results} | {r.value for r in report.results if r.value} |
                {r.path for r in report.results if r.path})
    return report


def report_graph(report: Report) -> Graph:
    """The report as a SHACL validation report graph (with the rules' titles as rdfs:label)."""
    from rdflib.namespace import RDFS

    g = Graph()
    g.bind("sh", SH)
    g.bind("shapes", SHAPES)
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
        if r.value_term is not None:
            g.add((node, SH.value, r.value_term))
        elif r.value is not None:
            g.add((node, SH.value, URIRef(r.value) if r.value.startswith(("http://", "https://", "urn:")) else Literal(r.value)))
        if r.shape:
            g.add((node, SH.sourceShape, URIRef(r.shape)))
            for lang, text in report.titles.get(r.shape, {}).items():
                g.add((URIRef(r.shape), RDFS.label, Literal(text, lang=lang)))
        if r.component and r.component not in ("Graph",):
            g.add((node, SH.sourceConstraintComponent, SH[r.component + "ConstraintComponent"]))
    for iri in {r.focus for r in report.results}:
        for lang, text in report.labels.names(iri).items():
            g.add((URIRef(iri), RDFS.label, Literal(text, lang=lang or None)))
    return g
