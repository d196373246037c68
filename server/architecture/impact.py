"""Impact of an outage: every component, initiative and agency hit when one component is
down, each with the dependency path that links it to the failed component."""
from __future__ import annotations

from .dependencies import COMPONENT_BASE, DependencyGraph, graph_for


class UnknownComponent(LookupError):
    pass


# Paths are listed in full up to this many hops; past it a path is cut (path_truncated)
# so that a chain 10,000 deep answers in linear, not quadratic, size. `via` (the next hop)
# always lets a client follow the whole chain.
MAX_PATH = 100


def _path(parent: dict, node: str) -> list[str]:
    path = [node]
    while parent[path[-1]] is not None and len(path) <= MAX_PATH:
        path.append(parent[path[-1]])
    return path  # from the affected component down towards the failed one


def impact(store, component: str, lang: str = "en", as_of: str | None = None) -> dict:
    """`component` is a slug (nemlog-in) or a full IRI; `as_of` (YYYY, YYYY-MM or YYYY-MM-DD)
    keeps only dependencies valid then (e.g. nothing depends on NemID in 2024)."""
    iri = component if component.startswith("http") else COMPONENT_BASE + component
    g = graph_for(store)
    if iri not in g.components:
        raise UnknownComponent(f"no component {component!r}")
    parent, distance = g.walk_dependents(iri, as_of)

    def node(i):
        return {"iri": i, "label": g.label(i, lang)}

    components = []
    critical = {iri: True}  # every hop on the shortest path is a critical dependency
    for c in parent:  # breadth-first order: a parent comes before its children
        if c == iri:
            continue
        kind = g.depends_on[c][parent[c]]
        critical[c] = critical[parent[c]] and bool(kind) and kind.endswith("/critical")
        path = _path(parent, c)
        components.append({**node(c), "distance": distance[c], "via": parent[c], "path": path,
                           "path_truncated": path[-1] != iri,
                           "critical": critical[c]})
    components.sort(key=lambda c: (c["distance"], c["label"].lower()))

    initiatives, agencies = {}, {}
    for c in parent:  # the failed component itself counts: its own initiatives are hit
        initiatives_here = g.initiatives.get(c, ())
        owners_here = g.owners.get(c, ())
        if not initiatives_here and not owners_here:
            continue
        path = _path(parent, c)
        for i in sorted(initiatives_here):
            info = g.initiative_info[i]
            if i not in initiatives or distance[c] + 1 < initiatives[i]["distance"]:
                initiatives[i] = {"iri": i, "number": info["number"],
                                  "label": info["labels"].get(lang) or info["labels"].get("da") or i,
                                  "via": c, "distance": distance[c] + 1, "path": [i] + path}
            for a in info["leads"]:
                _add_agency(agencies, g, a, lang, "leads an affected initiative", [a, i] + path)
        for a in owners_here:
            _add_agency(agencies, g, a, lang, "responsible for an affected component", [a] + path)

    return {
        "component": node(iri),
        "components": components,
        "initiatives": sorted(initiatives.values(), key=lambda i: (i["distance"], i["number"] or "", i["iri"])),
        "agencies": sorted(agencies.values(), key=lambda a: (len(a["path"]), a["label"].lower())),
        "parents": parent,
    }


def _add_agency(agencies, g: DependencyGraph, a, lang, role, path):
    if a not in agencies or len(path) < len(agencies[a]["path"]):
        agencies[a] = {"iri": a, "label": g.label(a, "da" if lang == "da" else lang), "role": role, "path": path}


def tree_lines(result: dict) -> list[str]:
    """The impact set as a tree (shortest-path tree), for the terminal."""
    parent = result["parents"]
    children: dict[str, list[str]] = {}
    labels = {c["iri"]: c for c in result["components"]}
    for c, p in parent.items():
        if p is not None:
            children.setdefault(p, []).append(c)
    root = result["component"]["iri"]
    lines = [f"{result['component']['label']}  (down)"]
    by_component: dict[str, list[dict]] = {}
    for i in result["initiatives"]:
        by_component.setdefault(i["via"], []).append(i)

    def emit(node, prefix):
        kids = sorted(children.get(node, []), key=lambda k: labels[k]["label"].lower())
        items = [("initiative", i) for i in by_component.get(node, [])] + [("component", k) for k in kids]
        for n, (kind, item) in enumerate(items):
            last = n == len(items) - 1
            branch = "└── " if last else "├── "
            if kind == "initiative":
                lines.append(f"{prefix}{branch}initiative {item['number'] or ''} {item['label']}".rstrip())
            else:
                c = labels[item]
                flag = " [critical path]" if c["critical"] else ""
                lines.append(f"{prefix}{branch}{c['label']}{flag}")
                emit(item, prefix + ("    " if last else "│   "))

    emit(root, "")
    lines.append(f"{len(result['components'])} components, {len(result['initiatives'])} initiatives, "
                 f"{len(result['agencies'])} agencies affected")
    return lines
