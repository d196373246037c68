"""`digikort import`: a new status report from a spreadsheet, run for real on a file the size of
the 2017 report (its 33 initiatives), as CSV and as .xlsx, into a TriG file and into a store."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import REPO, run_cli
from rdflib import Dataset, URIRef

DK = "https://w3id.org/digikort/def/"
REPORT_2017 = URIRef("https://w3id.org/digikort/id/report/strategy-2016-2020/2017")
NEW_GRAPH = "https://w3id.org/digikort/graph/status-strategy-2016-2020-2019"
HEADER = ["number", "state", "colour", "concern", "results", "plans", "milestones"]
OPTIONS = ["--report", "strategy-2016-2020/2019", "--title", "Statusredegørelse (testdata bygget af 2017-rapporten)",
           "--publisher", "digitaliseringsstyrelsen", "--publisher", "kl", "--url", "https://example.org/status-2019.pdf",
           "--issued", "2020-02"]


@pytest.fixture(scope="module")
def rows_2017(shipped) -> list[dict]:
    """One row per initiative of the 2017 report, with its state, texts and milestones (real data)."""
    q = """
    PREFIX dk: <https://w3id.org/digikort/def/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    PREFIX time: <http://www.w3.org/2006/time#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?number ?state ?results ?plans WHERE {
      ?a dk:inReport <%s> ; dk:assessedInitiative ?i ; dk:state ?s .
      ?i dk:initiativeNumber ?number . ?s skos:notation ?state .
      OPTIONAL { ?a dk:results ?results } OPTIONAL { ?a dk:plans ?plans } }""" % REPORT_2017
    data = Dataset(default_union=True)  # the default graph is the union, as the service queries it
    for quad in shipped.quads():
        data.add(quad)
    rows = {}
    for b in data.query(q):
        rows[str(b.number)] = {"number": str(b.number), "state": str(b.state), "colour": "", "concern": "",
                               "results": str(b.results or ""), "plans": str(b.plans or ""), "milestones": ""}
    ms = """
    PREFIX dk: <https://w3id.org/digikort/def/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    PREFIX time: <http://www.w3.org/2006/time#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?number ?date ?kind ?label ?expected WHERE {
      GRAPH <https://w3id.org/digikort/graph/statusredegoerelse-2017> {
        ?m a dk:Milestone ; dk:milestoneOf ?i ; rdfs:label ?label ; dk:milestoneKind ?k ;
           time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear ?date . OPTIONAL { ?m dk:expected ?expected } }
      ?i dk:initiativeNumber ?number . ?k skos:notation ?kind } ORDER BY ?m"""
    for b in data.query(ms):
        if str(b.number) in rows:
            item = f"{b.date} {'planned ' if str(b.expected) == 'true' else ''}{b.kind}: {b.label}"
            row = rows[str(b.number)]
            row["milestones"] = "; ".join(x for x in (row["milestones"], item) if x)
    return sorted(rows.values(), key=lambda r: [int(x) if x.isdigit() else x for x in r["number"].replace("a", ".a").replace("b", ".b").split(".")])


def write_csv(path: Path, rows: list[dict], delimiter=",") -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, HEADER, delimiter=delimiter)
        w.writeheader()
        w.writerows(rows)
    return path


def test_the_2017_data_makes_a_real_size_file(rows_2017):
    assert len(rows_2017) >= 33
    assert sum(1 for r in rows_2017 if r["milestones"]) >= 10
    assert sum(r["milestones"].count(";") + 1 for r in rows_2017 if r["milestones"]) >= 30


def test_import_csv_writes_a_graph_that_validates_with_the_shipped_data(tmp_path, rows_2017, shipped):
    src = write_csv(tmp_path / "status-2019.csv", rows_2017, delimiter=";")  # Danish Excel writes ';'
    out = tmp_path / "status-2019.trig"
    r = run_cli("import", str(src), *OPTIONS, "--output", str(out))
    assert r.returncode == 0, r.stderr
    assert f"wrote {len(rows_2017)} assessments" in r.stdout
    new = Dataset()
    new.parse(out, format="trig")
    g = new.graph(URIRef(NEW_GRAPH))
    assessments = set(g.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(DK + "StatusAssessment")))
    assert len(assessments) == len(rows_2017)
    milestones = set(g.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(DK + "Milestone")))
    assert len(milestones) == sum(r["milestones"].count(";") + 1 for r in rows_2017 if r["milestones"])
    # provenance: the graph is a described fact graph derived from a source document with a public page
    prov = new.graph(URIRef("https://w3id.org/digikort/graph/provenance"))
    doc = prov.value(URIRef(NEW_GRAPH), URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
    assert doc is not None and str(prov.value(doc, URIRef("http://xmlns.com/foaf/0.1/page"))) == "https://example.org/status-2019.pdf"
    # together with the shipped data, it adds no violation of the shapes
    from digikort.validation import validate_dataset

    combined = Dataset()
    for q in shipped.quads():
        combined.add(q)
    for q in new.quads():
        combined.add(q)
    before = {(v.focus, v.text()) for v in validate_dataset(shipped).violations}
    added = [v for v in validate_dataset(combined).violations if (v.focus, v.text()) not in before]
    assert added == []
    # and the literals are the 2017 report's own words
    row = next(r for r in rows_2017 if r["number"] == "1.4")
    a = URIRef("https://w3id.org/digikort/id/assessment/strategy-2016-2020/2019/1.4")
    assert str(g.value(a, URIRef(DK + "results"))) == " ".join(row["results"].split())


def test_refusals_name_row_and_column_and_write_nothing(tmp_path, rows_2017):
    rows = [dict(r) for r in rows_2017]
    rows[3]["number"] = "9.9"  # no such initiative: row 5 (the header is row 1)
    rows[6]["state"] = "halvvejs"  # not in the code list: row 8
    rows[10]["milestones"] = "2018-13 go-live: Måned 13"  # not a date: row 12
    rows[12]["colour"] = "blå"  # not a colour: row 14
    rows[14]["milestones"] = "2018-06 tested: Ukendt type"  # not a milestone kind: row 16
    src = write_csv(tmp_path / "bad.csv", rows)
    out = tmp_path / "bad.trig"
    r = run_cli("import", str(src), *OPTIONS, "--output", str(out))
    assert r.returncode == 2
    assert not out.exists()
    lines = r.stderr.strip().splitlines()
    assert "Traceback" not in r.stderr
    assert any("row 5, column number: no initiative '9.9'" in ln for ln in lines)
    assert any("row 8, column state: 'halvvejs' is not an initiative state" in ln for ln in lines)
    assert any("row 12, column milestones: milestone 1: '2018-13' is not a date" in ln for ln in lines)
    assert any("row 14, column colour: 'blå' is not a colour" in ln for ln in lines)
    assert any("row 16, column milestones: milestone 1: 'tested' is not a milestone kind" in ln for ln in lines)
    assert lines[-1].endswith("5 problem(s); nothing was written")


def test_the_shapes_refuse_what_the_cells_allow(tmp_path, rows_2017):
    """A well-formed milestone outside the plan's period (2016-2020) is caught by the shapes, on its row."""
    rows = [dict(r) for r in rows_2017]
    rows[0]["milestones"] = "2023-05 go-live: Efter strategiperioden"
    out = tmp_path / "late.trig"
    r = run_cli("import", str(write_csv(tmp_path / "late.csv", rows)), *OPTIONS, "--output", str(out))
    assert r.returncode == 2 and not out.exists()
    assert "row 2, column milestones: The milestone's date 2023-05 is outside the plan's period" in r.stderr


