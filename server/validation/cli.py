"""`digikort validate`: exit 0 with no violations, 1 with violations, 2 on unusable input."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import safety


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--store", "store_spec", default=None, help="Validate a store (directory or SPARQL endpoint URL) instead.")
@click.option("--shapes", "shapes_files", multiple=True, type=click.Path(dir_okay=False), help="Shapes file(s); default: the shipped shapes.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle", "html", "junit"]), default="text")
@click.option("--lang", type=click.Choice(["da", "en"]), default="en")
@click.option("--severity", type=click.Choice(["Violation", "Warning", "Info"], case_sensitive=False), default=None,
              help="Show only the results of this severity (text, json, html).")
@click.option("--rule", default=None, help="Show only the results of this rule (shapes:Name or the shape's IRI).")
def validate(files, store_spec, shapes_files, fmt, lang, severity, rule):
    """Validate the shipped graph, RDF FILES, or a store against the SHACL shapes."""
    from ..cli import fail
    from . import formats
    from .engine import load_shapes, validate_dataset

    try:
        ds = _dataset(files, store_spec)
        shapes = load_shapes([Path(p) for p in shapes_files]) if shapes_files else None
        report = validate_dataset(ds, shapes, background=_background(files))
    except (safety.UnsafeInput, OSError) as exc:
        fail(" ".join(str(exc).split()))
    except Exception as exc:  # a store or parser error: one line, exit 2
        fail(f"cannot validate: {' '.join(str(exc).split())[:300]}")
    filters = formats.Filters.of({"severity": severity, "rule": rule})
    if fmt == "text":
        out = formats.as_text(report, lang, filters)
    elif fmt == "json":
        out = formats.as_json(report, filters)
    elif fmt == "turtle":
        out = formats.as_rdf(report, "turtle")
    elif fmt == "junit":
        out = formats.as_junit(report)
    else:
        from flask import Flask

        from ..web import i18n

        app = Flask("digikort")
        i18n.register(app)  # the page templates' helpers (t, switch_url, ...)
        with app.test_request_context("/validate"):
            out = formats.as_html(report, lang, filters=filters)
    click.echo(out, nl=False)
    sys.exit(0 if report.conforms else 1)


def _background(files):
    """Files are checked with the shipped ontology and code lists beside them (the shipped
    graph and a store hold them already)."""
    if not files:
        return None
    from .load import ontology_graph

    return ontology_graph()


def _dataset(files, store_spec):
    from rdflib import Dataset

    if files and store_spec:
        raise safety.UnsafeInput("give FILEs or --store, not both")
    if store_spec:
        from ..stores import open_store

        store = open_store(store_spec, load=False)
        from .load import nquads_dataset

        return nquads_dataset(store.dump("nquads"))
    if not files:
        from .load import shipped_dataset  # Oxigraph's parser: the fast path to < 1 s

        return shipped_dataset()
    ds = Dataset()
    for f in files:
        data = Path(f).read_bytes()
        part = safety.parse(data, safety.format_for(filename=f))
        for q in part.quads():
            ds.add(q)
    return ds
