"""The WSGI app for servers that import it by name (granian): settings from DIGIKORT_*."""
from __future__ import annotations


def create():
    from .app import create_app

    return create_app()
