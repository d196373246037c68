"""The impact answers on the shipped graph, against sets worked out by hand from the
dependency edges in graph/public/ (each edge cites its page) and the initiatives' links
to components in seed 004:

  nemlog-in -> nemid        borger-dk, digital-post, sundhed-dk, virk -> nemlog-in
  nemrefusion -> virk, mitid    nemkonto -> cpr, cvr, nemid    nemid -> cpr
  nsp -> cpr    faelles-medicinkort -> nsp    eindkomst -> cpr, cvr    nemlog-in3 -> mitid
"""
import json

import pytest

from conftest import run_cli

EXPECTED = {
    "nemlog-in": {"borger-dk": 1, "digital-post": 1, "sundhed-dk": 1, "virk": 1, "nemrefusion": 2},
    "digital-post": {},
    "cpr": {"nemkonto": 1, "nemid": 1, "nsp": 1, "eindkomst": 1, "nemlog-in": 2, "faelles-medicinkort": 2,
            "borger-dk": 3, "digital-post": 3, "sundhed-dk": 3, "virk": 3, "nemrefusion": 4},
}
# initiatives of seed 004 concerning the failed component or one it takes down
INITIATIVES = {
    "nemlog-in": {"1.2b", "1.4", "1.5", "7.3", "7.4", "8.2", "9.1", "9.2"},
    "digital-post": {"1.2b", "1.4", "1.5", "7.4", "8.2", "9.1"},
}
AGENCIES = {
    "nemlog-in": {"digitaliseringsstyrelsen", "erhvervsstyrelsen", "kommunerne"},
    # owners from graph/public/ (issue 12): CPR itself, NemID, NSP, Fælles Medicinkort, NemRefusion
    "cpr": {"digitaliseringsstyrelsen", "erhvervsstyrelsen", "skatteforvaltningen", "oekonomi-og-indenrigsministeriet",
            "ministeriet-for-videnskab-teknologi-og-udvikling", "sundhedsdatastyrelsen", "sundheds-og-aeldreministeriet",
            "kommunerne"},
}


@pytest.mark.parametrize("component", sorted(EXPECTED))
def test_impact_components(store, component):
    from digikort.architecture.impact import impact

    r = impact(store, component)
    assert {c["iri"].rsplit("/", 1)[1]: c["distance"] for c in r["components"]} == EXPECTED[component]
    for c in r["components"]:  # every path runs from the affected component down to the failed one
        assert c["path"][0] == c["iri"] and c["path"][-1].endswith("/" + component)
        assert len(c["path"]) == c["distance"] + 1


@pytest.mark.parametrize("component", sorted(INITIATIVES))
def test_impact_initiatives(store, component):
    from digikort.architecture.impact import impact

    got = {i["number"] for i in impact(store, component)["initiatives"] if "/initiative/2016-2020/" in i["iri"]}
    assert INITIATIVES[component] <= got


@pytest.mark.parametrize("component", sorted(AGENCIES))
def test_impact_agencies(store, component):
    from digikort.architecture.impact import impact

    assert {a["iri"].rsplit("/", 1)[1] for a in impact(store, component)["agencies"]} == AGENCIES[component]


def test_impact_api_json_and_html(client):
    r = client.get("/api/impact/nemlog-in", headers={"Accept": "application/json"})
    assert r.status_code == 200
    assert {c["iri"].rsplit("/", 1)[1] for c in r.json["components"]} == set(EXPECTED["nemlog-in"])
    r = client.get("/api/impact/nemlog-in?lang=en", headers={"Accept": "text/html"})
    assert r.status_code == 200 and b"is down" in r.data and b"NemRefusion" in r.data
    assert client.get("/api/impact/no-such-component").status_code == 404


def test_cli_impact_tree():
    r = run_cli("impact", "nemlog-in")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].startswith("NemLog-in")
    assert "└── NemRefusion" in r.stdout or "├── NemRefusion" in r.stdout
    assert "5 components" in r.stdout.splitlines()[-1]
    r = run_cli("impact", "no-such-component")
    assert r.returncode == 2 and r.stderr.startswith("digikort: error:")


def test_named_queries_answer_from_the_sources(store):
    """A few named queries with their defaults, against what the seeds and sources say."""
    from digikort import named_queries

    def run(name, **params):
        q = named_queries.get(name)
        return json.loads(store.query(q.text, result_format="json", bindings=q.bindings(params)).body)["results"]["bindings"]

    deps = {b["dependency"]["value"].rsplit("/", 1)[1] for b in run("component-dependencies", component="nemkonto")}
    assert deps == {"cpr", "cvr", "nemid"}
    successors = {(b["old"]["value"].rsplit("/", 1)[1], b["new"]["value"].rsplit("/", 1)[1]) for b in run("successor-chains")}
    assert ("nemid", "mitid") in successors and ("nemlog-in", "nemlog-in3") in successors
    completed = {b["number"]["value"] for b in run("completed-initiatives") if "number" in b}
    assert {"1.1b", "6.4", "4.2"} <= completed
    spof = run("single-points-of-failure")
    assert spof[0]["component"]["value"].endswith("/cpr")
    owners = {b["component"]["value"].rsplit("/", 1)[1] for b in run("components-without-owner")}
    assert "sundhed-dk" in owners and "cpr" not in owners and "nemkonto" not in owners
    assert "fbrs" not in owners  # owned through NemLog-in, which it is part of
    milestones = {b["milestone"]["value"].rsplit("/", 1)[1]: b["date"]["value"] for b in run("migration-milestones") if "date" in b}
    assert milestones["mitid-tender-published"] == "2017-12" and milestones["mitid-migration-start"] == "2020"
