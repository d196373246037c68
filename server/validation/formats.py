"""A validation report as text (grouped by focus node and severity), JSON, Turtle,
JSON-LD, HTML and JUnit XML (for CI pipelines)."""
from __future__ import annotations

import json
from collections import defaultdict
from xml.sax.saxutils import escape, quoteattr

from .engine import SEVERITIES, Report, report_graph


def as_text(report: Report, lang: str = "en") -> str:
    by_focus: dict[str, list] = defaultdict(list)
    for r in report.results:
        by_focus[r.focus].append(r)
    lines = []
    for focus, results in by_focus.items():
        lines.append(focus)
        for severity in SEVERITIES:
            for r in (x for x in results if x.severity == severity):
                lines.append(f"  {severity:<9} {r.text(lang)}")
    lines.append("")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def summary(report: Report) -> str:
    verdict = "conforms" if report.conforms else "does not conform"
    return (f"{verdict}: {report.count('Violation')} violations, {report.count('Warning')} warnings, "
            f"{report.count('Info')} infos on {report.focus_count} resources")


def as_json(report: Report) -> str:
    return json.dumps({
        "conforms": report.conforms,
        "counts": {s.lower(): report.count(s) for s in SEVERITIES},
        "results": [{"focus": r.focus, "severity": r.severity, "message": r.message, "path": r.path,
                     "value": r.value, "shape": r.shape} for r in report.results],
    }, indent=2, ensure_ascii=False)


def as_rdf(report: Report, fmt: str = "turtle") -> str:
    g = report_graph(report)
    return g.serialize(format=fmt, **({"auto_compact": True} if fmt == "json-ld" else {}))


def as_junit(report: Report) -> str:
    """One test case per focus node; violations are failures, warnings are system-out."""
    by_focus: dict[str, list] = defaultdict(list)
    for r in report.results:
        by_focus[r.focus].append(r)
    cases = []
    for focus, results in by_focus.items():
        violations = [r for r in results if r.severity == "Violation"]
        body = "".join(f"<failure message={quoteattr(r.text())}>{escape(r.text('da'))}</failure>" for r in violations)
        other = "\n".join(f"{r.severity}: {r.text()}" for r in results if r.severity != "Violation")
        if other:
            body += f"<system-out>{escape(other)}</system-out>"
        cases.append(f'  <testcase classname="digikort.shapes" name={quoteattr(focus)}>{body}</testcase>')
    failures = sum(1 for results in by_focus.values() if any(r.severity == "Violation" for r in results))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuite name="digikort-validation" tests="{max(1, len(by_focus))}" failures="{failures}" errors="0">\n'
            + ("\n".join(cases) if cases else '  <testcase classname="digikort.shapes" name="conforms"/>')
            + "\n</testsuite>\n")


def as_html(report: Report, lang: str = "da", link=lambda iri: iri) -> str:
    from flask import render_template

    by_focus: dict[str, list] = defaultdict(list)
    for r in report.results:
        by_focus[r.focus].append(r)
    return render_template("validation/report.html", report=report, by_focus=by_focus, lang=lang, link=link,
                           summary=summary(report))
