"""Linked data for data portals (issue 6): every minted URI dereferences in every format,
the catalogue conforms to DCAT-AP 3.0.1 and DCAT-AP-DK 2.0.2, dumps match the catalogue,
and rapper (raptor2-utils) parses what the service writes."""
import gzip
import hashlib
import json
import subprocess

import pyshacl
import pytest
import rdflib
import requests
from rdflib import URIRef
from rdflib.namespace import DCAT, RDF

from conftest import reference_dir, require_tool

BASE = "https://w3id.org/digikort/"
FORMATS = {"ttl": ("text/turtle", "turtle"), "jsonld": ("application/ld+json", "json-ld"),
           "rdf": ("application/rdf+xml", "xml"), "nt": ("application/n-triples", "nt")}
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")


def minted(shipped):
    """Every IRI under the base that the shipped graph uses as a subject, plus the named graphs."""
    subjects = {s for s, p, o, g in shipped.quads() if isinstance(s, URIRef) and str(s).startswith(BASE)}
    return sorted(subjects)


def local(iri):
    return "/" + iri[len(BASE):]


def test_every_resource_in_every_format(client, shipped):
    iris = minted(shipped)
    assert len(iris) > 300
    failures = []
    for iri in iris:
        for suffix, (media, parser) in FORMATS.items():
            for how in ("accept", "suffix"):
                if how == "accept":
                    r = client.get(local(iri), headers={"Accept": media})
                else:
                    r = client.get(local(iri) + "." + suffix)
                if r.status_code != 200 or r.mimetype != media:
                    failures.append((iri, suffix, how, r.status_code))
                    continue
                g = rdflib.Graph().parse(data=r.data, format=parser)
                if (URIRef(iri), None, None) not in g:
                    failures.append((iri, suffix, how, "does not describe the resource"))
    assert not failures, failures[:20]


def test_negotiation_headers(client):
    r = client.get("/id/component/nemid", headers={"Accept": "text/turtle;q=0.5, application/ld+json;q=0.9"})
    assert r.mimetype == "application/ld+json"
    assert r.headers["Content-Location"] == "/id/component/nemid.jsonld"
    assert "Accept" in r.headers["Vary"]
    assert '</id/component/nemid.ttl>; rel="alternate"; type="text/turtle"' in r.headers["Link"]
    r = client.get("/id/component/nemid", headers={"Accept": "image/png"})
    assert r.status_code == 406
    r = client.get("/id/component/no-such-thing", headers={"Accept": "text/html"})
    assert r.status_code == 404 and b"SPARQL" in r.data
    r = client.get("/id/component/no-such-thing.ttl")
    assert r.status_code == 404


def test_description_has_sources_labels_and_incoming_links(client):
    r = client.get("/id/component/nemlog-in.trig")
    ds = rdflib.Dataset().parse(data=r.data, format="trig")
    graphs = {str(c.identifier) for c in ds.contexts()}
    assert BASE + "graph/statusredegoerelse-2017" in graphs and any("/graph/public/" in g for g in graphs)
    # incoming: borger.dk depends on NemLog-in
    link = (URIRef(BASE + "id/component/borger-dk"), URIRef(BASE + "def/dependsOn"), URIRef(BASE + "id/component/nemlog-in"), None)
    assert any(True for _ in ds.quads(link))
    # labels of linked resources
    assert any(True for _ in ds.quads((URIRef(BASE + "id/component/borger-dk"), rdflib.RDFS.label, None, None)))


def test_resource_page_languages_and_json_ld(client):
    da = client.get("/id/component/mitid?lang=da").data.decode()
    en = client.get("/id/component/mitid?lang=en").data.decode()
    assert "afløser" in da and "replaces" in en
    r = client.get("/id/component/mitid", headers={"Accept": "text/html", "Accept-Language": "en"})
    assert "replaces" in r.data.decode()
    start = da.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    data = json.loads(da[start:da.index("</script>", start)])
    g = rdflib.Graph().parse(data=json.dumps(data), format="json-ld")
    assert (URIRef(BASE + "id/component/mitid"), URIRef(BASE + "def/replaces"), URIRef(BASE + "id/component/nemid")) in g


