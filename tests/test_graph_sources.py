"""The curated facts of seeds 000-003 and the entities of seed 004: the five strategies, the
2016 status report, KL's action plan, components, agencies; and that each fact sits in the
named graph of the document that states it."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from conftest import REPO, require

BASE = "https://w3id.org/digikort/"
DK = BASE + "def/"
G = BASE + "graph/"
ID = BASE + "id/"
STRATEGY = f"{ID}strategy/2016-2020"
KL_PLAN = f"{ID}action-plan/kl-2016-2020"
KL_INITIATIVE = f"{KL_PLAN}/initiative/"
KL_REPORT = f"{ID}report/kl-2016-2020/2017-h2"
PREFIXES = f"""PREFIX dk: <{DK}> PREFIX rdfs: <{RDFS}> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX time: <http://www.w3.org/2006/time#> PREFIX xsd: <{XSD}> PREFIX skos: <{SKOS}>
PREFIX org: <http://www.w3.org/ns/org#> PREFIX cv: <http://data.europa.eu/m8g/>
PREFIX rdf: <{RDF}> PREFIX dct: <http://purl.org/dc/terms/>
"""

# The files this curation owns and the one named graph each may write to.
OWN_FILES = {
    "graph/status-2016-nyhed.trig": G + "status-2016-nyhed",
    "graph/20-aars-digitaliseringsstrategier.trig": G + "20-aars-digitaliseringsstrategier",
    "graph/status-report-2016-en.trig": G + "status-report-2016-en",
    "graph/kl-handlingsplan-status-2017-h2.trig": G + "kl-handlingsplan-status-2017-h2",
    "graph/statusredegoerelse-2017/entities.trig": G + "statusredegoerelse-2017",
    "graph/editorial/entities.trig": G + "editorial",
}

# Registry slugs no seed names; their description comes from a public source, if any.
NOT_IN_SEEDS = {"organisation": {"digikort"}, "agency": {"sundhedsdatastyrelsen"}}


def select(store, query: str) -> list[dict]:
    body = store.query(PREFIXES + query, result_format="json").body
    return [{k: v["value"] for k, v in row.items()} for row in json.loads(body)["results"]["bindings"]]


def ask(store, query: str) -> bool:
    return json.loads(store.query(PREFIXES + query, result_format="json").body)["boolean"]


def seed_files_of(store, query_graph_pattern: str) -> set[str]:
    """The seed file names (first three characters) of the documents whose graphs match."""
    rows = select(store, f"""SELECT DISTINCT ?file WHERE {{
        GRAPH ?g {{ {query_graph_pattern} }}
        ?g prov:wasDerivedFrom ?doc . ?doc dk:seedFile ?file }}""")
    return {r["file"][:3] for r in rows}


def objects(ds, s, p) -> set:
    """Objects of (s, p) in any named graph: rdflib's Dataset methods see the default graph only."""
    return {o for _, _, o, _ in ds.quads((s, p, None, None))}


def has(ds, s, p, o) -> bool:
    return any(True for _ in ds.quads((s, p, o, None)))


def registry(kind: str) -> list[str]:
    """The slugs graph/README.md's registry lists for components, agencies or organisations."""
    text = (REPO / "graph" / "README.md").read_text(encoding="utf-8")
    heading = {"component": "Components", "agency": "Agencies", "organisation": "Other organisations"}[kind]
    section = re.search(rf"^{heading} \(`id/{kind}/\.\.\.`\):(.*?)(?:\n\n|\Z)", text, re.S | re.M)
    assert section, f"no {heading} list in graph/README.md"
    slugs = re.findall(r"`([a-z0-9-]+)`", section.group(1))
    assert slugs, heading
    return slugs


# ---------------------------------------------------------------- strategies


