"""The W3C SPARQL 1.1 Protocol and Graph Store Protocol test suites, run against a live
`digikort serve` (gunicorn) from their manifests in ../shared/reference/ (not hand-copied).

Each test's HTTP requests are read from the manifest (ht: vocabulary), the paths mapped
onto this server (/sparql/ and /gsp), its ut:graphData loaded through the Graph Store
Protocol, and the answers checked for status, content type and content: booleans, result
tables and graphs (isomorphism).
"""
from __future__ import annotations

import json
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
import rdflib
import requests
from rdflib import Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from conftest import LiveServer, reference_dir

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TOKEN = "w3c-suite-token"
STATUS = {"OK": {200}, "Created": {201}, "NoContent": {204}, "NotFound": {404}, "BadRequest": {400},
          "StatusCode2xx": set(range(200, 300)), "StatusCode3xx": set(range(300, 400)),
          "StatusCode4xx": set(range(400, 500))}
RDF_PARSERS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
               "application/ld+json": "json-ld", "application/trig": "trig", "application/n-quads": "nquads"}


def load_manifest(path):
    g = rdflib.Graph()
    g.parse(path, format="turtle", publicID=path.as_uri())
    tests = []
    for manifest in g.subjects(RDF.type, MF.Manifest):
        for include in g.objects(manifest, MF.include):
            for item in Collection(g, include):
                tests += load_manifest(path.parent / str(item).rsplit("/", 1)[-1])
        for entries in g.objects(manifest, MF.entries):
            for test in Collection(g, entries):
                tests.append((g, test, path.parent))
    return tests


def _requests(g, test):
    action = g.value(test, MF.action)
    authority = g.value(action, HT.connectionAuthority)
    out = []
    for req in Collection(g, g.value(action, HT.requests)):
        headers = {}
        hl = g.value(req, HT.headers)
        if hl is not None:
            for h in Collection(g, hl):
                headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
        body = g.value(req, HT.body)
        resp = g.value(req, HT.resp)
        expected_headers = {}
        rh = g.value(resp, HT.headers)
        if rh is not None:
            for h in Collection(g, rh):
                expected_headers[str(g.value(h, HT.fieldName)).lower()] = str(g.value(h, HT.fieldValue))
        rbody = g.value(resp, HT.body)
        out.append({
            "method": str(g.value(req, HT.methodName)),
            "path": str(g.value(req, HT.absolutePath)),
            "headers": headers,
            "body": str(g.value(body, CNT.chars)) if body is not None else None,
            "status": set().union(*[STATUS[str(s).rsplit("#", 1)[-1]] for s in g.objects(resp, MF.expectedStatus)]),
            "format": str(g.value(resp, MF.expectedFormat) or ""),
            "boolean": g.value(resp, MF.expectedBoolean),
            "expected_headers": expected_headers,
            "expected_body": str(g.value(rbody, CNT.chars)) if rbody is not None else None,
            "location": g.value(resp, MF.expectedLocation) is not None,
        })
    return str(authority) if authority else None, out


def _cases(name):
    folder = reference_dir(name)
    return [pytest.param(g, t, base, id=str(t).rsplit("#", 1)[-1]) for g, t, base in load_manifest(folder / "manifest.ttl")]


def _manifest_ids(name):
    """Test ids for parametrisation; collected lazily so a missing suite reports at run time."""
    try:
        return _cases(name)
    except BaseException:  # reference_dir's skip/fail: raise it again when the test runs
        return [pytest.param(name, None, None, id=f"{name}-missing")]


@pytest.fixture(scope="module")
def server():
    s = LiveServer("--token", TOKEN)
    yield s
    s.stop()


def _reset(server, g, test, base):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = requests.post(server.url + "/sparql", data={"update": "DROP ALL"}, headers=auth, timeout=30)
    assert r.status_code == 204, r.text
    for data in g.objects(test, UT.graphData):
        file = base / str(g.value(data, UT.graph)).rsplit("/", 1)[-1]
        graph = str(g.value(data, RDFS.label))
        r = requests.put(server.url + "/gsp", params={"graph": graph}, data=file.read_bytes(),
                         headers={**auth, "Content-Type": "application/n-triples"}, timeout=30)
        assert r.status_code in (201, 204), r.text


