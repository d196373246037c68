"""Architects' tools: named queries, the impact analysis and dependency maps (issue 7).

The impact logic is checked on a small hand-drawn graph whose answers are worked out by
hand below; the shipped graph's answers are checked in test_impact_shipped.py.
"""
import json
import xml.etree.ElementTree as ET

import pytest

from conftest import run_cli

DK = "https://w3id.org/digikort/def/"
C = "https://w3id.org/digikort/id/component/"
I = "https://w3id.org/digikort/id/initiative/x/"
A = "https://w3id.org/digikort/id/agency/"

# login <- portal <- mail ; portal <- forms ; mail <- archive (operational) ; register stands alone.
# So if `login` is down: portal (1), mail (2), forms (2), archive (3) are hit.
SYNTHETIC = f"""
@prefix dk: <{DK}> . @prefix c: <{C}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix code: <{DK}code/dependency-kind/> .
c:login a dk:InfrastructureComponent ; rdfs:label "Login"@en ; dk:responsibleAgency <{A}idp> .
c:portal a dk:InfrastructureComponent ; rdfs:label "Portal"@en ; dk:dependsOn c:login ; dk:responsibleAgency <{A}web> .
c:mail a dk:InfrastructureComponent ; rdfs:label "Mail"@en ; dk:dependsOn c:portal .
c:forms a dk:InfrastructureComponent ; rdfs:label "Forms"@en ; dk:dependsOn c:portal .
c:archive a dk:InfrastructureComponent ; rdfs:label "Archive"@en ; dk:dependsOn c:mail .
c:register a dk:InfrastructureComponent ; rdfs:label "Register"@en .
<{C}dep1> a dk:Dependency ; dk:dependent c:portal ; dk:dependency c:login ; dk:dependencyKind code:critical .
<{C}dep2> a dk:Dependency ; dk:dependent c:mail ; dk:dependency c:portal ; dk:dependencyKind code:critical .
<{C}dep3> a dk:Dependency ; dk:dependent c:archive ; dk:dependency c:mail ; dk:dependencyKind code:operational .
<{I}1> a dk:Initiative ; dk:initiativeNumber "1" ; rdfs:label "Renew mail"@en ; dk:concernsComponent c:mail ; dk:leadAgency <{A}post> .
<{I}2> a dk:Initiative ; dk:initiativeNumber "2" ; rdfs:label "Registers"@en ; dk:concernsComponent c:register .
<{I}3> a dk:Initiative ; dk:initiativeNumber "3" ; rdfs:label "Login 2"@en ; dk:concernsComponent c:login .
<{A}idp> rdfs:label "IdP agency"@en . <{A}web> rdfs:label "Web agency"@en . <{A}post> rdfs:label "Post agency"@en .
"""


@pytest.fixture(scope="module")
def synthetic():
    from digikort.stores.oxigraph import OxigraphStore

    s = OxigraphStore()
    s.post_graph("https://example.org/g", SYNTHETIC.encode(), "turtle")
    return s


def test_impact_sets_distances_and_paths(synthetic):
    from digikort.architecture.impact import impact

    r = impact(synthetic, "login")
    got = {c["iri"][len(C):]: c["distance"] for c in r["components"]}
    assert got == {"portal": 1, "mail": 2, "forms": 2, "archive": 3}
    archive = next(c for c in r["components"] if c["iri"] == C + "archive")
    assert [p[len(C):] for p in archive["path"]] == ["archive", "mail", "portal", "login"]
    assert archive["critical"] is False  # the last hop is operational
    assert next(c for c in r["components"] if c["iri"] == C + "mail")["critical"] is True
    assert {i["number"] for i in r["initiatives"]} == {"1", "3"}  # not 2: the register is not hit
    assert {a["iri"][len(A):] for a in r["agencies"]} == {"idp", "web", "post"}


def test_impact_of_a_leaf_hits_nothing_else(synthetic):
    from digikort.architecture.impact import impact

    r = impact(synthetic, "archive")
    assert r["components"] == []


def test_impact_unknown_component(synthetic):
    from digikort.architecture.impact import UnknownComponent, impact

    with pytest.raises(UnknownComponent):
        impact(synthetic, "nope")


