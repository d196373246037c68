"""The auditor's report: grouped by rule and severity, every result names its rule, messages
fit the constraint that failed, ill-formed values are said in words (never a traceback), no
duplicates, Danish and English words; /audit with labels, percentages and explanations."""
import html as htmllib
import json
import re
import xml.etree.ElementTree as ET

import rdflib

from conftest import run_cli

D = "https://w3id.org/digikort/"
BROKEN = f"""@prefix dk: <{D}def/> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{D}id/milestone/m1> a dk:Milestone ; rdfs:label "Mælkevejen godkendt"@da, "Milky Way approved"@en ;
  time:inXSDDate "2017-02-30"^^xsd:date .
<{D}id/dependency/d1> a dk:Dependency ; rdfs:label "A på B"@da, "A on B"@en ;
  dk:dependent <{D}id/component/nemkonto> ; dk:dependency <{D}id/component/cpr> ;
  dk:dependencyKind <{D}def/code/dependency-kind/critical>, <{D}def/code/dependency-kind/operational> .
<{D}id/component/nemkonto> a dk:InfrastructureComponent ; rdfs:label "NemKonto"@da, "NemKonto"@en ;
  dk:dependsOn <{D}id/component/cpr> .
<{D}id/component/cpr> a dk:InfrastructureComponent ; rdfs:label "CPR"@da, "CPR"@en .
"""


def _validate_json(tmp_path, *args):
    f = tmp_path / "broken.ttl"
    f.write_text(BROKEN)
    r = run_cli("validate", str(f), "--format", "json", *args)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    return json.loads(r.stdout), r


def test_every_result_names_its_rule_shipped_graph():
    r = run_cli("validate", "--format", "json")
    data = json.loads(r.stdout)
    assert data["results"], "the shipped graph has warnings to report"
    assert all(x["shape"] and x["rule"].startswith("shapes:") for x in data["results"]), \
        [x for x in data["results"] if not x["shape"]][:3]
    # grouped: a rule's results are together, rules in severity order, counts add up
    order = [x["rule"] for x in data["results"]]
    assert order == sorted(order, key=lambda rule: order.index(rule))
    severities = [g["severity"] for g in data["rules"]]
    assert severities == sorted(severities, key=["Violation", "Warning", "Info"].index)
    assert sum(g["count"] for g in data["rules"]) == len(data["results"]) == sum(data["counts"].values())


def test_no_duplicate_results():
    data = json.loads(run_cli("validate", "--format", "json").stdout)
    keys = [json.dumps({k: v for k, v in x.items()}, sort_keys=True) for x in data["results"]]
    assert len(keys) == len(set(keys))
    # two names in one language reported once per resource, naming both languages' doubles
    doubles = [x for x in data["results"] if x["rule"].startswith("shapes:LabelPerLanguage")]
    assert len({x["focus"] for x in doubles}) == len(doubles)


def test_maxcount_message_speaks_of_the_count(tmp_path):
    data, _ = _validate_json(tmp_path)
    kind = [x for x in data["results"] if x["focus"].endswith("/dependency/d1") and x["component"] == "MaxCount"]
    assert len(kind) == 1, data["results"]
    en, da = kind[0]["message"]["en"], kind[0]["message"]["da"]
    assert "critical or operational" not in en and "at most 1" in en and "2 values" in en
    assert "Critical dependency" in en and "Operational dependency" in en  # labels, not IRIs
    assert "højst 1" in da and "https://" not in en + da
    assert kind[0]["shape"] == D + "shapes/Dependency-dependencyKind"


def test_ill_formed_date_is_reported_as_ill_formed_without_traceback(tmp_path):
    data, r = _validate_json(tmp_path)
    date = [x for x in data["results"] if x["focus"].endswith("/milestone/m1") and x["component"] == "Datatype"]
    assert len(date) == 1
    assert "ill-formed" in date[0]["message"]["en"] and "2017-02-30" in date[0]["message"]["en"]
    assert "ugyldig" in date[0]["message"]["da"]
    assert "must be an xsd:date" not in date[0]["message"]["en"]
    assert r.stderr == ""
    # the upload is checked with the ontology beside it: no "dk:Milestone has no type" noise
    assert not [x for x in data["results"] if x["rule"] == "shapes:NoDanglingLinks"]


