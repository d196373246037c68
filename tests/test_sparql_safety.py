"""Safety by default: each rule has a test that fails if the rule is broken."""
import http.server
import json
import threading

import pytest
import requests

from conftest import LiveServer, free_port


@pytest.fixture()
def tripwire():
    """A web server on 127.0.0.1 that records whether anything fetched from it."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.end_headers()
            self.wfile.write(b"<http://x/s> <http://x/p> <http://x/o> .")

        do_POST = do_GET

        def log_message(self, *args):
            pass

    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}/data.ttl", hits
    server.shutdown()


def test_service_is_refused_and_nothing_fetched(client, tripwire):
    url, hits = tripwire
    r = client.get("/sparql", query_string={"query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"})
    assert r.status_code == 400 and b"SERVICE" in r.data
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }"})
    assert r.status_code == 400
    assert hits == []


def test_from_a_remote_document_is_an_empty_graph_never_fetched(client, tripwire):
    """FROM and default-graph-uri/named-graph-uri alike: a graph the dataset lacks is empty."""
    url, hits = tripwire
    for params in ({"query": f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}"},
                   {"query": f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
                   {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": url},
                   {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": url}):
        r = client.get("/sparql", query_string=params)
        assert r.status_code == 200 and json.loads(r.data)["results"]["bindings"] == [], params
    assert hits == []


def test_from_a_graph_of_the_dataset_is_fine(client):
    q = "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/digikort/graph/provenance> WHERE { ?s ?p ?o }"
    r = client.get("/sparql", query_string={"query": q})
    assert r.status_code == 200 and int(json.loads(r.data)["results"]["bindings"][0]["n"]["value"]) > 50


def test_load_is_refused_even_with_a_token(tripwire):
    from digikort.config import Settings
    from digikort.stores.oxigraph import OxigraphStore
    from digikort.web.app import create_app

    url, hits = tripwire
    c = create_app(Settings(token="t"), store=OxigraphStore()).test_client()
    r = c.post("/sparql", data={"update": f"LOAD <{url}>"}, headers={"Authorization": "Bearer t"})
    assert r.status_code == 400 and b"LOAD" in r.data
    assert hits == []


def test_deep_nesting_is_refused_before_parsing_and_the_server_lives_on(live_server):
    deep = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
    r = requests.get(live_server.url + "/sparql", params={"query": deep}, timeout=30)
    assert r.status_code in (400, 414)  # gunicorn may refuse the URL as too long first
    r = requests.post(live_server.url + "/sparql", data={"query": deep}, timeout=30)
    assert r.status_code == 400 and "nested" in r.text
    r = requests.post(live_server.url + "/sparql", data={"query": "ASK " + "{" * 3000 + "}" * 3000}, timeout=30)
    assert r.status_code == 400
    assert requests.get(live_server.url + "/health", timeout=10).status_code == 200


def test_size_limits(client):
    from digikort.config import Settings

    long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * Settings().max_query_length
    r = client.post("/sparql", data={"query": long_query})
    assert r.status_code == 413 and b"limit" in r.data
    big = b"x" * (Settings().max_request_bytes + 10)
    r = client.post("/sparql", data=big, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413


def test_result_row_limit(app_factory):
    from digikort.config import Settings

    c = app_factory(Settings(max_result_rows=10)).test_client()
    r = c.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 400 and b"more than 10 rows" in r.data
    assert c.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 10"}).status_code == 200


def test_timeout_answers_503_and_the_server_answers_the_next_request():
    server = LiveServer("--query-timeout", "0.5")
    try:
        heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        r = requests.get(server.url + "/sparql", params={"query": heavy}, timeout=30)
        assert r.status_code == 503 and "limit" in r.text
        r = requests.get(server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
        assert r.status_code == 200
    finally:
        server.stop()


def test_updates_without_token_change_nothing(live_server):
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

    def n():
        r = requests.get(live_server.url + "/sparql", params={"query": count}, timeout=10)
        return int(r.json()["results"]["bindings"][0]["n"]["value"])

    before = n()
    r = requests.post(live_server.url + "/sparql", data={"update": "DROP ALL"}, timeout=10)
    assert r.status_code == 403 and "read-only" in r.text
    r = requests.delete(live_server.url + "/gsp", params={"graph": "https://w3id.org/digikort/graph/provenance"}, timeout=10)
    assert r.status_code == 403
    r = requests.put(live_server.url + "/gsp", params={"default": ""}, data="<a:s> <a:p> <a:o> .",
                     headers={"Content-Type": "text/turtle"}, timeout=10)
    assert r.status_code == 403
    assert n() == before


def test_wrong_token_is_401_and_a_failed_update_is_atomic():
    from digikort.config import Settings
    from digikort.stores.oxigraph import OxigraphStore
    from digikort.web.app import create_app

    store = OxigraphStore()
    c = create_app(Settings(token="right"), store=store).test_client()
    r = c.post("/sparql", data={"update": "INSERT DATA { <http://a/s> <http://a/p> 1 }"}, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    assert len(store) == 0
    ok = {"Authorization": "Bearer right"}
    r = c.post("/sparql", data={"update": "INSERT DATA { <http://a/s> <http://a/p> 1 } ; CREATE GRAPH <http://a/g>"}, headers=ok)
    assert r.status_code == 204
    # the second operation fails to parse: nothing of the request may land
    r = c.post("/sparql", data={"update": "INSERT DATA { <http://a/s> <http://a/p> 2 } ; INSERT DATA { <bad"}, headers=ok)
    assert r.status_code == 400
    r = c.post("/sparql", data={"update": "DELETE DATA { <http://a/s> <http://a/p> 1 } ; CREATE GRAPH <http://a/g>"}, headers=ok)
    assert r.status_code == 400 and b"already exists" in r.data
    assert len(store) == 1  # the DELETE of the failed request was rolled back
    r = c.put("/gsp", query_string={"graph": "http://a/g"}, data=b"<http://a/s> <http://a/p> .", headers={**ok, "Content-Type": "text/turtle"})
    assert r.status_code == 400 and len(store) == 1
