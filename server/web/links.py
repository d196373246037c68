"""Where a canonical IRI (https://w3id.org/digikort/...) is served on this server."""
from __future__ import annotations

from flask import request

from .app import current_settings


def local_url(iri: str) -> str:
    base = current_settings().canonical_base
    if iri.startswith(base):
        return f"{request.script_root}/{iri[len(base):]}"
    return iri
