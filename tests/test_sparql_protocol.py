"""The SPARQL endpoint as clients use it: formats, negotiation, caching headers, CORS, gzip,
and what real clients (SPARQLWrapper, roqet, Comunica, Jena) send."""
import csv
import gzip
import io
import json
import xml.etree.ElementTree as ET

import pytest
import rdflib
import requests

Q_SELECT = "SELECT DISTINCT ?s WHERE { ?s a <https://w3id.org/digikort/def/Strategy> } ORDER BY ?s"
Q_CONSTRUCT = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c . FILTER(?c = <https://w3id.org/digikort/def/Strategy>) }"


@pytest.mark.parametrize("accept,ctype", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("application/sparql-results+json;q=1.0, application/sparql-results+xml;q=0.7", "application/sparql-results+json"),
    ("application/sparql-results+json;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
])
def test_select_formats(client, accept, ctype):
    r = client.get("/sparql", query_string={"query": Q_SELECT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == ctype
    text = r.data.decode()
    if ctype.endswith("json"):
        assert len(json.loads(text)["results"]["bindings"]) == 5
    elif ctype.endswith("xml"):
        assert len(ET.fromstring(r.data).findall(".//{http://www.w3.org/2005/sparql-results#}result")) == 5
    elif ctype == "text/csv":
        assert len(list(csv.reader(io.StringIO(text)))) == 6
    else:
        assert text.splitlines()[0] == "?s" and len(text.splitlines()) == 6


@pytest.mark.parametrize("accept,parser", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                           ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
                                           ("application/trig", "trig"), ("application/n-quads", "nquads")])
def test_construct_formats(client, accept, parser):
    r = client.get("/sparql", query_string={"query": Q_CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept
    g = rdflib.Dataset() if parser in ("trig", "nquads") else rdflib.Graph()
    g.parse(data=r.data, format=parser)
    assert len(list(g.quads()) if parser in ("trig", "nquads") else g) == 5


def test_format_override_and_sparqlwrapper_params(client):
    r = client.get("/sparql", query_string=[("query", Q_SELECT), ("format", "json"), ("output", "json"), ("results", "json")],
                   headers={"Accept": "application/sparql-results+xml"})
    assert r.mimetype == "application/sparql-results+json"
    r = client.get("/sparql", query_string=[("query", Q_CONSTRUCT), ("format", "xml")], headers={"Accept": "application/rdf+xml"})
    assert r.mimetype == "application/rdf+xml"
    r = client.get("/sparql", query_string=[("query", Q_SELECT), ("format", "tsv"), ("format", "tsv")])
    assert r.mimetype == "text/tab-separated-values"


def test_406_when_nothing_fits(client):
    r = client.get("/sparql", query_string={"query": Q_SELECT}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and b"application/sparql-results+json" in r.data


def test_malformed_query_400_with_parser_message(client):
    r = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert r.status_code == 400 and b"malformed query" in r.data and b"Traceback" not in r.data


def test_post_forms_and_charsets(client):
    r = client.post("/sparql", data={"query": Q_SELECT})
    assert r.status_code == 200
    for ctype in ["application/sparql-query", "application/sparql-query; charset=utf-8", "application/sparql-query;charset=utf-8"]:
        r = client.post("/sparql", data=Q_SELECT.encode(), headers={"Content-Type": ctype, "Upgrade": "h2c"})
        assert r.status_code == 200, (ctype, r.data)
    r = client.post("/sparql", data=Q_SELECT.encode(), headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_roqet_style_get(client):
    r = client.get("/sparql?query=SELECT+DISTINCT+%3Fs+WHERE+%7B+%3Fs+a+%3Chttps%3A%2F%2Fw3id.org%2Fdigikort%2Fdef%2FStrategy%3E+%7D",
                   headers={"Accept": "application/sparql-results+xml"})
    assert r.status_code == 200 and r.mimetype == "application/sparql-results+xml"


def test_etag_and_304(client):
    r = client.get("/sparql", query_string={"query": Q_SELECT})
    etag = r.headers["ETag"]
    r2 = client.get("/sparql", query_string={"query": Q_SELECT}, headers={"If-None-Match": etag})
    assert r2.status_code == 304 and r2.data == b""
    r3 = client.get("/sparql", query_string={"query": Q_SELECT}, headers={"Accept": "text/csv"})
    assert r3.headers["ETag"] != etag  # the format is part of the answer


def test_etag_changes_when_data_changes(tmp_path):
    from digikort.config import Settings
    from digikort.stores.oxigraph import OxigraphStore
    from digikort.web.app import create_app

    store = OxigraphStore()
    app = create_app(Settings(token="t"), store=store)
    c = app.test_client()
    q = {"query": "SELECT * WHERE { ?s ?p ?o }"}
    before = c.get("/sparql", query_string=q)
    assert json.loads(before.data)["results"]["bindings"] == []
    r = c.post("/sparql", data={"update": "INSERT DATA { <http://a/s> <http://a/p> 1 }"}, headers={"Authorization": "Bearer t"})
    assert r.status_code == 204
    after = c.get("/sparql", query_string=q, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and len(json.loads(after.data)["results"]["bindings"]) == 1


def test_head_cors_gzip(client):
    r = client.head("/sparql", query_string={"query": Q_SELECT})
    assert r.status_code == 200 and r.data == b""
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 200"},
                   headers={"Accept-Encoding": "gzip", "Origin": "http://example.org"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert r.headers["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(r.data))["results"]["bindings"]) == 200
    r = client.options("/sparql", headers={"Origin": "http://example.org", "Access-Control-Request-Method": "POST"})
    assert "POST" in r.headers["Access-Control-Allow-Methods"]


def test_browser_gets_the_query_page_and_html_results(client):
    r = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and b"yasgui.min.js" in r.data and b"component-dependencies" in r.data
    r = client.get("/sparql", query_string={"query": Q_SELECT}, headers={"Accept": "text/html"})
    assert r.status_code == 200 and b"<table>" in r.data and b"2016-2020" in r.data
    # IRIs of the dataset read as names, linked to their pages on this server.
    q = "SELECT ?c WHERE { ?c a <https://w3id.org/digikort/def/InfrastructureComponent> }"
    page = client.get("/sparql", query_string={"query": q}, headers={"Accept": "text/html"}).data.decode()
    assert ">NemLog-in</a>" in page and 'href="/id/component/nemlog-in"' in page
    assert ">https://w3id.org/" not in page
    assert client.get("/static/yasgui/yasgui.min.js").status_code == 200


def test_sparqlwrapper_against_live_server(live_server):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    sw = SPARQLWrapper(live_server.url + "/sparql")
    sw.setQuery(Q_SELECT)
    sw.setReturnFormat(JSON)
    assert len(sw.query().convert()["results"]["bindings"]) == 5
    sw.setQuery(Q_CONSTRUCT)
    sw.setReturnFormat(TURTLE)
    g = rdflib.Graph().parse(data=sw.query().convert(), format="turtle")
    assert len(g) == 5
    sw.setMethod("POST")
    sw.setQuery(Q_SELECT)
    sw.setReturnFormat(JSON)
    assert len(sw.query().convert()["results"]["bindings"]) == 5


def test_service_description_endpoint_is_where_the_server_is_reached(live_server):
    r = requests.get(live_server.url + "/sparql", headers={"Accept": "text/turtle"}, timeout=10)
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert set(g.objects(None, sd.endpoint)) == {rdflib.URIRef(live_server.url + "/sparql")}
