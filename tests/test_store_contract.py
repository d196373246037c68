"""One contract, every store: embedded Oxigraph in memory and on disk, rdflib's memory
store, and a remote engine over HTTP (a real Oxigraph server started here on 127.0.0.1).
Each holds the shipped graph; answers are compared with the in-memory Oxigraph store."""
import json
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from conftest import free_port, require, stop_tree, wait_for

DK = "https://w3id.org/digikort/def/"
STORES = ["oxigraph-memory", "oxigraph-disk", "rdflib", "remote-oxigraph", "remote-virtuoso"]

VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql}
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 5
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def start_virtuoso(folder: Path):
    """A real Virtuoso bound to 127.0.0.1 only, its SPARQL user allowed to write."""
    exe, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not exe or not isql:
        return None, None
    sql, http = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(d=folder, sql=sql, http=http))
    proc = subprocess.Popen([exe, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder)
    wait_for(f"http://127.0.0.1:{http}/sparql?query=ASK%7B%7D", timeout=120, proc=proc)
    subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba",
                    'exec=GRANT SPARQL_UPDATE TO "SPARQL"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET (\'nobody\', 7);'],
                   check=True, capture_output=True, timeout=60)
    return proc, f"http://127.0.0.1:{http}"


def _oxigraph_binary():
    exe = Path(sys.executable).parent / "oxigraph"
    return str(exe) if exe.exists() else shutil.which("oxigraph")


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    from digikort.stores import open_store
    from digikort.stores.oxigraph import OxigraphStore
    from digikort.stores.remote import RemoteStore

    made, procs = {}, []
    try:
        made["oxigraph-memory"] = open_store("memory")
        disk = tmp_path_factory.mktemp("disk")
        made["oxigraph-disk"] = open_store(str(disk / "store"))
        made["rdflib"] = open_store("rdflib")
        exe = _oxigraph_binary()
        if exe:
            port = free_port()
            location = tmp_path_factory.mktemp("oxigraph-server")
            proc = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            procs.append(proc)
            wait_for(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", proc=proc)
            remote = RemoteStore(f"http://127.0.0.1:{port}/query")
            remote.load_shipped()
            made["remote-oxigraph"] = remote
        proc, virtuoso = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
        if proc:
            procs.append(proc)
            remote = RemoteStore(virtuoso + "/sparql", graph_store_url=virtuoso + "/sparql-graph-crud")
            remote.load_shipped()
            made["remote-virtuoso"] = remote
        made["_disk_path"] = disk / "store"
        yield made
    finally:
        for p in procs:
            stop_tree(p, [])


def get(stores, name):
    if name not in stores:
        require(False, f"the store {name} is not available (oxigraph: `pip install oxigraph`; "
                       "Virtuoso: Debian virtuoso-opensource-7-bin, which .ci/setup installs)")
    return stores[name]


def rows(store, query, **kw):
    data = json.loads(store.query(query, result_format="json", **kw).body)
    if "boolean" in data:
        return data["boolean"]
    return sorted(tuple(sorted((k, v["value"]) for k, v in b.items())) for b in data["results"]["bindings"])


@pytest.mark.parametrize("name", STORES)
def test_select_ask_construct_agree(stores, name):
    store, ref = get(stores, name), stores["oxigraph-memory"]
    q = f"SELECT DISTINCT ?i ?n WHERE {{ ?i a <{DK}Initiative> ; <{DK}initiativeNumber> ?n }}"
    assert rows(store, q) == rows(ref, q) and len(rows(ref, q)) >= 35
    assert rows(store, f"ASK {{ ?s a <{DK}Strategy> }}") is True
    assert rows(store, "ASK { <http://no/such> ?p ?o }") is False
    c = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s a <{DK}InfrastructureComponent> ; ?p ?o }}"
    got = rdflib.Graph().parse(data=store.query(c, result_format="turtle").body, format="turtle")
    want = rdflib.Graph().parse(data=ref.query(c, result_format="turtle").body, format="turtle")
    assert isomorphic(got, want) and len(want) > 100