def test_five_strategies_with_ordinals_from_document_001(store):
    rows = select(store, f"""SELECT ?s ?n WHERE {{ GRAPH <{G}20-aars-digitaliseringsstrategier> {{
        ?s a dk:Strategy ; dk:ordinal ?n }} }} ORDER BY ?n""")
    assert [(r["s"].rsplit("/", 1)[1], int(r["n"])) for r in rows] == [
        ("2001-2004", 1), ("2004-2006", 2), ("2007-2010", 3), ("2011-2015", 4), ("2016-2020", 5)]
    assert int(select(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a dk:Strategy }")[0]["n"]) == 5


def test_strategy_2016_2020_declares_33_initiatives_in_000_002_and_004(store):
    files = seed_files_of(store, f"<{STRATEGY}> dk:declaredInitiativeCount 33")
    assert files == {"000", "002", "004"}
    assert ask(store, f"""ASK {{ GRAPH <{G}status-2016-nyhed> {{ <{STRATEGY}> dct:issued "2016-05"^^xsd:gYearMonth ;
        dk:startYear "2016"^^xsd:gYear ; dk:endYear "2020"^^xsd:gYear }} }}""")


def test_strategy_2016_2020_parties(store):
    for graph in ("status-2016-nyhed", "status-report-2016-en", "statusredegoerelse-2017"):
        parties = {r["p"].rsplit("/", 1)[1] for r in select(
            store, f"SELECT ?p WHERE {{ GRAPH <{G}{graph}> {{ <{STRATEGY}> dk:party ?p }} }}")}
        assert {"kl", "danske-regioner", "regeringen"} == parties, graph


def test_strategy_names_as_the_seeds_write_them(shipped):
    labels = objects(shipped, URIRef(STRATEGY), RDFS.label)
    assert Literal("den fællesoffentlige digitaliseringsstrategi 2016-2020", lang="da") in labels
    assert Literal("the common public sector Digital Strategy 2016-2020", lang="en") in labels
    en_graph = shipped.graph(URIRef(G + "status-report-2016-en"))
    assert (URIRef(STRATEGY), RDFS.label,
            Literal("the common public sector Digital Strategy 2016-2020", lang="en")) in en_graph


def test_nine_focus_areas(store):
    rows = select(store, f"""SELECT DISTINCT ?f ?n WHERE {{ <{STRATEGY}> dk:hasFocusArea ?f .
        ?f a dk:FocusArea ; dk:focusAreaNumber ?n ; skos:inScheme <{STRATEGY}/focus-areas> }} ORDER BY ?n""")
    assert [int(r["n"]) for r in rows] == list(range(1, 10))
    assert all(r["f"] == f"{STRATEGY}/focus-area/{r['n']}" for r in rows)
    assert ask(store, f"ASK {{ <{STRATEGY}/focus-area/7> rdfs:label \"Fokusområde 7\"@da, \"Focus area 7\"@en }}")


def test_welfare_developments_2011_2015_from_001(store):
    rows = select(store, f"""SELECT ?note WHERE {{ GRAPH <{G}20-aars-digitaliseringsstrategier> {{
        <{ID}strategy/2011-2015> dk:note ?note ; dk:startYear "2011"^^xsd:gYear ; dk:endYear "2015"^^xsd:gYear }} }}""")
    assert any("velfærdsområdet" in r["note"] and "Fælles Medicinkort" in r["note"] for r in rows)


# ---------------------------------------------------------------- the 2016 status report


def test_first_annual_status_report(store):
    report = f"<{ID}report/strategy-2016-2020/2016>"
    assert seed_files_of(store, f'{report} a dk:StatusReport ; dk:reportYear "2016"^^xsd:gYear ; '
                                f"dk:reportsOn <{STRATEGY}>") == {"000", "002"}
    assert ask(store, f"""ASK {{ {report} dk:note ?n FILTER(CONTAINS(?n, "vast majority of the 33 initiatives")) }}""")


def test_white_paper_approval_date_comes_from_document_002(store):
    milestone = f"<{ID}milestone/architecture-white-paper-approved>"
    dated = seed_files_of(store, f'{milestone} time:inXSDDate "2017-05-23"^^xsd:date')
    assert dated == {"002"}
    assert ask(store, f"""ASK {{ GRAPH <{G}status-report-2016-en> {{ {milestone} a dk:Milestone ;
        dk:milestoneKind <{DK}code/milestone-kind/approval> ; dk:expected false }} }}""")
    # seed 000 (8 May 2017) only expects the approval "indenfor kort tid"
    assert not ask(store, f"ASK {{ GRAPH <{G}status-2016-nyhed> {{ {milestone} dk:expected false }} }}")


def test_new_generation_tenders_planned(store):
    rows = select(store, f"""SELECT ?g ?c ?text WHERE {{ GRAPH ?g {{ <{ID}milestone/new-generations-tenders-planned>
        dk:expected true ; dk:concernsComponent ?c ; dk:dateText ?text }} }}""")
    by_graph = {}
    for r in rows:
        by_graph.setdefault(r["g"], set()).add(r["c"].rsplit("/", 1)[1])
    assert by_graph == {G + "status-2016-nyhed": {"nemid", "nemlog-in", "digital-post"},
                        G + "status-report-2016-en": {"nemid", "nemlog-in", "digital-post"}}


# ---------------------------------------------------------------- figures


def test_digital_post_messages_2016_from_document_001(store):
    pattern = (f"?f rdf:value 112600000 ; dk:unit <{DK}code/unit/message> ; "
               f'dk:period "2016"^^xsd:gYear ; dk:figureOf <{ID}component/digital-post>')
    assert seed_files_of(store, pattern) == {"001"}


@pytest.mark.parametrize("slug,value,out_of", [
    ("kl-initiatives-started-2017", 28, 31),
    ("kl-initiatives-green-2017", 21, 28),
    ("kl-initiatives-yellow-2017", 7, 28),
])
def test_kl_action_plan_figures_end_of_2017(store, slug, value, out_of):
    rows = select(store, f"""SELECT ?v ?o WHERE {{ GRAPH <{G}kl-handlingsplan-status-2017-h2> {{
        <{ID}figure/{slug}> rdf:value ?v ; dk:outOf ?o ; dk:figureOf <{KL_PLAN}> ;
        dk:unit <{DK}code/unit/initiative> }} }}""")
    assert [(int(r["v"]), int(r["o"])) for r in rows] == [(value, out_of)]


def test_kl_action_plan(store):
    assert ask(store, f"""ASK {{ GRAPH <{G}kl-handlingsplan-status-2017-h2> {{ <{KL_PLAN}> a dk:ActionPlan ;
        dk:declaredInitiativeCount 31 ; dk:party <{ID}organisation/kl> ;
        dk:startYear "2016"^^xsd:gYear ; dk:endYear "2020"^^xsd:gYear .
        <{KL_REPORT}> dk:reportsOn <{KL_PLAN}> ; dk:reportPeriod "2017-H2" }} }}""")


# ---------------------------------------------------------------- KL's initiatives


@pytest.mark.parametrize("number,now,before", [("2.4", "yellow", "green"), ("5.3", "green", "yellow")])
def test_kl_colour_changes(store, number, now, before):
    rows = select(store, f"""SELECT ?now ?before WHERE {{ GRAPH <{G}kl-handlingsplan-status-2017-h2> {{
        ?a dk:assessedInitiative <{KL_INITIATIVE}{number}> ; dk:inReport <{KL_REPORT}> ;
           dk:statusColour ?now ; dk:previousColour ?before }} }}""")
    assert [(r["now"].rsplit("/", 1)[1], r["before"].rsplit("/", 1)[1]) for r in rows] == [(now, before)]


def test_kl_64_is_critical_with_the_kmd_settlement(store):
    assert ask(store, f"""ASK {{ GRAPH <{G}kl-handlingsplan-status-2017-h2> {{
        <{ID}assessment/kl-2016-2020/2017-h2/6.4> dk:assessedInitiative <{KL_INITIATIVE}6.4> ;
            dk:concern <{DK}code/concern/critical> .
        ?m dk:milestoneOf <{KL_INITIATIVE}6.4> ; time:inXSDgYearMonth "2017-03"^^xsd:gYearMonth ;
            dk:expected false }} }}""")
    # critical is not a colour: the text gives 6.4 none
    assert not ask(store, f"ASK {{ <{ID}assessment/kl-2016-2020/2017-h2/6.4> dk:statusColour ?c }}")


def test_kl_53_and_strategy_53_are_different_resources(store, shipped):
    kl53 = URIRef(KL_INITIATIVE + "5.3")
    strategy53 = URIRef(f"{ID}initiative/2016-2020/5.3")
    assert kl53 != strategy53
    plans = {str(o) for o in objects(shipped, kl53, URIRef(DK + "inPlan"))}
    assert plans == {KL_PLAN}
    assert Literal("Etablering af digitalt vandløbsregulativ", lang="da") in objects(shipped, kl53, RDFS.label)
    assert Literal("Etablering af digitalt vandløbsregulativ", lang="da") not in objects(
        shipped, strategy53, RDFS.label)
    # nothing is an initiative of both plans
    assert not ask(store, f"ASK {{ ?i dk:inPlan <{KL_PLAN}> , <{STRATEGY}> }}")


def test_kl_initiatives_named_without_number_have_none(store):
    rows = select(store, f"""SELECT ?i (COUNT(?n) AS ?numbers) WHERE {{
        GRAPH <{G}kl-handlingsplan-status-2017-h2> {{ ?i a dk:Initiative ; dk:inPlan <{KL_PLAN}> }}
        OPTIONAL {{ ?i dk:initiativeNumber ?n }} }} GROUP BY ?i""")
    numbers = {r["i"][len(KL_INITIATIVE):]: int(r["numbers"]) for r in rows}
    assert numbers == {"1.2": 1, "2.4": 1, "5.3": 1, "6.4": 1, "smart-city": 0, "sikkerhedsprogrammet": 0}


# ---------------------------------------------------------------- components, agencies


@pytest.mark.parametrize("slug", registry("component"))
def test_every_registry_component_is_typed_kinded_and_labelled(shipped, slug):
    c = URIRef(f"{ID}component/{slug}")
    assert has(shipped, c, RDF.type, URIRef(DK + "InfrastructureComponent"))
    assert {o.language for o in objects(shipped, c, RDFS.label)} >= {"da", "en"}
    assert objects(shipped, c, URIRef(DK + "componentKind")), slug


@pytest.mark.parametrize("kind", ["agency", "organisation"])
def test_every_registry_organisation_named_by_a_seed_is_described(shipped, kind):
    missing = []
    for slug in registry(kind):
        if slug in NOT_IN_SEEDS[kind]:
            continue
        o = URIRef(f"{ID}{kind}/{slug}")
        types = objects(shipped, o, RDF.type)
        wanted = {URIRef("http://www.w3.org/ns/org#Organization")}
        if kind == "agency":
            wanted.add(URIRef("http://data.europa.eu/m8g/PublicOrganisation"))
        langs = {lit.language for lit in objects(shipped, o, RDFS.label)}
        if not (wanted <= types and {"da", "en"} <= langs):
            missing.append(slug)
    assert not missing, missing


def test_registry_slugs_left_out_are_not_named_by_the_seeds():
    seeds = REPO.parent / "shared" / "seeds"
    require(seeds.is_dir(), f"seed documents not found at {seeds}")
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(seeds.glob("00*.txt"))).lower()
    assert "sundhedsdatastyrelsen" not in text
    assert "digikort" not in text