def _check_body(step, r):
    ctype = r.headers.get("Content-Type", "").split(";")[0].strip()
    if step["format"] == "boolean" or step["boolean"] is not None:
        if ctype == "application/sparql-results+json":
            value = json.loads(r.content)["boolean"]
        else:
            root = ET.fromstring(r.content)
            value = root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"
        assert isinstance(value, bool)
        if step["boolean"] is not None:
            assert value == step["boolean"].toPython(), r.text
    elif step["format"] == "tabular":
        assert ctype in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                         "text/tab-separated-values"), ctype
        if ctype == "application/sparql-results+json":
            assert "bindings" in json.loads(r.content)["results"]
    elif step["format"] == "RDF":
        assert ctype in RDF_PARSERS, ctype
        rdflib.Graph().parse(data=r.content, format=RDF_PARSERS[ctype])
    if step["expected_body"] is not None and r.status_code == 200 and ctype in RDF_PARSERS:
        got = rdflib.Graph().parse(data=r.content, format=RDF_PARSERS[ctype])
        want = rdflib.Graph().parse(data=step["expected_body"], format="turtle")
        assert isomorphic(got, want), r.text
    for name, value in step["expected_headers"].items():
        got = r.headers.get(name, "")
        assert got.replace(" ", "").lower() == value.replace(" ", "").lower(), (name, got, value)


def _run(server, g, test, base):
    if test is None:
        reference_dir(g)  # skips locally, fails under CI
    _reset(server, g, test, base)
    authority, steps = _requests(g, test)
    location = None
    for n, step in enumerate(steps):
        path = step["path"]
        if location:
            path = path.replace("$LOCATION$", urllib.parse.quote(location, safe=""))
        headers = {**step["headers"], "Authorization": f"Bearer {TOKEN}"}
        if path.startswith("/gsp") and authority:
            headers["Host"] = authority  # graph IRIs of direct identification are the request URLs
        body = step["body"].encode("utf-8") if step["body"] is not None else None
        r = requests.request(step["method"], server.url + path, headers=headers, data=body, timeout=30,
                             allow_redirects=False)
        assert r.status_code in step["status"], (n, step["method"], path, r.status_code, r.text[:300])
        if step["location"]:
            location = r.headers["Location"]
        if r.status_code < 300 and step["method"] != "HEAD":
            _check_body(step, r)


@pytest.mark.parametrize("g,test,base", _manifest_ids("w3c-sparql11-protocol"))
def test_protocol(server, g, test, base):
    _run(server, g, test, base)


@pytest.mark.parametrize("g,test,base", _manifest_ids("w3c-sparql11-graph-store-protocol"))
def test_graph_store_protocol(server, g, test, base):
    _run(server, g, test, base)


def test_service_description_suite(server):
    """The three Service Description tests: it returns RDF, has sd:endpoint, and fits the SD schema
    (an sd:Service with supported language and result formats)."""
    manifest = reference_dir("w3c-sparql11-service-description") / "manifest.ttl"
    names = rdflib.Graph().parse(manifest, format="turtle")
    assert len(set(names.subjects(MF.name, None))) >= 3
    SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
    for accept, parser in [("text/turtle", "turtle"), ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")]:
        r = requests.get(server.url + "/sparql", headers={"Accept": accept}, timeout=10)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(accept)
        sd = rdflib.Graph().parse(data=r.content, format=parser)
        service = sd.value(None, RDF.type, SD.Service, any=True)
        assert service is not None
        assert sd.value(service, SD.endpoint) == URIRef(server.url + "/sparql")
        assert (service, SD.supportedLanguage, SD.SPARQL11Query) in sd
        assert len(list(sd.objects(service, SD.resultFormat))) >= 4
