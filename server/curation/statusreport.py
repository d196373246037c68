"""A new status report from a spreadsheet: one row per initiative, checked cell by cell, then
turned into a named graph with its provenance and validated with the shapes together with the
data it joins, before anything is written.

Columns (header row; English or Danish names, any order):

    number (nummer)      the initiative's number in the plan, e.g. 7.4        required
    state (tilstand)     a value of the initiative-state code list             required
    colour (farve)       a value of the status-colour code list                optional
    concern (bekymring)  a value of the concern code list                      optional
    results (resultater) text                                                  optional
    plans (planer)       text                                                  optional
    milestones (milepæle) "DATE [planned] KIND: label", several separated by ";"  optional

Code-list values may be given as the notation (``started``) or the Danish or English label
(``Igangsat``, ``Started``). DATE is YYYY, YYYY-MM or YYYY-MM-DD; "planned" marks a milestone
the report expects rather than one it reports as reached.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS, TIME, XSD

from ..namespaces import BASE, CODE, DK, GRAPH, ID, PROVENANCE_GRAPH

COLUMNS = {
    "number": ("number", "nummer", "nr", "initiativ", "initiative"),
    "state": ("state", "tilstand", "status"),
    "colour": ("colour", "color", "farve"),
    "concern": ("concern", "bekymring", "opmærksomhed"),
    "results": ("results", "resultater"),
    "plans": ("plans", "planer"),
    "milestones": ("milestones", "milepæle", "milepaele"),
}
REQUIRED = ("number", "state")
LANGUAGES = {"da": "http://publications.europa.eu/resource/authority/language/DAN",
             "en": "http://publications.europa.eu/resource/authority/language/ENG"}
_MILESTONE = re.compile(r"^\s*(?P<date>\S+)\s+(?:(?P<planned>planned|planlagt)\s+)?(?P<kind>[^:]+?)\s*:\s*(?P<label>.+?)\s*$",
                        re.IGNORECASE)
_PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?P<half>h[12]))?$", re.IGNORECASE)


class ImportError_(ValueError):
    """Input that cannot be imported at all (one line, exit 2)."""


@dataclass
class Problem:
    row: int | None  # spreadsheet row (the header is row 1); None for the report as a whole
    column: str | None
    message: str

    def line(self, source: str) -> str:
        where = source + (f": row {self.row}" if self.row else "") + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class Row:
    number: int  # spreadsheet row
    cells: dict[str, str]
    extra: int = 0  # cells beyond the header's columns (a text with an unquoted separator)


@dataclass
class ReportSpec:
    """What the command line says about the report and its source document."""
    report: str  # "strategy-2016-2020/2018" or "kl-2016-2020/2018-h1"
    title: str
    publishers: list[str]
    url: str
    issued: str | None = None
    language: str = "da"
    slug: str | None = None

    @property
    def plan_slug(self) -> str:
        return self.report.split("/", 1)[0]

    @property
    def period(self) -> str:
        return self.report.split("/", 1)[1].lower()

    @property
    def name(self) -> str:
        return self.slug or f"status-{self.plan_slug}-{self.period}"


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    graph: Dataset | None = None  # the new quads: the report's graph and its provenance
    graph_iri: str = ""
    rows: int = 0
    assessments: int = 0
    milestones: int = 0
    focus_rows: dict = field(default_factory=dict)  # IRI of a new assessment, milestone or its initiative -> row


# ------------------------------------------------------------------ reading the spreadsheet

def read_rows(path: Path, sheet: str | None = None) -> tuple[list[str], list[Row]]:
    """(header, rows) of a CSV (comma, semicolon or tab; UTF-8) or an .xlsx workbook."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_csv(path)
    raise ImportError_(f"{path.name}: give a .csv or .xlsx file, not {suffix or 'a file without a suffix'}")


