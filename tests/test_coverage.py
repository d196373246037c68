"""The seed coverage report: `digikort coverage` (run for real) and the /coverage page."""
from __future__ import annotations

import json

from conftest import run_cli
from rdflib import Literal, URIRef

DK = "https://w3id.org/digikort/def/"
G004 = URIRef("https://w3id.org/digikort/graph/statusredegoerelse-2017")
PRINCIPLES = URIRef("https://w3id.org/digikort/id/figure/architecture-principles")


# ------------------------------------------------------------------ sentences of the seeds

def test_seeds_ship_with_the_package():
    from digikort import resources

    files = sorted(p.name for p in resources.folder("seeds").glob("0*.txt"))
    assert files == ["000_68ccc401afa35819.txt", "001_10eab2eed2b2669c.txt", "002_d097459905e51a84.txt",
                     "003_ed3caacadbc47109.txt", "004_9b6ed9fef949d151.txt"]
    assert (resources.folder("coverage") / "reasons.tsv").is_file()


def test_the_pdf_text_is_mended_and_split():
    from digikort.coverage.sentences import seed_texts, sentences

    seed = next(s for s in seed_texts() if s.number == "004")
    cut = sentences("004", seed.text)
    texts = [s.text for s in cut]
    # "forvalt-\nningen" is one word again, "NemLog-\nin3" keeps its hyphen, "Nem-\nLog-in" loses the break
    assert any("udvikling og forvaltningen af NemLog-in er blevet offentliggjort i februar 2018." in t for t in texts)
    assert not any("forvalt-" in t or "forvalt ningen" in t for t in texts)
    assert any("drift af NemLog-in3 medio 2018" in t for t in texts)
    assert any("support til Virk og NemLog-in, skal" in t for t in texts)
    # a heading over two lines is one unit, and is marked as a heading
    laak = [s for s in cut if s.text.endswith("(initiativ 1.1b)")]
    assert len(laak) == 1 and laak[0].heading and laak[0].text.startswith("LAAK - Lettere anvendelse")
    # no sentence runs across a heading, and ids are unique
    assert len({s.id for s in cut}) == len(cut)
    assert not any("(initiativ 1.2a)" in s.text and not s.heading for s in cut)


def test_abbreviations_do_not_end_a_sentence():
    from digikort.coverage.sentences import split

    text = "I 2016 afsendte myndighederne i alt 112,6 mio. Digital Post-meddelelser. Og danskerne er digitale."
    assert split(text) == ["I 2016 afsendte myndighederne i alt 112,6 mio. Digital Post-meddelelser.",
                           "Og danskerne er digitale."]
    assert len(split("Det sker pr. 1. juni 2018. Herefter følger mere.")) == 2


def test_sentence_ids_survive_rewrapping():
    from digikort.coverage.sentences import sentence_id

    assert sentence_id("004", "udbudsmaterialet for udvikling og forvaltningen") == \
        sentence_id("004", "udbudsmaterialet  for udvikling og forvalt-ningen")
    assert sentence_id("004", "28 ud af 31") != sentence_id("004", "21 ud af 31")


# ------------------------------------------------------------------ the command

def test_shipped_graph_has_no_uncovered_sentence():
    r = run_cli("coverage", "--format", "json")
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    data = json.loads(r.stdout)
    s = data["summary"]
    assert s["uncovered"] == 0 and data["stale_reasons"] == []
    assert s["in_scope"] >= 250 and s["covered"] + s["reasoned"] == s["in_scope"]
    assert [x["seed"] for x in data["seeds"]] == ["000", "001", "002", "003", "004"]
    sentences = {e["id"]: e for seed in data["seeds"] for e in seed["sentences"]}
    # a quoted sentence names the literal that quotes it, in the graph of its seed
    kmd = next(e for e in sentences.values() if e["text"].startswith("Der er på nuværende tidspunkt stadig udfordringer"))
    assert kmd["status"] == "covered" and kmd["how"] == "quote"
    assert kmd["triples"][0][0] == "https://w3id.org/digikort/id/assessment/kl-2016-2020/2017-h2/6.4"
    # a figure: "otte arkitektur-principper" is the figure's rdf:value 8
    eight = next(e for e in sentences.values() if e["text"].startswith("På baggrund af otte arkitektur-principper"))
    assert [str(PRINCIPLES), "http://www.w3.org/1999/02/22-rdf-syntax-ns#value", "8"] in eight["triples"]


