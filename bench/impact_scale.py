"""Benchmark (not a test): outage-impact analysis on big, deep synthetic dependency graphs.

Graphs of N components laid out as chains of depth D (N/D chains). For the root of one
chain it times: Digikort's impact analysis (one edge query + an iterative walk), the
same set by a SPARQL property path (`dk:dependsOn+`) in Oxigraph, and in rdflib (whose
path evaluation recurses: past ~1,000 steps it fails, which is why Digikort walks).

    python bench/impact_scale.py            # full: up to 100,000 components, 10,000 deep
    python bench/impact_scale.py --quick
"""
from __future__ import annotations

import argparse
import statistics
import time

DK = "https://w3id.org/digikort/def/"
C = "https://w3id.org/digikort/id/component/"
PATH_QUERY = f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x <{DK}dependsOn>+ <{C}c0-0> }}"


def chains(n: int, depth: int) -> str:
    lines = []
    for chain in range(max(1, n // depth)):
        for k in range(depth):
            s = f"<{C}c{chain}-{k}> a <{DK}InfrastructureComponent>"
            if k:
                s += f" ; <{DK}dependsOn> <{C}c{chain}-{k - 1}>"
            lines.append(s + " .")
    return "\n".join(lines)


def timed(fn, repeat=3):
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def run(n: int, depth: int, with_rdflib: bool) -> dict:
    import json

    from digikort.architecture import dependencies
    from digikort.architecture.impact import impact
    from digikort.stores.oxigraph import OxigraphStore

    data = chains(n, depth).encode()
    store = OxigraphStore()
    t = time.perf_counter()
    store.post_graph("https://example.org/bench", data, "turtle")
    load = time.perf_counter() - t

    def cold():
        dependencies._cache.clear()
        return impact(store, "c0-0")

    cold_s, r = timed(cold)
    warm_s, _ = timed(lambda: impact(store, "c0-0"))
    assert len(r["components"]) == depth - 1, (len(r["components"]), depth)
    ox_s, body = timed(lambda: store.query(PATH_QUERY, result_format="json").body)
    ox_n = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    row = {"components": n, "depth": depth, "load_s": load, "impact_cold_s": cold_s, "impact_warm_s": warm_s,
           "affected": len(r["components"]), "oxigraph_path_s": ox_s, "oxigraph_path_n": ox_n}
    if with_rdflib:
        import rdflib

        g = rdflib.Graph()
        g.parse(data=data, format="turtle")
        try:
            rd_s, res = timed(lambda: list(g.query(PATH_QUERY)), repeat=1)
            row["rdflib_path"] = f"{rd_s:.3f} s ({int(res[0][0])})"
        except RecursionError:
            row["rdflib_path"] = "RecursionError"
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    cases = [(10_000, 1_000), (10_000, 10_000), (100_000, 1_000), (100_000, 5_000), (100_000, 10_000)]
    if args.quick:
        cases = [(2_000, 500), (10_000, 2_000)]
    print(f"{'components':>10} {'depth':>6} {'load s':>7} {'impact cold s':>13} {'impact warm s':>13} "
          f"{'oxigraph path+ s':>16} {'ratio':>6}  rdflib path+")
    for n, depth in cases:
        row = run(n, depth, with_rdflib=n <= 10_000)
        ratio = row["impact_cold_s"] / row["oxigraph_path_s"] if row["oxigraph_path_s"] else float("nan")
        print(f"{row['components']:>10} {row['depth']:>6} {row['load_s']:>7.2f} {row['impact_cold_s']:>13.3f} "
              f"{row['impact_warm_s']:>13.4f} {row['oxigraph_path_s']:>16.3f} {ratio:>6.1f}  {row.get('rdflib_path', 'skipped')}",
              flush=True)
    print("impact = Digikort (edge query + iterative walk, with paths); cold = fresh edge cache, "
          "warm = cached per dataset version; ratio = impact cold / oxigraph path+ (which counts the set only, with no paths); rdflib at Python's default recursion limit")


if __name__ == "__main__":
    main()