def _read_csv(path: Path):
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ImportError_(f"{path.name}: not UTF-8 text; save the spreadsheet as 'CSV UTF-8'") from None
    if not text.strip():
        raise ImportError_(f"{path.name}: the file is empty")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in next(reader)]
    rows = []
    for n, cells in enumerate(reader, 2):
        extra = sum(1 for c in cells[len(header):] if c.strip())
        rows.append(Row(n, {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}, extra))
    return header, rows


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(path: Path, sheet: str | None):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise ImportError_(f"{path.name}: not a readable .xlsx workbook ({' '.join(str(exc).split())[:120]})") from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise ImportError_(f"{path.name}: no sheet {sheet!r}; the sheets are {', '.join(wb.sheetnames)}")
        ws = wb[sheet] if sheet else wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        try:
            header = [_cell(v) for v in next(it)]
        except StopIteration:
            raise ImportError_(f"{path.name}: the sheet is empty") from None
        while header and not header[-1]:
            header.pop()
        rows = []
        for n, values in enumerate(it, 2):
            rows.append(Row(n, {h: _cell(values[i]) if i < len(values) else "" for i, h in enumerate(header)}))
        return header, rows
    finally:
        wb.close()


# ------------------------------------------------------------------ checking and building

class _Vocab:
    """The code lists, plans, initiatives and organisations of the data the report joins."""

    def __init__(self, union):
        self.union = union

    def code(self, scheme: str, value: str):
        """The concept of the code list `scheme` whose notation or label is `value`, or None."""
        wanted = value.strip().lower()
        for concept in self.union.subjects(SKOS.inScheme, CODE[scheme]):
            names = [str(x).lower() for p in (SKOS.notation, SKOS.prefLabel, RDFS.label) for x in self.union.objects(concept, p)]
            names.append(str(concept).rsplit("/", 1)[-1])
            if wanted in names:
                return concept
        return None

    def values(self, scheme: str) -> list[str]:
        return sorted(str(n) for c in self.union.subjects(SKOS.inScheme, CODE[scheme]) for n in self.union.objects(c, SKOS.notation))

    def initiatives(self, plan: URIRef) -> dict[str, URIRef]:
        return {str(n): i for i in self.union.subjects(DK.inPlan, plan) for n in self.union.objects(i, DK.initiativeNumber)}


def plan_iri(plan_slug: str) -> URIRef:
    """strategy-2016-2020 -> id/strategy/2016-2020; any other slug names an action plan."""
    if plan_slug.startswith("strategy-"):
        return ID["strategy/" + plan_slug[len("strategy-"):]]
    return ID["action-plan/" + plan_slug]


def _date_literal(text: str):
    """(predicate, literal) for YYYY, YYYY-MM or YYYY-MM-DD; None when it is not a real date."""
    try:
        if re.fullmatch(r"\d{4}", text):
            return TIME.inXSDgYear, Literal(text, datatype=XSD.gYear)
        if re.fullmatch(r"\d{4}-\d{2}", text):
            dt.date(int(text[:4]), int(text[5:]), 1)
            return TIME.inXSDgYearMonth, Literal(text, datatype=XSD.gYearMonth)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            dt.date.fromisoformat(text)
            return TIME.inXSDDate, Literal(text, datatype=XSD.date)
    except ValueError:
        return None
    return None


