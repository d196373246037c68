"""The home page, the index pages per class (strategies, initiatives, components, agencies)
with counts, status and owner columns and filters, and search. Every page is also JSON
(?format=json). The data and its SPARQL live in `views/` (views/sparql/*.rq)."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from ..views import indexes
from ..views.domain import natural
from ..views.labels import labels_for
from .app import current_store
from .i18n import page_lang, t
from .links import local_url

bp = Blueprint("pages", __name__)

INDEXES = ("strategies", "initiatives", "components", "agencies")
_TITLES = {"strategies": "strategies_and_plans", "initiatives": "initiatives",
           "components": "infrastructure_components", "agencies": "agencies_and_organisations"}
_NONE = "none"  # the filter value for "has none" (no owner, no status)


def _wants_json() -> bool:
    return request.args.get("format") == "json" or request.accept_mimetypes.best == "application/json"


class _Names:
    """Labels in the page language, for sorting, facets and JSON."""

    def __init__(self, lang: str):
        self.labels, self.lang = labels_for(current_store()), lang

    def __call__(self, iri):
        return self.labels.get(iri, self.lang)

    def text(self, iri) -> str:
        return self.labels.text(iri, self.lang) if iri else ""


def _facet(items, values_of, names: _Names, none_label: str | None = None) -> list[tuple[str, str, int]]:
    """(value, label, count) for a filter's options, most frequent first."""
    counts: dict[str, int] = {}
    for item in items:
        values = values_of(item) or ([_NONE] if none_label else [])
        for v in values:
            counts[v] = counts.get(v, 0) + 1
    label = lambda v: none_label if v == _NONE else names.text(v)  # noqa: E731
    return sorted(((v, label(v), n) for v, n in counts.items()), key=lambda o: (o[0] == _NONE, -o[2], o[1].lower()))


def _keep(items, param: str, values_of):
    wanted = request.args.get(param)
    if not wanted:
        return items
    return [i for i in items if wanted in (values_of(i) or [_NONE])]


def _text_filter(items, names: _Names):
    q = (request.args.get("q") or "").strip().lower()
    if not q:
        return items
    labels = names.labels.names
    return [i for i in items if any(q in text.lower() for text in labels.get(i["iri"], {}).values())
            or q in (i.get("number") or "").lower()]


def _strategies(names):
    items = indexes.strategies(current_store())
    facets = {"type": _facet(items, lambda s: [s["type"]], names)}
    return _keep(items, "type", lambda s: [s["type"]]), facets, len(items)


def _initiatives(names):
    # In the order of their plans (by period), then by number: 1.2 before 1.10.
    plan_order = {s["iri"]: n for n, s in enumerate(indexes.strategies(current_store()))}
    items = sorted(indexes.initiatives(current_store()),
                   key=lambda i: (plan_order.get(i["plan"], len(plan_order)), natural(i["number"]), i["iri"]))
    status_of = lambda i: [i["latest"]["state"]] if i["latest"] and i["latest"]["state"] else []  # noqa: E731
    facets = {
        "plan": _facet(items, lambda i: [i["plan"]] if i["plan"] else [], names),
        "focus": _facet(items, lambda i: [i["focus_area"]] if i["focus_area"] else [], names),
        "lead": _facet(items, lambda i: i["leads"], names, t("unknown", names.lang)),
        "status": _facet(items, status_of, names, t("no_status", names.lang)),
    }
    total = len(items)
    items = _keep(items, "plan", lambda i: [i["plan"]] if i["plan"] else [])
    items = _keep(items, "focus", lambda i: [i["focus_area"]] if i["focus_area"] else [])
    items = _keep(items, "lead", lambda i: i["leads"])
    items = _keep(items, "status", status_of)
    return _text_filter(items, names), facets, total


