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


_SUCCESSION_COLOUR = "#1f6fb2"


def neighbourhood(g: DependencyGraph, iri: str) -> tuple[set[str], set[str]]:
    """(nodes to draw, impact set to highlight): what depends on the component
    transitively, plus what it depends on directly, and what it replaces or is replaced by."""
    impacted = set(g.walk_dependents(iri)[0]) - {iri}
    nodes = impacted | {iri} | set(g.depends_on.get(iri, {}))
    nodes |= {old for old, new in g.successions if new == iri} | {new for old, new in g.successions if old == iri}
    return nodes, impacted


def _text(key: str, lang: str) -> str:
    from ..web.i18n import t  # the one table of UI strings; t() needs no request when given a language

    return t(key, lang if lang in ("da", "en") else "en")


def _legend_dot(lang: str, focus: bool) -> str:
    """A legend node (an HTML-like Graphviz table): node colours and the three edge styles."""
    def esc(x):
        return escape(x)
    rows = [f'<TR><TD COLSPAN="2" ALIGN="LEFT"><B>{esc(_text("legend", lang))}</B></TD></TR>']
    if focus:
        rows.append(f'<TR><TD BGCOLOR="#d9534f" BORDER="1" WIDTH="28"> </TD><TD ALIGN="LEFT">{esc(_text("map_down", lang))}</TD></TR>')
        rows.append(f'<TR><TD BGCOLOR="#f0ad4e" BORDER="1"> </TD><TD ALIGN="LEFT">{esc(_text("map_hit", lang))}</TD></TR>')
    rows.append(f'<TR><TD BGCOLOR="#f4f6f8" BORDER="1" WIDTH="28"> </TD><TD ALIGN="LEFT">{esc(_text("component", lang))}</TD></TR>')
    rows.append(f'<TR><TD>──▶</TD><TD ALIGN="LEFT">{esc(_text("map_depends_critical", lang))}</TD></TR>')
    rows.append(f'<TR><TD>- - ▶</TD><TD ALIGN="LEFT">{esc(_text("map_depends_operational", lang))}</TD></TR>')
    rows.append(f'<TR><TD><FONT COLOR="{_SUCCESSION_COLOUR}">━━▷</FONT></TD>'
                f'<TD ALIGN="LEFT">{esc(_text("map_replaced_by", lang))}</TD></TR>')
    table = '<TABLE BORDER="1" COLOR="#999999" CELLBORDER="0" CELLSPACING="2" CELLPADDING="3">' + "".join(rows) + "</TABLE>"
    return f'  legend [shape=plain, fontsize=10, label=<{table}>];'


def _slug(iri: str) -> str:
    return iri[len(COMPONENT_BASE):] if iri.startswith(COMPONENT_BASE) else iri.rsplit("/", 1)[-1]


def _dot_id(iri: str) -> str:
    return '"' + _slug(iri).replace('"', "") + '"'


def to_dot(g: DependencyGraph, link: Callable[[str], str], focus: str | None = None, lang: str = "en",
           legend: bool = True) -> str:
    nodes, impacted = neighbourhood(g, focus) if focus else (set(g.components), set())
    lines = ["digraph dependencies {", '  graph [rankdir=LR, fontname="Helvetica", bgcolor="white"];',
             '  node [shape=box, style="rounded,filled", fillcolor="#f4f6f8", fontname="Helvetica", fontsize=11];',
             '  edge [color="#555555", arrowsize=0.7, fontname="Helvetica"];']
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
            operational = _text("dep_operational", lang)
            style = f' [style=dashed, label="{operational}", fontsize=8]' if kind and kind.endswith("/operational") else ""
            lines.append(f"  {_dot_id(a)} -> {_dot_id(b)}{style};")
    # Succession, old -> new, in its own style so it is not read as a dependency.
    replaced_by = _text("map_replaced_by", lang).replace('"', "")
    for old, new in sorted(g.successions):
        if old in nodes and new in nodes:
            # Written new -> old with dir=back: the arrow still points from old to new, and the
            # successor ranks left of its predecessor, like a dependent (no edge crossing back).
            lines.append(f'  {_dot_id(new)} -> {_dot_id(old)} [dir=back, color="{_SUCCESSION_COLOUR}", penwidth=2.2, '
                         f'arrowtail=empty, style=bold, label="{replaced_by}", fontcolor="{_SUCCESSION_COLOUR}", '
                         f'fontsize=8];')
    if legend:
        lines.append(_legend_dot(lang, focus is not None))
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
    for k, (old, new) in enumerate(sorted(g.successions)):
        if old in nodes and new in nodes:
            out.append(f"    <edge id=\"s{k}\" source={quoteattr(_slug(old))} target={quoteattr(_slug(new))}>"
                       f"<data key=\"kind\">replaced-by</data></edge>")
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
    replaced_by = _text("map_replaced_by", lang).replace('"', "'")
    for old, new in sorted(g.successions):
        if old in ids and new in ids:
            out.append(f'  {ids[old]} ==>|"{replaced_by}"| {ids[new]}')
    if focus:
        out.append("  classDef down fill:#d9534f,color:#fff;")
        out.append("  classDef hit fill:#f0ad4e;")
        out.append(f"  class {ids[focus]} down;")
        if impacted:
            out.append(f"  class {','.join(ids[n] for n in sorted(impacted))} hit;")
    return "\n".join(out) + "\n"