def test_glosses_and_other_names_sit_in_the_graph_that_states_them(shipped):
    g002 = shipped.graph(URIRef(G + "status-report-2016-en"))
    nemid = URIRef(ID + "component/nemid")
    assert (nemid, SKOS.altLabel, Literal("Easy-ID", lang="en")) in g002
    assert (URIRef(ID + "component/nemlog-in"), SKOS.altLabel, Literal("Easy-Logon", lang="en")) in g002
    descriptions = {str(d) for d in g002.objects(URIRef(ID + "component/digital-post"), URIRef("http://purl.org/dc/terms/description"))}
    assert any("digital letterbox" in d for d in descriptions)
    g004 = shipped.graph(URIRef(G + "statusredegoerelse-2017"))
    assert (URIRef(ID + "component/virk"), SKOS.altLabel, Literal("virk.dk", lang="da")) in g004
    assert (URIRef(ID + "component/ledningsejerregistret"), SKOS.altLabel, Literal("LER", lang="da")) in g004


def test_support_and_responsibility_only_where_004_says_so(store):
    rows = select(store, f"""SELECT ?g ?c ?p ?a WHERE {{ GRAPH ?g {{ ?c ?p ?a
        VALUES ?p {{ dk:supportProvidedBy dk:responsibleAgency }} }}
        FILTER(STRSTARTS(STR(?g), "{G}") && !STRSTARTS(STR(?g), "{G}public/")) }}""")
    facts = {(r["g"][len(G):], r["c"].rsplit("/", 1)[1], r["p"].rsplit("/", 1)[1], r["a"].rsplit("/", 1)[1])
             for r in rows}
    assert facts >= {
        ("statusredegoerelse-2017", "virk", "supportProvidedBy", "erhvervsstyrelsen"),
        ("statusredegoerelse-2017", "nemlog-in", "supportProvidedBy", "erhvervsstyrelsen"),
        ("statusredegoerelse-2017", "nemlog-in3", "responsibleAgency", "digitaliseringsstyrelsen"),
    }
    assert {f[0] for f in facts} == {"statusredegoerelse-2017"}, facts