def test_values_are_matched_to_figures_and_milestones_not_just_quoted():
    data = json.loads(run_cli("coverage", "--format", "json").stdout)
    sentences = {e["id"]: e for seed in data["seeds"] for e in seed["sentences"]}

    def find(start):
        return next(e for e in sentences.values() if e["text"].startswith(start))

    # "112,6 mio." is the figure's 112600000
    messages = find("I 2016 afsendte de offentlige myndigheder i alt 112,6 mio.")
    assert messages["text_only"] == []
    assert ["https://w3id.org/digikort/id/figure/digital-post-messages-2016",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#value", "112600000"] in messages["triples"]
    # the section heading "(initiativ 6.4)" relates the dates to the milestones of 6.4
    waste = find("Projektet havde opstart i januar 2017 og blev afsluttet i december 2017.")
    assert waste["text_only"] == [] and waste["how"] == "quote"
    # a value that only a text literal gives is listed as such
    s = data["summary"]
    assert s["text_only_sentences"] > 0 and s["text_only_values"] >= s["text_only_sentences"]
    assert any(e["text_only"] for e in sentences.values())


def test_text_report_lists_reasons_and_the_summary():
    r = run_cli("coverage")
    assert r.returncode == 0, r.stderr
    assert "REASONED  001-8efa6a90" in r.stdout and "only as text:" not in r.stdout
    worklist = run_cli("coverage", "--show", "text-only")
    assert worklist.returncode == 0 and "only as text:" in worklist.stdout
    assert " 0 uncovered (" in r.stdout.rstrip().splitlines()[-1]


def test_without_reasons_the_gaps_show_and_exit_1(tmp_path):
    empty = tmp_path / "reasons.tsv"
    empty.write_text("id\treason\texcerpt\n", encoding="utf-8")
    r = run_cli("coverage", "--reasons", str(empty), "--format", "json")
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert data["summary"]["reasoned"] == 0 and data["summary"]["uncovered"] > 0
    r = run_cli("coverage", "--reasons", str(empty), "--seed", "001")
    assert r.returncode == 1
    assert "UNCOVERED 001-8efa6a90" in r.stdout and "not represented: date '2001'" in r.stdout


def test_a_removed_fact_makes_its_sentence_uncovered(tmp_path, shipped):
    """Drop the figure of the eight architecture principles: the sentence that states it is a gap."""
    from rdflib import Dataset

    ds = Dataset()
    for s, p, o, g in shipped.quads():
        if s != PRINCIPLES:
            ds.add((s, p, o, g))
    data = tmp_path / "without-principles.trig"
    data.write_text(ds.serialize(format="trig"), encoding="utf-8")
    r = run_cli("coverage", "--data", str(data), "--seed", "004")
    assert r.returncode == 1, r.stderr
    block = r.stdout.split("På baggrund af otte arkitektur-principper", 1)
    assert len(block) == 2 and "UNCOVERED" in block[0].splitlines()[-1]
    assert "not represented: number 'otte'" in block[1].splitlines()[1]


def test_html_report_is_a_whole_page():
    r = run_cli("coverage", "--format", "html", "--lang", "da")
    assert r.returncode == 0, r.stderr[-500:]
    assert r.stdout.startswith("<!doctype html>") and '<html lang="da">' in r.stdout
    assert "Kildedækning" in r.stdout and 'id="004-871b73ac"' in r.stdout


def test_a_stale_reason_is_reported(tmp_path):
    reasons = tmp_path / "reasons.tsv"
    reasons.write_text("004-00000000\tno such sentence\t\n", encoding="utf-8")
    r = run_cli("coverage", "--reasons", str(reasons), "--show", "uncovered")
    assert r.returncode == 1
    assert "stale reason: 004-00000000" in r.stdout


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    for args in (["--seed", "007"], ["--show", "everything"], ["--reasons", str(tmp_path / "missing.tsv")],
                 ["--data", str(tmp_path / "missing.trig")]):
        r = run_cli("coverage", *args)
        assert r.returncode == 2, args
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, args
    broken = tmp_path / "reasons.tsv"
    broken.write_text("not-an-id\ta reason\n", encoding="utf-8")
    r = run_cli("coverage", "--reasons", str(broken))
    assert r.returncode == 2 and "reasons.tsv:1" in r.stderr


# ------------------------------------------------------------------ the page

def test_page_extends_the_site_template_and_lists_sentences(client):
    r = client.get("/coverage?lang=en")
    assert r.status_code == 200 and r.mimetype == "text/html"
    html = r.get_data(as_text=True)
    assert "<header class=\"site\">" in html and "/static/" in html  # the site's base template: navigation and style
    assert 'id="001-8efa6a90"' in html and "Reason:" in html
    assert 'href="/id/figure/architecture-principles"' in html  # evidence links to the served resource
    only = client.get("/coverage?status=reasoned").get_data(as_text=True)
    assert 'id="001-8efa6a90"' in only and 'class="covered"' not in only.split("<table", 1)[1].replace(
        '<span class="covered">', "")


def test_page_json_matches_the_command(client):
    r = client.get("/coverage", headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.mimetype == "application/json"
    page = r.get_json()["summary"]
    cli = json.loads(run_cli("coverage", "--format", "json").stdout)["summary"]
    assert page == cli


def test_page_refuses_bad_parameters(client):
    assert client.get("/coverage?format=pdf").status_code == 400
    r = client.get("/coverage?status=maybe")
    assert r.status_code == 400 and "status must be one of" in r.get_data(as_text=True)
