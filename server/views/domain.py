"""Domain views: what a person wants to see first on the page of an initiative, a component,
a strategy or plan, a status report or an agency. Each view is plain data (IRIs, numbers,
{lang: text} dicts); the templates in templates/views/ draw it with labels.

The resource's own statements come from its description; what points at it (status
assessments, milestones, dependents, initiatives) comes from the queries in sparql/.
"""
from __future__ import annotations

import re

from rdflib import URIRef

from . import rows

DK = "https://w3id.org/digikort/def/"
ORG = "http://www.w3.org/ns/org#"
CPOV = "http://data.europa.eu/m8g/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# The most specific class decides the view (an initiative is not shown as a plan).
KINDS = [
    (DK + "Initiative", "initiative"),
    (DK + "InfrastructureComponent", "component"),
    (DK + "StatusReport", "report"),
    (DK + "Strategy", "plan"),
    (DK + "ActionPlan", "plan"),
    (DK + "Plan", "plan"),
    (DK + "FocusArea", "focus_area"),
    (CPOV + "PublicOrganisation", "agency"),
    (ORG + "Organization", "agency"),
]


def view_kind(types) -> str | None:
    names = {str(t) for t in types}
    return next((kind for cls, kind in KINDS if cls in names), None)


def build(store, iri: str, statements, types) -> dict | None:
    """The domain view of `iri`, or None for resources without one (they keep the table)."""
    kind = view_kind(types)
    if kind is None:
        return None
    me = URIRef(iri)
    own = _objects(statements)
    return {"kind": kind, **_BUILDERS[kind](store, me, own)}


# ------------------------------------------------------------------ helpers
def natural(text) -> list:
    """Sort key that puts 1.2 before 1.10 and 2 before 10."""
    return [(0, int(t), "") if t.isdigit() else (1, 0, t.lower()) for t in re.split(r"(\d+)", str(text or "")) if t]


def _objects(statements) -> dict[str, list]:
    """predicate IRI -> its distinct objects, in the order first stated."""
    out: dict[str, list] = {}
    for p, o, _ in statements:
        values = out.setdefault(str(p), [])
        if o not in values:
            values.append(o)
    return out


def _iris(own, prop) -> list[str]:
    return [str(o) for o in own.get(DK + prop, []) if isinstance(o, URIRef)]


def _literal(own, prop):
    values = own.get(DK + prop, [])
    return str(values[0]) if values else None


def _collect(found: list[dict], key: str) -> dict[str, dict]:
    """Rows grouped by `key`: a plain value per variable (the first), language-tagged
    literals as {lang: text}, and every distinct value under `all`."""
    out: dict[str, dict] = {}
    for r in found:
        rec = out.setdefault(r[key], {"all": {}})
        for var, value in r.items():
            if var.endswith("@lang"):
                continue
            lang = r.get(var + "@lang")
            if lang is not None:
                rec.setdefault(var, {}).setdefault(lang, value)
            else:
                rec.setdefault(var, value)
                seen = rec["all"].setdefault(var, [])
                if value not in seen:
                    seen.append(value)
    return out


def colour(iri: str | None) -> str | None:
    """red / yellow / green from a status-colour concept IRI (a CSS class on the page)."""
    return iri.rsplit("/", 1)[-1] if iri else None


def _milestones(store, me) -> list[dict]:
    found = _collect(rows(store, "milestones", me=me), "milestone")
    items = [{"iri": m, "date": r.get("date"), "date_text": r.get("dateText", {}), "kind": r.get("kind"),
              "expected": r.get("expected") == "true"} for m, r in found.items()]
    # Date order; undated milestones last. gYear "2019" sorts before "2019-03", as it should.
    return sorted(items, key=lambda m: (m["date"] is None, m["date"] or "", m["iri"]))


def _latest(rec: dict) -> dict | None:
    """The latest status among an initiative's rows (by report year, then report IRI)."""
    statuses = [s for s in rec if s.get("report")]
    if not statuses:
        return None
    s = max(statuses, key=lambda s: (s.get("year") or "", s["report"]))
    return {"report": s["report"], "year": s.get("year"), "state": s.get("state"), "colour": colour(s.get("colour"))}


def _initiatives_with_status(store, me, relation: str) -> list[dict]:
    by_initiative: dict[str, list] = {}
    info: dict[str, dict] = {}
    for r in rows(store, "initiatives-with-status", me=me):
        if r["relation"] != relation:
            continue
        by_initiative.setdefault(r["initiative"], []).append(r)
        info.setdefault(r["initiative"], {"number": r.get("number"), "plan": r.get("plan")})
    items = [{"iri": i, **info[i], "latest": _latest(rs)} for i, rs in by_initiative.items()]
    return sorted(items, key=lambda i: (i["plan"] or "", natural(i["number"]), i["iri"]))


# ------------------------------------------------------------------ views
def _initiative(store, me, own) -> dict:
    found = _collect(rows(store, "initiative-status", me=me), "assessment")
    timeline = [{"assessment": a, "report": r["report"], "year": r.get("year"), "state": r.get("state"),
                 "colour": colour(r.get("colour")), "colour_iri": r.get("colour"), "concerns": r["all"].get("concern", []),
                 "results": r.get("results", {}), "plans": r.get("plans", {})} for a, r in found.items()]
    timeline.sort(key=lambda s: (s["year"] or "", s["report"]))
    return {
        "number": _literal(own, "initiativeNumber"),
        "plans": _iris(own, "inPlan"),
        "focus_areas": _iris(own, "focusArea"),
        "leads": _iris(own, "leadAgency"),
        "partners": _iris(own, "partnerAgency"),
        "components": _iris(own, "concernsComponent"),
        "timeline": timeline,
        "milestones": _milestones(store, me),
    }


