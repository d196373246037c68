"""Issue 12: one test per class of defect found in review (D1-D11), each checking the shipped
graph against the seed texts (seeds/) and the curated tables (graph/curation/), so that the same
kind of mistake cannot come back in another place."""
from __future__ import annotations

import csv
import re
from functools import lru_cache

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from conftest import REPO, require

B = "https://w3id.org/digikort/"
DK = B + "def/"
G = B + "graph/"
TIME = "http://www.w3.org/2006/time#"
SEED_OF_GRAPH = {"status-2016-nyhed": "000", "20-aars-digitaliseringsstrategier": "001",
                 "status-report-2016-en": "002", "kl-handlingsplan-status-2017-h2": "003",
                 "statusredegoerelse-2017": "004"}
MONTHS = {1: ("januar", "january"), 2: ("februar", "february"), 3: ("marts", "march"), 4: ("april",),
          5: ("maj", "may"), 6: ("juni", "june"), 7: ("juli", "july"), 8: ("august",),
          9: ("september",), 10: ("oktober", "october"), 11: ("november",), 12: ("december",)}


def D(name):
    return URIRef(DK + name)


def normalise(text: str) -> str:
    """The seed text as words: PDF line breaks inside words joined, hyphens and quote marks
    ignored, whitespace collapsed (the quotes in the tables are compared the same way)."""
    text = re.sub(r"-\s*\n\s*", "", text)
    text = text.replace("-", "")
    text = re.sub(r"[”“„\"’‘']", "'", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=None)
def seed(code: str) -> str:
    folder = REPO / "seeds"
    require(folder.is_dir(), f"seed texts not found in {folder}")
    [path] = folder.glob(f"{code}_*.txt")
    return normalise(path.read_text(encoding="utf-8"))