def test_the_auditor_rules_refuse_a_state_going_backwards(tmp_path, rows_2017):
    """1.1b was completed in the 2017 report; a later report cannot say it is only started."""
    rows = [dict(r) for r in rows_2017]
    laak = next(i for i, r in enumerate(rows) if r["number"] == "1.1b")
    assert rows[laak]["state"] == "completed"
    rows[laak]["state"] = "started"
    out = tmp_path / "backwards.trig"
    r = run_cli("import", str(write_csv(tmp_path / "backwards.csv", rows)), *OPTIONS, "--output", str(out))
    assert r.returncode == 2 and not out.exists()
    assert f"row {laak + 2}:" in r.stderr and "backwards" in r.stderr


def test_import_xlsx_into_a_store_and_refusal_leaves_it_unchanged(tmp_path, rows_2017):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Status"
    ws.append(["Nummer", "Tilstand", "Farve", "Bekymring", "Resultater", "Planer", "Milepæle"])  # Danish headers
    for r in rows_2017:
        ws.append([r[h] for h in HEADER])
    xlsx = tmp_path / "status-2019.xlsx"
    wb.save(xlsx)
    store = tmp_path / "store"
    assert run_cli("load", "--store", str(store)).returncode == 0

    def quads() -> int:
        data = json.loads(run_cli("stats", "--format", "json", "--store", str(store)).stdout)
        return sum(data["graphs"].values())

    before = quads()
    bad = tmp_path / "bad.xlsx"
    ws.cell(row=3, column=2, value="done")
    wb.save(bad)
    r = run_cli("import", str(bad), *OPTIONS, "--store", str(store))
    assert r.returncode == 2 and "row 3, column Tilstand: 'done' is not an initiative state" in r.stderr
    assert quads() == before
    r = run_cli("import", str(xlsx), *OPTIONS, "--store", str(store))
    assert r.returncode == 0, r.stderr
    count = run_cli("query", f"SELECT (COUNT(?a) AS ?n) WHERE {{ GRAPH <{NEW_GRAPH}> {{ ?a a <{DK}StatusAssessment> }} }}",
                    "--format", "csv", "--store", str(store))
    assert count.stdout.split()[-1] == str(len(rows_2017))
    assert quads() > before
    # the same report cannot be imported twice
    again = run_cli("import", str(xlsx), *OPTIONS, "--store", str(store))
    assert again.returncode == 2 and "already exists" in again.stderr


