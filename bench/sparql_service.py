"""Benchmark (not a test): the SPARQL service against its peers, side by side, over HTTP.

Servers, each on its own loopback port, all loaded with the same data, with default
settings (workers and threads as `digikort serve` chooses them):
  digikort          `digikort serve --data FILE` as shipped (granian, in-memory Oxigraph,
                    queries in killable evaluator processes, result cache)
  digikort-nc       the same with the result cache off (--result-cache 0)
  gunicorn          `digikort serve --server gunicorn --data FILE` (gthread workers)
  gunicorn-nc       the same with the result cache off
  bare-flask        bench/bare_app.py: Flask + pyoxigraph + serialise, nothing else,
                    under gunicorn gthread (2 workers x 4 threads)
  bare-sync         the same under gunicorn's sync worker class (2 workers)
  oxigraph       `oxigraph serve-read-only` (Rust)
  rdflib-endpt   rdflib-endpoint (FastAPI + rdflib)
Workload: a one-subject lookup, a join, an aggregate, a FILTER scan and a transitive
path, at the shipped graph's size and on synthetic graphs of ~100k and ~1M triples. Load comes
from wrk (Debian package wrk), 2 threads x 8 connections, DURATION seconds per cell,
REPEATS rounds that interleave the servers; the median round is reported.
It prints requests/s and p50/p99 latency per query and server, each server's memory
after the run (PSS of all its processes), and the ratios the project's targets are stated in.

    python bench/sparql_service.py [--quick] [--duration 5] [--repeats 3] [--sizes seed,1m]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import process_tree

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
EX = "http://example.org/bench/"
DK = "https://w3id.org/digikort/def/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"

QUERIES = {
    "seed": {
        "lookup": "SELECT ?p ?o WHERE { <https://w3id.org/digikort/id/component/nemid> ?p ?o }",
        "join": f"SELECT ?i ?n ?fa WHERE {{ ?i a <{DK}Initiative> ; <{DK}initiativeNumber> ?n ; <{DK}focusArea> ?fa . ?fa <{DK}focusAreaNumber> ?k }}",
        "aggregate": "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n)",
        "filter-scan": f'SELECT ?s ?l WHERE {{ ?s <{RDFS}label> ?l FILTER(CONTAINS(LCASE(STR(?l)), "digital")) }}',
        "path": f"SELECT DISTINCT ?x ?y WHERE {{ ?x <{DK}dependsOn>+ ?y }}",
    },
    "100k": {
        "lookup": f"SELECT ?p ?o WHERE {{ <{EX}e12345> ?p ?o }}",
        "join": f"SELECT ?e ?l WHERE {{ ?e <{EX}group> <{EX}g7> ; <{RDFS}label> ?l ; a <{EX}Class3> }}",
        "aggregate": f"SELECT ?c (COUNT(*) AS ?n) WHERE {{ ?e a ?c }} GROUP BY ?c ORDER BY DESC(?n)",
        "filter-scan": f'SELECT ?e WHERE {{ ?e <{RDFS}label> ?l FILTER(CONTAINS(?l, "9999")) }}',
        "path": f"SELECT (COUNT(?x) AS ?n) WHERE {{ ?x <{EX}dependsOn>+ <{EX}e40> }}",
    },
    "1m": {
        "lookup": f"SELECT ?p ?o WHERE {{ <{EX}e12345> ?p ?o }}",
        "join": f"SELECT ?e ?l WHERE {{ ?e <{EX}group> <{EX}g7> ; <{RDFS}label> ?l ; a <{EX}Class3> }}",
        "aggregate": f"SELECT ?c (COUNT(*) AS ?n) WHERE {{ ?e a ?c }} GROUP BY ?c ORDER BY DESC(?n)",
        "filter-scan": f'SELECT ?e WHERE {{ ?e <{RDFS}label> ?l FILTER(CONTAINS(?l, "9999")) }}',
        "path": f"SELECT (COUNT(?x) AS ?n) WHERE {{ ?x <{EX}dependsOn>+ <{EX}e40> }}",
    },
}


def synthetic(path: Path, entities: int) -> None:
    """~5 triples per entity: type, label, number, group, and a 4-ary dependency tree."""
    with path.open("w") as fh:
        for i in range(entities):
            e = f"<{EX}e{i}>"
            fh.write(f"{e} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{EX}Class{i % 10}> .\n")
            fh.write(f'{e} <{RDFS}label> "Entity {i}"@en .\n')
            fh.write(f'{e} <{EX}num> "{i}"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
            fh.write(f"{e} <{EX}group> <{EX}g{i % 1000}> .\n")
            if i:
                fh.write(f"{e} <{EX}dependsOn> <{EX}e{(i - 1) // 4}> .\n")


def shipped_dump(path: Path) -> None:
    subprocess.run([str(BIN / "digikort"), "export", "--format", "nquads", "-o", str(path)], check=True)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, name, cmd, port, env=None, path="/sparql"):
        self.name, self.port, self.path = name, port, path
        self.proc = subprocess.Popen(cmd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        self.url = f"http://127.0.0.1:{port}{path}"

    def wait(self, timeout=300):
        deadline = time.time() + timeout
        probe = self.url + "?query=" + urllib.parse.quote("ASK { ?s ?p ?o }")
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}")
            try:
                req = urllib.request.Request(probe, headers={"Accept": "application/sparql-results+json"})
                with urllib.request.urlopen(req, timeout=5) as r:
                    if r.status == 200:
                        return self
            except Exception:
                time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not come up")

    def memory(self) -> int:
        return process_tree.memory(self.proc.pid, "pss")

    def stop(self):
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(15)
        except Exception:
            os.killpg(self.proc.pid, signal.SIGKILL)


def start_servers(data: Path, workdir: Path, which: list[str]) -> list[Server]:
    servers: list[Server] = []
    try:
        return _start(servers, data, workdir, which)
    except BaseException:
        for s in servers:
            s.stop()
        raise


def _start(servers: list, data: Path, workdir: Path, which: list[str]) -> list:
    gunicorn = [str(BIN / "gunicorn"), "-k", "gthread", "-w", "2", "--threads", "4", "--log-level", "warning"]
    for name in which:
        port = free_port()
        if name in ("digikort", "digikort-nc", "gunicorn", "gunicorn-nc"):
            cmd = [str(BIN / "digikort"), "serve", "--port", str(port), "--data", str(data)]
            if name.startswith("gunicorn"):
                cmd += ["--server", "gunicorn"]
            if name.endswith("-nc"):
                cmd += ["--result-cache", "0"]
            servers.append(Server(name, cmd, port))
        elif name == "bare-flask":
            servers.append(Server(name, gunicorn + ["-b", f"127.0.0.1:{port}", "bench.bare_app:app"], port,
                                  env={"DATA": str(data), "PYTHONPATH": str(HERE.parent)}))
        elif name == "bare-sync":
            sync = [str(BIN / "gunicorn"), "-k", "sync", "-w", "2", "--log-level", "warning"]
            servers.append(Server(name, sync + ["-b", f"127.0.0.1:{port}", "bench.bare_app:app"], port,
                                  env={"DATA": str(data), "PYTHONPATH": str(HERE.parent)}))
        elif name == "oxigraph":
            exe = shutil.which("oxigraph") or str(BIN / "oxigraph")
            location = workdir / f"oxigraph-{data.stem}"
            if not location.exists():
                subprocess.run([exe, "load", "--location", str(location), "--file", str(data)], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            servers.append(Server(name, [exe, "serve-read-only", "--location", str(location), "--bind",
                                         f"127.0.0.1:{port}"], port, path="/query"))
        elif name == "rdflib-endpt":
            servers.append(Server(name, [str(BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1",
                                         "--port", str(port), str(data)], port, path="/"))
    for s in servers:
        s.wait()
    return servers


_LAT = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(url: str, query: str, duration: int) -> dict:
    full = url + "?query=" + urllib.parse.quote(query)
    out = subprocess.run(["wrk", "-t2", "-c8", f"-d{duration}s", "--timeout", "30s", "--latency",
                          "-H", "Accept: application/sparql-results+json", full],
                         capture_output=True, text=True).stdout
    rps = float(_RPS.search(out).group(1)) if _RPS.search(out) else 0.0
    lat = {p: float(v) * _UNIT[u] for p, v, u in _LAT.findall(out)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": lat.get("50"), "p99": lat.get("99"), "errors": int(errors.group(1)) if errors else 0}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--sizes", default="seed,100k,1m")
    ap.add_argument("--servers", default="digikort,digikort-nc,gunicorn,gunicorn-nc,bare-flask,bare-sync,oxigraph,rdflib-endpt")
    ap.add_argument("--repeats", type=int, default=3,
                    help="rounds per query, servers interleaved; the median cell is reported")
    ap.add_argument("--quick", action="store_true", help="2 s per cell, 200k-triple synthetic graph")
    args = ap.parse_args()
    # `timeout` or Ctrl-C: still run the finally blocks that stop the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    duration = 2 if args.quick else args.duration
    which = args.servers.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for size in args.sizes.split(","):
            data = tmp / f"{size}.nq"
            if size == "seed":
                shipped_dump(data)
            else:
                entities = {"100k": 20_000, "1m": 200_000}[size]
                synthetic(data, entities // 5 if args.quick else entities)
            triples = sum(1 for _ in data.open())
            print(f"\n## {size}: {triples:,} triples, median of {args.repeats} rounds of {duration} s per cell, "
                  "wrk -t2 -c8\n", flush=True)
            servers = start_servers(data, tmp, [w for w in which if not (w == "rdflib-endpt" and size != "seed" and args.quick)])
            try:
                print(f"{'query':<12}" + "".join(f"{s.name:>26}" for s in servers))
                print(f"{'':<12}" + "".join(f"{'req/s  p50ms  p99ms':>26}" for _ in servers))
                table = {}
                for qname, q in QUERIES[size].items():
                    # Rounds interleave the servers, so a slow moment of the machine hits them alike.
                    runs = {s.name: [] for s in servers}
                    for _ in range(args.repeats):
                        for s in servers:
                            runs[s.name].append(wrk(s.url, q, duration))
                    cells = []
                    for s in servers:
                        ordered = sorted(runs[s.name], key=lambda r: r["rps"])
                        r = dict(ordered[len(ordered) // 2], errors=sum(x["errors"] for x in ordered))
                        table[(qname, s.name)] = r
                        bad = f" ({r['errors']} err)" if r["errors"] else ""
                        cells.append(f"{r['rps']:>9.1f} {r['p50'] or 0:>6.2f} {r['p99'] or 0:>6.1f}{bad}")
                    print(f"{qname:<12}" + "".join(f"{c:>26}" for c in cells), flush=True)
                print(f"{'memory MiB':<12}" + "".join(f"{s.memory() / 2**20:>26.0f}" for s in servers), flush=True)
                names = [s.name for s in servers]
                pairs = [(a, b) for a, b in [("digikort-nc", "bare-flask"), ("gunicorn-nc", "bare-flask"),
                                             ("digikort", "oxigraph"), ("gunicorn", "oxigraph"),
                                             ("digikort", "gunicorn"), ("digikort-nc", "gunicorn-nc"),
                                             ("bare-flask", "bare-sync"), ("digikort", "rdflib-endpt")]
                         if a in names and b in names]
                print("\nratios of req/s (targets: *-nc / bare-flask >= 0.9 uncached; cached toward oxigraph):")
                print(f"{'query':<12}" + "".join(f"{a + '/' + b:>26}" for a, b in pairs))
                for qname in QUERIES[size]:
                    row = []
                    for a, b in pairs:
                        mine, other = table[(qname, a)]["rps"], table[(qname, b)]["rps"]
                        row.append(f"{(mine / other) if other else float('inf'):>26.2f}")
                    print(f"{qname:<12}" + "".join(row), flush=True)
            finally:
                for s in servers:
                    s.stop()


if __name__ == "__main__":
    main()
