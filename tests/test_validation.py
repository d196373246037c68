"""The validator as auditors use it: CLI exit codes and formats, HTTP, safety, the audit page."""
import json
import xml.etree.ElementTree as ET

import rdflib

from conftest import run_cli
from test_maps_browser import chromium
from test_sparql_safety import tripwire  # noqa: F401  (fixture)

BAD = """@prefix dk: <https://w3id.org/digikort/def/> .
<https://w3id.org/digikort/id/component/a> a dk:InfrastructureComponent ; dk:dependsOn <https://w3id.org/digikort/id/component/a> .
"""


def test_cli_shipped_graph_conforms_exit_0():
    r = run_cli("validate", "--format", "json")
    assert r.returncode == 0, r.stdout[-2000:]
    data = json.loads(r.stdout)
    assert data["conforms"] is True and data["counts"]["violation"] == 0 and data["counts"]["warning"] > 0


def test_cli_violation_exit_1_and_text_groups_by_rule(tmp_path):
    f = tmp_path / "bad.ttl"
    f.write_text(BAD)
    r = run_cli("validate", str(f))
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Violations: ")  # violations first, counted
    i = next(n for n, line in enumerate(lines) if line.strip().startswith("shapes:Component-rule-1 (1)"))
    assert "depends on itself" in lines[i] and "<https://w3id.org/digikort/id/component/a>" in lines[i + 1]
    assert "does not conform: " in lines[-1]


def test_cli_formats(tmp_path):
    f = tmp_path / "bad.ttl"
    f.write_text(BAD)
    junit = ET.fromstring(run_cli("validate", str(f), "--format", "junit").stdout)
    assert int(junit.get("failures")) >= 1
    ttl = run_cli("validate", str(f), "--format", "turtle").stdout
    g = rdflib.Graph().parse(data=ttl, format="turtle")
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, SH.conforms, rdflib.Literal(False)) in g
    html = run_cli("validate", str(f), "--format", "html", "--lang", "da").stdout
    assert "<table" in html and "afhænger af sig selv" in html


def test_cli_unusable_input_exit_2_one_line(tmp_path):
    f = tmp_path / "broken.ttl"
    f.write_text("<a> <b> .")
    r = run_cli("validate", str(f))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    r = run_cli("validate", str(tmp_path / "missing.ttl"))
    assert r.returncode == 2


def test_cli_refuses_unsafe_shapes(tmp_path, tripwire):  # noqa: F811
    url, hits = tripwire
    shapes = tmp_path / "evil.ttl"
    shapes.write_text(f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
<urn:s> a sh:NodeShape ; sh:targetNode <urn:x> ;
  sh:sparql [ sh:select "SELECT $this WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}" ] .""")
    r = run_cli("validate", "--shapes", str(shapes))
    assert r.returncode == 2 and "SERVICE" in r.stderr
    shapes.write_text(f"<urn:s> <http://www.w3.org/2002/07/owl#imports> <{url}> .")
    r = run_cli("validate", "--shapes", str(shapes))
    assert r.returncode == 2 and "owl:imports" in r.stderr
    assert hits == []


def test_http_get_validate_conneg(client):
    r = client.get("/validate", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    rdflib.Graph().parse(data=r.data, format="turtle")
    r = client.get("/validate", headers={"Accept": "application/ld+json"})
    assert r.mimetype == "application/ld+json"
    rdflib.Graph().parse(data=r.data, format="json-ld")
    r = client.get("/validate", headers={"Accept": "text/html"})
    assert r.mimetype == "text/html" and b'id="summary"' in r.data


def test_http_post_validates_without_storing(client):
    before = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"}).json
    for ctype, body in [("text/turtle", BAD),
                        ("application/n-triples", "<https://w3id.org/digikort/id/component/a> <https://w3id.org/digikort/def/dependsOn> <https://w3id.org/digikort/id/component/a> .\n<https://w3id.org/digikort/id/component/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/digikort/def/InfrastructureComponent> .")]:
        r = client.post("/validate", data=body, content_type=ctype, headers={"Accept": "application/json"})
        assert r.status_code == 200 and r.json["conforms"] is False, r.data[:300]
    after = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"}).json
    assert before == after


def test_http_post_refuses_unsafe_uploads(client, tripwire):  # noqa: F811
    url, hits = tripwire
    r = client.post("/validate", data='<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', content_type="application/rdf+xml")
    assert r.status_code == 400 and b"DOCTYPE" in r.data
    r = client.post("/validate", data=json.dumps({"@context": url, "@id": "urn:x"}), content_type="application/ld+json")
    assert r.status_code == 400 and b"@context" in r.data
    r = client.post("/validate", data="<a> <b> .", content_type="text/turtle")
    assert r.status_code == 400 and b"does not parse" in r.data
    r = client.post("/validate", data="x", content_type="image/png")
    assert r.status_code == 415
    assert hits == []


def test_audit_dashboard_in_chromium(live_server):
    dom = chromium("--dump-dom", live_server.url + "/audit?lang=en").stdout
    assert "Completeness and consistency" in dom
    assert "Components with a responsible agency" in dom
    assert 'class="gap"' in dom and "/id/component/" in dom  # the gaps link to their pages


def test_fast_loader_reads_the_same_quads_as_rdflib(shipped):
    """The CLI's fast path (Oxigraph's parser) must not change what is validated."""
    from digikort.validation.load import shipped_dataset

    fast = set(shipped_dataset().quads())
    assert fast == set(shipped.quads())
    assert len(fast) > 1000