def _components(names):
    items = sorted(indexes.components(current_store()), key=lambda c: names.text(c["iri"]).lower())
    facets = {"kind": _facet(items, lambda c: c["kinds"], names),
              "owner": _facet(items, lambda c: c["owners"], names, t("unknown", names.lang))}
    total = len(items)
    items = _keep(items, "kind", lambda c: c["kinds"])
    items = _keep(items, "owner", lambda c: c["owners"])
    return _text_filter(items, names), facets, total


def _agencies(names):
    items = sorted(indexes.agencies(current_store()), key=lambda a: (not a["public"], names.text(a["iri"]).lower()))
    roles = lambda a: [r for r in ("leads", "partner_in", "owns") if a[r]]  # noqa: E731
    kind = lambda a: ["public" if a["public"] else "other"]  # noqa: E731
    facets = {"role": [(r, t(r, names.lang), sum(1 for a in items if a[r])) for r in ("leads", "partner_in", "owns")],
              "public": [("public", t("public_authorities", names.lang), sum(1 for a in items if a["public"])),
                         ("other", t("other_organisations", names.lang), sum(1 for a in items if not a["public"]))]}
    total = len(items)
    items = _keep(items, "role", roles)
    items = _keep(items, "public", kind)
    return _text_filter(items, names), facets, total


_BUILD = {"strategies": _strategies, "initiatives": _initiatives, "components": _components, "agencies": _agencies}


def _as_json(item: dict, names: _Names) -> dict:
    """An index row for machines: IRIs stay IRIs, with a label and the local URL beside."""
    out = {"iri": item["iri"], "label": names.text(item["iri"]), "url": local_url(item["iri"])}
    for k, v in item.items():
        if k != "iri":
            out[k] = v
    return out


@bp.get("/<any(strategies, initiatives, components, agencies):name>")
def index(name):
    lang = page_lang()
    names = _Names(lang)
    items, facets, total = _BUILD[name](names)
    title = t(_TITLES[name], lang)
    if _wants_json():
        return jsonify(title=title, count=len(items), total=total, filters=dict(request.args),
                       items=[_as_json(i, names) for i in items])
    return render_template(f"index/{name}.html", title=title, items=items, facets=facets, total=total,
                           lang=lang, link=local_url, name=names, args=request.args)


@bp.get("/search")
def search():
    lang = page_lang()
    names = _Names(lang)
    q = (request.args.get("q") or "").strip()
    hits = indexes.search(current_store(), q) if len(q) >= 2 else []
    for h in hits:
        h["kind"] = indexes.hit_kind(h["types"])
        h["label"] = names.text(h["iri"])
    # Things people look for first (initiatives, components, plans, agencies), then the rest.
    order = {k: n for n, k in enumerate(("initiatives", "components", "strategies", "agencies"))}
    hits.sort(key=lambda h: (order.get(h["kind"], 9), natural(h["label"])))
    if _wants_json():
        return jsonify(q=q, count=len(hits), items=[{"iri": h["iri"], "label": h["label"], "url": local_url(h["iri"]),
                                                     "kind": h["kind"], "types": h["types"],
                                                     "matches": [{"text": m, "lang": ml} for m, ml in h["matches"]]}
                                                    for h in hits])
    return render_template("index/search.html", q=q, hits=hits, lang=lang, link=local_url, name=names)


@bp.get("/")
def home():
    lang = page_lang()
    store = current_store()
    counts = {"strategies": len(indexes.strategies(store)), "initiatives": len(indexes.initiatives(store)),
              "components": len(indexes.components(store)), "agencies": len(indexes.agencies(store))}
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    if best == "application/json" or request.args.get("format") == "json":
        return jsonify(name="Digikort", counts=counts, links={
            "sparql": "/sparql", "queries": "/api/queries", "catalog": "/catalog", "dumps": "/dumps/",
            "void": "/.well-known/void", "validation": "/validate", "audit": "/audit", "ontology": "/def/",
            "search": "/search?q="})
    return render_template("ld/home.html", lang=lang, counts=counts)
