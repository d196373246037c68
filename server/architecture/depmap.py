"""Dependency maps: the whole component graph or one component's neighbourhood, as
Graphviz DOT, SVG (rendered by Graphviz's `dot`), GraphML and Mermaid."""
from __future__ import annotations

import shutil
import subprocess
from typing import Callable
from xml.sax.saxutils import escape, quoteattr

from .dependencies import COMPONENT_BASE, DependencyGraph

FORMATS = {"svg": "image/svg+xml", "dot": "text/vnd.graphviz", "graphml": "application/graphml+xml",
           "mmd": "text/plain"}


class MapError(RuntimeError):
    pass


def neighbourhood(g: DependencyGraph, iri: str) -> tuple[set[str], set[str]]:
    """(nodes to draw, impact set to highlight): what depends on the component
    transitively, plus what it depends on directly."""
    impacted = set(g.walk_dependents(iri)[0]) - {iri}
    nodes = impacted | {iri} | set(g.depends_on.get(iri, {}))
    return nodes, impacted


def _slug(iri: str) -> str:
    return iri[len(COMPONENT_BASE):] if iri.startswith(COMPONENT_BASE) else iri.rsplit("/", 1)[-1]


def _dot_id(iri: str) -> str:
    return '"' + _slug(iri).replace('"', "") + '"'


def to_dot(g: DependencyGraph, link: Callable[[str], str], focus: str | None = None, lang: str = "en") -> str:
    nodes, impacted = neighbourhood(g, focus) if focus else (set(g.components), set())
    lines = ["digraph dependencies {", '  graph [rankdir=LR, fontname="Helvetica", bgcolor="white"];',
             '  node [shape=box, style="rounded,filled", fillcolor="#f4f6f8", fontname="Helvetica", fontsize=11];',
             '  edge [color="#555555", arrowsize=0.7];']
    for n in sorted(nodes):
        attrs = {"label": g.label(n, lang), "URL": link(n), "target": "_top", "tooltip": g.label(n, lang)}
        if n == focus:
            attrs["fillcolor"] = "#d9534f"
            attrs["fontcolor"] = "white"
        elif n in impacted:
            attrs["fillcolor"] = "#f0ad4e"
        attr = ", ".join(f'{k}="{v.replace(chr(34), "")}"' for k, v in attrs.items())
        lines.append(f"  {_dot_id(n)} [{attr}];")
    for a, b, kind in sorted(g.edges(), key=lambda e: (e[0], e[1])):
        if a in nodes and b in nodes:
            style = ' [style=dashed, label="operational", fontsize=8]' if kind and kind.endswith("/operational") else ""
            lines.append(f"  {_dot_id(a)} -> {_dot_id(b)}{style};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_svg(dot: str, timeout: float = 30) -> bytes:
    exe = shutil.which("dot")
    if not exe:
        raise MapError("Graphviz is not installed on the server (Debian package graphviz)")
    try:
        done = subprocess.run([exe, "-Tsvg"], input=dot.encode(), capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise MapError("drawing the map took too long") from None
    if done.returncode != 0:
        raise MapError("Graphviz could not draw the map: " + done.stderr.decode(errors="replace").strip()[:200])
    return done.stdout


def to_graphml(g: DependencyGraph, link: Callable[[str], str], focus: str | None = None, lang: str = "en") -> str:
    nodes, impacted = neighbourhood(g, focus) if focus else (set(g.components), set())
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
           '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
           '  <key id="iri" for="node" attr.name="iri" attr.type="string"/>',
           '  <key id="url" for="node" attr.name="url" attr.type="string"/>',
           '  <key id="impacted" for="node" attr.name="impacted" attr.type="boolean"/>',
           '  <key id="kind" for="edge" attr.name="kind" attr.type="string"/>',
           '  <graph id="dependencies" edgedefault="directed">']
    for n in sorted(nodes):
        out.append(f"    <node id={quoteattr(_slug(n))}>"
                   f"<data key=\"label\">{escape(g.label(n, lang))}</data><data key=\"iri\">{escape(n)}</data>"
                   f"<data key=\"url\">{escape(link(n))}</data>"
                   f"<data key=\"impacted\">{'true' if n in impacted else 'false'}</data></node>")
    for k, (a, b, kind) in enumerate(sorted(g.edges(), key=lambda e: (e[0], e[1]))):
        if a in nodes and b in nodes:
            out.append(f"    <edge id=\"e{k}\" source={quoteattr(_slug(a))} target={quoteattr(_slug(b))}>"
                       f"<data key=\"kind\">{escape((kind or '').rsplit('/', 1)[-1])}</data></edge>")
    out += ["  </graph>", "</graphml>"]
    return "\n".join(out) + "\n"


def to_mermaid(g: DependencyGraph, link: Callable[[str], str], focus: str | None = None, lang: str = "en") -> str:
    nodes, impacted = neighbourhood(g, focus) if focus else (set(g.components), set())
    ids = {n: f"n{k}" for k, n in enumerate(sorted(nodes))}
    out = ["graph LR"]
    for n, i in ids.items():
        label = g.label(n, lang).replace('"', "'")
        out.append(f'  {i}["{label}"]')
        out.append(f'  click {i} "{link(n)}"')
    for a, b, kind in sorted(g.edges(), key=lambda e: (e[0], e[1])):
        if a in ids and b in ids:
            arrow = "-.->" if kind and kind.endswith("/operational") else "-->"
            out.append(f"  {ids[a]} {arrow} {ids[b]}")
    if focus:
        out.append("  classDef down fill:#d9534f,color:#fff;")
        out.append("  classDef hit fill:#f0ad4e;")
        out.append(f"  class {ids[focus]} down;")
        if impacted:
            out.append(f"  class {','.join(ids[n] for n in sorted(impacted))} hit;")
    return "\n".join(out) + "\n"
