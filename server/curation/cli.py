"""`digikort import`: a new status report from a CSV or .xlsx file.

Exit 0 when the report was written (or, with --check, would be), 2 with one line per problem
(file, row, column) when anything does not fit; nothing is written then.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from rdflib import URIRef


@click.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--report", required=True, metavar="PLAN/PERIOD",
              help="The report: strategy-2016-2020/2018, kl-2016-2020/2018-h1, ...")
@click.option("--title", required=True, help="Title of the report document, as published.")
@click.option("--publisher", "publishers", multiple=True, required=True, metavar="SLUG",
              help="Agency or organisation that published it (digitaliseringsstyrelsen, kl, ...); repeatable.")
@click.option("--url", required=True, help="Public address of the report (its provenance).")
@click.option("--issued", default=None, help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--language", default="da", show_default=True, help="Language of the texts: da or en.")
@click.option("--slug", default=None, help="Name of the new graph and document (default status-PLAN-PERIOD).")
@click.option("--sheet", default=None, help="Worksheet of an .xlsx file (default: the first).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the report as a new TriG file (e.g. graph/status-strategy-2016-2020-2018.trig).")
@click.option("--store", "store_spec", default=None,
              help="Add the report to this store (a directory or SPARQL endpoint URL) instead.")
@click.option("--check", is_flag=True, help="Check and validate only; write nothing.")
def import_report(file, report, title, publishers, url, issued, language, slug, sheet, output, store_spec, check):
    """Add a new status report (one row per initiative) from FILE (.csv or .xlsx)."""
    from ..cli import fail
    from . import statusreport as sr

    if not check and not output and not store_spec:
        fail("say where the report goes: --output FILE.trig or --store SPEC (or --check to only validate)")
    if output and store_spec:
        fail("give --output or --store, not both")
    if output and Path(output).exists():
        fail(f"{output} exists; a report is written to a new file, never over one")
    path = Path(file)
    if not path.is_file():
        fail(f"no file {file}")
    try:
        header, rows = sr.read_rows(path, sheet)
    except sr.ImportError_ as exc:
        fail(str(exc))
    store = None
    try:
        if store_spec:
            from ..stores import open_store
            from ..validation.load import nquads_dataset

            store = open_store(store_spec, load=False)
            existing = nquads_dataset(store.dump("nquads"))
        else:
            from ..validation.load import shipped_dataset

            existing = shipped_dataset()
    except Exception as exc:  # a store that cannot be read: one line
        fail(f"cannot read the existing data: {' '.join(str(exc).split())[:200]}")
    spec = sr.ReportSpec(report, title, list(publishers), url, issued, language, slug)
    result = sr.build(spec, header, rows, existing)
    if not result.problems:
        result.problems = sr.validate(result, existing)
    if result.problems:
        for p in result.problems:
            click.echo(f"digikort: error: {p.line(path.name)}", err=True)
        click.echo(f"digikort: error: {len(result.problems)} problem(s); nothing was written", err=True)
        sys.exit(2)
    summary = f"{result.assessments} assessments, {result.milestones} milestones in {result.graph_iri}"
    if check:
        click.echo(f"ok: {summary} (checked, not written)")
        return
    if output:
        data = _trig(result.graph)
        try:
            with open(output, "x", encoding="utf-8") as fh:  # "x": never over an existing file
                fh.write(data)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror}")
        click.echo(f"wrote {summary} to {output}")
        return
    from ..namespaces import PROVENANCE_GRAPH

    # The description first: a fact graph never sits in the store without its provenance. If the
    # facts then fail, the description is taken out again.
    prov = result.graph.graph(PROVENANCE_GRAPH)
    facts = result.graph.graph(URIRef(result.graph_iri))
    try:
        store.post_graph(str(PROVENANCE_GRAPH), prov.serialize(format="turtle").encode("utf-8"), "turtle")
    except Exception as exc:
        fail(f"cannot write to the store: {' '.join(str(exc).split())[:200]}", 1)
    try:
        store.post_graph(result.graph_iri, facts.serialize(format="turtle").encode("utf-8"), "turtle")
    except Exception as exc:
        triples = prov.serialize(format="nt")
        try:
            store.update(f"DELETE DATA {{ GRAPH <{PROVENANCE_GRAPH}> {{ {triples} }} }}")
        except Exception:
            pass
        fail(f"cannot write to the store (nothing kept): {' '.join(str(exc).split())[:200]}", 1)
    store.close()
    click.echo(f"added {summary} to {store_spec}")


def _trig(ds) -> str:
    from ..namespaces import PREFIXES

    for prefix, iri in PREFIXES.items():
        ds.bind(prefix, iri, replace=True)
    header = ("# A status report imported with `digikort import` from a spreadsheet; see README.md.\n"
              "# The report's facts are in its own graph, its source document in graph/provenance.\n")
    return header + ds.serialize(format="trig")