@pytest.mark.parametrize("name", STORES)
def test_named_graphs_and_dataset_arguments(stores, name):
    store = get(stores, name)
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    graphs = {v for (_, v), in rows(store, q)}
    assert "https://w3id.org/digikort/graph/statusredegoerelse-2017" in graphs
    prov = "https://w3id.org/digikort/graph/provenance"
    only = rows(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graphs=[prov])
    assert only == rows(stores["oxigraph-memory"], "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graphs=[prov])
    assert store.has_graph(prov) and not store.has_graph("http://no/such/graph")


@pytest.mark.parametrize("name", STORES)
def test_bindings_are_terms(stores, name):
    store = get(stores, name)
    q = f"SELECT ?c ?label WHERE {{ ?c <http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER(lang(?label) = 'en') }}"
    got = rows(store, q, bindings={"c": URIRef("https://w3id.org/digikort/id/component/nemid")})
    assert got and all(dict(r)["c"].endswith("/nemid") for r in got)


@pytest.mark.parametrize("name", STORES)
def test_update_round_trip_and_atomic_failure(stores, name):
    from digikort.stores.base import QuerySyntaxError, StoreError

    store = get(stores, name)
    g = f"http://example.org/test/{uuid.uuid4().hex}"
    before = store.version()
    store.update(f"INSERT DATA {{ GRAPH <{g}> {{ <http://a/s> <http://a/p> 1 }} }}")
    assert rows(store, f"ASK {{ GRAPH <{g}> {{ <http://a/s> <http://a/p> 1 }} }}") is True
    if before:
        assert store.version() != before
    with pytest.raises((QuerySyntaxError, StoreError)):
        store.update(f"DELETE DATA {{ GRAPH <{g}> {{ <http://a/s> <http://a/p> 1 }} }} ; INSERT DATA {{ <bad")
    assert rows(store, f"ASK {{ GRAPH <{g}> {{ <http://a/s> <http://a/p> 1 }} }}") is True
    store.update(f"CLEAR GRAPH <{g}>")  # (Virtuoso refuses DROP of a graph not created explicitly)
    assert rows(store, f"ASK {{ GRAPH <{g}> {{ ?s ?p ?o }} }}") is False


@pytest.mark.parametrize("name", STORES)
def test_update_using_a_graph(stores, name):
    """USING works on every store, also on an engine run with a union default graph, which
    refuses USING in the text (the remote store sends it as using-graph-uri)."""
    store = get(stores, name)
    source, target = "https://w3id.org/digikort/graph/provenance", f"https://example.org/test/using/{uuid.uuid4().hex}"
    store.update(f"INSERT {{ GRAPH <{target}> {{ ?s a ?c }} }} USING <{source}> WHERE {{ ?s a ?c }}")
    try:
        copied = rows(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} }}")
        expected = rows(stores["oxigraph-memory"], f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{source}> {{ ?s a ?c }} }}")
        assert copied == expected and int(copied[0][0][1]) > 10
    finally:
        store.update(f"DROP SILENT GRAPH <{target}>")


@pytest.mark.parametrize("name", STORES)
def test_graph_store_round_trip(stores, name):
    from digikort.stores.base import GraphNotFound

    store = get(stores, name)
    g = f"http://example.org/gsp/{uuid.uuid4().hex}"
    assert store.put_graph(g, b"<http://a/s> <http://a/p> <http://a/o> .", "turtle") is True
    assert store.post_graph(g, b"<http://a/s> <http://a/p> <http://a/o2> .", "ntriples") is False
    got = rdflib.Graph().parse(data=store.get_graph(g, "turtle"), format="turtle")
    assert len(got) == 2
    assert store.put_graph(g, b"<http://a/s> <http://a/p> <http://a/o3> .", "turtle") is False
    assert len(rdflib.Graph().parse(data=store.get_graph(g, "ntriples"), format="nt")) == 1
    store.delete_graph(g)
    with pytest.raises(GraphNotFound):
        store.get_graph(g, "turtle")


@pytest.mark.parametrize("name", STORES)
def test_syntax_errors_are_query_syntax_errors(stores, name):
    from digikort.stores.base import QuerySyntaxError

    with pytest.raises(QuerySyntaxError):
        get(stores, name).query("SELECT ?s WHERE { ?s ?p }", result_format="json")


def test_disk_store_persists_across_restarts(stores):
    from digikort.stores import open_store

    path = stores["_disk_path"]
    g = "http://example.org/persist"
    stores["oxigraph-disk"].put_graph(g, b"<http://a/s> <http://a/p> 7 .", "turtle")
    stores["oxigraph-disk"].close()
    reopened = open_store(str(path))
    assert rows(reopened, f"ASK {{ GRAPH <{g}> {{ <http://a/s> <http://a/p> 7 }} }}") is True
    stores["oxigraph-disk"] = reopened


def test_rdflib_deep_property_path_is_a_clear_error_not_a_crash():
    from digikort.stores.base import StoreError
    from digikort.stores.rdflib_store import RdflibStore

    s = RdflibStore()
    chain = "\n".join(f"<http://x/{k}> <http://x/next> <http://x/{k + 1}> ." for k in range(5000))
    s.put_graph("http://x/g", chain.encode(), "ntriples")
    try:
        body = s.query("SELECT (COUNT(?o) AS ?n) WHERE { <http://x/0> <http://x/next>+ ?o }", result_format="json").body
        assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == 5000
    except StoreError as exc:
        assert "too deep" in str(exc)


def test_load_into_a_remote_engine_from_the_cli(tmp_path):
    from conftest import run_cli

    exe = _oxigraph_binary()
    require(exe is not None, "the oxigraph server binary (pip install oxigraph)")
    port = free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(tmp_path / "o"), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", proc=proc)
        r = run_cli("load", "--store", f"http://127.0.0.1:{port}/query")
        assert r.returncode == 0, r.stderr
        r = run_cli("query", f"ASK {{ ?s a <{DK}Strategy> }}", "--store", f"http://127.0.0.1:{port}/query", "--format", "json")
        assert json.loads(r.stdout)["boolean"] is True
    finally:
        stop_tree(proc, [])
