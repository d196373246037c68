"""The `digikort` command: load, query, export, stats and serve.

Bad input ends with exit code 2 and one line on stderr; never a stack trace.
"""
from __future__ import annotations

import json
import re
import sys

import click

from .config import Settings
from .stores.base import GRAPH_FORMATS, StoreError

_EXPORT = {"ttl": "turtle", "nt": "ntriples", "jsonld": "jsonld", "trig": "trig", "nquads": "nquads", "rdfxml": "rdfxml"}


def fail(message: str, code: int = 2):
    click.echo(f"digikort: error: {message}", err=True)
    sys.exit(code)


def _open(spec: str | None):
    from .stores import open_store

    try:
        return open_store(spec)
    except (StoreError, OSError, ValueError) as exc:
        fail(f"cannot open store {spec or 'memory'}: {exc}")


store_option = click.option(
    "--store", "store_spec", default=None, envvar="DIGIKORT_STORE",
    help="memory (default), rdflib, a directory (Oxigraph on disk) or a SPARQL endpoint URL.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="digikort")
def main():
    """Digikort: the knowledge graph of Danish public-sector digitalisation."""


@main.command()
@store_option
def load(store_spec):
    """Build or refresh a store from the shipped RDF files."""
    from .stores import open_store

    try:
        store = open_store(store_spec, load=False)
        n = store.load_shipped()
        store.close()
    except (StoreError, OSError, ValueError) as exc:
        fail(f"load failed: {exc}", 1)
    click.echo(f"loaded {n} quads into {store.name}" + (f" at {store_spec}" if store_spec else ""))


def _render_table(body: bytes) -> str:
    data = json.loads(body)
    if "boolean" in data:
        return "true" if data["boolean"] else "false"
    cols = data["head"]["vars"]
    rows = [[_cell(b.get(c)) for c in cols] for b in data["results"]["bindings"]]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(cols)]
    line = "  ".join(c.ljust(w) for c, w in zip(cols, widths))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _cell(term) -> str:
    if term is None:
        return ""
    if term["type"] == "uri":
        return term["value"]
    if term.get("xml:lang"):
        return f'{term["value"]}@{term["xml:lang"]}'
    return term["value"]


@main.command()
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "turtle", "tsv", "xml"]), default="table")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Parameter of a named query.")
@store_option
def query(query, fmt, params, store_spec):
    """Run a SPARQL query (text, @file.rq, or the name of a query in queries/)."""
    from .stores.base import QuerySyntaxError

    from . import named_queries

    text, bindings = query, None
    named = named_queries.get(query)
    if query.startswith("@"):
        try:
            text = open(query[1:], encoding="utf-8").read()
        except OSError as exc:
            fail(f"cannot read {query[1:]}: {exc.strerror}")
    elif named is not None:
        raw = {}
        for p in params:
            name, sep, value = p.partition("=")
            if not sep:
                fail(f"--param takes NAME=VALUE, got {p!r}")
            raw[name] = value
        try:
            text, bindings = named.text, named.bindings(raw)
        except named_queries.ParameterError as exc:
            fail(str(exc))
    elif params:
        fail(f"--param needs a named query; {query[:40]!r} is not one (see `digikort queries`)")
    store = _open(store_spec)
    wanted = {"table": "json", "turtle": "turtle"}.get(fmt, fmt)
    try:
        result = store.query(text, result_format=wanted, bindings=bindings)
    except QuerySyntaxError as exc:
        fail(f"malformed query: {_one_line(exc)}")
    except StoreError as exc:
        fail(_one_line(exc), 1)
    if result.kind == "graph" and fmt not in ("turtle",) and result.format not in GRAPH_FORMATS:
        fail("a CONSTRUCT or DESCRIBE query needs --format turtle")
    if fmt == "table" and result.kind != "graph":
        click.echo(_render_table(result.body))
    else:
        click.echo(result.body.decode("utf-8"), nl=False)


def _one_line(exc) -> str:
    return " ".join(str(exc).split())


@main.command()
def queries():
    """List the named queries in queries/."""
    from . import named_queries

    for q in named_queries.all_queries().values():
        params = " ".join(f"{p.name}={p.default}" for p in q.parameters)
        click.echo(f"{q.name:40} {q.title.get('en', '')}" + (f"  [{params}]" if params else ""))


@main.command()
@click.argument("component")
@click.option("--format", "fmt", type=click.Choice(["tree", "json"]), default="tree")
@click.option("--lang", type=click.Choice(["da", "en"]), default="en")
@click.option("--as-of", "as_of", default=None, metavar="DATE",
              help="Only dependencies valid on DATE (YYYY, YYYY-MM or YYYY-MM-DD).")
@store_option
def impact(component, fmt, lang, as_of, store_spec):
    """What breaks if COMPONENT (a slug such as nemlog-in) is down."""
    from .architecture.impact import UnknownComponent, impact as outage_impact, tree_lines

    if as_of is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", as_of):
        fail(f"--as-of {as_of!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    store = _open(store_spec)
    try:
        result = outage_impact(store, component, lang=lang, as_of=as_of)
    except UnknownComponent as exc:
        fail(str(exc))
    except StoreError as exc:
        fail(_one_line(exc), 1)
    if fmt == "json":
        result.pop("parents")
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(tree_lines(result)))


