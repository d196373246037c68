"""The ontology's documentation page (/def/), point by point as pyLODE gives it: metadata
block, table of contents, one anchor per term, domain/range tables, and the code lists."""
import re

import rdflib
from rdflib.namespace import OWL, RDF, SKOS

from test_validation_browser import ARTIFACTS, browse

DK = "https://w3id.org/digikort/def/"


def _page(client, lang):
    r = client.get(f"/def/?lang={lang}", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    return r.data.decode()


def _ontology(client):
    return rdflib.Graph().parse(data=client.get("/def/", headers={"Accept": "text/turtle"}).data, format="turtle")


def test_metadata_block(client):
    html = _page(client, "en")
    meta = html[html.index('id="metadata"'):html.index('id="toc"')]
    text = re.sub(r"<[^>]+>", " ", meta)
    for expected in ("Version IRI", "https://w3id.org/digikort/def/0.1.0", "Version", "0.1.0", "Licence",
                     "CC BY 4.0", "Publisher", "Digikort", "Created", "2026-11-24", "Preferred prefix"):
        assert expected in text, expected


def test_every_term_has_an_anchor_and_the_toc_links_them(client):
    html = _page(client, "en")
    g = _ontology(client)
    terms = {s for k in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty) for s in g.subjects(RDF.type, k)
             if str(s).startswith(DK) and "/code/" not in str(s)}
    ids = set(re.findall(r'id="([^"]+)"', html))
    assert len(terms) > 50
    assert {str(t)[len(DK):] for t in terms} <= ids
    toc = html[html.index('id="toc"'):html.index('id="diagram"')]
    targets = set(re.findall(r'href="#([^"]+)"', toc))
    assert targets <= ids and len(targets) >= len(terms)


def test_domain_and_range_tables(client):
    html = _page(client, "en")
    entry = html[html.index('id="dependsOn"'):]
    entry = entry[:entry.index("</section>")]
    text = re.sub(r"<[^>]+>", " ", entry)
    assert "Domain" in text and "Range" in text and "Infrastructure component" in text
    cls = html[html.index('id="Initiative"'):]
    cls = re.sub(r"<[^>]+>", " ", cls[:cls.index("</section>")])
    assert "In domain of" in cls and "In range of" in cls and "lead agency" in cls


def test_code_lists_section(client):
    html = _page(client, "en")
    g = _ontology(client)
    schemes = list(g.subjects(RDF.type, SKOS.ConceptScheme))
    section = html[html.index('id="code-lists"'):html.index('id="namespaces"')]
    assert section.count('class="term"') == len(schemes) >= 5
    assert 'id="code-status-colour-red"' in section and ">Red<" in section
    concepts = {c for s in schemes for c in g.subjects(SKOS.inScheme, s)}
    assert len(re.findall(r'<tr id="code-', section)) == len(concepts)


def test_danish_page(client):
    text = re.sub(r"<[^>]+>", " ", _page(client, "da"))
    assert "Digikort-ontologien" in text and "Kodelister" in text and "Værdimængde" in text and "Versions-IRI" in text
    assert "Initiativ" in text and "Statusfarve" in text
    for english in ("Code lists", "Datatype properties", "In domain of", "Licence"):
        assert english not in text, english


def test_anchor_in_the_browser(live_server):
    ARTIFACTS.mkdir(exist_ok=True)
    dom = browse("--dump-dom", live_server.url + "/def/?lang=en#Initiative")
    assert 'id="Initiative"' in dom and 'id="code-lists"' in dom and "<svg" in dom
    browse(f"--screenshot={ARTIFACTS / 'ontology.png'}", "--window-size=1280,1600", live_server.url + "/def/?lang=en")
    assert (ARTIFACTS / "ontology.png").stat().st_size > 10_000
