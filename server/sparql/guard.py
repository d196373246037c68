"""Checks a query or update text BEFORE any parser sees it.

pyoxigraph 0.5 kills the process on a query nested ~2,500 braces deep, and some engines
fetch the documents named by FROM, SERVICE or LOAD. A small lexer (comments, strings and
IRIs skipped) bounds size and nesting, finds the query form and refuses what would make
the server reach out.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\s]*>)
      | (?P<open>[{(\[])
      | (?P<close>[})\]])
      | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*)
      | (?P<var>[?$][A-Za-z0-9_]+)
      | (?P<other>\S)""",
    re.X | re.S,
)
QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
UPDATE_FORMS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


class Refused(ValueError):
    """The text may not be run; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class Inspection:
    form: str  # SELECT, ASK, CONSTRUCT, DESCRIBE, or UPDATE
    from_graphs: list[str] = field(default_factory=list)
    from_named_graphs: list[str] = field(default_factory=list)
    using_clauses: bool = False
    #: offsets of top-level WHERE keywords (for protocol-given USING graphs)
    where_offsets: list[int] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    #: the text has IRIs without a scheme (<s>): they need the request's base IRI
    relative_iris: bool = False


def inspect(text: str, *, max_length: int, max_nesting: int, update: bool = False,
            allowed_services: list[str] | tuple = ()) -> Inspection:
    if len(text) > max_length:  # before the cache: an over-long text is not kept
        raise Refused(f"the {'update' if update else 'query'} is {len(text):,} characters long; the limit is {max_length:,}", 413)
    return _inspect(text, max_nesting, update, tuple(allowed_services))


@functools.lru_cache(maxsize=1024)
def _inspect(text: str, max_nesting: int, update: bool, allowed_services: tuple) -> Inspection:
    """Lexing is the per-request cost of the guard; repeated texts (the common case) skip it.
    Refusals are exceptions, so they are not cached and are recomputed each time."""
    depth, deepest = 0, 0
    form = None
    result = Inspection(form="")
    pending = None  # "FROM", "FROM NAMED", "SERVICE", "USING"
    last_word = ""
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        value = m.group()
        if kind == "comment" or kind == "string":
            continue
        if kind == "open":
            depth += 1
            if depth > max_nesting:
                raise Refused(f"the text is nested more than {max_nesting} levels deep")
            continue
        if kind == "close":
            depth -= 1
            continue
        if kind == "word":
            word = value.upper()
            previous, last_word = last_word, word
            if form is None and depth == 0 and (word in QUERY_FORMS or word in UPDATE_FORMS):
                form = word
            if word == "SERVICE":
                pending = "SERVICE"
            elif word == "FROM" and depth == 0:
                pending = "FROM"
            elif word == "NAMED" and pending == "FROM":
                pending = "FROM NAMED"
            elif word == "WHERE" and update and depth == 0 and previous != "DELETE":
                result.where_offsets.append(m.start())  # DELETE WHERE takes no USING
            elif word in ("USING", "WITH") and update:
                result.using_clauses = True
            elif word == "LOAD" and update:
                raise Refused("LOAD is not allowed: the server does not fetch documents from the web")
            elif word != "SILENT" or pending != "SERVICE":
                if pending == "SERVICE":
                    pending = None
            continue
        if kind == "iri":
            iri = value[1:-1]
            if ":" not in iri:
                result.relative_iris = True
            if pending == "SERVICE":
                result.services.append(iri)
            elif pending == "FROM":
                result.from_graphs.append(iri)
            elif pending == "FROM NAMED":
                result.from_named_graphs.append(iri)
            pending = None
            continue
        if kind == "var" and pending == "SERVICE":
            raise Refused("SERVICE with a variable endpoint is not allowed")
        if pending not in ("FROM", "FROM NAMED"):
            pending = None
    for endpoint in result.services:
        if endpoint not in allowed_services:
            raise Refused(f"SERVICE <{endpoint}> is not allowed: this server calls no other endpoint"
                          + (" outside its allow-list" if allowed_services else ""))
    if update:
        result.form = "UPDATE"
    else:
        if form not in QUERY_FORMS:
            raise Refused("not a query: expected SELECT, ASK, CONSTRUCT or DESCRIBE"
                          + (" (updates go in the 'update' parameter)" if form in UPDATE_FORMS else ""))
        result.form = form
    return result


def with_using(text: str, inspection: Inspection, graphs: list[str], named: list[str]) -> str:
    """The update with protocol-given using-graph-uri / using-named-graph-uri written as
    USING clauses before each top-level WHERE (SPARQL 1.1 Protocol 2.2.3)."""
    clause = "".join(f"USING <{g}> " for g in graphs) + "".join(f"USING NAMED <{g}> " for g in named)
    out, last = [], 0
    for offset in inspection.where_offsets:
        out += [text[last:offset], clause]
        last = offset
    out.append(text[last:])
    return "".join(out)


def _top_level_words(text: str):
    """The keyword tokens outside any brackets (comments, strings and IRIs skipped)."""
    depth = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "word" and depth == 0:
            yield m


def evaluates_pattern(update: str) -> bool:
    """Does the update match a pattern (… WHERE, DELETE WHERE), whose cost no size bounds?
    INSERT DATA, DELETE DATA, CLEAR, DROP, CREATE, ADD, MOVE, COPY cost what the data costs."""
    return any(m.group().upper() == "WHERE" for m in _top_level_words(update))


@functools.lru_cache(maxsize=1024)
def names_dataset(query: str) -> bool:
    """Does the query give its own dataset (FROM / FROM NAMED)? Then it, not the union
    default graph, is what the query sees."""
    return any(m.group().upper() == "FROM" for m in _top_level_words(query))


# One triple pattern, nothing else: the engine reads an index range in which every entry
# it reads is a solution, so the work is bounded by the answer (which the writer bounds).
_IRI_T = r"<[^<>\"{}|^`\\\s]*>"
_PNAME_T = r"(?:[A-Za-z][\w-]*)?:(?:[\w-](?:[\w.-]*[\w-])?)?"
_VAR_T = r"[?$][A-Za-z_]\w*"
_LITERAL_T = (r"""(?:"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')"""
              rf"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^(?:{_IRI_T}|{_PNAME_T}))?"
              r"|[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false")