def test_prefix_and_proxy_base(app_factory):
    from digikort.config import Settings

    c = app_factory(Settings(trust_proxy=True)).test_client()
    r = c.get("/id/component/nemid", headers={"Accept": "text/html", "X-Forwarded-Prefix": "/digikort",
                                              "X-Forwarded-Host": "data.example.org", "X-Forwarded-Proto": "https"})
    assert r.status_code == 200
    assert 'href="/digikort/id/component/mitid' in r.data.decode()
    r = c.get("/sparql", headers={"Accept": "text/turtle", "X-Forwarded-Prefix": "/digikort",
                                  "X-Forwarded-Host": "data.example.org", "X-Forwarded-Proto": "https"})
    assert b"<https://data.example.org/digikort/sparql>" in r.data


def _catalog(client, profile="dcat-ap"):
    r = client.get(f"/catalog?_profile={profile}", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    return rdflib.Graph().parse(data=r.data, format="turtle")


def test_catalog_conforms_to_dcat_ap_3(client):
    shapes = rdflib.Graph()
    folder = reference_dir("dcat-ap-3.0.1")
    for name in ("shapes.ttl", "range.ttl"):
        shapes.parse(folder / name, format="turtle")
    conforms, _, text = pyshacl.validate(_catalog(client, "dcat-ap"), shacl_graph=shapes)
    assert conforms, text[:3000]


def test_catalog_conforms_to_dcat_ap_dk(client):
    """The DCAT-AP-DK 2.0.2 variant (dcat:byteSize as xsd:decimal, DCAT-AP 2 availability IRIs,
    no catalogue dct:language) passes the Danish shapes, normal and strict, with no violation
    and no warning. The normal shapes add Info notes on the datasets' dct:language: their
    pattern expects .../resource/dataset/language/, while their own description (and
    DCAT-AP) names the EU table at .../resource/authority/language/, which we use."""
    folder = reference_dir("dcat-ap-dk-2.0.2")
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    for name in ("dcat-ap-dk_2.0.2_shacl_shapes.ttl", "dcat-ap-dk_2.0.2_shacl_shapes-strict.ttl"):
        shapes = rdflib.Graph().parse(folder / name, format="turtle")
        conforms, report, text = pyshacl.validate(_catalog(client, "dcat-ap-dk"), shacl_graph=shapes, allow_warnings=True)
        assert conforms, text[:3000]
        notes = [r for r in report.objects(None, SH.result)]
        assert all(report.value(r, SH.resultSeverity) == SH.Info and report.value(r, SH.resultPath) == rdflib.DCTERMS.language
                   for r in notes), text[:3000]


def test_catalog_lists_datasets_distributions_service(client):
    """As a portal shows it: the knowledge graph, the ontology and the shapes; each source's
    graph is a distribution of the knowledge graph, not a dataset of its own."""
    g = _catalog(client)
    datasets = set(g.subjects(RDF.type, DCAT.Dataset))
    assert {str(d).rsplit("#", 1)[1] for d in datasets} == {"dataset-digikort", "dataset-ontology", "dataset-shapes"}
    assert set(g.subjects(RDF.type, DCAT.DataService))
    whole = next(d for d in datasets if str(d).endswith("#dataset-digikort"))
    parts = list(g.objects(whole, DCAT.distribution))
    facts = [p for p in parts if any(str(t).startswith("Facts from: ") for t in g.objects(p, rdflib.DCTERMS.title))]
    assert len(facts) >= 15 and len(parts) >= len(facts) + 5
    for dist in g.subjects(RDF.type, DCAT.Distribution):  # bilingual titles everywhere
        langs = {t.language for t in g.objects(dist, rdflib.DCTERMS.title)}
        assert langs == {"da", "en"}, dist


def test_dumps_match_the_catalogue(client):
    g = _catalog(client)
    checked = 0
    for dist in g.subjects(RDF.type, DCAT.Distribution):
        url = g.value(dist, DCAT.downloadURL)
        if url is None:
            continue
        body = client.get("/" + str(url).split("/", 3)[3]).data
        assert int(g.value(dist, DCAT.byteSize)) == len(body), url
        checksum = g.value(dist, SPDX.checksum)
        assert str(g.value(checksum, SPDX.checksumValue)) == hashlib.sha1(body).hexdigest(), url
        checked += 1
    assert checked >= 10
    nt = gzip.decompress(client.get("/dumps/digikort.nt.gz").data)
    assert len(rdflib.Graph().parse(data=nt, format="nt")) > 1000


def test_hydra_paging_with_absolute_next(client):
    HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
    seen, url, pages = set(), "/catalog?page=1&per_page=1", 0
    while url and pages < 20:
        g = rdflib.Graph().parse(data=client.get(url, headers={"Accept": "text/turtle"}).data, format="turtle")
        seen |= set(g.subjects(RDF.type, DCAT.Dataset))
        nxt = next(g.objects(None, HYDRA.next), None)
        assert nxt is None or str(nxt).startswith("http")
        url = "/" + str(nxt).split("/", 3)[3] if nxt else None
        pages += 1
    assert pages == 3 and len(seen) == len(set(_catalog(client).subjects(RDF.type, DCAT.Dataset)))
    assert client.get("/catalog?page=4&per_page=1").status_code == 404
    assert client.get("/catalog?page=99").status_code == 404
    assert client.get("/catalog?page=0").status_code == 400


def test_harvester_gets_rdf_for_star_star(live_server):
    assert requests.head(live_server.url + "/catalog", timeout=10).status_code == 200
    r = requests.get(live_server.url + "/catalog", headers={"Accept": "*/*"}, timeout=10)
    assert r.headers["Content-Type"].startswith("text/turtle")


def test_void_sitemap_robots(client, shipped):
    g = rdflib.Graph().parse(data=client.get("/.well-known/void").data, format="turtle")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    whole = next(g.subjects(VOID.subset, None))
    distinct = {(s, p, o) for s, p, o, _ in shipped.quads()}
    assert int(g.value(whole, VOID.triples)) == len(distinct) < len(list(shipped.quads()))  # triples, not quads
    subsets = list(g.objects(whole, VOID.subset))
    graphs = {c.identifier for c in shipped.contexts() if len(c) and "/graph/" in str(c.identifier)}
    SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert {g.value(s, SD.name) for s in subsets} == graphs
    assert sum(int(g.value(s, VOID.triples)) for s in subsets) == len(list(shipped.quads()))
    assert next(g.objects(None, VOID.sparqlEndpoint), None) is not None
    assert b"/id/component/nemid</loc>" in client.get("/sitemap.xml").data
    assert b"Sitemap:" in client.get("/robots.txt").data


def test_ontology_docs_and_context(client):
    html = client.get("/def/", headers={"Accept": "text/html"}).data.decode()
    assert "Initiativ" in html and "<svg" in html
    ttl = client.get("/def/", headers={"Accept": "text/turtle"}).data
    assert len(rdflib.Graph().parse(data=ttl, format="turtle")) > 500
    ctx = json.loads(client.get("/def/context.jsonld").data)["@context"]
    assert ctx["dependsOn"] == {"@id": BASE + "def/dependsOn", "@type": "@id"}


@pytest.mark.parametrize("path,syntax", [
    ("/dumps/digikort.ttl", "turtle"), ("/catalog?format=ttl", "turtle"), ("/catalog?format=rdf", "rdfxml"),
    ("/.well-known/void", "turtle"), ("/id/component/nemid.ttl", "turtle"), ("/id/component/nemid.rdf", "rdfxml"),
    ("/id/component/nemid.nt", "ntriples"), ("/id/initiative/2016-2020/7.4.ttl", "turtle"),
    ("/id/initiative/2016-2020/7.4.rdf", "rdfxml"), ("/def/?format=rdf", "rdfxml"), ("/def/?format=ttl", "turtle"),
    ("/sparql?format=turtle", "turtle"),
])
def test_rapper_parses_outputs(client, tmp_path, path, syntax):
    rapper = require_tool("rapper")
    body = client.get(path).data
    f = tmp_path / "out"
    f.write_bytes(body)
    done = subprocess.run([rapper, "-q", "-i", syntax, "-c", str(f), "http://example.org/base/"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[:500]
    assert "returned 0 triples" not in done.stderr
