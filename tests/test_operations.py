"""What an operator and a harvester rely on: derived documents built once per dataset version
with validators and 304s, /metrics in the Prometheus format, a slow-query log."""
from __future__ import annotations

import re

import pytest
import requests

from conftest import LiveServer

TOKEN = "ops-token"


@pytest.fixture(scope="module")
def server():
    s = LiveServer("--token", TOKEN, "--query-timeout", "1", "--slow-query-log", "0.0001")
    yield s
    s.stop()


@pytest.mark.parametrize("path,accept", [
    ("/catalog", "text/turtle"), ("/catalog", "text/html"), ("/.well-known/void", "text/turtle"),
    ("/sitemap.xml", "*/*"), ("/dumps/digikort.ttl", "*/*"), ("/def/", "text/html"), ("/audit", "text/html"),
    ("/components", "text/html"), ("/id/component/nemlog-in", "text/turtle"),
])
def test_derived_documents_answer_304_to_their_validators(server, path, accept):
    first = requests.get(server.url + path, headers={"Accept": accept}, timeout=60)
    assert first.status_code == 200
    etag, modified = first.headers.get("ETag"), first.headers.get("Last-Modified")
    assert etag and modified
    again = requests.get(server.url + path, headers={"Accept": accept, "If-None-Match": etag}, timeout=30)
    assert again.status_code == 304 and again.content == b""
    since = requests.get(server.url + path, headers={"Accept": accept, "If-Modified-Since": modified}, timeout=30)
    assert since.status_code == 304


def test_each_representation_has_its_own_validator(server):
    html = requests.get(server.url + "/catalog", headers={"Accept": "text/html"}, timeout=30)
    ttl = requests.get(server.url + "/catalog", headers={"Accept": "text/turtle"}, timeout=30)
    assert html.headers["ETag"] != ttl.headers["ETag"]
    q = {"query": "SELECT ?s WHERE { ?s a <https://w3id.org/digikort/def/Strategy> }"}
    j = requests.get(server.url + "/sparql", params=q, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    h = requests.get(server.url + "/sparql", params=q, headers={"Accept": "text/html"}, timeout=30)
    assert j.headers["ETag"] != h.headers["ETag"]
    # The HTML page must not be answered 304 on the strength of the JSON's validator.
    r = requests.get(server.url + "/sparql", params=q, headers={"Accept": "text/html", "If-None-Match": j.headers["ETag"]}, timeout=30)
    assert r.status_code == 200 and "<html" in r.text.lower()


def test_a_write_makes_new_documents(server):
    before = requests.get(server.url + "/.well-known/void", timeout=30)
    graph = "https://example.org/test/ops"
    r = requests.put(server.url + "/gsp", params={"graph": graph}, data="<https://example.org/a> <https://example.org/b> 1 .",
                     headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"}, timeout=30)
    assert r.status_code in (201, 204)
    after = requests.get(server.url + "/.well-known/void", headers={"If-None-Match": before.headers["ETag"]}, timeout=30)
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    requests.delete(server.url + "/gsp", params={"graph": graph}, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)


def metric(text: str, name: str, **labels) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            if all(f'{k}="{v}"' in line for k, v in labels.items()):
                total += float(line.rsplit(" ", 1)[1])
    return total


def test_metrics_count_requests_timeouts_and_cache_hits(server):
    requests.get(server.url + "/catalog", timeout=30)
    requests.get(server.url + "/catalog", timeout=30)
    bomb = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    before = requests.get(server.url + "/metrics", timeout=30).text
    assert requests.get(server.url + "/sparql", params={"query": bomb}, timeout=30).status_code == 503
    after = requests.get(server.url + "/metrics", timeout=30)
    assert after.status_code == 200 and after.headers["Content-Type"].startswith("text/plain")
    text = after.text
    assert metric(text, "digikort_queries_stopped_total", reason="deadline") == metric(before, "digikort_queries_stopped_total", reason="deadline") + 1
    assert metric(text, "digikort_requests_total", route="/catalog", status="200") >= 2
    assert metric(text, "digikort_cache_requests_total", cache="documents", result="hit") >= 1
    assert metric(text, "digikort_request_duration_seconds_count", route="/sparql") >= 1
    assert metric(text, "digikort_store_quads") > 3000


def test_slow_queries_are_logged_with_their_hash(server):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } # slow-log-marker"
    assert requests.get(server.url + "/sparql", params={"query": q}, timeout=30).status_code == 200
    server.stop()  # the log is complete once the server has stopped
    log = server.proc.stderr.read().decode()
    assert re.search(r"slow query [0-9a-f]{16} took [0-9.]+ s \(answered\): .*slow-log-marker", log), log[-2000:]


def test_a_dead_workers_live_gauges_leave_the_metrics():
    """granian replaces a worker that died; its files stay in the metrics folder, and its
    live gauges (busy evaluators) must not count any more."""
    import os
    import signal
    import time

    s = LiveServer("--workers", "2")
    try:
        assert requests.get(s.url + "/metrics", timeout=30).status_code == 200
        # The folder is where the workers' mapped metric files are.
        files = [f.path for p in s.tree() for f in p.memory_maps(grouped=True) if f.path.endswith(".db")]
        folder = os.path.dirname(files[0])
        deadline = time.monotonic() + 30
        gauges: set[int] = set()
        while len(gauges) < 2 and time.monotonic() < deadline:  # until both workers were scraped
            with requests.Session() as fresh:  # a new connection may reach the other worker
                assert fresh.get(s.url + "/metrics", timeout=30).status_code == 200
            gauges = {int(m.group(1)) for n in os.listdir(folder) if (m := re.match(r"gauge_live\w*_(\d+)\.db$", n))}
        victim = sorted(gauges)[0]
        os.kill(victim, signal.SIGKILL)
        while time.monotonic() < deadline:
            try:
                if requests.get(s.url + "/metrics", timeout=5).status_code == 200 and not any(
                        n.endswith(f"_{victim}.db") and n.startswith("gauge_live") for n in os.listdir(folder)):
                    break
            except requests.RequestException:
                pass
            time.sleep(0.2)
        left = [n for n in os.listdir(folder) if n.endswith(f"_{victim}.db")]
        assert not [n for n in left if n.startswith("gauge_live")], left
    finally:
        s.stop()
