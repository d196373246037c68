"""Mutation tests for the shapes (issue 5): each mutation of a copy of the shipped graph
must be reported with the right focus node, severity and message; the unmutated graph
has no violations."""
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

B = "https://w3id.org/digikort/"
DK = B + "def/"


def I(p):
    return URIRef(B + "id/" + p)


def D(p):
    return URIRef(DK + p)


G004 = URIRef(B + "graph/statusredegoerelse-2017")
TIME = "http://www.w3.org/2006/time#"


@pytest.fixture(scope="module")
def pristine(shipped):
    return list(shipped.quads())


def copy(quads) -> Dataset:
    ds = Dataset()
    for q in quads:
        ds.add(q)
    return ds


def remove(ds, s=None, p=None, o=None):
    for q in list(ds.quads((s, p, o, None))):
        ds.remove(q)


def add(ds, s, p, o, graph=G004):
    ds.graph(graph).add((s, p, o))


def set_value(ds, s, p, o):
    remove(ds, s, p)
    add(ds, s, p, o)


# name -> (mutation, expected focus, severity, part of the English message)
MUTATIONS = {
    "drop an initiative": (lambda ds: remove(ds, I("initiative/2016-2020/7.4")),
                           I("strategy/2016-2020"), "Warning", "has only 32"),
    "drop a focus area": (lambda ds: remove(ds, I("strategy/2016-2020/focus-area/7")),
                          I("initiative/2016-2020/7.1"), "Violation", "links to"),
    "status for a report that does not exist": (
        lambda ds: set_value(ds, I("assessment/strategy-2016-2020/2017/3.1"), D("inReport"), I("report/strategy-2016-2020/2015")),
        I("assessment/strategy-2016-2020/2017/3.1"), "Violation", "existing status report"),
    "dependency to a non-component": (
        lambda ds: add(ds, I("component/borger-dk"), D("dependsOn"), I("agency/digitaliseringsstyrelsen")),
        I("component/borger-dk"), "Violation", "can only depend on an infrastructure component"),
    "dependency cycle": (lambda ds: add(ds, I("component/cpr"), D("dependsOn"), I("component/nemkonto")),
                         I("component/cpr"), "Violation", "depends on itself"),
    "self dependency": (lambda ds: add(ds, I("component/nsp"), D("dependsOn"), I("component/nsp")),
                        I("component/nsp"), "Violation", "depends on itself"),
    "successor cycle": (lambda ds: add(ds, I("component/nemid"), D("replaces"), I("component/mitid")),
                        I("component/nemid"), "Violation", "replaces itself"),
    "date outside the period": (
        lambda ds: set_value(ds, I("milestone/mitid-tender-published"), URIRef(TIME + "inXSDgYearMonth"),
                             Literal("2023-12", datatype=XSD.gYearMonth)),
        I("milestone/mitid-tender-published"), "Violation", "is outside the"),
    "missing @en label": (
        lambda ds: [ds.remove(q) for q in list(ds.quads((I("component/nemkonto"), RDFS.label, None, None))) if q[2].language == "en"],
        I("component/nemkonto"), "Warning", "no English name"),
    "fact in a graph with no source": (
        lambda ds: add(ds, I("component/cpr"), RDFS.comment, Literal("x"), URIRef(B + "graph/unknown")),
        URIRef(B + "graph/unknown"), "Violation", "not described as derived from a source document"),
    "wrong datatype": (lambda ds: set_value(ds, I("strategy/2016-2020"), D("startYear"), Literal("2016")),
                       I("strategy/2016-2020"), "Violation", "start year must be one xsd:gYear"),
    "initiative number pattern": (lambda ds: set_value(ds, I("initiative/2016-2020/3.2"), D("initiativeNumber"), Literal("three-two")),
                                  I("initiative/2016-2020/3.2"), "Violation", "must look like 7.4"),
    "initiative without plan": (lambda ds: remove(ds, I("initiative/2016-2020/3.1"), D("inPlan")),
                                I("initiative/2016-2020/3.1"), "Violation", "exactly one plan"),
    "assessment of a non-initiative": (
        lambda ds: set_value(ds, I("assessment/strategy-2016-2020/2017/3.3"), D("assessedInitiative"), I("component/nemid")),
        I("assessment/strategy-2016-2020/2017/3.3"), "Violation", "exactly one initiative"),
    "colour outside the code list": (
        lambda ds: add(ds, I("assessment/kl-2016-2020/2017-h2/2.4"), D("statusColour"), URIRef(DK + "code/status-colour/blue")),
        I("assessment/kl-2016-2020/2017-h2/2.4"), "Violation", "red, yellow or green"),
    "dependency without a source": (lambda ds: remove(ds, I("dependency/nemkonto--cpr"), DCTERMS.source),
                                    I("dependency/nemkonto--cpr"), "Violation", "cite a described source document"),
    "dependency kind outside the code list": (
        lambda ds: set_value(ds, I("dependency/nemkonto--cpr"), D("dependencyKind"), URIRef(DK + "code/dependency-kind/optional")),
        I("dependency/nemkonto--cpr"), "Violation", "critical or operational"),
    "figure larger than its whole": (lambda ds: set_value(ds, I("figure/kl-initiatives-started-2017"), RDF.value, Literal(40)),
                                     I("figure/kl-initiatives-started-2017"), "Violation", "larger than the whole"),
    "report year outside the period": (
        lambda ds: set_value(ds, I("report/strategy-2016-2020/2017"), D("reportYear"), Literal("2025", datatype=XSD.gYear)),
        I("report/strategy-2016-2020/2017"), "Violation", "outside the plan's period"),
    "more initiatives than declared": (
        lambda ds: [remove(ds, I("strategy/2016-2020"), D("declaredInitiativeCount")),
                    add(ds, I("strategy/2016-2020"), D("declaredInitiativeCount"), Literal(30, datatype=XSD.nonNegativeInteger))],
        I("strategy/2016-2020"), "Violation", "has more: 33"),
    "focus area does not match the number": (
        lambda ds: set_value(ds, I("initiative/2016-2020/7.4"), D("focusArea"), I("strategy/2016-2020/focus-area/3")),
        I("initiative/2016-2020/7.4"), "Violation", "does not start with 3"),
    "duplicate initiative number": (
        lambda ds: [add(ds, I("initiative/2016-2020/7.4-copy"), RDF.type, D("Initiative")),
                    add(ds, I("initiative/2016-2020/7.4-copy"), D("inPlan"), I("strategy/2016-2020")),
                    add(ds, I("initiative/2016-2020/7.4-copy"), D("initiativeNumber"), Literal("7.4"))],
        I("initiative/2016-2020/7.4-copy"), "Violation", "have number 7.4"),
    "source document without publisher": (lambda ds: remove(ds, I("document/status-2016-nyhed"), DCTERMS.publisher),
                                          I("document/status-2016-nyhed"), "Violation", "has a publisher"),
    "component without a responsible agency": (lambda ds: remove(ds, I("component/nemkonto"), D("responsibleAgency")),
                                               I("component/nemkonto"), "Warning", "responsible agency"),
    "initiative without a lead": (lambda ds: remove(ds, I("initiative/2016-2020/4.3"), D("leadAgency")),
                                  I("initiative/2016-2020/4.3"), "Warning", "lead agency"),
    "milestone without a date": (lambda ds: remove(ds, I("milestone/mitid-contract"), URIRef(TIME + "inXSDgYear")),
                                 I("milestone/mitid-contract"), "Warning", "no date"),
    "fact graph without its document": (
        lambda ds: remove(ds, URIRef(B + "graph/status-2016-nyhed"), PROV.wasDerivedFrom),
        URIRef(B + "graph/status-2016-nyhed"), "Violation", "source document"),
    "end year before start year": (lambda ds: set_value(ds, I("strategy/2016-2020"), D("endYear"), Literal("2010", datatype=XSD.gYear)),
                                   I("strategy/2016-2020"), "Violation", "before the start year"),
    "lead that is not an organisation": (lambda ds: add(ds, I("initiative/2016-2020/4.3"), D("leadAgency"), I("component/nemid")),
                                         I("initiative/2016-2020/4.3"), "Violation", "must be an organisation"),
    # issue 12: the auditor rules an auditor expects, each with a message naming resources by label
    "status value from another code list": (
        lambda ds: set_value(ds, I("assessment/strategy-2016-2020/2017/3.1"), D("state"), URIRef(DK + "code/status-colour/green")),
        I("assessment/strategy-2016-2020/2017/3.1"), "Violation", "is not in the code list 'Initiative state'"),
    "two contradictory assessments in one report": (
        lambda ds: [add(ds, I("assessment/strategy-2016-2020/2017/3.1-copy"), RDF.type, D("StatusAssessment")),
                    add(ds, I("assessment/strategy-2016-2020/2017/3.1-copy"), RDFS.label, Literal("Status 2017 (kopi)", lang="da")),
                    add(ds, I("assessment/strategy-2016-2020/2017/3.1-copy"), D("assessedInitiative"), I("initiative/2016-2020/3.1")),
                    add(ds, I("assessment/strategy-2016-2020/2017/3.1-copy"), D("inReport"), I("report/strategy-2016-2020/2017")),
                    add(ds, I("assessment/strategy-2016-2020/2017/3.1-copy"), D("state"), URIRef(DK + "code/initiative-state/completed"))],
        I("assessment/strategy-2016-2020/2017/3.1"), "Violation", "Coherent welfare pathways for citizens has two assessments"),
    "assessment with no state": (lambda ds: remove(ds, I("assessment/strategy-2016-2020/2017/3.1"), D("state")),
                                 I("assessment/strategy-2016-2020/2017/3.1"), "Warning", "does not say which state"),
    "state going backwards between reports": (
        lambda ds: [add(ds, I("assessment/strategy-2016-2020/2016/3.1"), RDF.type, D("StatusAssessment")),
                    add(ds, I("assessment/strategy-2016-2020/2016/3.1"), D("assessedInitiative"), I("initiative/2016-2020/3.1")),
                    add(ds, I("assessment/strategy-2016-2020/2016/3.1"), D("inReport"), I("report/strategy-2016-2020/2016")),
                    add(ds, I("assessment/strategy-2016-2020/2016/3.1"), D("state"), URIRef(DK + "code/initiative-state/completed"))],
        I("initiative/2016-2020/3.1"), "Violation", "goes backwards from 'Completed'"),
    "milestone attached to nothing": (lambda ds: remove(ds, I("milestone/laak-completed"), D("milestoneOf")),
                                      I("milestone/laak-completed"), "Violation", "'LAAK completed as planned' belongs to no"),
    "an initiative number given to another initiative": (
        lambda ds: add(ds, I("initiative/2016-2020/7.3"), D("alsoNumbered"), Literal("7.4")),
        I("initiative/2016-2020/7.4"), "Warning", "but 7.4 is the number of 'New generations of NemID"),
    "dependency kind not marked as an editorial judgement": (
        lambda ds: remove(ds, I("dependency/nemkonto--cpr"), D("kindAssertedBy")),
        I("dependency/nemkonto--cpr"), "Violation", "no source states a criticality"),
    "a group naming more members than it counts": (
        lambda ds: set_value(ds, I("status-group/kl-2016-2020/2017-h2/yellow"), D("memberCount"), Literal(0, datatype=XSD.nonNegativeInteger)),
        I("status-group/kl-2016-2020/2017-h2/yellow"), "Violation", "counts 0 but names 1"),
    "public source without a date": (lambda ds: remove(ds, I("document/digst-borgerdk-organisering"), D("retrieved")),
                                     I("document/digst-borgerdk-organisering"), "Warning", "neither a publication date"),
    "dependency valid until before it is valid from": (
        lambda ds: add(ds, I("dependency/nemlog-in--nemid"), D("validFrom"), Literal("2024-01-01", datatype=XSD.date)),
        I("dependency/nemlog-in--nemid"), "Violation", "the end is before the start"),
    "succession no source states as a replacement": (
        lambda ds: [remove(ds, I("component/mitid"), D("replaces")), remove(ds, I("component/nemid"), D("replacedBy"))],
        I("succession/nemid--mitid"), "Violation", "but no source says MitID dk:replaces NemID"),
    "deliverable covering a non-component": (
        lambda ds: add(ds, I("deliverable/dependency-mapping"), D("coversComponent"), I("agency/digitaliseringsstyrelsen")),
        I("deliverable/dependency-mapping"), "Violation", "can only cover infrastructure components"),
}


def test_unmutated_graph_has_no_violations(pristine):
    from digikort.validation import validate_dataset

    report = validate_dataset(copy(pristine))
    assert report.conforms, [(r.focus, r.text()) for r in report.violations]


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_mutation_is_reported(pristine, name):
    from digikort.validation import validate_dataset

    mutate, focus, severity, text = MUTATIONS[name]
    ds = copy(pristine)
    mutate(ds)
    report = validate_dataset(ds)
    hits = [r for r in report.results if r.focus == str(focus) and r.severity == severity and text in r.text("en")]
    assert hits, [(r.focus, r.severity, r.text("en")) for r in report.results if r.focus == str(focus)] or \
        [(r.focus, r.severity, r.text("en")) for r in report.results if r.severity == "Violation"][:10]
    assert all(r.message.get("da") and r.message.get("en") for r in hits)


def test_there_are_at_least_25_mutations():
    assert len(MUTATIONS) >= 25
