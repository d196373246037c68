"""SHACL validation for auditors: the shapes in shapes/, the named-graph checks SHACL
cannot express, safe parsing of uploads, and reports people can act on."""
from .engine import Report, Result, validate_dataset  # noqa: F401
