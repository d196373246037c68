"""Benchmark (not a test): how long SHACL validation takes with our shapes.

Times the shipped graph (in-process and `digikort validate` wall time in the CLI) and synthetic
Digikort-shaped graphs of about 10k, 100k and 1M triples, and in the same run, on the same data
and shapes, Jena's `shacl validate` (Debian libapache-jena-java) and pyrudof (PyPI) when they
are installed. Prints a table with times and ratios.

    /work/venv/bin/python bench/validation.py [--sizes 10000,100000,1000000] [--timeout 900]

Notes on fairness:
- Jena 4.5 refuses a shape with two sh:message values, so it gets a copy of the shapes with the
  English messages only (the constraints are the same).
- Debian's Jena jars lost the shaded Xerces message bundles (XSD datatype setup then fails with
  "internal error"); a tiny jar with those resources, built in a temp dir, goes first on the
  classpath. log4j-over-slf4j and the other SLF4J bindings are left off (they refuse to coexist).
- pyrudof's native engine does not run SHACL-SPARQL (sh:sparql), so it does less work: the result
  counts in the table show what each engine reported.
- Jena and pyrudof validate the union graph (N-Triples); ours validates the Dataset, including the
  named-graph provenance checks SHACL cannot express.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHAPES = sorted((REPO / "shapes").glob("*.ttl"))
B = "https://w3id.org/digikort/"
DK = B + "def/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"


# ---------------------------------------------------------------- synthetic data

def synthetic(n_triples: int, seed: int = 5) -> list[tuple[str, str, str, str]]:
    """Digikort-shaped N-Quads lines: plans with focus areas, initiatives, a status report with an
    assessment per initiative, components with qualified dependencies inside each plan's cluster
    (a DAG), agencies, provenance. About 1 in 10 initiatives lacks a lead agency and 1 in 7
    components lacks a responsible agency, so the report has real warnings to build."""
    rnd = random.Random(seed)
    g = f"<{B}graph/synthetic>"
    doc = f"<{B}id/document/synthetic>"
    quads: list[str] = ontology_nquads()  # classes and code lists: sh:class needs rdfs:subClassOf

    def iri(path):
        return f"<{B}id/{path}>"

    def add(s, p, o, graph=g):
        quads.append(f"{s} <{p}> {o} {graph} .\n")

    def lit(text, lang=None, dt=None):
        esc = text.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{esc}"@{lang}' if lang else (f'"{esc}"^^<{dt}>' if dt else f'"{esc}"')

    def labels(s, da, en):
        add(s, LABEL, lit(da, "da"))
        add(s, LABEL, lit(en, "en"))

    meta = f"<{B}graph/synthetic-provenance>"
    add(g, RDF_TYPE, f"<{DK}FactGraph>", meta)
    add(g, "http://www.w3.org/ns/prov#wasDerivedFrom", doc, meta)
    add(g, DK + "fromSeeds", lit("false", dt=XSD + "boolean"), meta)
    add(g, LABEL, lit("Syntetisk graf", "da"), meta)
    add(g, LABEL, lit("Synthetic graph", "en"), meta)
    add(meta, RDF_TYPE, f"<{DK}MetadataGraph>", meta)
    onto = f"<{B}graph/ontology>"  # the ontology and code lists come along: describe their graph
    add(onto, RDF_TYPE, f"<{DK}MetadataGraph>", meta)
    labels(onto, "Ontologi", "Ontology")
    add(iri("organisation/digikort"), RDF_TYPE, "<http://www.w3.org/ns/org#Organization>")
    labels(iri("organisation/digikort"), "Digikort", "Digikort")
    add(meta, LABEL, lit("Syntetisk proveniens", "da"), meta)
    add(meta, LABEL, lit("Synthetic provenance", "en"), meta)
    add(doc, RDF_TYPE, f"<{DK}SourceDocument>", meta)
    labels(doc, "Syntetisk kilde", "Synthetic source")
    add(doc, "http://purl.org/dc/terms/title", lit("Synthetic source", "en"), meta)
    add(doc, "http://purl.org/dc/terms/language", "<http://id.loc.gov/vocabulary/iso639-1/en>", meta)
    add(doc, "http://xmlns.com/foaf/0.1/page", "<https://example.org/synthetic>", meta)
    publisher = iri("organisation/synthetic")
    add(doc, "http://purl.org/dc/terms/publisher", publisher, meta)
    add(publisher, RDF_TYPE, "<http://www.w3.org/ns/org#Organization>")
    labels(publisher, "Syntetisk udgiver", "Synthetic publisher")
    agencies = [iri(f"agency/synthetic-{k}") for k in range(50)]
    for k, a in enumerate(agencies):
        add(a, RDF_TYPE, "<http://www.w3.org/ns/org#Organization>")
        labels(a, f"Styrelse {k}", f"Agency {k}")
    started = f"<{DK}code/initiative-state/started>"
    p = 0
    while len(quads) < n_triples:
        p += 1
        plan = iri(f"strategy/s{p}")
        report = iri(f"report/strategy-s{p}/2017")
        add(plan, RDF_TYPE, f"<{DK}Strategy>")
        labels(plan, f"Strategi {p}", f"Strategy {p}")
        add(plan, DK + "startYear", lit("2016", dt=XSD + "gYear"))
        add(plan, DK + "endYear", lit("2020", dt=XSD + "gYear"))
        add(report, RDF_TYPE, f"<{DK}StatusReport>")
        labels(report, f"Status {p} 2017", f"Status {p} 2017")
        add(report, DK + "reportsOn", plan)
        add(report, DK + "reportYear", lit("2017", dt=XSD + "gYear"))
        n_init = 0
        comps = []
        for fa in range(1, 5):
            area = iri(f"strategy/s{p}/focus-area/{fa}")
            add(area, RDF_TYPE, f"<{DK}FocusArea>")
            labels(area, f"Fokusområde {fa}", f"Focus area {fa}")
            add(area, DK + "focusAreaNumber", lit(str(fa), dt=XSD + "integer"))
            add(plan, DK + "hasFocusArea", area)
            for k in range(1, 11):
                n_init += 1
                num = f"{fa}.{k}"
                ini = iri(f"initiative/s{p}/{num}")
                add(ini, RDF_TYPE, f"<{DK}Initiative>")
                labels(ini, f"Initiativ {num}", f"Initiative {num}")
                add(ini, DK + "initiativeNumber", lit(num))
                add(ini, DK + "mainNumber", lit(num))
                add(ini, DK + "inPlan", plan)
                add(ini, DK + "focusArea", area)
                if rnd.random() > 0.1:
                    add(ini, DK + "leadAgency", rnd.choice(agencies))
                comp = iri(f"component/s{p}-{num}")
                add(comp, RDF_TYPE, f"<{DK}InfrastructureComponent>")
                labels(comp, f"Komponent {p}-{num}", f"Component {p}-{num}")
                if rnd.random() > 1 / 7:
                    add(comp, DK + "responsibleAgency", rnd.choice(agencies))
                add(ini, DK + "concernsComponent", comp)
                for dep in rnd.sample(comps, min(2, len(comps))):  # only earlier ones: a DAG
                    add(comp, DK + "dependsOn", dep)
                    d = iri(f"dependency/s{p}-{num}--{dep[len(B) + 4:-1].replace('/', '-')}")
                    add(d, RDF_TYPE, f"<{DK}Dependency>")
                    labels(d, "Afhængighed", "Dependency")
                    add(d, DK + "dependent", comp)
                    add(d, DK + "dependency", dep)
                    add(d, DK + "dependencyKind", f"<{DK}code/dependency-kind/critical>")
                    add(d, "http://purl.org/dc/terms/source", doc)
                comps.append(comp)
                a = iri(f"assessment/strategy-s{p}/2017/{num}")
                add(a, RDF_TYPE, f"<{DK}StatusAssessment>")
                labels(a, f"Status 2017 for {num}", f"2017 status of {num}")
                add(a, DK + "assessedInitiative", ini)
                add(a, DK + "inReport", report)
                add(a, DK + "state", started)
                add(a, DK + "results", lit("Resultater", "da"))
        add(plan, DK + "declaredInitiativeCount", lit(str(n_init), dt=XSD + "integer"))
    return quads


# ---------------------------------------------------------------- runners

def ontology_nquads() -> list[str]:
    from rdflib import Dataset, URIRef

    from digikort.dataset import shipped_files

    ds = Dataset()
    for f in shipped_files():
        if f.graph and f.path.parent.name == "ontology":
            ds.graph(URIRef(f.graph)).parse(f.path, format=f.format)
    return ds.serialize(format="nquads").splitlines(keepends=True)


def shipped_nquads() -> str:
    from digikort.dataset import load_rdflib_dataset

    return load_rdflib_dataset().serialize(format="nquads")


def run_ours(nq_path: Path) -> dict:
    from rdflib import Dataset

    from digikort.validation.engine import shipped_shapes, validate_dataset

    shipped_shapes()  # parse the shapes once, as a running server does
    t0 = time.perf_counter()
    ds = Dataset()
    ds.parse(nq_path, format="nquads")
    t1 = time.perf_counter()
    report = validate_dataset(ds)
    t2 = time.perf_counter()
    return {"parse": t1 - t0, "validate": t2 - t1, "total": t2 - t0,
            "results": {s: report.count(s) for s in ("Violation", "Warning", "Info")}}


def jena_classpath(tmp: Path) -> str | None:
    java_dir = Path("/usr/share/java")
    if not shutil.which("java") or not (java_dir / "jena-shacl.jar").exists():
        return None
    fix = tmp / "jena-xerces-resources.jar"
    with zipfile.ZipFile(java_dir / "jena-core.jar") as src, zipfile.ZipFile(fix, "w") as dst:
        for name in src.namelist():
            if name.startswith("org/apache/jena/ext/xerces/") and name.endswith(".properties"):
                dst.writestr(name[len("org/apache/jena/ext/"):], src.read(name))
    skip = ("log4j-over-slf4j", "slf4j-log4j12", "slf4j-jcl", "slf4j-jdk14", "slf4j-nop", "slf4j-simple",
            "maven3-slf4j", "jcl-over-slf4j", "jul-to-slf4j")
    jars = [str(p) for p in sorted(java_dir.glob("*.jar"))
            if not any(s in p.name for s in skip) and not p.stem[-1].isdigit()]  # unversioned links only
    return ":".join([str(fix)] + jars)


def english_shapes(tmp: Path) -> Path:
    from rdflib import Graph, Literal, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    g = Graph()
    for p in SHAPES:
        g.parse(p, format="turtle")
    for s, p, o in list(g.triples((None, sh.message, None))):
        if isinstance(o, Literal) and o.language != "en":
            g.remove((s, p, o))
    out = tmp / "shapes-en.ttl"
    g.serialize(out, format="turtle")
    return out


def run_jena(classpath: str, shapes: Path, nt_path: Path, timeout: float) -> dict:
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(["java", "-Xmx8g", "-cp", classpath, "shacl.shacl", "validate", "--shapes", str(shapes),
                               "--data", str(nt_path)], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"total": None, "note": f"> {timeout:.0f} s"}
    t = time.perf_counter() - t0
    if "ValidationReport" not in proc.stdout:
        return {"total": None, "note": "failed: " + (proc.stderr.strip().splitlines() or ["?"])[-1][:80]}
    counts = {s: proc.stdout.count(f"sh:{s}") for s in ("Violation", "Warning", "Info")}
    return {"total": t, "results": counts}


def run_pyrudof(shapes_path: Path, nt_path: Path) -> dict:
    try:
        import pyrudof
    except ImportError:
        return {"total": None, "note": "not installed"}
    t0 = time.perf_counter()
    try:
        r = pyrudof.Rudof(pyrudof.RudofConfig())
        r.read_data(str(nt_path), format=pyrudof.RDFFormat.NTriples)
        r.read_shacl(str(shapes_path))
        report = r.validate_shacl()
    except Exception as exc:  # report, don't stop the table
        return {"total": None, "note": f"failed: {' '.join(str(exc).split())[:80]}"}
    t = time.perf_counter() - t0
    return {"total": t, "results": {"all": len(report)}}


def cli_wall(runs: int = 5) -> float:
    exe = Path(sys.executable).parent / "digikort"
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([str(exe), "validate", "--format", "json"], capture_output=True, timeout=120)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


# ---------------------------------------------------------------- main

def fmt_s(v):
    return "-" if v is None else f"{v:8.2f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--timeout", type=float, default=900.0, help="per engine and size, seconds (Jena)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        classpath = jena_classpath(tmp)
        en_shapes = english_shapes(tmp)
        cases = [("shipped", shipped_nquads())]
        for n in (int(x) for x in args.sizes.split(",") if x):
            cases.append((f"synthetic {n // 1000}k", "".join(synthetic(n))))
        print(f"CLI `digikort validate` on the shipped graph, median of 5 runs: {cli_wall():.2f} s wall\n")
        header = (f"{'graph':16} {'triples':>9} {'ours parse':>10} {'ours valid.':>11} {'ours total':>10} "
                  f"{'jena':>8} {'pyrudof':>8} {'ours/jena':>9}  results (V/W/I ours | jena | pyrudof)")
        print(header)
        print("-" * len(header))
        for name, nq in cases:
            nq_path = tmp / "data.nq"
            nq_path.write_text(nq, encoding="utf-8")
            nt_path = tmp / "data.nt"
            with open(nt_path, "w", encoding="utf-8") as out:  # the union, as Jena and pyrudof read it
                from rdflib import Dataset

                ds = Dataset()
                ds.parse(nq_path, format="nquads")
                seen = set()
                for s, p, o, _ in ds.quads():
                    t = f"{s.n3()} {p.n3()} {o.n3()} .\n"
                    if t not in seen:
                        seen.add(t)
                        out.write(t)
                triples = len(seen)
                del ds, seen
            ours = run_ours(nq_path)
            jena = run_jena(classpath, en_shapes, nt_path, args.timeout) if classpath else {"total": None, "note": "not installed"}
            rudof = run_pyrudof(en_shapes, nt_path)
            ratio = f"{ours['total'] / jena['total']:9.2f}" if jena.get("total") else f"{'-':>9}"
            res = lambda r: "/".join(str(v) for v in r["results"].values()) if "results" in r else r.get("note", "-")
            print(f"{name:16} {triples:9d} {fmt_s(ours['parse']):>10} {fmt_s(ours['validate']):>11} "
                  f"{fmt_s(ours['total']):>10} {fmt_s(jena.get('total')):>8} {fmt_s(rudof.get('total')):>8} {ratio}  "
                  f"{res(ours)} | {res(jena)} | {res(rudof)}", flush=True)


if __name__ == "__main__":
    main()
