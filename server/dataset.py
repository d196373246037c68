"""The shipped dataset: which files go into which named graph, and a fingerprint of them."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from . import resources
from .namespaces import ONTOLOGY_GRAPH

_GRAPH_LINE = re.compile(r"^#\s*graph:\s*<([^>]+)>")


@dataclass(frozen=True)
class SourceFile:
    path: Path
    format: str  # "trig", "turtle", "nquads", "ntriples"
    graph: str | None  # target graph for triple formats; None for quad formats


def _format(path: Path) -> str:
    return {".trig": "trig", ".ttl": "turtle", ".nq": "nquads", ".nt": "ntriples"}[path.suffix]


def _target_graph(path: Path) -> str:
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    match = _GRAPH_LINE.match(first)
    if not match:
        raise ValueError(f"{path}: a Turtle file in graph/ must start with '# graph: <IRI>'")
    return match.group(1)


def shipped_files() -> list[SourceFile]:
    """Every file of the embedded dataset with the graph it loads into."""
    files = [SourceFile(p, _format(p), str(ONTOLOGY_GRAPH)) for p in resources.rdf_files("ontology")]
    for p in resources.rdf_files("graph"):
        fmt = _format(p)
        graph = _target_graph(p) if fmt in ("turtle", "ntriples") else None
        files.append(SourceFile(p, fmt, graph))
    return files


def fingerprint(files: list[SourceFile] | None = None) -> str:
    """A short hash of the shipped files' bytes: the dataset version of a fresh load."""
    digest = hashlib.sha256()
    for f in files or shipped_files():
        digest.update(f.path.name.encode())
        digest.update(f.path.read_bytes())
    return digest.hexdigest()[:16]


def load_rdflib_dataset():
    """The shipped dataset as an rdflib Dataset (for validation and tests)."""
    from rdflib import Dataset, URIRef

    ds = Dataset()
    for f in shipped_files():
        if f.graph:
            ds.graph(URIRef(f.graph)).parse(f.path, format=f.format)
        else:
            ds.parse(f.path, format=f.format)
    return ds
