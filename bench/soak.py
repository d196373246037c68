"""Benchmark (not a test): mixed load on one server, with and without query bombs.

64 clients (threads with keep-alive connections) for DURATION seconds over cheap, common
requests: SPARQL lookups, resource pages in HTML and Turtle, /catalog, the impact API and
named queries. The same run is repeated with BOMBS extra clients that send nothing but
queries no server can finish (cartesian products, aggregates over them, ORDER BY over
them). A sampler records the server's memory (all its processes, unique pages) and CPU.

Targets (issue 10): 0 errors and 0 5xx among cheap requests; cheap p99 with bombs <= 1.5x
without; RSS never above baseline + 500 MB; CPU back to idle within 2 s after the last bomb.

    python bench/soak.py [--duration 60] [--clients 64] [--bombs 4] [--server gunicorn|granian]
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import process_tree

BIN = Path(sys.executable).parent
DK = "https://w3id.org/digikort/def/"

CHEAP = [
    ("lookup", "/sparql?" + urllib.parse.urlencode({"query": "SELECT ?p ?o WHERE { <https://w3id.org/digikort/id/component/nemid> ?p ?o }"}), "application/sparql-results+json"),
    ("lookup", "/sparql?" + urllib.parse.urlencode({"query": f"SELECT ?s WHERE {{ ?s a <{DK}Strategy> }}"}), "application/sparql-results+json"),
    ("page-html", "/id/component/nemlog-in", "text/html"),
    ("page-html", "/id/initiative/2016-2020/7.4", "text/html"),
    ("page-ttl", "/id/component/digital-post", "text/turtle"),
    ("page-ttl", "/id/agency/digitaliseringsstyrelsen", "text/turtle"),
    ("catalog", "/catalog", "text/turtle"),
    ("impact", "/api/impact/nemlog-in", "application/json"),
    ("named-query", "/api/queries/component-dependencies?component=borger-dk&format=json", "application/json"),
    ("named-query", "/api/queries/initiative-status-history?format=json", "application/json"),
]
BOMBS = [
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "SELECT ?a ?d ?g WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i",
    "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, extra: list[str]):
        self.port = free_port()
        self.proc = subprocess.Popen([str(BIN / "digikort"), "serve", "--port", str(self.port), *extra],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/health")
                if c.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the server did not come up")

    def memory(self) -> int:
        return process_tree.memory(self.proc.pid, "uss")

    def cpu_seconds(self) -> float:
        return process_tree.cpu_seconds(self.proc.pid)

    def stop(self):
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(15)
        except Exception:  # noqa: BLE001
            os.killpg(self.proc.pid, signal.SIGKILL)


def client(port: int, stop: threading.Event, results: list, requests_: list, seed: int):
    rng = random.Random(seed)
    conn = None
    while not stop.is_set():
        kind, path, accept = rng.choice(requests_)
        started = time.perf_counter()
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", path, headers={"Accept": accept})
            resp = conn.getresponse()
            resp.read()
            status = resp.status
            if resp.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException):
            status = -1
            conn = None
        results.append((kind, status, time.perf_counter() - started, time.time()))


def bomber(port: int, stop: threading.Event, results: list, seed: int):
    rng = random.Random(seed)
    while not stop.is_set():
        q = rng.choice(BOMBS)
        started = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": q}), headers={"Accept": "application/sparql-results+json"})
            resp = conn.getresponse()
            resp.read()
            status = resp.status
            conn.close()
        except (OSError, http.client.HTTPException):
            status = -1
        results.append(("bomb", status, time.perf_counter() - started, time.time()))


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run(server: Server, clients: int, bombs: int, duration: float) -> dict:
    stop = threading.Event()
    cheap, heavy = [], []
    threads = [threading.Thread(target=client, args=(server.port, stop, cheap, CHEAP, i), daemon=True) for i in range(clients)]
    threads += [threading.Thread(target=bomber, args=(server.port, stop, heavy, 1000 + i), daemon=True) for i in range(bombs)]
    baseline = server.memory()
    peak = baseline
    for t in threads:
        t.start()
    started = time.time()
    while time.time() - started < duration:
        time.sleep(0.5)
        peak = max(peak, server.memory())
    stop.set()
    for t in threads:
        t.join(130)
    last_request = time.time()  # the last answer, to a bomb or a cheap request
    # CPU back to idle: the first 0.5 s window after the last answer with < 10 % of a core.
    idle_after = None
    cpu = server.cpu_seconds()
    for _ in range(40):
        time.sleep(0.5)
        now = server.cpu_seconds()
        if now - cpu < 0.05:
            idle_after = time.time() - last_request
            break
        cpu = now
    window = [r for r in cheap if r[3] <= started + duration]
    lat = [r[2] for r in window if r[1] == 200]
    by_kind = {}
    for kind, status, seconds, _ in window:
        by_kind.setdefault(kind, []).append(seconds)
    return {
        "requests": len(window), "rps": len(window) / duration,
        "errors": sum(1 for r in window if r[1] < 0), "5xx": sum(1 for r in window if r[1] >= 500),
        "4xx": sum(1 for r in window if 400 <= r[1] < 500),
        "p50": percentile(lat, 50) * 1000, "p99": percentile(lat, 99) * 1000,
        "p99_by_kind": {k: percentile(v, 99) * 1000 for k, v in sorted(by_kind.items())},
        "bombs": len(heavy), "bomb_status": sorted({r[1] for r in heavy}),
        "rss_baseline": baseline / 2**20, "rss_peak": peak / 2**20, "idle_after": idle_after,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--bombs", type=int, default=4)
    ap.add_argument("--query-timeout", default="5")
    ap.add_argument("--server-args", default="", help="extra `digikort serve` options")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    extra = ["--query-timeout", args.query_timeout, *args.server_args.split()]
    print(f"# soak: {args.clients} clients x {args.duration:g} s, query timeout {args.query_timeout} s, "
          f"serve {' '.join(extra)}; cores: {os.cpu_count()}\n", flush=True)
    rows = {}
    for bombs in (0, args.bombs):
        server = Server(extra)
        try:
            for _, path, accept in CHEAP:  # warm: every answer built once
                c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
                c.request("GET", path, headers={"Accept": accept})
                c.getresponse().read()
            rows[bombs] = r = run(server, args.clients, bombs, args.duration)
        finally:
            server.stop()
        print(f"{bombs} bomb clients: {r['requests']:,} cheap requests ({r['rps']:.0f}/s), errors {r['errors']}, "
              f"5xx {r['5xx']}, 4xx {r['4xx']}; p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms; "
              f"bombs sent {r['bombs']} (answers {r['bomb_status']}); memory {r['rss_baseline']:.0f} -> peak "
              f"{r['rss_peak']:.0f} MiB (+{r['rss_peak'] - r['rss_baseline']:.0f}); CPU idle "
              f"{r['idle_after'] if r['idle_after'] is None else round(r['idle_after'], 1)} s after the last answer", flush=True)
        print("   p99 by kind (ms): " + ", ".join(f"{k} {v:.1f}" for k, v in r["p99_by_kind"].items()), flush=True)
    a, b = rows[0], rows[args.bombs]
    print(f"\nratio cheap p99 with/without bombs: {b['p99'] / a['p99']:.2f} (target <= 1.5); "
          f"throughput with/without: {b['rps'] / a['rps']:.2f}; "
          f"memory growth with bombs: +{b['rss_peak'] - b['rss_baseline']:.0f} MiB (target <= 500)")


if __name__ == "__main__":
    main()
