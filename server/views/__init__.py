"""What the pages show people, as data: labels of everything (`labels`), the domain views of
initiatives, components, strategies, reports and agencies (`domain`), the index pages and
search (`indexes`). Their SPARQL lives in `sparql/*.rq`, one query per file, run as is with
parameters bound as RDF terms (never pasted into the text)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

_SPARQL = Path(__file__).resolve().parent / "sparql"


@lru_cache(maxsize=None)
def sparql(name: str) -> str:
    return (_SPARQL / f"{name}.rq").read_text(encoding="utf-8")


def rows(store, name: str, **bindings) -> list[dict]:
    """The rows of view query `name`, each {variable: value} (plain strings), with
    `variable@lang` for literals that carry a language tag."""
    body = store.query(sparql(name), result_format="json", bindings=bindings or None).body
    out = []
    for b in json.loads(body)["results"]["bindings"]:
        row = {}
        for k, v in b.items():
            row[k] = v["value"]
            if v.get("xml:lang"):
                row[k + "@lang"] = v["xml:lang"]
        out.append(row)
    return out