def test_replacements_stated_by_004(store):
    rows = select(store, f"""SELECT ?old ?new WHERE {{ GRAPH <{G}statusredegoerelse-2017> {{
        ?new dk:replaces ?old . ?old dk:replacedBy ?new }} }}""")
    pairs = {(r["old"].rsplit("/", 1)[1], r["new"].rsplit("/", 1)[1]) for r in rows}
    assert pairs == {("nemid", "mitid"), ("nemlog-in", "nemlog-in3"),
                     ("digital-post", "naeste-generation-digital-post")}


# ---------------------------------------------------------------- files and graphs


@pytest.mark.parametrize("path,graph", sorted(OWN_FILES.items()))
def test_each_file_writes_only_its_own_graph(path, graph):
    ds = Dataset()
    ds.parse(REPO / path, format="trig")
    graphs = {str(c.identifier) for c in ds.contexts() if len(c)}
    assert graphs == {graph}


def test_editorial_file_holds_labels_only(store):
    ds = Dataset()
    ds.parse(REPO / "graph/editorial/entities.trig", format="trig")
    predicates = {p for _, p, _, _ in ds.quads()}
    assert predicates == {RDFS.label}
    # and every resource it labels is described by a fact graph
    subjects = {s for s, _, _, _ in ds.quads()}
    for s in subjects:
        assert ask(store, f"""ASK {{ GRAPH ?g {{ <{s}> a ?type }} ?g a dk:FactGraph }}"""), s


def test_every_resource_of_ours_is_typed_in_a_fact_graph_with_da_and_en_labels(shipped):
    own = Dataset()
    for path in OWN_FILES:
        own.parse(REPO / path, format="trig")
    missing = []
    for s in {s for s, _, _, _ in own.quads((None, RDF.type, None, None))}:
        if not str(s).startswith(ID):
            continue
        langs = {o.language for o in objects(shipped, s, RDFS.label)}
        if not {"da", "en"} <= langs:
            missing.append(f"{s} {sorted(l or '-' for l in langs)}")
    assert not missing, missing
