"""A validation report as text, JSON, Turtle, JSON-LD, HTML and JUnit XML (for CI pipelines).

Every format groups the results the same way: by rule (the shape that was broken) within
severity, violations first, each rule named and counted, focus nodes named by their labels.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from .engine import SEVERITIES, Report, Rule, report_graph

# UI words of the report, in both languages
WORDS = {
    "Violation": {"da": "Overtrædelse", "en": "Violation"},
    "Warning": {"da": "Advarsel", "en": "Warning"},
    "Info": {"da": "Oplysning", "en": "Info"},
    "Violations": {"da": "Overtrædelser", "en": "Violations"},
    "Warnings": {"da": "Advarsler", "en": "Warnings"},
    "Infos": {"da": "Oplysninger", "en": "Infos"},
    "conforms": {"da": "overholder reglerne", "en": "conforms"},
    "does not conform": {"da": "overholder ikke reglerne", "en": "does not conform"},
    "violations": {"da": "overtrædelser", "en": "violations"},
    "warnings": {"da": "advarsler", "en": "warnings"},
    "infos": {"da": "oplysninger", "en": "infos"},
    "on": {"da": "om", "en": "on"},
    "resources": {"da": "ressourcer", "en": "resources"},
    "rules": {"da": "regler", "en": "rules"},
    "rule": {"da": "regel", "en": "rule"},
    "in": {"da": "i", "en": "in"},
    "title": {"da": "Valideringsrapport", "en": "Validation report"},
    "resource": {"da": "Ressource", "en": "Resource"},
    "message": {"da": "Besked", "en": "Message"},
    "value": {"da": "Værdi", "en": "Value"},
    "property": {"da": "Egenskab", "en": "Property"},
    "severity": {"da": "Alvor", "en": "Severity"},
    "all": {"da": "alle", "en": "all"},
    "search": {"da": "Søg", "en": "Search"},
    "filter": {"da": "Filtrér", "en": "Filter"},
    "showing": {"da": "Viser {n} af {total} resultater", "en": "Showing {n} of {total} results"},
    "none": {"da": "Ingen resultater passer til filteret.", "en": "No result matches the filter."},
    "clean": {"da": "Data overholder alle regler: ingen resultater.", "en": "The data meets every rule: no results."},
    "formats": {"da": "Også som", "en": "Also as"},
    "intro": {"da": "Resultaterne er grupperet efter regel (SHACL-form) og alvor. Overtrædelser er fejl i data; "
                    "advarsler er huller, som kilderne ikke udfylder; oplysninger er værd at se på.",
              "en": "Results are grouped by rule (SHACL shape) and severity. Violations are errors in the data; "
                    "warnings are gaps the sources do not fill; infos are worth a look."},
}
_PLURAL = {"Violation": "Violations", "Warning": "Warnings", "Info": "Infos"}


def word(key: str, lang: str = "en") -> str:
    return WORDS[key].get(lang) or WORDS[key]["en"]


@dataclass
class Filters:
    """What an auditor narrows the report to: a severity, a rule (shape IRI or shapes:Name), words."""
    severity: str = ""
    rule: str = ""
    q: str = ""

    @classmethod
    def of(cls, args) -> "Filters":
        severity = (args.get("severity") or "").capitalize()
        return cls(severity if severity in SEVERITIES else "", (args.get("rule") or "").strip(), (args.get("q") or "").strip())

    def __bool__(self):
        return bool(self.severity or self.rule or self.q)

    def rules(self, report: Report, lang: str = "en") -> list[Rule]:
        out = []
        needle = self.q.lower()
        for rule in report.rules():
            if self.severity and rule.severity != self.severity:
                continue
            if self.rule and self.rule not in (rule.shape, rule.name):
                continue
            results = rule.results
            if needle:
                results = [r for r in results if needle in " ".join(
                    [r.focus, r.text("da"), r.text("en"), report.labels.name(r.focus, "da"),
                     report.labels.name(r.focus, "en"), rule.text("da"), rule.text("en")]).lower()]
            if results:
                results = sorted(results, key=lambda r: (report.labels.name(r.focus, lang).lower(), r.text(lang)))
                out.append(Rule(rule.shape, rule.severity, rule.title, results))
        return out


def summary(report: Report, lang: str = "en") -> str:
    verdict = word("conforms" if report.conforms else "does not conform", lang)
    return (f"{verdict}: {report.count('Violation')} {word('violations', lang)}, {report.count('Warning')} "
            f"{word('warnings', lang)}, {report.count('Info')} {word('infos', lang)} {word('on', lang)} "
            f"{report.focus_count} {word('resources', lang)}")


def as_text(report: Report, lang: str = "en", filters: Filters | None = None) -> str:
    rules = (filters or Filters()).rules(report, lang)
    lines = []
    for severity in SEVERITIES:
        mine = [r for r in rules if r.severity == severity]
        if not mine:
            continue
        n = sum(len(r.results) for r in mine)
        lines.append(f"{word(_PLURAL[severity], lang)}: {n} {word('in', lang)} {len(mine)} "
                     f"{word('rules' if len(mine) != 1 else 'rule', lang)}")
        for rule in mine:
            lines.append(f"  {rule.name} ({len(rule.results)}): {rule.text(lang)}")
            for r in rule.results:
                lines.append(f"    {report.labels.name(r.focus, lang)} <{r.focus}>: {r.text(lang)}")
        lines.append("")
    lines.append(summary(report, lang))
    return "\n".join(lines) + "\n"


def as_json(report: Report, filters: Filters | None = None) -> str:
    labels = report.labels
    rules = (filters or Filters()).rules(report)
    return json.dumps({
        "conforms": report.conforms,
        "counts": {s.lower(): report.count(s) for s in SEVERITIES},
        "rules": [{"shape": g.shape, "name": g.name, "severity": g.severity, "title": g.title, "count": len(g.results)}
                  for g in rules],
        "results": [{"focus": r.focus, "focus_label": labels.names(r.focus) or {"": labels.name(r.focus)},
                     "severity": r.severity, "message": r.message, "path": r.path,
                     "value": r.value, "shape": r.shape, "rule": g.name, "component": r.component}
                    for g in rules for r in g.results],
    }, indent=2, ensure_ascii=False)


def as_rdf(report: Report, fmt: str = "turtle") -> str:
    g = report_graph(report)
    return g.serialize(format=fmt, **({"auto_compact": True} if fmt == "json-ld" else {}))


def as_junit(report: Report) -> str:
    """One test suite per broken rule, one test case per focus node; violations are failures,
    warnings and infos are system-out (they do not fail a CI build)."""
    suites = []
    total = failures = 0
    for rule in report.rules():
        by_focus: dict = {}
        for r in rule.results:
            by_focus.setdefault(r.focus, []).append(r)
        cases = []
        for focus, results in by_focus.items():
            name = f"{report.labels.name(focus)} <{focus}>"
            if rule.severity == "Violation":
                body = "".join(f"<failure message={quoteattr(r.text())}>{escape(r.text('da'))}</failure>" for r in results)
            else:
                body = f"<system-out>{escape(chr(10).join(f'{r.severity}: {r.text()}' for r in results))}</system-out>"
            cases.append(f'    <testcase classname={quoteattr(rule.name)} name={quoteattr(name)}>{body}</testcase>')
        n_fail = len(by_focus) if rule.severity == "Violation" else 0
        total += len(by_focus)
        failures += n_fail
        suites.append(f'  <testsuite name={quoteattr(rule.name + ": " + rule.text())} tests="{len(by_focus)}" '
                      f'failures="{n_fail}" errors="0">\n' + "\n".join(cases) + "\n  </testsuite>")
    if not suites:
        suites = ['  <testsuite name="digikort-shapes" tests="1" failures="0" errors="0">\n'
                  '    <testcase classname="digikort.shapes" name="conforms"/>\n  </testsuite>']
        total = 1
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuites name="digikort-validation" tests="{total}" failures="{failures}" errors="0">\n'
            + "\n".join(suites) + "\n</testsuites>\n")


def as_html(report: Report, lang: str = "da", link=lambda iri: iri, filters: Filters | None = None) -> str:
    from flask import render_template

    filters = filters or Filters()
    rules = filters.rules(report, lang)
    shown = sum(len(r.results) for r in rules)
    return render_template("validation/report.html", report=report, rules=rules, all_rules=report.rules(),
                           filters=filters, lang=lang, link=link, summary=summary(report, lang),
                           shown=shown, total=len(report.results), word=lambda k: word(k, lang),
                           severities=SEVERITIES, plural=_PLURAL)