def table(name: str) -> list[dict]:
    with open(REPO / "graph" / "curation" / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def in_graph(shipped, graph: str):
    return shipped.graph(URIRef(G + graph))


def date_of(g, s):
    for p in ("inXSDDate", "inXSDgYearMonth", "inXSDgYear"):
        v = g.value(s, URIRef(TIME + p))
        if v is not None:
            return str(v)
    return ""


def quote_dates(date: str, quote: str) -> list[str]:
    """What a date needs to find in its quote: the year, the month's name, the day."""
    missing = []
    q = quote.lower()
    if date[:4] not in q:
        missing.append(date[:4])
    if len(date) >= 7 and not any(m in q for m in MONTHS[int(date[5:7])]):
        missing.append(MONTHS[int(date[5:7])][0])
    if len(date) == 10 and not re.search(rf"\b{int(date[8:])}(\.| )", q):
        missing.append(f"day {int(date[8:])}")
    return missing


# ---------------------------------------------------------------- D1, D2, D3: kinds and claims


MODAL = re.compile(r"\b(kan \w+es|forventes|forventer|skal|will|planned|expected)\b", re.I)


def test_every_milestone_of_a_seed_graph_matches_the_curated_table(shipped):
    """Kind, expected flag and date of every milestone, per graph, as the quoted seed sentence
    supports them (D1: an approval credited to a seed that only expects it; D2: an expiring
    contract typed as signed; D3: risk assessments typed as approvals, a conference as a launch)."""
    rows = {(r["graph"], r["milestone"]): r for r in table("milestones.tsv")}
    problems = []
    seen = set()
    for graph, code in SEED_OF_GRAPH.items():
        g = in_graph(shipped, graph)
        for m in set(g.subjects(RDF.type, D("Milestone"))):
            slug = str(m).rsplit("/", 1)[1]
            seen.add((graph, slug))
            row = rows.get((graph, slug))
            if row is None:
                problems.append(f"{graph} {slug}: no row in milestones.tsv")
                continue
            kind = g.value(m, D("milestoneKind"))
            if (str(kind).rsplit("/", 1)[1] if kind else "") != row["kind"]:
                problems.append(f"{graph} {slug}: kind {kind} in the graph, {row['kind']} in the table")
            expected = g.value(m, D("expected"))
            if (str(expected).lower() if expected is not None else "") != row["expected"]:
                problems.append(f"{graph} {slug}: expected {expected} in the graph, {row['expected']} in the table")
            if normalise(row["quote"]) not in seed(code):
                problems.append(f"{graph} {slug}: the quote is not in seed {code}: {row['quote'][:80]}")
            if row["expected"] != "true" and MODAL.search(row["quote"]):
                problems.append(f"{graph} {slug}: said to have happened, but the quote only expects it: {row['quote'][:80]}")
    stale = set(rows) - seen
    assert not problems and not stale, problems + [f"stale row {s}" for s in sorted(stale)]


def test_milestone_kinds_used_are_in_the_code_list(shipped):
    kinds = {o for _, _, o, _ in shipped.quads((None, D("milestoneKind"), None, None))}
    scheme = URIRef(DK + "code/milestone-kind")
    assert all(any(True for _ in shipped.quads((k, SKOS.inScheme, scheme, None))) for k in kinds)
    for needed in ("risk-assessment", "contract-expiry", "conference"):
        assert URIRef(f"{DK}code/milestone-kind/{needed}") in kinds


# ---------------------------------------------------------------- D5: no date the sentence lacks


def test_dates_of_milestones_come_from_their_quote(shipped):
    problems = []
    for r in table("milestones.tsv"):
        g = in_graph(shipped, r["graph"])
        m = URIRef(f"{B}id/milestone/{r['milestone']}")
        if date_of(g, m) != r["date"]:
            problems.append(f"{r['graph']} {r['milestone']}: date {date_of(g, m)!r}, table {r['date']!r}")
        if r["date"] and r["date_basis"] == "quote" and quote_dates(r["date"], r["quote"]):
            problems.append(f"{r['milestone']}: the quote lacks {quote_dates(r['date'], r['quote'])}")
        if r["date"] and r["date_basis"] != "quote" and not r["date_basis"].startswith("derived: "):
            problems.append(f"{r['milestone']}: a date not in the quote must say how it was derived")
        text = g.value(m, D("dateText"))
        if text is not None and normalise(str(text)).lower() not in normalise(r["quote"]).lower():
            problems.append(f"{r['milestone']}: the date as written ({text}) is not in the quote")
    assert not problems, problems


def quoted_in(quote: str, text: str) -> bool:
    """The quote occurs in the text; an elided quote ("a ... b", "a [...] b") part by part, in order."""
    at = 0
    for part in re.split(r"\s*\[?(?:\.\.\.|…)\]?\s*", normalise(quote)):
        if not part:
            continue
        at = text.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True


def test_figures_carry_only_the_period_their_quote_gives(shipped):
    """A figure's row in figures.tsv, or else its own dk:note in the same graph, quotes the seed
    sentence; the period's year (month) must be in that quote (D5: a period the sentence lacks)."""
    rows = {(r["graph"], r["figure"]): r for r in table("figures.tsv")}
    problems = []
    for graph, code in SEED_OF_GRAPH.items():
        g = in_graph(shipped, graph)
        for f in set(g.subjects(RDF.type, D("Figure"))):
            slug = str(f).rsplit("/", 1)[1]
            row = rows.pop((graph, slug), None)
            if row is None:
                notes = [str(n) for n in g.objects(f, D("note")) if quoted_in(str(n), seed(code))]
                if not notes:
                    problems.append(f"{graph} {slug}: no row in graph/curation/figures.tsv and no dk:note quoting seed {code}")
                    continue
                period = g.value(f, D("period"))
                if period is not None and all(quote_dates(str(period), n) for n in notes):
                    problems.append(f"{slug}: period {period}, but its quote lacks {quote_dates(str(period), notes[0])}")
                continue
            period = g.value(f, D("period"))
            if (str(period) if period is not None else "") != row["period"]:
                problems.append(f"{slug}: period {period} in the graph, {row['period']!r} in the table")
            if str(g.value(f, RDF.value)) != row["value"]:
                problems.append(f"{slug}: value {g.value(f, RDF.value)} in the graph, {row['value']} in the table")
            if not quoted_in(row["quote"], seed(code)):
                problems.append(f"{slug}: the quote is not in seed {code}")
            if row["period"] and quote_dates(row["period"], row["quote"]):
                problems.append(f"{slug}: the quote lacks {quote_dates(row['period'], row['quote'])}")
    assert not problems and not rows, problems + [f"stale row {k}" for k in rows]


# ---------------------------------------------------------------- D6: language tags

DA_WORDS = {"og", "af", "på", "til", "som", "med", "fra", "det", "den", "er", "om", "hvordan", "sådan", "du",
            "ved", "søg", "ny", "nye", "komponenter", "pressemeddelelse", "strategi", "i", "et", "blev", "har"}
EN_WORDS = {"the", "of", "and", "as", "a", "at", "with", "to", "how", "is", "on", "about", "from",
            "new", "press", "release", "components", "strategy", "apply", "an", "by", "was", "has"}


def language_score(text: str) -> tuple[int, int]:
    """(Danish, English) evidence in a name: function words of each language and Danish letters.
    Names in parentheses are left out (a Danish name may stand in an English label), and so is
    a fixed prefix before ': ' ("Facts from a public source: <title>")."""
    text = re.sub(r"\([^)]*\)", " ", text).split(": ")[-1]
    tokens = [t for t in re.split(r"[\s,;:'\"”“]+", text) if t and not re.search(r"\d", t)]
    words = [t.lower() for t in tokens]
    # Danish letters count in ordinary words only: a name (capitalised) keeps its letters in English
    da = sum(w in DA_WORDS for w in words) + sum(1 for t in tokens if t[0].islower() and re.search(r"[æøå]", t))
    en = sum(w in EN_WORDS for w in words)
    return da, en


def test_language_score_catches_a_swap():
    assert language_score("Facts from a public source: Søg sygedagpenge som selvstændig i NemRefusion")[0] > 0
    da, en = language_score("Fakta fra offentlig kilde: About NemLog-in")
    assert en > da


def test_labels_are_in_the_language_they_are_tagged_with(shipped):
    wrong = []
    for s, _, o, _ in shipped.quads((None, RDFS.label, None, None)):
        if not isinstance(o, Literal) or o.language not in ("da", "en"):
            continue
        da, en = language_score(str(o))
        if (o.language == "en" and da > en) or (o.language == "da" and en > da):
            wrong.append(f"{s} {o!r}")
    assert not wrong, sorted(set(wrong))


def test_public_graph_labels_follow_their_document(shipped):
    """A public fact graph is named after its document in each language: the Danish label ends
    with the document's Danish label, the English one with its English label (the 7 swapped
    labels of D6 did not)."""
    wrong = []
    for g in {s for s, _, _, _ in shipped.quads((None, D("fromSeeds"), Literal(False), None))}:
        doc = next(o for _, _, o, _ in shipped.quads((g, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None, None)))
        for lang in ("da", "en"):
            names = [str(o) for _, _, o, _ in shipped.quads((doc, RDFS.label, None, None)) if o.language == lang]
            labels = [str(o) for _, _, o, _ in shipped.quads((g, RDFS.label, None, None)) if o.language == lang]
            if not any(label.endswith(name) for label in labels for name in names):
                wrong.append(f"{g} @{lang}: {labels} vs the document's {names}")
    assert not wrong, wrong


# ---------------------------------------------------------------- D7: URLs the seeds give


def test_urls_the_seeds_give_are_kept(shipped):
    folder = REPO / "seeds"
    require(folder.is_dir(), "seed texts not found")
    text_of_graph = " ".join(str(o) for _, _, o, _ in shipped.quads() if isinstance(o, Literal))
    iris = {str(t).rstrip("/") for q in shipped.quads() for t in q[:3] if isinstance(t, URIRef)}
    missing = []
    for path in sorted(folder.glob("00*.txt")):
        for url in re.findall(r"https?://[^\s)\]]+", path.read_text(encoding="utf-8")):
            url = url.rstrip(".,")
            if url.rstrip("/") not in iris and url not in text_of_graph:
                missing.append(f"{path.name[:3]}: {url}")
    assert not missing, missing


# ---------------------------------------------------------------- D8: closed lists


def components_named(shipped, quote: str) -> set[str]:
    names = {}
    for s, p, o, _ in shipped.quads((None, None, None, None)):
        if p in (RDFS.label, SKOS.altLabel) and isinstance(o, Literal) and str(s).startswith(B + "id/component/"):
            names.setdefault(str(o).lower(), set()).add(str(s).rsplit("/", 1)[1])
    listed = quote.rstrip(".").split(", ")
    listed = listed[:-1] + re.split(r" og | and ", listed[-1])
    found = set()
    for item in listed:
        item = item.strip().lower()
        matches = [n for n in names if item.endswith(n)]
        if matches:
            found |= names[max(matches, key=len)]
    return found


def test_closed_lists_are_exactly_what_the_seed_lists(shipped):
    """A list the seed closes (the twelve systems of 8.2's dependency mapping) is modelled as its
    own resource with exactly those members, not merged into what the initiative concerns (D8)."""
    problems = []
    for r in table("lists.tsv"):
        assert normalise(r["quote"]) in seed("004"), r["quote"][:60]
        s = URIRef(B + r["resource"])
        got = {str(o).rsplit("/", 1)[1] for _, _, o, _ in shipped.quads((s, D(r["property"]), None, None))}
        want = components_named(shipped, r["quote"])
        if got != want:
            problems.append(f"{r['resource']} {r['property']}: extra {sorted(got - want)}, missing {sorted(want - got)}")
    assert not problems, problems


# ---------------------------------------------------------------- D9: numbers that clash


def test_section_headings_with_two_numbers_are_modelled_and_reported(shipped):
    """Seed 004 heads a section "(initiativ 9.3 og 3.5)" while 3.5 is another initiative: the
    second number is kept (dk:alsoNumbered) and the shapes report the clash on both."""
    from digikort.validation import validate_dataset

    headings = re.findall(r"\(initiativ (\d+\.\d+[a-z]?) og (\d+\.\d+[a-z]?)\)", seed("004"))
    assert headings, "the seed has such a heading"
    report = validate_dataset(shipped)
    for own, other in headings:
        holder = URIRef(f"{B}id/initiative/2016-2020/{own}")
        assert Literal(other) in {o for _, _, o, _ in shipped.quads((holder, D("alsoNumbered"), None, None))}
        for number in (own, other):
            focus = f"{B}id/initiative/2016-2020/{number}"
            assert any(r.focus == focus and "also numbers" in r.text("en") for r in report.results), number


# ---------------------------------------------------------------- D10: kinds and the code list


def test_component_kinds_agree_with_the_code_list_examples(shipped):
    """Each kind's definition names examples "(fx NemID, Digital Post)"; those components have that kind."""
    problems = []
    scheme = URIRef(DK + "code/component-kind")
    for kind in {s for s, _, _, _ in shipped.quads((None, SKOS.inScheme, scheme, None))}:
        for _, _, d, _ in shipped.quads((kind, SKOS.definition, None, None)):
            if d.language != "da" or not re.search(r"\(fx ([^)]*)\)", str(d)):
                continue
            for name in re.split(r", | og ", re.search(r"\(fx ([^)]*)\)", str(d)).group(1)):
                comps = {s for s, _, o, _ in shipped.quads((None, RDFS.label, None, None))
                         if str(o) == name and str(s).startswith(B + "id/component/")}
                for c in comps:
                    kinds = {o for _, _, o, _ in shipped.quads((c, D("componentKind"), None, None))}
                    if kinds != {kind}:
                        problems.append(f"{name}: {sorted(kinds)}, the code list's example of {kind}")
    assert not problems, problems


# ---------------------------------------------------------------- D11: editorial judgements


def test_dependency_kinds_are_marked_editorial_judgements(shipped):
    editorial = {s for s, _, _, _ in shipped.quads((None, RDF.type, D("EditorialJudgementGraph"), None))}
    problems = []
    for d, _, kind, g in shipped.quads((None, D("dependencyKind"), None, None)):
        if g not in editorial:
            problems.append(f"{d}: kind {kind} stated in {g}, a graph of facts")
        elif (d, D("kindAssertedBy"), None) not in shipped.graph(g):
            problems.append(f"{d}: no dk:kindAssertedBy")
    assert not problems, problems
    assert editorial and all(any(True for _ in shipped.quads((g, D("assertedBy"), None, None))) for g in editorial)


# ---------------------------------------------------------------- D4: what no source says


def searched_not_found() -> set[tuple[str, str]]:
    text = (REPO / "graph" / "public" / "README.md").read_text(encoding="utf-8")
    section = text.split("## Searched, not found", 1)[1]
    return set(re.findall(r"^\| (https://\S+) \| (\S+) \|", section, re.M))


def fact_values(shipped, s, p):
    facts = {g for g, _, _, _ in shipped.quads((None, RDF.type, D("FactGraph"), None))}
    return [o for _, _, o, g in shipped.quads((s, p, None, None)) if g in facts]


def test_strategy_titles_and_periods_come_from_a_source_or_a_documented_search(shipped):
    """D4: the first two strategies had no title or period except in URIs and editorial labels,
    and a comment claimed a public graph that did not exist."""
    gaps = searched_not_found()
    title, start, end = URIRef("http://purl.org/dc/terms/title"), D("startYear"), D("endYear")
    missing = []
    for s in {s for s, _, _, _ in shipped.quads((None, RDF.type, D("Strategy"), None))}:
        for p, name in ((title, "dct:title"), (start, "dk:startYear"), (end, "dk:endYear")):
            if not fact_values(shipped, s, p) and (str(s), name) not in gaps:
                missing.append(f"{s} {name}")
    assert not missing, missing


def test_comments_cite_only_public_graphs_that_exist():
    existing = {p.stem for p in (REPO / "graph" / "public").glob("*.trig")}
    text = "\n".join((REPO / "graph" / "public" / f).read_text(encoding="utf-8") for f in [p.name for p in (REPO / "graph" / "public").glob("*.trig")])
    existing |= set(re.findall(r"<https://w3id.org/digikort/graph/public/([a-z0-9-]+)>", text))
    bad = []
    for path in (REPO / "graph").rglob("*.trig"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.lstrip().startswith("#"):
                for ref in re.findall(r"graph/public/([A-Za-z0-9.-]*)", line):
                    if ref.removesuffix(".trig") not in existing and ref not in ("", "README.md"):
                        bad.append(f"{path.name}: {line.strip()}")
    assert not bad, bad


def test_every_component_has_an_owner_or_a_documented_search(shipped):
    gaps = searched_not_found()
    owned = {s for s, _, _, _ in shipped.quads((None, D("responsibleAgency"), None, None))}
    part_of = {s: o for s, _, o, _ in shipped.quads((None, URIRef("http://purl.org/dc/terms/isPartOf"), None, None))}
    missing = []
    for c in {s for s, _, _, _ in shipped.quads((None, RDF.type, D("InfrastructureComponent"), None))}:
        if c in owned or part_of.get(c) in owned or (str(c), "dk:responsibleAgency") in gaps:
            continue
        missing.append(str(c))
    assert not missing, missing
    assert len(owned) >= 17


def test_public_sources_are_cited_with_page_publisher_language_and_date(shipped):
    gaps = searched_not_found()
    dct = "http://purl.org/dc/terms/"
    problems = []
    for g in {s for s, _, _, _ in shipped.quads((None, D("fromSeeds"), Literal(False), None))}:
        doc = next(o for _, _, o, _ in shipped.quads((g, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None, None)))
        have = {p for _, p, _, _ in shipped.quads((doc, None, None, None))}
        for p in (URIRef("http://xmlns.com/foaf/0.1/page"), URIRef(dct + "publisher"), URIRef(dct + "language")):
            if p not in have:
                problems.append(f"{doc} lacks {p}")
        if not {URIRef(dct + "issued"), D("retrieved")} & have and (str(doc), "dk:retrieved") not in gaps:
            problems.append(f"{doc} has neither dct:issued nor dk:retrieved")
    assert not problems, problems