@main.command(name="map")
@click.option("--component", default=None, help="Draw one component's neighbourhood (slug); default: all.")
@click.option("--format", "fmt", type=click.Choice(["svg", "dot", "graphml", "mmd"]), default="svg")
@click.option("--lang", type=click.Choice(["da", "en"]), default="en")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None)
@click.option("--link-base", default="", help="Prefix for node links (default: the canonical URIs).")
@store_option
def dependency_map(component, fmt, lang, output, link_base, store_spec):
    """Draw the component dependency graph (Graphviz SVG, DOT, GraphML or Mermaid)."""
    from .architecture import depmap
    from .config import CANONICAL_BASE
    from .architecture.dependencies import COMPONENT_BASE, graph_for

    store = _open(store_spec)
    g = graph_for(store)
    focus = COMPONENT_BASE + component if component else None
    if focus and focus not in g.labels:
        fail(f"no component {component!r}")
    link = (lambda iri: link_base.rstrip("/") + "/" + iri[len(CANONICAL_BASE):]) if link_base else (lambda iri: iri)
    try:
        if fmt == "graphml":
            data = depmap.to_graphml(g, link, focus, lang).encode()
        elif fmt == "mmd":
            data = depmap.to_mermaid(g, link, focus, lang).encode()
        else:
            dot = depmap.to_dot(g, link, focus, lang)
            data = depmap.to_svg(dot) if fmt == "svg" else dot.encode()
    except depmap.MapError as exc:
        fail(str(exc), 1)
    _write(data, output)


@main.command()
@click.option("--format", "fmt", type=click.Choice(sorted(_EXPORT)), default="trig")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None)
@store_option
def export(fmt, output, store_spec):
    """Write the whole dataset (all named graphs) in one RDF format."""
    store = _open(store_spec)
    name = _EXPORT[fmt]
    try:
        if name in ("trig", "nquads"):
            data = store.dump(name)
        else:
            data = _triples_dump(store, name)
    except StoreError as exc:
        fail(_one_line(exc), 1)
    _write(data, output)


def _write(data: bytes, output: str | None) -> None:
    if output:
        with open(output, "wb") as fh:
            fh.write(data)
    else:
        sys.stdout.buffer.write(data)


def _triples_dump(store, fmt: str) -> bytes:
    """Triple formats carry no graph names: the union of all graphs."""
    return store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", result_format=fmt).body


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@store_option
def stats(fmt, store_spec):
    """Triples per named graph and resources per class."""
    store = _open(store_spec)
    per_graph = json.loads(store.query(
        "SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } } GROUP BY ?graph ORDER BY ?graph",
        result_format="json").body)
    per_class = json.loads(store.query(
        "SELECT ?class (COUNT(DISTINCT ?s) AS ?resources) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?resources) ?class",
        result_format="json").body)
    if fmt == "json":
        click.echo(json.dumps({
            "store": store.name,
            "graphs": {b["graph"]["value"]: int(b["triples"]["value"]) for b in per_graph["results"]["bindings"]},
            "classes": {b["class"]["value"]: int(b["resources"]["value"]) for b in per_class["results"]["bindings"]},
        }, indent=2))
        return
    click.echo(f"store: {store.name}\n")
    click.echo(_render_table(json.dumps(per_graph).encode()))
    click.echo("")
    click.echo(_render_table(json.dumps(per_class).encode()))


@main.command()
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default 8000).")
@click.option("--workers", type=int, default=None)
@click.option("--threads", type=int, default=None)
@click.option("--public-base", default=None, help="Where the service is reached, e.g. https://example.org/digikort/.")
@click.option("--token", default=None, help="Bearer token that enables updates (default: read-only).")
@click.option("--query-timeout", type=float, default=None)
@click.option("--result-cache", type=int, default=None, help="Answers cached per dataset version (0 = off).")
@click.option("--data", "data_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Serve these RDF files (in memory) instead of the shipped graph.")
@click.option("--max-result-rows", type=int, default=None, help="Rows an answer may have (4xx past it).")
@click.option("--max-result-bytes", type=int, default=None, help="Bytes an answer may have (4xx past it).")
@click.option("--max-query-memory", type=int, default=None, help="MiB one query may add to its evaluator.")
@click.option("--evaluators", type=int, default=None,
              help="Evaluator processes per worker (0 = one per thread, -1 = none: evaluate in the worker).")
@click.option("--access-log/--no-access-log", default=None, help="Log every request to stdout.")
@click.option("--access-log-format", type=click.Choice(["text", "json"]), default=None)
@click.option("--slow-query-log", type=float, default=None, help="Log queries slower than this many seconds (0 = off).")
@click.option("--server", "http_server", type=click.Choice(["gunicorn", "granian"]), default=None,
              help="The HTTP server (default granian; gunicorn gthread workers as the alternative).")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False), default=None)
@store_option
def serve(host, port, workers, threads, public_base, token, query_timeout, result_cache, data_files,
          max_result_rows, max_result_bytes, max_query_memory, evaluators, access_log, access_log_format,
          slow_query_log, http_server, config_file, store_spec):
    """Serve the dataset over HTTP (granian, or gunicorn with --server gunicorn)."""
    from .web.server import run

    try:
        settings = Settings.load(config_file, host=host, port=port, workers=workers, threads=threads,
                                 public_base=public_base, token=token, query_timeout=query_timeout,
                                 store=store_spec, data=list(data_files) or None, result_cache=result_cache,
                                 max_result_rows=max_result_rows, max_result_bytes=max_result_bytes,
                                 max_query_memory=max_query_memory, evaluators=evaluators, access_log=access_log,
                                 access_log_format=access_log_format, slow_query_log=slow_query_log,
                                 server=http_server)
    except (ValueError, OSError) as exc:
        fail(f"bad configuration: {exc}")
    run(settings)


from .validation.cli import validate  # noqa: E402  (the auditors' command lives with the validator)

main.add_command(validate)

from .coverage.cli import coverage  # noqa: E402  (the seed coverage report lives with its module)

main.add_command(coverage)

from .curation.cli import import_report  # noqa: E402  (a new status report from a spreadsheet)

main.add_command(import_report)

if __name__ == "__main__":
    main()