def _component(store, me, own) -> dict:
    links: dict[str, list] = {}
    for r in rows(store, "component-links", me=me):
        items = links.setdefault(r["relation"], [])
        entry = {"iri": r["other"], "kind": colour(r.get("kind"))}
        if not any(e["iri"] == entry["iri"] for e in items):
            items.append(entry)
        elif entry["kind"]:
            next(e for e in items if e["iri"] == entry["iri"])["kind"] = entry["kind"]
    # When a succession happens: the successor's migration, launch and completion milestones.
    for relation, successor in (("replaces", lambda e: me), ("replaced_by", lambda e: URIRef(e["iri"]))):
        for e in links.get(relation, []):
            when = _collect(rows(store, "succession", me=successor(e)), "milestone")
            e["when"] = sorted(({"iri": m, "date": r.get("date"), "date_text": r.get("dateText", {}), "kind": r.get("kind")}
                                for m, r in when.items()), key=lambda m: m["date"] or "")
    for relation in ("depends_on", "dependents"):
        links.get(relation, []).sort(key=lambda e: e["iri"])
    return {
        "kinds": [e["iri"] for e in links.get("kind", [])],
        "owners": [e["iri"] for e in links.get("owner", [])],
        "support": [e["iri"] for e in links.get("support", [])],
        "depends_on": links.get("depends_on", []),
        "dependents": links.get("dependents", []),
        "replaces": links.get("replaces", []),
        "replaced_by": links.get("replaced_by", []),
        "initiatives": _initiatives_with_status(store, me, "concerns"),
        "milestones": _milestones(store, me),
    }


def _plan(store, me, own) -> dict:
    facts: dict[str, list] = {}
    for r in rows(store, "plan-facts", me=me):
        facts.setdefault(r["relation"], []).append(r)
    focus_areas = sorted({r["value"]: r.get("number") for r in facts.get("focus_area", [])}.items(),
                         key=lambda kv: natural(kv[1]))
    reports = {r["value"]: r.get("number") for r in facts.get("report", [])}
    initiatives: dict[str, dict] = {}
    for r in rows(store, "plan-matrix", me=me):
        i = initiatives.setdefault(r["initiative"], {"iri": r["initiative"], "number": r.get("number"),
                                                     "focus_area": r.get("focusArea"), "cells": {}})
        if r.get("report"):
            reports.setdefault(r["report"], r.get("year"))
            i["cells"][r["report"]] = {"state": r.get("state"), "colour": colour(r.get("colour"))}
    columns = sorted(reports.items(), key=lambda kv: (kv[1] or "", kv[0]))
    start = [r["value"] for r in facts.get("start", [])]
    end = [r["value"] for r in facts.get("end", [])]
    return {
        "start": start[0] if start else None,
        "end": end[0] if end else None,
        "parties": sorted({r["value"] for r in facts.get("party", [])}),
        "focus_areas": focus_areas,
        "reports": columns,
        "initiatives": sorted(initiatives.values(), key=lambda i: (natural(i["number"]), i["iri"])),
        "milestones": _milestones(store, me),
    }


def _report(store, me, own) -> dict:
    found = _collect(rows(store, "report-status", me=me), "initiative")
    table = [{"iri": i, "number": r.get("number"), "state": r.get("state"), "colour": colour(r.get("colour")),
              "previous": colour(r.get("previousColour")), "concerns": r["all"].get("concern", [])}
             for i, r in found.items()]
    return {
        "plans": _iris(own, "reportsOn"),
        "year": _literal(own, "reportYear"),
        "table": sorted(table, key=lambda s: (natural(s["number"]), s["iri"])),
    }


def _agency(store, me, own) -> dict:
    components: dict[str, list] = {}
    for r in rows(store, "agency-components", me=me):
        items = components.setdefault(r["relation"], [])
        if r["component"] not in [c["iri"] for c in items]:
            items.append({"iri": r["component"], "kind": r.get("kind")})
    return {
        "leads": _initiatives_with_status(store, me, "leads"),
        "partner_in": _initiatives_with_status(store, me, "partner_in"),
        "owns": sorted(components.get("owns", []), key=lambda c: c["iri"]),
        "supports": sorted(components.get("supports", []), key=lambda c: c["iri"]),
    }


def _focus_area(store, me, own) -> dict:
    plans, number, by_initiative, info = [], None, {}, {}
    for r in rows(store, "focus-area", me=me):
        if r.get("plan") and r["plan"] not in plans:
            plans.append(r["plan"])
        number = number or r.get("focusNumber")
        if r.get("initiative"):
            by_initiative.setdefault(r["initiative"], []).append(r)
            info.setdefault(r["initiative"], {"number": r.get("number"), "plan": None})
    items = [{"iri": i, **info[i], "latest": _latest(rs)} for i, rs in by_initiative.items()]
    return {"plans": plans, "number": number,
            "initiatives": sorted(items, key=lambda i: (natural(i["number"]), i["iri"]))}


_BUILDERS = {"focus_area": _focus_area, "initiative": _initiative, "component": _component, "plan": _plan, "report": _report, "agency": _agency}
