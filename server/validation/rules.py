"""SHACL-SPARQL constraints (sh:sparql with sh:select), run by Oxigraph.

pyshacl evaluates these with rdflib once per focus node, which took 20 s on the shipped
graph; one Oxigraph query per rule over all focus nodes takes milliseconds. The target
(sh:targetClass, incl. subclasses, and sh:targetSubjectsOf) is joined in front of the
rule's WHERE body, $this becomes ?this, and sh:message templates are filled per row.
"""
from __future__ import annotations

import json
import re

import pyoxigraph as ox
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

SH = Namespace("http://www.w3.org/ns/shacl#")
_SELECT = re.compile(r"^\s*SELECT\s+(?:DISTINCT\s+)?(.*?)\s+WHERE\s*\{(.*)\}\s*$", re.S | re.I)


def _prefixes(shapes: Graph, constraint) -> str:
    lines = []
    for decl_holder in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(decl_holder, SH.declare):
            prefix = shapes.value(decl, SH.prefix)
            ns = shapes.value(decl, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{ns}>")
    return "\n".join(lines)


def _targets(shapes: Graph, shape) -> str:
    parts = [f"{{ ?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{c}> }}"
             for c in shapes.objects(shape, SH.targetClass)]
    parts += [f"{{ ?this <{p}> ?digikortTargetValue }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    parts += [f"{{ BIND(<{n}> AS ?this) }}" for n in shapes.objects(shape, SH.targetNode)]
    return " UNION ".join(parts)


def run_rules(data: Graph, shapes: Graph, rule_shapes, labels=None) -> list:
    """One Result per row; IRIs in the message are named by `labels` in the message's language."""
    from .engine import Result
    from .labels import Labels

    labels = labels if labels is not None else Labels.of(data)

    store = ox.Store()
    store.load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    results = []
    for shape in rule_shapes:
        severity = str(shapes.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
        targets = _targets(shapes, shape)
        if not targets:
            continue
        for constraint in shapes.objects(shape, SH.sparql):
            select = str(shapes.value(constraint, SH.select) or "")
            m = _SELECT.match(select)
            if not m:
                continue
            projection = m.group(1).replace("$this", "?this")
            body = m.group(2).replace("$this", "?this")
            if "?this" not in projection.split():
                projection = "?this " + projection
            query = f"{_prefixes(shapes, constraint)}\nSELECT DISTINCT {projection} WHERE {{ {{ {targets} }} {body} }}"
            rows = json.loads(store.query(query).serialize(format=ox.QueryResultsFormat.JSON))["results"]["bindings"]
            messages = {getattr(msg, "language", None) or "en": str(msg) for msg in shapes.objects(constraint, SH.message)}
            for row in rows:
                values = {k: v["value"] for k, v in row.items()}
                filled = {lang: _fill(text, row, labels, lang) for lang, text in messages.items()}
                value = row.get("value")
                results.append(Result(values["this"], severity, filled, shape=str(shape), component="SPARQL",
                                      value=values.get("value"),
                                      value_term=URIRef(value["value"]) if value and value["type"] == "uri" else None))
    return results


def _fill(template: str, row: dict, labels, lang: str) -> str:
    def one(m):
        term = row.get(m.group(1))
        if term is None:
            return m.group(0)
        return labels.name(term["value"], lang) if term["type"] == "uri" else term["value"]

    return re.sub(r"\{[?$](\w+)\}", one, template)