def test_impact_is_iterative_on_a_chain_10000_deep():
    """rdflib's property paths recurse and die near 1,000 steps; the walk must not."""
    from digikort.stores.oxigraph import OxigraphStore
    from digikort.architecture.impact import impact

    n = 10_000
    lines = [f"<{C}c{k}> a <{DK}InfrastructureComponent> ; <{DK}dependsOn> <{C}c{k - 1}> ." for k in range(1, n)]
    lines.append(f"<{C}c0> a <{DK}InfrastructureComponent> .")
    s = OxigraphStore()
    s.post_graph("https://example.org/chain", "\n".join(lines).encode(), "turtle")
    r = impact(s, "c0")
    assert len(r["components"]) == n - 1
    assert max(c["distance"] for c in r["components"]) == n - 1


def test_maps_formats(synthetic):
    from digikort.architecture import depmap
    from digikort.architecture.dependencies import DependencyGraph

    g = DependencyGraph.read(synthetic)
    link = lambda iri: "/" + iri.split("digikort/", 1)[1]  # noqa: E731
    dot = depmap.to_dot(g, link, focus=C + "portal")
    assert '"mail" -> "portal"' in dot and '"register"' not in dot  # neighbourhood only
    svg = depmap.to_svg(dot)
    root = ET.fromstring(svg)
    hrefs = {a.get("{http://www.w3.org/1999/xlink}href") for a in root.iter("{http://www.w3.org/2000/svg}a")}
    assert "/id/component/portal" in hrefs and "/id/component/archive" in hrefs
    graphml = ET.fromstring(depmap.to_graphml(g, link))
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    assert len(graphml.findall(f".//{ns}node")) == 6 and len(graphml.findall(f".//{ns}edge")) == 4
    mmd = depmap.to_mermaid(g, link, focus=C + "login")
    assert mmd.startswith("graph LR") and "class " in mmd and "-.->" in mmd


def test_every_named_query_has_bilingual_metadata_and_runs(store):
    from digikort import named_queries

    queries = named_queries.all_queries()
    assert len(queries) >= 20
    for q in queries.values():
        assert q.title.get("da") and q.title.get("en"), q.name
        assert q.description.get("da") and q.description.get("en"), q.name
        body = store.query(q.text, result_format="json", bindings=q.bindings({})).body
        assert "results" in json.loads(body), q.name


def test_parameters_are_bound_as_terms_not_pasted(store):
    """A string parameter full of SPARQL syntax stays a literal: no rows, no error."""
    from digikort import named_queries

    q = named_queries.get("which-document-says")
    b = q.bindings({"text": '" ) } UNION { ?milestone ?p ?o } #'})
    data = json.loads(store.query(q.text, result_format="json", bindings=b).body)
    assert data["results"]["bindings"] == []


def test_api_query_errors_name_the_parameter(client):
    r = client.get("/api/queries/component-dependencies?component=../../etc")
    assert r.status_code == 400 and b"component" in r.data
    r = client.get("/api/queries/component-dependencies?colour=red")
    assert r.status_code == 400 and b"colour" in r.data
    r = client.get("/api/queries/no-such-query")
    assert r.status_code == 404


def test_api_query_list_json_and_html(client):
    r = client.get("/api/queries")
    assert r.status_code == 200 and len(r.json["queries"]) >= 20
    r = client.get("/api/queries", headers={"Accept": "text/html"})
    assert r.status_code == 200 and b"component-dependencies" in r.data


def test_api_query_formats(client):
    r = client.get("/api/queries/strategies-timeline?format=csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.data.decode().splitlines()[0].startswith("lang,plan")
    r = client.get("/api/queries/strategies-timeline?format=html&lang=en")
    assert r.status_code == 200 and b'id="open-in-editor"' in r.data


def test_cli_named_query_and_bad_param():
    r = run_cli("query", "strategies-timeline", "--param", "lang=en", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["head"]["vars"][0] == "lang"
    r = run_cli("query", "strategies-timeline", "--param", "lang=fr")
    assert r.returncode == 2 and "parameter 'lang'" in r.stderr
