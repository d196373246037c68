"""The shipped graph as a whole (issue 3): provenance, labels, no dangling links, counts."""
import json

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

BASE = "https://w3id.org/digikort/"
DK = BASE + "def/"


def select(store, q):
    return json.loads(store.query(q, result_format="json").body)["results"]["bindings"]


def test_every_named_graph_is_described(store):
    rows = select(store, f"""
        PREFIX dk: <{DK}> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
          FILTER NOT EXISTS {{ ?g a dk:MetadataGraph }}
          FILTER NOT EXISTS {{ ?g a dk:FactGraph ; prov:wasDerivedFrom ?doc . ?doc a dk:SourceDocument }} }}""")
    assert rows == [], [r["g"]["value"] for r in rows]


def test_seed_documents_are_described(store):
    rows = select(store, f"""PREFIX dk: <{DK}> PREFIX dct: <http://purl.org/dc/terms/>
        SELECT DISTINCT ?f WHERE {{ ?d a dk:SourceDocument ; dk:seedFile ?f ; dct:title ?t ; dct:publisher ?p ; dct:language ?l }}""")
    assert sorted(r["f"]["value"][:3] for r in rows) == ["000", "001", "002", "003", "004"]


def test_no_dangling_iris_in_our_namespace(shipped):
    """Every IRI of ours used as an object is itself described (has a type or a label);
    pages (foaf:page, foaf:homepage) are documents, not resources."""
    from rdflib.namespace import FOAF, OWL

    described = {s for s, p, o, g in shipped.quads() if isinstance(s, URIRef)}
    graphs = {c.identifier for c in shipped.contexts()}
    dangling = set()
    for s, p, o, g in shipped.quads():
        if p in (FOAF.page, FOAF.homepage, OWL.versionIRI):
            continue
        if isinstance(o, URIRef) and str(o).startswith(BASE) and o not in described and o not in graphs:
            dangling.add(str(o))
    assert not dangling, sorted(dangling)[:30]


def test_every_resource_of_ours_has_da_and_en_labels(shipped):
    missing = []
    for s in {s for s, p, o, g in shipped.quads((None, RDF.type, None, None))}:
        if not (isinstance(s, URIRef) and str(s).startswith(BASE + "id/")):
            continue
        langs = {o.language for _, _, o, _ in shipped.quads((s, RDFS.label, None, None)) if isinstance(o, Literal)}
        if not {"da", "en"} <= langs:
            missing.append(f"{s} {sorted(l or '-' for l in langs)}")
    assert not missing, "\n".join(sorted(missing)[:40])


def test_counts(store):
    def count(q):
        return int(select(store, f"PREFIX dk: <{DK}> SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {q} }}")[0]["n"]["value"])

    assert count("?x a dk:Strategy") == 5
    strategy = f"<{BASE}id/strategy/2016-2020>"
    assert count(f"?x a dk:Initiative ; dk:inPlan {strategy}") == 35
    assert count(f"?i a dk:Initiative ; dk:inPlan {strategy} ; dk:mainNumber ?x") == 33
    assert count(f"?i a dk:Initiative ; dk:inPlan {strategy} ; dk:focusArea ?x") == 9
    twelve = ["nemid", "nemlog-in", "nemkonto", "digital-post", "borger-dk", "nemrefusion", "virk", "cvr",
              "eindkomst", "cpr", "nsp", "sundhed-dk"]
    values = " ".join(f"<{BASE}id/component/{c}>" for c in twelve)
    assert count(f"VALUES ?x {{ {values} }} ?x a dk:InfrastructureComponent") == 12
    with_edges = count(f"VALUES ?x {{ {values} }} {{ ?x dk:dependsOn ?y }} UNION {{ ?y dk:dependsOn ?x }}")
    assert with_edges == 12


@pytest.mark.parametrize("name", ["nemid", "mitid", "nemlog-in", "nemlog-in3", "digital-post",
                                  "naeste-generation-digital-post", "nemkonto", "borger-dk", "virk", "sundhed-dk",
                                  "nemrefusion", "cvr", "cpr", "eindkomst", "nsp", "faelles-medicinkort",
                                  "ledningsejerregistret", "faellesoffentligt-kontaktregister", "ra-portalen"])
def test_components_named_by_the_seeds_are_there(store, name):
    ask = f"ASK {{ <{BASE}id/component/{name}> a <{DK}InfrastructureComponent> }}"
    assert json.loads(store.query(ask, result_format="json").body)["boolean"], name
