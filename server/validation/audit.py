"""The completeness audit: per plan, how many of its things have what an auditor expects
(an owner, a focus area, a status in every report, a source), with the gaps named.

Each measure says in words what it counts and why a resource fails it, and points to the
validation rule that reports the same gaps one by one.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

_PREFIX = "PREFIX dk: <https://w3id.org/digikort/def/> PREFIX dct: <http://purl.org/dc/terms/> "
_LABELS = ("SELECT ?x ?label WHERE { VALUES ?x { %s } "
           "?x <http://www.w3.org/2000/01/rdf-schema#label>|<http://purl.org/dc/terms/title> ?label }")


@dataclass
class Measure:
    key: str
    title: dict  # lang -> title
    explain: dict  # lang -> what is counted and when a resource fails
    query: str  # SELECT ?plan ?resource ?ok [?why]: one row per resource (and reason)
    rules: tuple = ()  # the validation rule (shape) that reports the same gaps: the first that exists

    @property
    def rule(self) -> str:
        from rdflib import URIRef

        from .engine import SHAPES, shipped_shapes

        shapes = shipped_shapes()
        return next((r for r in self.rules if (URIRef(str(SHAPES) + r.split(":", 1)[1]), None, None) in shapes), "")


MEASURES = [
    Measure(
        "lead-agency",
        {"da": "Initiativer med ansvarlig myndighed", "en": "Initiatives with a lead agency"},
        {"da": "Tæller planens initiativer, som mindst én kilde giver en ansvarlig myndighed (dk:leadAgency). "
               "Et hul betyder, at ingen af kilderne nævner, hvem der leder initiativet.",
         "en": "Counts the plan's initiatives for which at least one source names a lead agency (dk:leadAgency). "
               "A gap means none of the sources says who leads the initiative."},
        "SELECT DISTINCT ?plan ?resource ?ok WHERE { ?resource a dk:Initiative ; dk:inPlan ?plan . "
        "BIND(EXISTS { ?resource dk:leadAgency ?a } AS ?ok) }",
        ("shapes:Initiative-leadAgency-minCount",)),
    Measure(
        "focus-area",
        {"da": "Initiativer med fokusområde", "en": "Initiatives with a focus area"},
        {"da": "Tæller planens initiativer, der er placeret i et af planens fokusområder (dk:focusArea).",
         "en": "Counts the plan's initiatives that are placed in one of the plan's focus areas (dk:focusArea)."},
        "SELECT DISTINCT ?plan ?resource ?ok WHERE { ?resource a dk:Initiative ; dk:inPlan ?plan . "
        "BIND(EXISTS { ?resource dk:focusArea ?a } AS ?ok) }",
        ("shapes:Initiative-rule-1",)),
    Measure(
        "status-every-report",
        {"da": "Initiativer med status i hver rapport", "en": "Initiatives with a status in every report"},
        {"da": "Tæller planens initiativer, der har en statusvurdering i hver eneste statusrapport om planen. "
               "Et initiativ tæller ikke med, hvis blot én rapport om planen mangler dets status; ud for hvert hul står, "
               "hvilke rapporter der mangler, og tabellen nedenfor viser, hvor mange initiativer hver rapport dækker.",
         "en": "Counts the plan's initiatives that have a status assessment in every status report on the plan. "
               "An initiative does not count if even one report on the plan lacks its status; each gap lists the "
               "reports that lack it, and the table below shows how many initiatives each report covers."},
        "SELECT DISTINCT ?plan ?resource ?ok ?why WHERE { ?resource a dk:Initiative ; dk:inPlan ?plan . "
        "OPTIONAL { ?why a dk:StatusReport ; dk:reportsOn ?plan "
        "FILTER NOT EXISTS { ?x dk:assessedInitiative ?resource ; dk:inReport ?why } } "
        "BIND(!BOUND(?why) AS ?ok) }",
        ("shapes:Initiative-rule-4",)),
    Measure(
        "component-owner",
        {"da": "Komponenter med ansvarlig myndighed", "en": "Components with a responsible agency"},
        {"da": "Tæller de fællesoffentlige infrastrukturkomponenter, som en kilde giver en ansvarlig myndighed "
               "(dk:responsibleAgency). Komponenter hører ikke til en bestemt plan.",
         "en": "Counts the shared infrastructure components for which a source names a responsible agency "
               "(dk:responsibleAgency). Components belong to no particular plan."},
        "SELECT DISTINCT ?plan ?resource ?ok WHERE { ?resource a dk:InfrastructureComponent . BIND(\"\" AS ?plan) "
        "BIND(EXISTS { ?resource dk:responsibleAgency ?a } AS ?ok) }",
        ("shapes:Component-owner", "shapes:Component-responsibleAgency-minCount")),
    Measure(
        "dependency-source",
        {"da": "Afhængigheder med kilde", "en": "Dependencies citing a source"},
        {"da": "Tæller de kvalificerede afhængigheder mellem komponenter, der citerer et kildedokument (dct:source).",
         "en": "Counts the qualified dependencies between components that cite a source document (dct:source)."},
        "SELECT DISTINCT ?plan ?resource ?ok WHERE { ?resource a dk:Dependency . BIND(\"\" AS ?plan) "
        "BIND(EXISTS { ?resource dct:source ?a } AS ?ok) }",
        ("shapes:Dependency-source",)),
]

_REPORT_COVERAGE = (
    "SELECT ?plan ?report ?year (COUNT(DISTINCT ?i) AS ?assessed) WHERE { ?report a dk:StatusReport ; dk:reportsOn ?plan . "
    "OPTIONAL { ?report dk:reportYear ?year } "
    "OPTIONAL { ?a dk:inReport ?report ; dk:assessedInitiative ?i . ?i dk:inPlan ?plan } } GROUP BY ?plan ?report ?year")


@dataclass
class PlanRow:
    plan: str
    passed: list = field(default_factory=list)
    gaps: list = field(default_factory=list)  # (resource, [reasons])

    @property
    def total(self) -> int:
        return len(self.passed) + len(self.gaps)

    @property
    def percent(self) -> int:
        return round(100 * len(self.passed) / self.total) if self.total else 100


def _rows(store, query: str) -> list[dict]:
    return json.loads(store.query(_PREFIX + query, result_format="json").body)["results"]["bindings"]


def run_audit(store) -> dict:
    """{"measures": [...], "coverage": {plan: [(report, year, assessed, total)]}, "labels": {iri: {lang: name}}}"""
    measures = []
    mentioned: set = set()
    for m in MEASURES:
        plans: dict[str, PlanRow] = {}
        reasons: dict = {}
        ok: dict = {}
        for b in _rows(store, m.query):
            plan, res = b["plan"]["value"], b["resource"]["value"]
            ok[(plan, res)] = ok.get((plan, res), True) and b["ok"]["value"] == "true"
            if "why" in b:
                reasons.setdefault((plan, res), []).append(b["why"]["value"])
        for (plan, res), good in sorted(ok.items()):
            row = plans.setdefault(plan, PlanRow(plan))
            if good:
                row.passed.append(res)
            else:
                row.gaps.append((res, sorted(reasons.get((plan, res), []))))
            mentioned |= {plan, res, *reasons.get((plan, res), [])}
        measures.append({"measure": m, "plans": list(plans.values())})
    coverage: dict = {}
    totals = {row.plan: row.total for row in next(x for x in measures if x["measure"].key == "status-every-report")["plans"]}
    for b in _rows(store, _REPORT_COVERAGE):
        plan, report = b["plan"]["value"], b["report"]["value"]
        coverage.setdefault(plan, []).append((report, b.get("year", {}).get("value", ""), int(b["assessed"]["value"]),
                                              totals.get(plan, 0)))
        mentioned |= {plan, report}
    for plan in coverage:
        coverage[plan].sort(key=lambda c: (c[1], c[0]))
    return {"measures": measures, "coverage": coverage, "labels": labels(store, mentioned - {""})}


def labels(store, iris) -> dict:
    out: dict = {}
    iris = sorted(iris)
    for i in range(0, len(iris), 300):
        values = " ".join(f"<{x}>" for x in iris[i:i + 300])
        for b in json.loads(store.query(_LABELS % values, result_format="json").body)["results"]["bindings"]:
            out.setdefault(b["x"]["value"], {}).setdefault(b["label"].get("xml:lang", ""), b["label"]["value"])
    return out


def as_json(audit: dict, lang: str) -> dict:
    names = audit["labels"]

    def name(iri):
        n = names.get(iri, {})
        return n.get(lang) or n.get("en" if lang == "da" else "da") or n.get("") or iri

    return {"measures": [{
        "key": x["measure"].key, "title": x["measure"].title, "explanation": x["measure"].explain, "rule": x["measure"].rule,
        "plans": [{"plan": p.plan or None, "plan_label": name(p.plan) if p.plan else None, "passed": len(p.passed),
                   "total": p.total, "percent": p.percent,
                   "gaps": [{"resource": g, "label": name(g), "missing": why} for g, why in p.gaps]}
                  for p in x["plans"]]} for x in audit["measures"]],
        "report_coverage": {plan: [{"report": r, "label": name(r), "year": y, "assessed": a, "initiatives": t}
                                   for r, y, a, t in rows] for plan, rows in audit["coverage"].items()}}
