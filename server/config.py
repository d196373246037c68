"""All settings in one place.

Precedence, lowest first: the defaults below, a TOML config file (``--config`` or
``DIGIKORT_CONFIG``), environment variables ``DIGIKORT_<FIELD>`` (upper case), and
command-line options.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields

CANONICAL_BASE = "https://w3id.org/digikort/"


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    #: worker processes; 0 = one per core where the store allows several (a read-only
    #: in-memory or remote store), else 1
    workers: int = 0
    #: request threads per worker
    threads: int = 8
    #: the HTTP server: "granian" (Rust, the faster on our measurements) or "gunicorn" (gthread)
    server: str = "granian"
    #: where the canonical URIs are served, e.g. "http://localhost:8000/"; empty = the
    #: request's own host (so https://w3id.org/digikort/id/x is served at /id/x)
    public_base: str = ""
    #: the base of the minted URIs in the data
    canonical_base: str = CANONICAL_BASE
    store: str = "memory"
    #: for a remote store (store = a SPARQL endpoint URL): where updates and the Graph Store
    #: Protocol go, when the engine's convention does not say (Oxigraph: /update, /store)
    remote_update_url: str = ""
    remote_graph_store_url: str = ""
    #: RDF files to serve instead of the shipped graph (in-memory store only)
    data: list[str] = field(default_factory=list)
    #: bearer token that enables SPARQL Update and Graph Store writes; empty = read-only
    token: str = ""
    query_timeout: float = 30.0
    max_query_length: int = 100_000
    max_query_nesting: int = 200
    max_request_bytes: int = 10 * 1024 * 1024
    max_result_rows: int = 100_000
    #: an answer is stopped while it is produced once it passes this many bytes
    max_result_bytes: int = 64 * 1024 * 1024
    #: memory one query may add to its evaluator process, in MiB (the evaluator is killed past it)
    max_query_memory: int = 128
    #: evaluator processes per worker (queries run in them and are killed at the deadline);
    #: 0 = as many as threads; -1 = evaluate in the worker itself (no isolation)
    evaluators: int = 0
    #: seconds a worker gets to finish its requests on shutdown
    graceful_timeout: float = 5.0
    #: log queries slower than this many seconds (with their hash); 0 = off
    slow_query_log: float = 1.0
    #: access log format when access_log is on: "text" or "json"
    access_log_format: str = "text"
    #: answers kept per dataset version (0 = no result cache)
    result_cache: int = 512
    #: SERVICE endpoints a query may call; empty = SERVICE refused
    allowed_services: list[str] = field(default_factory=list)
    #: log every request to stdout (gunicorn access log)
    access_log: bool = False
    #: honour X-Forwarded-* headers (only behind a trusted proxy)
    trust_proxy: bool = False

    @classmethod
    def load(cls, config_file: str | None = None, **overrides) -> "Settings":
        values: dict = {}
        config_file = config_file or os.environ.get("DIGIKORT_CONFIG")
        if config_file:
            with open(config_file, "rb") as fh:
                values.update(tomllib.load(fh))
        for f in fields(cls):
            env = os.environ.get(f"DIGIKORT_{f.name.upper()}")
            if env is not None:
                values[f.name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        known = {f.name: f for f in fields(cls)}
        unknown = set(values) - set(known)
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return cls(**{k: _coerce(known[k], v) for k, v in values.items()})

    def as_environment(self) -> dict[str, str]:
        """These settings as DIGIKORT_* variables (for server processes that load their own)."""
        return {f"DIGIKORT_{f.name.upper()}": _environment_value(getattr(self, f.name)) for f in fields(self)}


def _environment_value(value) -> str:
    if isinstance(value, list):
        return ",".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _coerce(f, value):
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    if not isinstance(value, str):
        return value
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return value.strip().lower() in ("1", "true", "yes", "on")
    if kind.startswith("list"):
        return [v.strip() for v in value.split(",") if v.strip()]
    return value
