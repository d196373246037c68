"""The index pages (strategies, initiatives, components, agencies) and search, as rows of
plain data with the facets a person can filter on. Labels are looked up in the page's
language by the caller; sorting here is by meaning (strategies by period, initiatives by
plan and number), not by IRI."""
from __future__ import annotations

from rdflib import Literal

from . import rows
from .domain import DK, colour, natural

CPOV_PUBLIC = "http://data.europa.eu/m8g/PublicOrganisation"


def strategies(store) -> list[dict]:
    by_iri: dict[str, dict] = {}
    for r in rows(store, "index-strategies"):
        s = by_iri.setdefault(r["x"], {"iri": r["x"], "type": r["type"], "start": r.get("start"), "end": r.get("end"),
                                       "initiatives": int(r.get("initiatives", 0)), "reports": int(r.get("reports", 0)),
                                       "parties": []})
        if r.get("party") and r["party"] not in s["parties"]:
            s["parties"].append(r["party"])
    for s in by_iri.values():
        s["parties"].sort()
    # By period: by start year, the longer one first, a joint strategy before an action plan.
    return sorted(by_iri.values(), key=lambda s: (s["start"] or "9999", -(int(s["end"] or 0)),
                                                  s["type"] != DK + "Strategy", s["iri"]))


def initiatives(store) -> list[dict]:
    by_iri: dict[str, dict] = {}
    for r in rows(store, "index-initiatives"):
        i = by_iri.setdefault(r["x"], {"iri": r["x"], "number": r.get("number"), "plan": r.get("plan"),
                                       "focus_area": r.get("focusArea"), "focus_area_number": r.get("focusAreaNumber"),
                                       "leads": [], "statuses": {}})
        if r.get("lead") and r["lead"] not in i["leads"]:
            i["leads"].append(r["lead"])
        if r.get("report"):
            i["statuses"][r["report"]] = (r.get("year") or "", r.get("state"), r.get("colour"))
    for i in by_iri.values():
        latest = max(i.pop("statuses").items(), key=lambda kv: (kv[1][0], kv[0]), default=None)
        i["latest"] = ({"report": latest[0], "year": latest[1][0] or None, "state": latest[1][1],
                        "colour": colour(latest[1][2])} if latest else None)
    return sorted(by_iri.values(), key=lambda i: (i["plan"] or "", natural(i["number"]), i["iri"]))


def components(store) -> list[dict]:
    by_iri: dict[str, dict] = {}
    for r in rows(store, "index-components"):
        c = by_iri.setdefault(r["x"], {"iri": r["x"], "kinds": [], "owners": [], "successors": [],
                                       "depends_on": 0, "dependents": 0, "initiatives": 0})
        for key, var in (("kinds", "kind"), ("owners", "owner"), ("successors", "successor")):
            if r.get(var) and r[var] not in c[key]:
                c[key].append(r[var])
        for key, var in (("depends_on", "dependsOn"), ("dependents", "dependents"), ("initiatives", "initiatives")):
            c[key] = max(c[key], int(r.get(var, 0)))
    return list(by_iri.values())  # sorted by label by the caller (labels are per language)


def agencies(store) -> list[dict]:
    return [{"iri": r["x"], "public": r.get("public") == "true", "leads": int(r.get("leads", 0)),
             "partner_in": int(r.get("partnerIn", 0)), "owns": int(r.get("owns", 0))}
            for r in rows(store, "index-agencies")]


def search(store, q: str) -> list[dict]:
    """Hits for `q` in labels, titles, descriptions and definitions in both languages; one
    entry per resource with the texts that matched."""
    hits: dict[str, dict] = {}
    for r in rows(store, "search", q=Literal(q)):
        h = hits.setdefault(r["x"], {"iri": r["x"], "types": [], "matches": []})
        if r.get("type") and r["type"] not in h["types"]:
            h["types"].append(r["type"])
        match = (r["text"], r.get("text@lang"))
        if match not in h["matches"]:
            h["matches"].append(match)
    return list(hits.values())


# The class a search hit is shown as (most specific first), and the index it belongs to.
SEARCH_KINDS = [
    (DK + "Initiative", "initiatives"), (DK + "InfrastructureComponent", "components"),
    (DK + "Strategy", "strategies"), (DK + "ActionPlan", "strategies"), (CPOV_PUBLIC, "agencies"),
    ("http://www.w3.org/ns/org#Organization", "agencies"),
]


def hit_kind(types: list[str]) -> str | None:
    return next((kind for cls, kind in SEARCH_KINDS if cls in types), None)
