"""Where the shipped RDF and SPARQL files are.

An installed wheel carries them in ``digikort/data/``; a source checkout has them at the
top of the repository, beside ``server/``. Either way callers get plain paths.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_FOLDERS = ("ontology", "graph", "shapes", "queries", "seeds", "coverage")


def data_root() -> Path:
    installed = _PACKAGE_DIR / "data"
    if (installed / "graph").is_dir():
        return installed
    checkout = _PACKAGE_DIR.parent
    if (checkout / "graph").is_dir():
        return checkout
    raise FileNotFoundError("the shipped RDF folders (ontology/, graph/, ...) were not found")


def folder(name: str) -> Path:
    if name not in _FOLDERS:
        raise ValueError(f"unknown data folder {name!r}")
    return data_root() / name


def rdf_files(name: str) -> list[Path]:
    """The RDF files of one folder, sorted so that every load is in the same order."""
    root = folder(name)
    return sorted(p for p in root.rglob("*") if p.suffix in (".ttl", ".trig", ".nq", ".nt"))