def test_ill_formed_date_over_http_no_traceback(client, capfd):
    r = client.post("/validate", data=BROKEN, content_type="text/turtle", headers={"Accept": "application/json"})
    assert r.status_code == 200
    assert any("ill-formed" in x["message"]["en"] for x in r.json["results"])
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err


def test_text_report_groups_by_severity_then_rule_in_danish(tmp_path):
    f = tmp_path / "broken.ttl"
    f.write_text(BROKEN)
    out = run_cli("validate", str(f), "--lang", "da").stdout
    assert out.startswith("Overtrædelser: ")
    assert "shapes:Dependency-dependencyKind (1): Afhængighedens art skal være kritisk eller driftsmæssig" in out
    assert "Mælkevejen godkendt <https://w3id.org/digikort/id/milestone/m1>" in out  # label first, IRI beside
    assert out.strip().splitlines()[-1].startswith("overholder ikke reglerne: ")


def test_turtle_and_junit_name_the_rule(tmp_path):
    f = tmp_path / "broken.ttl"
    f.write_text(BROKEN)
    g = rdflib.Graph().parse(data=run_cli("validate", str(f), "--format", "turtle").stdout, format="turtle")
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    results = list(g.subjects(rdflib.RDF.type, SH.ValidationResult))
    assert results and all(isinstance(g.value(r, SH.sourceShape), rdflib.URIRef) for r in results)
    assert all(g.value(r, SH.sourceConstraintComponent) is not None for r in results)
    junit = ET.fromstring(run_cli("validate", str(f), "--format", "junit").stdout)
    suites = junit.findall("testsuite")
    assert any(s.get("name").startswith("shapes:Dependency-dependencyKind") for s in suites)
    assert int(junit.get("failures")) >= 2


def test_http_filters_by_severity_and_rule(client):
    info = client.get("/validate?format=json&severity=info").json
    assert info["results"] and {x["severity"] for x in info["results"]} == {"Info"}
    rule = client.get("/validate?format=json&rule=shapes:Initiative-rule-4").json
    assert rule["results"] and {x["rule"] for x in rule["results"]} == {"shapes:Initiative-rule-4"}
    html = client.get("/validate?lang=en&rule=shapes:Initiative-rule-4&q=7.4", headers={"Accept": "text/html"}).data.decode()
    assert "Showing 1 of" in html


def test_danish_page_has_no_english_ui_words(client):
    html = client.get("/validate?lang=da", headers={"Accept": "text/html"}).data.decode()
    text = re.sub(r"<[^>]+>", " ", html[html.index("<h1"):])
    for english in ("Warning", "Info ", "conforms", "Violation", "Resource", "Message", "Severity"):
        assert english not in text, english
    assert "Advarsler" in text and "overholder reglerne" in text
    # labels, not IRIs, in what a person reads
    assert "https://w3id.org/" not in text


def test_audit_has_labels_percentages_and_explanations(client):
    html = client.get("/audit?lang=en").data.decode()
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", html))
    assert "(0 %)" in text or "%)" in text
    assert re.search(r"\d+ / \d+ \(\d+ %\)", text)
    assert "Counts the plan's initiatives that have a status assessment in every status report" in text
    assert "How many initiatives each report covers" in text
    assert "no status in:" in text  # each gap says which report lacks its status
    gaps = re.findall(r'class="gap"[^>]*>([^<]+)<', html)
    assert len(gaps) > 20 and not [g for g in gaps if re.fullmatch(r"[0-9.]+[a-z]?|[a-z0-9-]+/[a-z0-9./-]+", g)], gaps[:10]  # names, not slugs
    data = client.get("/audit?format=json&lang=en").json
    status = next(m for m in data["measures"] if m["key"] == "status-every-report")
    plan = next(p for p in status["plans"] if p["plan"].endswith("strategy/2016-2020"))
    assert plan["total"] == len(plan["gaps"]) + plan["passed"] and 0 <= plan["percent"] <= 100
    assert all(g["label"] and not g["label"].startswith("https://") for g in plan["gaps"])
    assert all(g["missing"] for g in plan["gaps"])
    coverage = data["report_coverage"][plan["plan"]]
    assert {c["year"] for c in coverage} >= {"2016", "2017"}


def test_audit_measures_link_to_rules_that_exist(client):
    from digikort.validation.audit import MEASURES

    for m in MEASURES:
        assert m.rule, m.key  # a shape renamed in shapes/ would leave the link dangling
        data = client.get(f"/validate?format=json&rule={m.rule}").json
        assert all(x["rule"] == m.rule for x in data["results"])