_ONE_PATTERN = re.compile(
    rf"""\s*(?:PREFIX\s+(?:[A-Za-z][\w-]*)?:\s*{_IRI_T}\s*)*
    SELECT\s+(?:\*|(?:{_VAR_T}\s*)+)\s*(?:WHERE\s*)?
    \{{\s*(?P<s>{_IRI_T}|{_PNAME_T}|{_VAR_T})\s+
          (?P<p>{_IRI_T}|{_PNAME_T}|{_VAR_T}|a)\s+
          (?P<o>{_IRI_T}|{_PNAME_T}|{_VAR_T}|{_LITERAL_T})\s*\.?\s*\}}
    \s*(?:LIMIT\s+\d+\s*)?""",
    re.X | re.I,
)


@functools.lru_cache(maxsize=1024)
def reads_only_its_answer(query: str) -> bool:
    """Is the query a plain SELECT of one triple pattern (no DISTINCT, FILTER, FROM, ORDER,
    OFFSET, paths, blank nodes, comments, nor a variable twice)? Every entry its index scan
    reads is then a row of the answer, so a writer that bounds the answer bounds the work."""
    m = _ONE_PATTERN.fullmatch(query)
    if m is None:
        return False
    terms = [m.group("s"), m.group("p"), m.group("o")]
    if terms[1] == "A":  # 'a' is case-sensitive; re.I let 'A' through
        return False
    names = [t[1:] for t in terms if t[:1] in "?$"]
    return len(names) == len(set(names))


_USING = re.compile(r"USING\s+(NAMED\s+)?<([^<>\"{}|^`\\\s]*)>\s*", re.I)


def split_using(update: str) -> tuple[str, list[str], list[str]]:
    """The update without its USING clauses, and their graphs as protocol parameters
    (using-graph-uri, using-named-graph-uri): an engine run with a union default graph
    (Oxigraph's --union-default-graph) refuses USING in the text but takes the parameters."""
    using, named, out, last = [], [], [], 0
    for m in _top_level_words(update):
        clause = _USING.match(update, m.start()) if m.group().upper() == "USING" else None
        if clause:
            (named if clause.group(1) else using).append(clause.group(2))
            out.append(update[last:m.start()])
            last = clause.end()
    out.append(update[last:])
    return "".join(out), using, named
