"""The ontology (issue 3): OWL 2 in Turtle, every term labelled and defined in Danish and English."""
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

REPO = Path(__file__).resolve().parent.parent
DK = "https://w3id.org/digikort/def/"


@pytest.fixture(scope="module")
def ontology():
    g = rdflib.Graph()
    for f in sorted((REPO / "ontology").glob("*.ttl")):
        g.parse(f, format="turtle")
    return g


def test_every_rdf_file_parses():
    files = [*REPO.glob("ontology/**/*.ttl"), *REPO.glob("graph/**/*.ttl"), *REPO.glob("graph/**/*.trig"),
             *REPO.glob("shapes/**/*.ttl")]
    assert len(files) >= 4
    for f in files:
        (rdflib.Dataset() if f.suffix == ".trig" else rdflib.Graph()).parse(f, format="trig" if f.suffix == ".trig" else "turtle")


def test_ontology_header(ontology):
    onto = rdflib.URIRef(DK)
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionIRI) is not None
    assert ontology.value(onto, OWL.versionInfo) is not None


def _terms(g):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
    return {s for k in kinds for s in g.subjects(RDF.type, k) if isinstance(s, rdflib.URIRef)}


@pytest.mark.parametrize("prop", [RDFS.label, SKOS.definition])
def test_every_term_has_da_and_en(ontology, prop):
    missing = []
    for term in _terms(ontology):
        langs = {o.language for o in ontology.objects(term, prop)}
        if not {"da", "en"} <= langs:
            missing.append(f"{term} {prop.n3(ontology.namespace_manager)} has {sorted(l or '-' for l in langs)}")
    assert not missing, "\n".join(sorted(missing))


def test_own_terms_cover_the_domain(ontology):
    for name in ["Strategy", "ActionPlan", "FocusArea", "Initiative", "InfrastructureComponent", "Dependency",
                 "StatusReport", "StatusAssessment", "Milestone", "Figure", "SourceDocument"]:
        assert (rdflib.URIRef(DK + name), RDF.type, OWL.Class) in ontology, name
    assert (rdflib.URIRef(DK + "replaces"), OWL.inverseOf, rdflib.URIRef(DK + "replacedBy")) in ontology


def test_code_lists_are_skos(ontology):
    for scheme in ["status-colour", "initiative-state", "dependency-kind", "milestone-kind", "unit"]:
        s = rdflib.URIRef(f"{DK}code/{scheme}")
        assert (s, RDF.type, SKOS.ConceptScheme) in ontology
        assert len(list(ontology.subjects(SKOS.inScheme, s))) >= 1
    colours = {str(c).rsplit("/", 1)[-1] for c in ontology.subjects(SKOS.inScheme, rdflib.URIRef(f"{DK}code/status-colour"))}
    assert colours == {"red", "yellow", "green"}
