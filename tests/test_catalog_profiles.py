"""The catalogue for data portals: content negotiation by profile (W3C), a CKAN-style harvest
of each profile from a running server validated with the profile's official shapes, and the
catalogue page a person reads."""
import re

import pyshacl
import pytest
import rdflib
import requests
from rdflib.namespace import DCAT, DCTERMS, RDF

from conftest import reference_dir

AP3 = "https://semiceu.github.io/DCAT-AP/releases/3.0.1/"
DK = "https://data.gov.dk/model/profile/dcat-ap-dk-2.0.2/"
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def test_default_profile_and_headers(client):
    r = client.get("/catalog", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["Content-Profile"] == f"<{AP3}>"
    assert "Accept-Profile" in r.headers["Vary"]
    links = r.headers["Link"]
    assert f'profile="{DK}"' in links and f'profile="{AP3}"' in links and f'<{AP3}>; rel="profile"' in links
    g = rdflib.Graph().parse(data=r.data, format="turtle")
    assert (None, DCTERMS.conformsTo, rdflib.URIRef(AP3)) in g


@pytest.mark.parametrize("header,expected", [
    (f"<{DK}>", DK),
    (f"<urn:unknown>;q=1, <{DK}>;q=0.5", DK),
    (f"<{DK}>;q=0.4, <{AP3}>;q=0.9", AP3),
    ("<http://data.europa.eu/r5r/>", AP3),  # DCAT-AP's namespace names the EU profile too
])
def test_accept_profile(client, header, expected):
    r = client.get("/catalog", headers={"Accept": "text/turtle", "Accept-Profile": header})
    assert r.status_code == 200 and r.headers["Content-Profile"] == f"<{expected}>"


def test_query_parameter_and_unknown_profile(client):
    r = client.get("/catalog?_profile=dcat-ap-dk", headers={"Accept": "text/turtle"})
    assert r.headers["Content-Profile"] == f"<{DK}>"
    g = rdflib.Graph().parse(data=r.data, format="turtle")
    sizes = list(g.objects(None, DCAT.byteSize))
    assert sizes and all(s.datatype == rdflib.XSD.decimal for s in sizes)
    sizes = list(rdflib.Graph().parse(data=client.get("/catalog?_profile=dcat-ap", headers={"Accept": "text/turtle"}).data,
                                      format="turtle").objects(None, DCAT.byteSize))
    assert sizes and all(s.datatype == rdflib.XSD.nonNegativeInteger for s in sizes)
    r = client.get("/catalog?_profile=schema-org")
    assert r.status_code == 406 and b"dcat-ap-dk" in r.data and "Link" in r.headers
    r = client.get("/catalog", headers={"Accept-Profile": "<urn:nothing-we-offer>"})
    assert r.status_code == 406


def test_profile_listing(client):
    data = client.get("/catalog?_profile=alt", headers={"Accept": "application/json"}).json
    assert {p["uri"] for p in data["profiles"]} == {AP3, DK} and data["default"] == "dcat-ap"
    html = client.get("/catalog?_profile=alt&lang=en", headers={"Accept": "text/html"}).data.decode()
    assert "DCAT-AP-DK 2.0.2" in html and "Accept-Profile" in html
    g = rdflib.Graph().parse(data=client.get("/catalog?_profile=alt", headers={"Accept": "text/turtle"}).data, format="turtle")
    assert len(set(g.subjects(RDF.type, rdflib.URIRef("http://www.w3.org/ns/dx/prof/Profile")))) == 2


def _shapes(profile):
    g = rdflib.Graph()
    if profile == "dcat-ap":
        for name in ("shapes.ttl", "range.ttl"):
            g.parse(reference_dir("dcat-ap-3.0.1") / name, format="turtle")
    else:
        g.parse(reference_dir("dcat-ap-dk-2.0.2") / "dcat-ap-dk_2.0.2_shacl_shapes-strict.ttl", format="turtle")
    return g


def harvest(url, headers):
    """What ckanext-dcat's RDF harvester does: HEAD, then GET with Accept */*, then follow
    hydra:next (absolute) until the last page, merging the pages into one graph."""
    assert requests.head(url, headers=headers, timeout=10).status_code == 200
    g, pages = rdflib.Graph(), 0
    while url and pages < 50:
        r = requests.get(url, headers={"Accept": "*/*", **headers}, timeout=30)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle"), (url, r.status_code)
        page = rdflib.Graph().parse(data=r.content, format="turtle")
        g += page
        nxt = next(page.objects(None, HYDRA.next), None)
        url = str(nxt) if nxt else None
        pages += 1
    return g, pages


@pytest.mark.parametrize("profile,how", [("dcat-ap", "param"), ("dcat-ap-dk", "param"), ("dcat-ap-dk", "header")])
def test_ckan_style_harvest_conforms(live_server, profile, how):
    uri = AP3 if profile == "dcat-ap" else DK
    if how == "param":
        url, headers = f"{live_server.url}/catalog?_profile={profile}&page=1&per_page=1", {}
    else:
        url, headers = f"{live_server.url}/catalog?page=1&per_page=1", {"Accept-Profile": f"<{uri}>"}
    g, pages = harvest(url, headers)
    datasets = set(g.subjects(RDF.type, DCAT.Dataset))
    assert pages == 3 and len(datasets) == 3  # what a portal creates: three datasets, not twenty-two
    resources = [d for ds in datasets for d in g.objects(ds, DCAT.distribution)]
    assert len(resources) >= 25
    conforms, report, text = pyshacl.validate(g, shacl_graph=_shapes(profile), allow_warnings=True)
    violations = [r for r in report.objects(None, SH.result) if report.value(r, SH.resultSeverity) == SH.Violation]
    assert conforms and not violations, text[:3000]
    # the harvested distributions are what a download delivers
    dist = next(d for d in resources if str(g.value(d, DCAT.downloadURL) or "").endswith("/dumps/digikort.ttl"))
    body = requests.get(str(g.value(dist, DCAT.downloadURL)), timeout=30).content
    assert int(float(g.value(dist, DCAT.byteSize))) == len(body)


def test_catalogue_page_for_people(client):
    html = client.get("/catalog?lang=en", headers={"Accept": "text/html"}).data.decode()
    assert html.count('class="dataset"') == 3
    text = re.sub(r"<[^>]+>", " ", html)
    assert "Facts from: " in text and "SHA-256" in text and "SHA-1" in text and "<details" in html
    assert re.search(r"\d[\d,]* bytes", text)
    assert "creativecommons.org/licenses/by/4.0" in html and "/dumps/digikort.ttl" in html
    assert "?_profile=dcat-ap-dk" in html
    da = re.sub(r"<[^>]+>", " ", client.get("/catalog?lang=da", headers={"Accept": "text/html"}).data.decode())
    assert "Fakta fra: " in da and "distributioner" in da and "Størrelse" in da


def test_dcat_ap_controlled_vocabularies_and_recommendations(client):
    """Beyond the mandatory shapes: DCAT-AP's recommended properties give warnings only, and its
    controlled-vocabulary shapes break on one thing: their checksum-algorithm pattern asks for
    https://spdx.org/rdf/terms, while SPDX's namespace (used by the mandatory shapes and by
    DCAT-AP-DK) is http://spdx.org/rdf/terms#. The publisher, not an EU body, gets warnings."""
    g = rdflib.Graph().parse(data=client.get("/catalog?_profile=dcat-ap", headers={"Accept": "text/turtle"}).data,
                             format="turtle")
    folder = reference_dir("dcat-ap-3.0.1")
    recommended = rdflib.Graph().parse(folder / "shapes_recommended.ttl", format="turtle")
    conforms, report, text = pyshacl.validate(g, shacl_graph=recommended, allow_warnings=True)
    results = list(report.objects(None, SH.result))
    assert conforms and len(results) <= 8, text[:2000]
    vocabularies = rdflib.Graph().parse(folder / "mdr-vocabularies.shape.ttl", format="turtle")
    _, report, text = pyshacl.validate(g, shacl_graph=vocabularies, allow_warnings=True)
    SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
    for r in report.objects(None, SH.result):
        if report.value(r, SH.resultSeverity) == SH.Violation:
            assert report.value(r, SH.resultPath) == SPDX.algorithm, text[:2000]
        else:
            assert report.value(r, SH.resultPath) == DCTERMS.publisher, text[:2000]
