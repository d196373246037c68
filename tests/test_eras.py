"""Eras (issue 12): when each successor replaced its predecessor, and dependencies that hold
only for a period, so an outage can be asked "as of" a date (what broke if NemID was down in
2020 is not what breaks in 2024, when NemID is gone)."""
import json

from conftest import run_cli

B = "https://w3id.org/digikort/"


def select(store, q):
    return json.loads(store.query(q, result_format="json").body)["results"]["bindings"]


def test_successions_carry_the_dates_public_sources_give(store):
    rows = select(store, f"""PREFIX dk: <{B}def/> SELECT ?s ?began ?ended WHERE {{
        ?s a dk:Succession . OPTIONAL {{ ?s dk:transitionBegan ?began }} OPTIONAL {{ ?s dk:transitionEnded ?ended }} }}""")
    got = {r["s"]["value"].rsplit("/", 1)[1]: (r.get("began", {}).get("value"), r.get("ended", {}).get("value")) for r in rows}
    assert got["nemid--mitid"] == ("2021-10", "2023-10-31")
    assert got["digital-post--naeste-generation-digital-post"] == ("2022-03-21", None)
    assert got["nemlog-in--nemlog-in3"] == (None, None)  # searched, not found: graph/public/README.md


def test_impact_as_of_a_date(store):
    from digikort.architecture.impact import impact

    def hit(component, as_of=None):
        return {c["iri"].rsplit("/", 1)[1] for c in impact(store, component, as_of=as_of)["components"]}

    assert {"nemlog-in", "nemkonto", "borger-dk"} <= hit("nemid", "2020")
    assert hit("nemid", "2023-10") >= {"nemlog-in", "nemkonto"}  # NemID ran until 31 October 2023
    assert hit("nemid", "2024") == set()
    assert hit("mitid", "2020") == set()  # MitID came in October 2021
    assert hit("mitid", "2022") == {"nemrefusion", "nemlog-in3"}
    assert hit("nemid") == hit("nemid", "2020")  # without a date every edge counts


def test_cli_impact_as_of():
    r = run_cli("impact", "nemid", "--as-of", "2024")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1].startswith("0 components")
    r = run_cli("impact", "nemid", "--as-of", "last year")
    assert r.returncode == 2 and r.stderr.startswith("digikort: error:") and "--as-of" in r.stderr


def test_named_query_dependencies_as_of(store):
    from digikort import named_queries

    q = named_queries.get("dependencies-as-of")
    def edges(year):
        body = store.query(q.text, result_format="json", bindings=q.bindings({"year": year})).body
        return {(b["dependent"]["value"].rsplit("/", 1)[1], b["dependency"]["value"].rsplit("/", 1)[1])
                for b in json.loads(body)["results"]["bindings"]}

    assert ("nemlog-in", "nemid") in edges("2020") and ("nemlog-in", "nemid") not in edges("2024")
    assert ("nemrefusion", "mitid") in edges("2024") and ("nemrefusion", "mitid") not in edges("2020")