def _slug(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(r"[^a-z0-9.]+", "-", text).strip("-")


def build(spec: ReportSpec, header: list[str], rows: list[Row], existing: Dataset) -> Result:
    """Check every cell and build the report's quads; problems instead when something does not fit."""
    from ..validation.engine import union

    result = Result()
    problems = result.problems
    u = union(existing)
    vocab = _Vocab(u)

    # --- the report as a whole (command-line options)
    plan = plan_iri(spec.plan_slug)
    period = _PERIOD.match(spec.period) if "/" in spec.report else None
    if "/" not in spec.report or not period:
        problems.append(Problem(None, None, f"--report must be PLAN/PERIOD such as strategy-2016-2020/2018 or kl-2016-2020/2018-h1, not {spec.report!r}"))
        return result
    if (plan, RDF.type, DK.Strategy) not in u and (plan, RDF.type, DK.ActionPlan) not in u:
        problems.append(Problem(None, None, f"no plan {spec.plan_slug!r} in the data (e.g. strategy-2016-2020, kl-2016-2020)"))
        return result
    report = ID[f"report/{spec.plan_slug}/{spec.period}"]
    graph = GRAPH[spec.name]
    document = ID["document/" + spec.name]
    for iri, what in ((report, "report"), (graph, "graph"), (document, "source document")):
        if (iri, None, None) in u or any(True for _ in existing.graph(iri).triples((None, None, None))):
            problems.append(Problem(None, None, f"the {what} {iri} already exists; a report is imported once (choose another --report or --slug)"))
    publishers = []
    for p in spec.publishers:
        org = next((o for o in (ID["agency/" + p], ID["organisation/" + p]) if (o, RDF.type, ORG.Organization) in u), None)
        if org is None:
            problems.append(Problem(None, None, f"--publisher {p!r} is no agency or organisation in the data (e.g. digitaliseringsstyrelsen, kl)"))
        publishers.append(org)
    if not re.match(r"^https?://\S+$", spec.url or ""):
        problems.append(Problem(None, None, f"--url must be the public address of the report (http or https), not {spec.url!r}"))
    issued = _date_literal(spec.issued) if spec.issued else None
    if spec.issued and issued is None:
        problems.append(Problem(None, None, f"--issued must be a date YYYY, YYYY-MM or YYYY-MM-DD, not {spec.issued!r}"))
    if spec.language not in LANGUAGES:
        problems.append(Problem(None, None, f"--language must be da or en, not {spec.language!r}"))

    # --- the header
    columns: dict[str, str] = {}  # canonical name -> header as written
    for h in header:
        key = next((c for c, names in COLUMNS.items() if h.strip().lower() in names), None)
        if key is None:
            if h.strip():
                problems.append(Problem(1, h, f"unknown column; the columns are {', '.join(COLUMNS)}"))
            continue
        if key in columns:
            problems.append(Problem(1, h, f"column {key} appears twice"))
        columns[key] = h
    for key in REQUIRED:
        if key not in columns:
            problems.append(Problem(1, key, "the required column is missing"))
    if problems:
        return result

    # --- the rows
    initiatives = vocab.initiatives(plan)
    lang = spec.language
    ds = Dataset()
    g = ds.graph(graph)
    seen: dict[str, int] = {}
    year = period.group("year")
    label_period = f"{year}-H{period.group('half')[1]}" if period.group("half") else year
    for row in rows:
        cells = {key: row.cells.get(h, "") for key, h in columns.items()}
        if not any(cells.values()) and not row.extra:
            continue  # an empty line
        result.rows += 1
        if row.extra:
            problems.append(Problem(row.number, None, f"{row.extra} cell(s) more than the header has columns; "
                                                      "put a text that contains the separator in double quotes"))
            continue
        number = cells["number"]
        initiative = initiatives.get(number)
        if not number:
            problems.append(Problem(row.number, columns["number"], "the initiative number is empty"))
        elif initiative is None:
            known = ", ".join(sorted(initiatives, key=_number_key)[:8])
            problems.append(Problem(row.number, columns["number"],
                                    f"no initiative {number!r} in {spec.plan_slug} (its numbers are {known}, ...)"))
        elif number in seen:
            problems.append(Problem(row.number, columns["number"], f"initiative {number} already has a row (row {seen[number]})"))
        else:
            seen[number] = row.number
        state = vocab.code("initiative-state", cells["state"]) if cells["state"] else None
        if not cells["state"]:
            problems.append(Problem(row.number, columns["state"], "the state is empty; every assessment needs one"))
        elif state is None:
            problems.append(Problem(row.number, columns["state"],
                                    f"{cells['state']!r} is not an initiative state ({', '.join(vocab.values('initiative-state'))})"))
        coded = {}
        for key, scheme, prop in (("colour", "status-colour", DK.statusColour), ("concern", "concern", DK.concern)):
            value = cells.get(key, "")
            if value:
                concept = vocab.code(scheme, value)
                if concept is None:
                    problems.append(Problem(row.number, columns[key], f"{value!r} is not a {key} ({', '.join(vocab.values(scheme))})"))
                coded[prop] = concept
        milestones = []
        for k, item in enumerate(x for x in cells.get("milestones", "").split(";") if x.strip()):
            m = _MILESTONE.match(item)
            if not m:
                problems.append(Problem(row.number, columns["milestones"],
                                        f"milestone {k + 1} {item.strip()!r} is not 'DATE [planned] KIND: label'"))
                continue
            date = _date_literal(m.group("date"))
            kind = vocab.code("milestone-kind", m.group("kind"))
            if date is None:
                problems.append(Problem(row.number, columns["milestones"],
                                        f"milestone {k + 1}: {m.group('date')!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"))
            if kind is None:
                problems.append(Problem(row.number, columns["milestones"],
                                        f"milestone {k + 1}: {m.group('kind')!r} is not a milestone kind ({', '.join(vocab.values('milestone-kind'))})"))
            milestones.append((date, kind, m.group("label"), bool(m.group("planned"))))
        if problems or initiative is None:
            continue
        assessment = ID[f"assessment/{spec.plan_slug}/{spec.period}/{number}"]
        g.add((assessment, RDF.type, DK.StatusAssessment))
        g.add((assessment, RDFS.label, Literal(f"Status {label_period} for initiativ {number}", lang="da")))
        g.add((assessment, RDFS.label, Literal(f"{label_period} status of initiative {number}", lang="en")))
        g.add((assessment, DK.assessedInitiative, initiative))
        g.add((assessment, DK.inReport, report))
        g.add((assessment, DK.state, state))
        for prop, concept in coded.items():
            g.add((assessment, prop, concept))
        for key, prop in (("results", DK.results), ("plans", DK.plans)):
            if cells.get(key):
                g.add((assessment, prop, Literal(" ".join(cells[key].split()), lang=lang)))
        result.assessments += 1
        result.focus_rows[str(assessment)] = result.focus_rows[str(initiative)] = row.number
        for k, (date, kind, label, planned) in enumerate(milestones, 1):
            ms = ID[f"milestone/{spec.name}-{_slug(number)}-{k}"]
            g.add((ms, RDF.type, DK.Milestone))
            g.add((ms, RDFS.label, Literal(label, lang=lang)))
            g.add((ms, DK.milestoneKind, kind))
            g.add((ms, DK.milestoneOf, initiative))
            g.add((ms, date[0], date[1]))
            g.add((ms, DK.expected, Literal(planned)))
            result.milestones += 1
            result.focus_rows[str(ms)] = row.number
    if problems:
        return result
    if not result.assessments:
        problems.append(Problem(None, None, "the file has no rows"))
        return result

    g.add((report, RDF.type, DK.StatusReport))
    g.add((report, RDFS.label, Literal(spec.title, lang=lang)))
    g.add((report, DK.reportsOn, plan))
    g.add((report, DK.reportYear, Literal(year, datatype=XSD.gYear)))
    if period.group("half"):
        g.add((report, DK.reportPeriod, Literal(label_period)))
    p = ds.graph(PROVENANCE_GRAPH)
    p.add((document, RDF.type, DK.SourceDocument))
    p.add((document, RDFS.label, Literal(spec.title, lang=lang)))
    p.add((document, DCTERMS.title, Literal(spec.title, lang=lang)))
    for org in publishers:
        p.add((document, DCTERMS.publisher, org))
    if issued is not None:
        p.add((document, DCTERMS.issued, issued[1]))
    p.add((document, DCTERMS.language, URIRef(LANGUAGES[lang])))
    p.add((document, FOAF.page, URIRef(spec.url)))
    p.add((document, DK.documentsReport, report))
    p.add((graph, RDF.type, DK.FactGraph))
    p.add((graph, DK.fromSeeds, Literal(False)))
    p.add((graph, RDFS.label, Literal(f"Fakta fra: {spec.title}", lang="da")))
    p.add((graph, RDFS.label, Literal(f"Facts from: {spec.title}", lang="en")))
    p.add((graph, PROV.wasDerivedFrom, document))
    result.graph = ds
    result.graph_iri = str(graph)
    return result


def _number_key(n: str):
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", n)]


# ------------------------------------------------------------------ validation with the shapes

_COLUMN_OF_PATH = {
    str(DK.state): "state", str(DK.statusColour): "colour", str(DK.concern): "concern", str(DK.results): "results",
    str(DK.plans): "plans", str(DK.assessedInitiative): "number",
}


def validate(result: Result, existing: Dataset) -> list[Problem]:
    """The shapes' violations that the new report adds to the existing data, as problems on the
    row they come from (an assessment, a milestone, or the initiative a rule reports on)."""
    from ..validation.engine import validate_dataset

    def key(r):
        return (r.focus, r.path, r.value, r.text("en"))

    before = {key(r) for r in validate_dataset(existing).violations}
    combined = Dataset()
    for q in existing.quads():
        combined.add(q)
    for q in result.graph.quads():
        combined.add(q)
    problems = []
    for r in validate_dataset(combined).violations:
        if key(r) in before:
            continue
        row = result.focus_rows.get(r.focus)
        column = None
        if row:
            column = "milestones" if "/milestone/" in r.focus else _COLUMN_OF_PATH.get(r.path or "")
        problems.append(Problem(row, column, f"{r.text('en')} ({r.focus.replace(BASE, '')})"))
    return problems
