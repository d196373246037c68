"""The installed package and its command line, as a newcomer uses them."""
import json

from conftest import run_cli


def test_query_on_embedded_graph_as_json():
    r = run_cli("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "json")
    assert r.returncode == 0, r.stderr
    n = int(json.loads(r.stdout)["results"]["bindings"][0]["n"]["value"])
    assert n > 1000


def test_malformed_query_is_one_line_and_exit_2():
    r = run_cli("query", "SELECT WHERE {")
    assert r.returncode == 2
    assert r.stderr.startswith("digikort: error: malformed query")
    assert len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr


def test_stats_lists_graphs_and_classes():
    r = run_cli("stats", "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert "https://w3id.org/digikort/graph/provenance" in data["graphs"]
    assert data["classes"]["https://w3id.org/digikort/def/SourceDocument"] >= 5  # the 5 seeds + public sources
    assert data["classes"]["https://w3id.org/digikort/def/Initiative"] == 35 + 6  # strategy 2016-2020 + named KL ones


def test_export_formats_parse(tmp_path):
    import rdflib

    for fmt, parser in [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("trig", "trig"), ("nquads", "nquads")]:
        out = tmp_path / f"dump.{fmt}"
        r = run_cli("export", "--format", fmt, "-o", str(out))
        assert r.returncode == 0, r.stderr
        g = rdflib.Dataset() if parser in ("trig", "nquads") else rdflib.Graph()
        g.parse(out, format=parser)
        assert len(g) > 0 or len(list(g.quads())) > 0


def test_load_into_disk_store_persists(tmp_path):
    path = tmp_path / "store"
    r = run_cli("load", "--store", str(path))
    assert r.returncode == 0, r.stderr
    r = run_cli("query", "ASK { ?d <https://w3id.org/digikort/def/seedFile> ?f }", "--store", str(path), "--format", "json")
    assert json.loads(r.stdout)["boolean"] is True


def test_serve_an_on_disk_store(tmp_path):
    import requests

    from conftest import LiveServer

    path = tmp_path / "store"
    assert run_cli("load", "--store", str(path)).returncode == 0
    server = LiveServer("--store", str(path), "--workers", "2")
    try:
        r = requests.get(server.url + "/sparql", params={"query": "ASK { ?s a <https://w3id.org/digikort/def/Strategy> }"},
                         headers={"Accept": "application/sparql-results+json"}, timeout=10)
        assert r.json()["boolean"] is True
        assert requests.get(server.url + "/health", timeout=10).json()["store"] == "oxigraph-disk"
    finally:
        server.stop()
