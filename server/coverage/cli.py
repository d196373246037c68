"""`digikort coverage`: exit 0 when every in-scope seed sentence is covered or has a reason,
1 when some are uncovered (or a reason names no sentence), 2 on unusable input."""
from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text")
@click.option("--show", default="uncovered,reasoned", show_default=True,
              help="Text format: which sentences to list (covered, reasoned, uncovered, out-of-scope, text-only, all).")
@click.option("--seed", "seeds", multiple=True, metavar="NNN", help="Only this seed (000-004); repeatable.")
@click.option("--reasons", "reasons_file", type=click.Path(dir_okay=False), default=None,
              help="A reasons TSV instead of the shipped coverage/reasons.tsv.")
@click.option("--data", "data_files", multiple=True, type=click.Path(dir_okay=False),
              help="Measure these RDF files (TriG/N-Quads) instead of the shipped graph.")
@click.option("--store", "store_spec", default=None, help="Measure a store (directory or SPARQL endpoint URL) instead.")
@click.option("--lang", type=click.Choice(["da", "en"]), default="en")
def coverage(fmt, show, seeds, reasons_file, data_files, store_spec, lang):
    """Which seed sentences the graph represents, which have a reason not to, which are gaps."""
    from ..cli import fail
    from . import formats
    from .report import STATUSES, ReasonsError, build, load_reasons
    from .sentences import seed_texts

    shown = set(STATUSES) | {"out-of-scope"} if show == "all" else {s.strip() for s in show.split(",") if s.strip()}
    unknown = shown - set(STATUSES) - {"out-of-scope", "text-only"}
    if unknown:
        fail(f"--show takes {', '.join(STATUSES)}, out-of-scope or all, not {', '.join(sorted(unknown))}")
    known = {s.number for s in seed_texts()}
    bad = [s for s in seeds if s not in known]
    if bad:
        fail(f"no seed {bad[0]!r}; the seeds are {', '.join(sorted(known))}")
    try:
        reasons = load_reasons(Path(reasons_file)) if reasons_file else load_reasons()
    except (ReasonsError, OSError, UnicodeDecodeError) as exc:
        fail(" ".join(str(exc).split()))
    try:
        ds = _dataset(data_files, store_spec)
    except Exception as exc:  # a parser or store error: one line, exit 2
        fail(f"cannot read the data: {' '.join(str(exc).split())[:300]}")
    report = build(ds, reasons, only=set(seeds) or None)
    if fmt == "json":
        out = formats.as_json(report)
    elif fmt == "html":
        from flask import Flask

        from ..web import i18n

        app = Flask("digikort")
        i18n.register(app)  # the base template's helpers (t, switch_url, ...)
        with app.test_request_context(f"/coverage?lang={lang}"):
            out = formats.as_html(report, lang)
    else:
        out = formats.as_text(report, shown)
    click.echo(out, nl=False)
    sys.exit(1 if report.count("uncovered") or report.stale_reasons else 0)


def _dataset(files, store_spec):
    from ..validation import safety
    from ..validation.load import nquads_dataset, shipped_dataset

    if files and store_spec:
        raise ValueError("give --data or --store, not both")
    if store_spec:
        from ..stores import open_store

        return nquads_dataset(open_store(store_spec, load=False).dump("nquads"))
    if not files:
        return shipped_dataset()
    from rdflib import Dataset

    ds = Dataset()
    for f in files:
        part = safety.parse(Path(f).read_bytes(), safety.format_for(filename=f))
        for q in part.quads():
            ds.add(q)
    return ds
