"""For architects: the component dependency graph (`dependencies`), the impact of an
outage (`impact`) and dependency maps (`depmap`: DOT, SVG, GraphML, Mermaid)."""
