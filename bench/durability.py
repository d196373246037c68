"""Benchmark (not a test): kill -9 during writes on the on-disk store, ROUNDS times.

Each round starts `digikort serve --store DIR --token ...`, checks that every write
acknowledged before is there and whole, then sends a stream of writes (Graph Store PUT
and POST, SPARQL INSERT DATA, DELETE/INSERT ... WHERE) and SIGKILLs the server and all
its processes at a random moment. A write that was in flight when the server died may or
may not have committed; it must then be there whole or not at all.

Reported: acknowledged writes lost (target 0) and half-applied writes (target 0).

    python bench/durability.py [--rounds 50]
"""
from __future__ import annotations

import argparse
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import requests

BIN = Path(sys.executable).parent
TOKEN = "durability"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
EX = "https://example.org/durability/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kill_9(proc):
    master = psutil.Process(proc.pid)
    for p in [master, *master.children(recursive=True)]:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    proc.wait(10)


def count(url: str, graph: str) -> int:
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    r = requests.get(url + "/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def body(tag: str, size: int) -> str:
    return "".join(f"<{EX}{tag}/s{k}> <{EX}p> {k} .\n" for k in range(size))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=50)
    args = ap.parse_args()
    rng = random.Random(2026)
    # graph -> set of acceptable triple counts: {acknowledged} or, while a write was in
    # flight at the kill, {before, after}
    expected: dict[str, set[int]] = {}
    lost = half = writes = acked = 0
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        subprocess.run([str(BIN / "digikort"), "load", "--store", str(store)], check=True, capture_output=True)
        for round_ in range(args.rounds):
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            log = Path(tmp) / f"server-{round_}.log"
            with log.open("wb") as out:
                proc = subprocess.Popen([str(BIN / "digikort"), "serve", "--store", str(store), "--port", str(port),
                                         "--token", TOKEN], stdout=out, stderr=out)
            try:
                deadline = time.time() + 60
                while True:
                    try:
                        requests.get(url + "/health", timeout=2)
                        break
                    except requests.RequestException:
                        if time.time() > deadline or proc.poll() is not None:
                            tail = log.read_text(errors="replace").splitlines()[-15:]
                            raise RuntimeError("the server did not come up:\n" + "\n".join(tail))
                        time.sleep(0.1)
                for graph, ok in expected.items():
                    found = count(url, graph)
                    if found not in ok:
                        if found == 0 or found < min(ok):
                            lost += 1
                        else:
                            half += 1
                        print(f"round {round_}: {graph} has {found} triples, expected one of {sorted(ok)}")
                    expected[graph] = {found}
                killer = threading.Timer(rng.uniform(0.1, 2.0), kill_9, args=(proc,))
                killer.start()
                i = 0
                while proc.poll() is None:
                    graph = f"{EX}g{i % 7}"
                    before = next(iter(expected.get(graph, {0})))
                    kind = rng.choice(["put", "post", "insert", "modify"])
                    size = rng.randint(20, 200)
                    if kind == "put":
                        after = size
                        send = lambda: requests.put(url + "/gsp", params={"graph": graph}, data=body(f"r{round_}i{i}", size),
                                                    headers={**AUTH, "Content-Type": "text/turtle"}, timeout=30)
                    elif kind == "post":
                        after = before + size
                        send = lambda: requests.post(url + "/gsp", params={"graph": graph}, data=body(f"r{round_}i{i}", size),
                                                     headers={**AUTH, "Content-Type": "text/turtle"}, timeout=30)
                    elif kind == "insert":
                        after = before + size
                        update = f"INSERT DATA {{ GRAPH <{graph}> {{ {body(f'r{round_}i{i}', size)} }} }}"
                        send = lambda: requests.post(url + "/sparql", data={"update": update}, headers=AUTH, timeout=30)
                    else:  # replace the graph's triples by a copy with another predicate, in one update
                        after = before
                        update = (f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} INSERT {{ GRAPH <{graph}> {{ ?s <{EX}q{i}> ?o }} }} "
                                  f"WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
                        send = lambda: requests.post(url + "/sparql", data={"update": update}, headers=AUTH, timeout=30)
                    expected[graph] = {before, after}
                    writes += 1
                    try:
                        r = send()
                    except requests.RequestException:
                        break
                    if r.status_code in (200, 201, 204):
                        acked += 1
                        expected[graph] = {after}
                    else:
                        expected[graph] = {before}
                    i += 1
                killer.join()
            finally:
                if proc.poll() is None:
                    kill_9(proc)
            print(f"round {round_ + 1}/{args.rounds}: {i} writes sent, killed", flush=True)
    print(f"\n{args.rounds} kill -9 rounds: {writes} writes sent, {acked} acknowledged; "
          f"acknowledged writes lost: {lost}; half-applied: {half}")
    sys.exit(1 if lost or half else 0)


if __name__ == "__main__":
    main()
