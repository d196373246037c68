"""The component dependency graph, read once per dataset version, walked in Python.

SPARQL property paths answer "what depends on X" but not "by which path, how far", and
rdflib's path evaluation recurses (it dies past ~1,000 steps). Here one query fetches
every edge and a breadth-first walk does the rest: no recursion, linear in the edges,
so 100,000 components and chains 10,000 deep are fine.
"""
from __future__ import annotations

import json
import threading
from collections import defaultdict, deque
from dataclasses import dataclass, field

from ..namespaces import ID

COMPONENT_BASE = f"{ID}component/"

# The kind is Digikort's editorial judgement; the validity period (dk:validFrom/validUntil,
# where a public source gives one) lets an outage be asked "as of" a year or a day.
_EDGES = """
PREFIX dk: <https://w3id.org/digikort/def/>
SELECT ?dependent ?dependency ?kind ?from ?until WHERE {
  ?dependent dk:dependsOn ?dependency .
  OPTIONAL { ?d dk:dependent ?dependent ; dk:dependency ?dependency .
             OPTIONAL { ?d dk:dependencyKind ?kind } OPTIONAL { ?d dk:validFrom ?from } OPTIONAL { ?d dk:validUntil ?until } }
}"""

_COMPONENTS = """
PREFIX dk: <https://w3id.org/digikort/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?component ?label ?lang WHERE {
  ?component a dk:InfrastructureComponent .
  OPTIONAL { ?component rdfs:label ?label BIND(lang(?label) AS ?lang) }
}"""

# Succession (NemID -> MitID) is stated either way round in the sources.
_SUCCESSION = """
PREFIX dk: <https://w3id.org/digikort/def/>
SELECT DISTINCT ?old ?new WHERE {
  { ?new dk:replaces ?old } UNION { ?old dk:replacedBy ?new }
  ?old a dk:InfrastructureComponent . ?new a dk:InfrastructureComponent .
}"""

_CONCERNS = """
PREFIX dk: <https://w3id.org/digikort/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?initiative ?component ?number ?label ?lang ?lead WHERE {
  ?initiative a dk:Initiative ; dk:concernsComponent ?component .
  OPTIONAL { ?initiative dk:initiativeNumber ?number }
  OPTIONAL { ?initiative rdfs:label ?label BIND(lang(?label) AS ?lang) }
  OPTIONAL { ?initiative dk:leadAgency ?lead }
}"""

_OWNERS = """
PREFIX dk: <https://w3id.org/digikort/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?agency ?component ?label ?lang WHERE {
  ?component dk:responsibleAgency ?agency .
  OPTIONAL { ?agency rdfs:label ?label BIND(lang(?label) AS ?lang) }
}"""


def _rows(store, query):
    body = store.query(query, result_format="json").body
    for b in json.loads(body)["results"]["bindings"]:
        yield {k: v["value"] for k, v in b.items()}


@dataclass
class DependencyGraph:
    """Components, edges (dependent -> dependency) and what hangs off components."""
    components: set[str] = field(default_factory=set)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    depends_on: dict[str, dict[str, str | None]] = field(default_factory=lambda: defaultdict(dict))
    dependents: dict[str, dict[str, str | None]] = field(default_factory=lambda: defaultdict(dict))
    initiatives: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # component -> initiatives
    initiative_info: dict[str, dict] = field(default_factory=dict)
    owners: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # component -> agencies
    successions: set[tuple[str, str]] = field(default_factory=set)  # (old, new): new replaces old
    validity: dict[tuple[str, str], tuple[str | None, str | None]] = field(default_factory=dict)  # edge -> (from, until)

    def label(self, iri: str, lang: str = "en") -> str:
        names = self.labels.get(iri, {})
        return names.get(lang) or names.get("da") or names.get("en") or iri.rsplit("/", 1)[-1]

    @classmethod
    def read(cls, store) -> "DependencyGraph":
        g = cls()
        for r in _rows(store, _COMPONENTS):
            g.components.add(r["component"])
            g.labels.setdefault(r["component"], {})
            if "label" in r:
                g.labels[r["component"]][r.get("lang", "")] = r["label"]
        for r in _rows(store, _EDGES):
            a, b, kind = r["dependent"], r["dependency"], r.get("kind")
            g.depends_on[a][b] = kind or g.depends_on[a].get(b)
            g.dependents[b][a] = kind or g.dependents[b].get(a)
            g.components.update((a, b))
            g.labels.setdefault(a, {})
            g.labels.setdefault(b, {})
            if r.get("from") or r.get("until"):
                g.validity[(a, b)] = (r.get("from"), r.get("until"))
        for r in _rows(store, _SUCCESSION):
            g.successions.add((r["old"], r["new"]))
        for r in _rows(store, _CONCERNS):
            i = r["initiative"]
            g.initiatives[r["component"]].add(i)
            info = g.initiative_info.setdefault(i, {"number": r.get("number"), "labels": {}, "leads": set()})
            if "label" in r:
                info["labels"][r.get("lang", "")] = r["label"]
            if "lead" in r:
                info["leads"].add(r["lead"])
        for r in _rows(store, _OWNERS):
            g.owners[r["component"]].add(r["agency"])
            if "label" in r:
                g.labels.setdefault(r["agency"], {})[r.get("lang", "")] = r["label"]
        return g

    def edges(self):
        for a, targets in self.depends_on.items():
            for b, kind in targets.items():
                yield a, b, kind

    def valid(self, dependent: str, dependency: str, as_of: str | None) -> bool:
        """Whether the edge holds on `as_of` (YYYY, YYYY-MM or YYYY-MM-DD; None: always). Dates
        are compared at the coarser precision: an edge valid until 2023-10-31 holds in 2023."""
        if as_of is None:
            return True
        start, end = self.validity.get((dependent, dependency), (None, None))
        return (start is None or start[:len(as_of)] <= as_of[:len(start)]) and \
            (end is None or end[:len(as_of)] >= as_of[:len(end)])

    def walk_dependents(self, start: str, as_of: str | None = None) -> tuple[dict[str, str | None], dict[str, int]]:
        """Breadth-first over reverse edges: every component that (transitively) depends on
        `start`, mapped to its parent on a shortest path towards `start`, and its distance.
        With `as_of`, only edges valid on that date count."""
        parent: dict[str, str | None] = {start: None}
        distance = {start: 0}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for dependent in self.dependents.get(node, ()):
                if dependent not in parent and self.valid(dependent, node, as_of):
                    parent[dependent] = node
                    distance[dependent] = distance[node] + 1
                    queue.append(dependent)
        return parent, distance


_cache: dict = {}
_cache_lock = threading.Lock()


def graph_for(store) -> DependencyGraph:
    """The dependency graph of the store's current data, cached per dataset version."""
    version = store.version()
    key = (id(store), version)
    if version:
        with _cache_lock:
            if key in _cache:
                return _cache[key]
    g = DependencyGraph.read(store)
    if version:
        with _cache_lock:
            _cache.clear()
            _cache[key] = g
    return g
