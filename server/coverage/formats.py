"""The coverage report as text, JSON and HTML (the page and `digikort coverage` share these)."""
from __future__ import annotations

import json

from rdflib import Literal, URIRef

from ..namespaces import BASE, PREFIXES
from .report import STATUSES, CoverageReport, Entry

_PREFIXES = sorted(((iri, p) for p, iri in PREFIXES.items()), key=lambda x: -len(x[0]))


def term(t) -> str:
    """A term the way a person reads it in Turtle: prefixed names, literals cut at 120 characters."""
    if isinstance(t, URIRef):
        for iri, p in _PREFIXES:
            if str(t).startswith(iri) and "/" not in str(t)[len(iri):]:
                return f"{p}:{str(t)[len(iri):]}"
        if str(t).startswith(BASE):  # Digikort's own resources: the path is what people read
            return f"<{str(t)[len(BASE):]}>"
        return f"<{t}>"
    if isinstance(t, Literal):
        text = str(t) if len(str(t)) <= 120 else str(t)[:117] + "..."
        suffix = f"@{t.language}" if t.language else (f"^^{term(t.datatype)}" if t.datatype else "")
        return json.dumps(text, ensure_ascii=False) + suffix
    return str(t)


def summary(report: CoverageReport) -> dict:
    return {
        "sentences": len(report.entries),
        "in_scope": report.in_scope,
        **{status: report.count(status) for status in STATUSES},
        "stale_reasons": len(report.stale_reasons),
        # quoted sentences whose dates or numbers no figure or milestone states (a worklist, not a gap)
        "text_only_sentences": sum(1 for e in report.entries if e.text_only),
        "text_only_values": sum(len(e.text_only) for e in report.entries),
    }


def entry_json(e: Entry) -> dict:
    return {
        "id": e.sentence.id,
        "seed": e.sentence.seed,
        "ordinal": e.sentence.ordinal,
        "heading": e.sentence.heading,
        "text": e.sentence.text,
        "status": e.status,
        "how": e.how or None,
        "markers": [{"kind": m.kind, "text": m.text, "represented": bool(m.evidence)} for m in e.markers],
        "triples": [[str(x) for x in t] for t in e.evidence],
        "reason": e.reason or None,
        "text_only": [m.text for m in e.text_only],
    }


def as_json(report: CoverageReport, include_out_of_scope: bool = False) -> str:
    return json.dumps({
        "summary": summary(report),
        "seeds": [{
            "seed": s.seed.number, "file": s.seed.file, "graph": s.graph,
            **{status: s.count(status) for status in STATUSES},
            "sentences": [entry_json(e) for e in s.entries if include_out_of_scope or e.status != "out-of-scope"],
        } for s in report.seeds],
        "stale_reasons": report.stale_reasons,
    }, indent=2, ensure_ascii=False) + "\n"


def summary_line(report: CoverageReport) -> str:
    s = summary(report)
    return (f"{s['sentences']} sentences, {s['in_scope']} carry a date, number or name: {s['covered']} covered, "
            f"{s['reasoned']} not modelled with a reason, {s['uncovered']} uncovered "
            f"({s['text_only_values']} dates or numbers of {s['text_only_sentences']} quoted sentences are stated only as text)")


def as_text(report: CoverageReport, show: set[str] | None = None) -> str:
    """One block per sentence shown (default: the uncovered and the reasoned), then the summary."""
    show = show if show is not None else {"uncovered", "reasoned"}
    lines = []
    for s in report.seeds:
        counts = ", ".join(f"{s.count(st)} {st}" for st in STATUSES)
        lines.append(f"seed {s.seed.number} ({s.seed.file}) -> {s.graph or 'no graph'}: {counts}")
        for e in s.entries:
            if e.status not in show and not ("text-only" in show and e.text_only):
                continue
            lines.append(f"  {e.status.upper():9} {e.sentence.id}  {e.sentence.text}")
            if e.status == "uncovered":
                lines.append("            not represented: " + ", ".join(f"{m.kind} {m.text!r}" for m in e.missing))
            if e.reason:
                lines.append(f"            reason: {e.reason}")
            if e.text_only:
                lines.append("            only as text: " + ", ".join(repr(m.text) for m in e.text_only))
            for t in e.evidence[:6]:
                lines.append("            " + " ".join(term(x) for x in t))
        lines.append("")
    for rid in report.stale_reasons:
        lines.append(f"stale reason: {rid} matches no sentence of the seeds")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def as_html(report: CoverageReport, lang: str = "en", link=lambda iri: iri, show: set[str] | None = None) -> str:
    """The page (needs a Flask app context: it extends the site's base template)."""
    from flask import render_template

    return render_template("coverage/report.html", report=report, summary=summary(report), statuses=STATUSES,
                           shown=show or set(STATUSES), lang=lang, term=term, link=link)