def test_a_kl_half_year_report_with_danish_codes(tmp_path):
    """KL's action plan reports per half year in red/yellow/green; codes may be given as Danish labels."""
    src = tmp_path / "kl-2018-h1.csv"
    src.write_text("nummer;tilstand;farve;bekymring\n2.4;Igangsat;Grøn;\n6.4;igangsat;gul;Kritisk\n", encoding="utf-8")
    out = tmp_path / "kl.trig"
    r = run_cli("import", str(src), "--report", "kl-2016-2020/2018-h1", "--title", "Status 1. halvår 2018 (test)",
                "--publisher", "kl", "--url", "https://example.org/kl-2018-h1", "--output", str(out))
    assert r.returncode == 0, r.stderr
    ds = Dataset()
    ds.parse(out, format="trig")
    g = ds.graph(URIRef("https://w3id.org/digikort/graph/status-kl-2016-2020-2018-h1"))
    report = URIRef("https://w3id.org/digikort/id/report/kl-2016-2020/2018-h1")
    assert str(g.value(report, URIRef(DK + "reportPeriod"))) == "2018-H1"
    a = URIRef("https://w3id.org/digikort/id/assessment/kl-2016-2020/2018-h1/6.4")
    assert str(g.value(a, URIRef(DK + "statusColour"))).endswith("/status-colour/yellow")
    assert str(g.value(a, URIRef(DK + "concern"))).endswith("/concern/critical")


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    template = REPO / "examples" / "status-report-template.csv"
    cases = [
        [str(tmp_path / "missing.csv"), *OPTIONS, "--check"],
        [str(template), *OPTIONS],  # no --output, --store or --check
        [str(template), *OPTIONS[:1], "strategy-2016-2020/2017", *OPTIONS[2:], "--check"],  # exists
        [str(template), "--report", "nonsense", *OPTIONS[2:], "--check"],
        [str(template), *OPTIONS, "--publisher", "nobody", "--check"],
    ]
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    cases.append([str(tmp_path / "notes.pdf"), *OPTIONS, "--check"])
    for args in cases:
        r = run_cli("import", *args)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr
        problems = [ln for ln in r.stderr.strip().splitlines() if "nothing was written" not in ln]
        assert len(problems) == 1, (args, r.stderr)
    shifted = tmp_path / "shifted.csv"
    shifted.write_text("number,state,results\n1.4,started,Support samlet, og drift overdraget\n", encoding="utf-8")
    r = run_cli("import", str(shifted), *OPTIONS, "--check")
    assert r.returncode == 2 and "row 2: 1 cell(s) more than the header has columns" in r.stderr
    no_state = tmp_path / "no-state.csv"
    no_state.write_text("number,results\n1.4,tekst\n", encoding="utf-8")
    r = run_cli("import", str(no_state), *OPTIONS, "--check")
    assert r.returncode == 2 and "row 1, column state: the required column is missing" in r.stderr


def test_the_shipped_template_is_valid(tmp_path):
    template = REPO / "examples" / "status-report-template.csv"
    r = run_cli("import", str(template), *OPTIONS, "--check")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ok: 3 assessments, 3 milestones")
