"""Digikort: the open knowledge graph of Danish public-sector digitalisation."""

__version__ = "0.1.0"
