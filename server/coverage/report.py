"""Which seed sentences the graph represents, and how.

A sentence is *in scope* when it carries a date, a number, or the name of a system, agency,
organisation, plan or initiative (the names are the graph's own labels, plus acronyms and
"initiativ 1.2a" references). An in-scope sentence is

- **covered** when the named graph of its seed (or the description of its seed document)
  holds triples that represent it: a literal that quotes it ("quote"), or, for every date,
  number and name it carries, a triple that states that value or names that resource
  ("markers"); the evidence is listed triple by triple;
- **reasoned** when it is not covered and ``coverage/reasons.tsv`` says why it is deliberately
  not modelled;
- **uncovered** otherwise: a gap to fill or to explain.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS

from .. import resources
from ..namespaces import CV, DK, PROVENANCE_GRAPH
from .sentences import Sentence, SeedText, normalise, seed_texts, sentences

STATUSES = ("covered", "reasoned", "uncovered")

_MONTHS = ("januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|"
           "january|february|march|may|june|july|october")
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}[-./]\d{{1,2}}[-./]\d{{2,4}}(?:\s+\d{{1,2}}:\d{{2}})?|\d{{1,2}}\.?\s+(?:{_MONTHS})\s+\d{{4}}|(?:primo|medio|ultimo)\s+\w+\s*\d{{4}}"
    rf"|(?:{_MONTHS})\s+\d{{4}}|\d{{4}}\s*[-–/]\s*\d{{2,4}}|(?:19|20)\d\d(?:/\d\d)?)\b", re.IGNORECASE)
_INITIATIVE = re.compile(r"\binitiativ(?:et|erne|s)?\s+((?:\d{1,2}\.\d{1,2}[a-z]?)(?:\s*(?:og|,)\s*\d{1,2}\.\d{1,2}[a-z]?)*)",
                         re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?(?:\s+(?:mio|mia|mill)\.)?(?![\w])")
_SPELLED = {
    "da": r"\b(?:to(?! be\b)|tre|fire|fem|seks|syv|otte|ni|ti|tolv|tyve|halvandet)\b",  # not the English "(to be)"
    "en": r"\b(?:two|three|four|five|six|seven|eight|nine|ten|twelve|twenty)\b",
}
_MONTH_NUMBER = {m: i for i, m in enumerate(
    "januar februar marts april maj juni juli august september oktober november december".split(), 1)}
_MONTH_NUMBER.update({m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)})
_ACRONYM = re.compile(r"\b[A-ZÆØÅ]{2,}[a-zæøå]*\d*\b")
# Acronyms that are words of the prose, not names of a system, agency or initiative.
_NOT_NAMES = {"IT", "ICT", "EU", "PDF", "NGO", "NGOS", "ID", "IKT", "CEO", "OK"}

_PROPER = re.compile(r"(?<![\w./-])[A-ZÆØÅ][a-zæøåé]+(?:[ -][A-ZÆØÅ][a-zæøåé]+)*(?:\.dk)?(?![\w])")
# Capitalised words that are not names of a system, agency, organisation or initiative.
_NOT_PROPER = {"Danmark", "Danmarks", "Europa", "EU", "Initiativet", "Initiativ", "Figuren", "Det", "Der", "Den", "De"}

_NAMED_CLASSES = (DK.InfrastructureComponent, DK.Initiative, DK.Strategy, DK.ActionPlan, CV.PublicOrganisation,
                  ORG.Organization, DK.FocusArea)
_LABELS = (RDFS.label, DCTERMS.title, SKOS.altLabel, SKOS.prefLabel, FOAF.name)


@dataclass
class Marker:
    kind: str  # date, number, name, initiative
    text: str
    evidence: list = field(default_factory=list)  # triples (s, p, o) that state it


@dataclass
class Entry:
    sentence: Sentence
    markers: list[Marker]
    status: str = "out-of-scope"  # or one of STATUSES
    how: str = ""  # quote, markers
    evidence: list = field(default_factory=list)
    reason: str = ""

    @property
    def missing(self) -> list[Marker]:
        return [m for m in self.markers if not m.evidence]

    @property
    def text_only(self) -> list[Marker]:
        """Dates and numbers of a quoted sentence that no structured triple (a figure's value, a
        milestone's date) states: the graph has them only as text."""
        return [m for m in self.markers if m.kind in ("date", "number") and not m.evidence] if self.how == "quote" else []


@dataclass
class SeedCoverage:
    seed: SeedText
    graph: str | None
    entries: list[Entry]

    def count(self, status: str) -> int:
        return sum(1 for e in self.entries if e.status == status)


@dataclass
class CoverageReport:
    seeds: list[SeedCoverage]
    stale_reasons: list[str] = field(default_factory=list)  # reason ids that match no sentence

    @property
    def entries(self) -> list[Entry]:
        return [e for s in self.seeds for e in s.entries]

    def count(self, status: str) -> int:
        return sum(s.count(status) for s in self.seeds)

    @property
    def in_scope(self) -> int:
        return sum(self.count(s) for s in STATUSES)


class ReasonsError(ValueError):
    """The reasons file cannot be read."""


def load_reasons(path: Path | None = None) -> dict[str, str]:
    """id -> reason, from a TSV with the columns id, reason, excerpt (# starts a comment)."""
    path = path or resources.folder("coverage") / "reasons.tsv"
    if not path.exists():
        if path == resources.folder("coverage") / "reasons.tsv":
            return {}
        raise ReasonsError(f"no reasons file {path}")
    reasons: dict[str, str] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.reader(fh, delimiter="\t"), 1):
            if not row or not row[0].strip() or row[0].startswith("#"):
                continue
            if row[0] == "id":  # the header
                continue
            if len(row) < 2 or not re.fullmatch(r"\d{3}-[0-9a-f]{8}(?:-\d+)?", row[0]) or not row[1].strip():
                raise ReasonsError(f"{path}:{n}: expected 'id<TAB>reason<TAB>excerpt' with an id like 004-1a2b3c4d")
            reasons[row[0]] = row[1].strip()
    return reasons


class _SeedGraph:
    """What one seed's named graph (plus its document's description) says, indexed for matching."""

    def __init__(self, ds: Dataset, graph: URIRef, document: URIRef | None):
        self.document = document
        self.triples = list(ds.graph(graph).triples((None, None, None)))
        if document is not None:
            self.triples += list(ds.graph(PROVENANCE_GRAPH).triples((document, None, None)))
        self.triples.sort(key=lambda t: (str(t[0]), str(t[1]), str(t[2])))  # the same report from any store
        self.literals = [(t, normalise(str(t[2]))) for t in self.triples
                         if isinstance(t[2], Literal) and t[2].datatype is None and len(str(t[2])) >= 20]
        self.values: list[tuple[tuple, str]] = []  # (triple, lexical form) of dates, numbers, date texts
        self.mentioned: dict[URIRef, tuple] = {}  # resource -> one triple of this graph about it
        for t in self.triples:
            s, p, o = t
            if isinstance(o, Literal) and (o.datatype is not None or p in (DK.dateText, DK.initiativeNumber,
                                                                              DK.mainNumber, DK.reportPeriod)):
                self.values.append((t, str(o)))
            if isinstance(s, URIRef) and (s not in self.mentioned or p in _LABELS):
                self.mentioned[s] = t
            if isinstance(o, URIRef) and o not in self.mentioned:
                self.mentioned[o] = t
        self.text_of: dict[URIRef, str] = {}  # resource -> normalised text of its literals, for relating values
        for s, p, o in self.triples:
            if isinstance(o, Literal) and o.datatype is None:
                self.text_of[s] = self.text_of.get(s, "") + " " + str(o).lower()


def _names(ds) -> list[tuple[str, URIRef]]:
    """(label, resource) of every named thing in the dataset (a union graph), longest label first."""
    typed = set()
    for cls in _NAMED_CLASSES:
        typed |= set(ds.subjects(RDF.type, cls))
    out = set()
    for r in typed:
        for p in _LABELS:
            for label in ds.objects(r, p):
                text = " ".join(str(label).split())
                if 2 <= len(text) <= 80:
                    out.add((text, r))
    return sorted(out, key=lambda x: (-len(x[0]), x[0]))


def _detect(sentence: str, lang: str, names: list[tuple[str, URIRef]]) -> list[Marker]:
    markers: list[Marker] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for m in _INITIATIVE.finditer(sentence):
        for num in re.findall(r"\d{1,2}\.\d{1,2}[a-z]?", m.group(1)):
            markers.append(Marker("initiative", num))
        taken.append(m.span())
    for label, resource in names:
        flags = 0 if len(label) <= 5 or label.isupper() else re.IGNORECASE
        # "Smart City-initiativet" is also written "Smart City initiativet"
        pattern = r"[\s-]+".join(re.escape(part) for part in re.split(r"[\s-]+", label))
        for m in re.finditer(rf"(?<![\w-]){pattern}(?:s|'s|’s)?(?![\w]|-\w)", sentence, flags):
            if free(*m.span()):
                markers.append(Marker("name", m.group(0)))
                taken.append(m.span())
    for m in _DATE.finditer(sentence):
        if free(*m.span()):
            markers.append(Marker("date", m.group(0)))
            taken.append(m.span())
    for m in _NUMBER.finditer(sentence):
        if free(*m.span()):
            markers.append(Marker("number", m.group(0)))
            taken.append(m.span())
    for m in re.finditer(_SPELLED.get(lang, _SPELLED["da"]), sentence, re.IGNORECASE):
        if free(*m.span()):
            markers.append(Marker("number", m.group(0)))
            taken.append(m.span())
    for m in _ACRONYM.finditer(sentence):
        word = m.group(0)
        if free(*m.span()) and word.upper() not in _NOT_NAMES and not word.isdigit():
            markers.append(Marker("name", word))
            taken.append(m.span())
    if lang == "da":
        # Danish capitalises proper nouns only: a capitalised word inside a sentence names
        # something (Erhvervsstyrelsen, Forvaltningsloven, Voksenudredningsmetoden), even
        # when the graph has no label for it yet.
        for m in _PROPER.finditer(sentence):
            word = m.group(0)
            if m.start() > 0 and free(*m.span()) and word not in _NOT_PROPER and \
                    not re.search(r"(^|[.:!?]\s*|[\"“”„'‘(–-]\s*)$", sentence[:m.start()].rstrip() + " "[:0]):
                markers.append(Marker("name", word))
                taken.append(m.span())
    return markers


def _value_forms(marker: Marker) -> list[str]:
    """Lexical forms a triple may give the marker's value in."""
    text = marker.text
    if marker.kind == "initiative":
        return [text]
    years = re.findall(r"(?:19|20)\d\d", text)
    if marker.kind == "date":
        month = re.search(_MONTHS, text, re.IGNORECASE)
        if month and len(years) == 1:  # "februar 2018" is 2018-02, not any date in 2018
            ym = f"{years[0]}-{_MONTH_NUMBER[month.group(0).lower()]:02d}"
            day = re.match(r"(\d{1,2})\.?\s", text)
            return [f"{ym}-{int(day.group(1)):02d}", ym] if day else [ym]
        forms = list(years)
        m = re.match(r"(\d{1,2})[-./](\d{1,2})[-./](\d{2,4})", text)
        if m:
            d, mo, y = m.groups()
            y = y if len(y) == 4 else "20" + y
            forms.append(f"{y}-{int(mo):02d}-{int(d):02d}")
        return forms or [text]
    if marker.kind == "number":
        spelled = {"to": "2", "tre": "3", "fire": "4", "fem": "5", "seks": "6", "syv": "7", "otte": "8", "ni": "9",
                   "ti": "10", "tolv": "12", "tyve": "20", "halvandet": "1.5", "two": "2", "three": "3", "four": "4",
                   "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10", "twelve": "12",
                   "twenty": "20"}
        scale = {"mio.": 10**6, "mia.": 10**9, "mill.": 10**6}
        unit = text.split()[-1].lower() if " " in text else ""
        if unit in scale:  # "112,6 mio." is 112600000
            number = float(text.split()[0].replace(",", "."))
            return [str(round(number * scale[unit])), text.split()[0].replace(",", ".")]
        value = spelled.get(text.lower(), text.replace(",", "."))
        return [value, value.rstrip("0").rstrip(".") if "." in value else value]
    return [text]


def _stems(text: str) -> set[str]:
    return {w[:6] for w in re.findall(r"[a-zæøå]{5,}", text.lower())}


class _Matcher:
    def __init__(self, union, names: list[tuple[str, URIRef]]):
        self.union = union
        self.common: set[str] = set()  # stems too frequent in a seed to relate a value to a sentence
        self.by_label: dict[str, set[URIRef]] = {}
        for label, r in names:
            self.by_label.setdefault(normalise(label), set()).add(r)

    def _near(self, subject, named: set) -> bool:
        """The resource is, or links within two steps to, a resource the sentence names
        (a milestone -> its initiative -> the component the sentence names)."""
        if not named:
            return False
        step = set(self.union.objects(subject, None))
        if subject in named or step & named or any(x in named for x in self.union.subjects(None, subject)):
            return True  # (an assessment that quotes the sentence points at its report and its year)
        return any(o in named for s in step if isinstance(s, URIRef) for o in self.union.objects(s, None))

    def match(self, sg: _SeedGraph, sentence: Sentence, markers: list[Marker], section: set | None = None) -> set:
        """Attach evidence to the markers; `section` holds what the current heading names (the
        initiative of a section of seed 004), which relates the section's dates and numbers.
        Returns the resources the sentence names."""
        words = _stems(sentence.text) - self.common
        numbers = {f for m in markers if m.kind == "number" for f in _value_forms(m)}
        named_here = set()
        for m in markers:
            if m.kind == "name":
                key = normalise(m.text)
                found = self.by_label.get(key) or (self.by_label.get(key[:-1], ()) if key.endswith("s") else ())
                for r in sorted(found, key=str):  # "Sikkerhedsprogrammets" is the genitive of Sikkerhedsprogrammet
                    if r in sg.mentioned:
                        m.evidence.append(sg.mentioned[r])
                        named_here.add(r)
                if not m.evidence:  # an acronym or label with no resource: a literal of this graph may name it
                    for t, _ in sg.literals:
                        if re.search(rf"(?<!\w){re.escape(m.text)}(?!\w)", str(t[2])) and words & _stems(str(t[2])):
                            m.evidence.append(t)
                            break
            elif m.kind == "initiative":
                for t, lex in sg.values:
                    if t[1] == DK.initiativeNumber and lex == m.text:
                        m.evidence.append(t)
                        named_here.add(t[0])
        chosen: set = set()  # resources already stating a value of this sentence
        for m in sorted(markers, key=lambda m: m.kind != "number"):  # numbers first: they pick the figure
            if m.kind not in ("date", "number"):
                continue
            forms = set(_value_forms(m))
            best, best_score = None, 0
            for t, lex in sg.values:
                lex_forms = {lex, lex.rstrip("0").rstrip(".") if "." in lex else lex}
                hit = bool(forms & lex_forms) or (m.kind == "date" and any(lex.startswith(f) for f in forms)) or \
                    (t[1] == DK.dateText and m.text.lower() in lex.lower())
                if not hit:
                    continue
                subject = t[0]
                overlap = sum(1 for w in words if w in sg.text_of.get(subject, ""))
                if subject == sg.document:  # the seed's own dateline, day and all; no other value of it
                    if lex not in forms:
                        continue
                    score = 100
                elif m.kind == "number" and t[1] in (RDF.value, DK.outOf) and _distinctive(lex):
                    # a figure of 10 or more, or a decimal: unlikely by chance; best the figure whose
                    # value and whole both occur ("28 ud af de 31" is started 28 of 31, not green 21 of 28)
                    both = sum(1 for p in (RDF.value, DK.outOf) for v in self.union.objects(subject, p)
                               if str(v) in numbers)
                    score = 50 + 5 * both + (2 if t[1] == RDF.value else 0) + overlap
                elif m.kind == "date" and lex in forms and len(lex) == 10:
                    score = 40 + overlap  # the same day: unlikely by chance
                elif overlap >= 2 or self._near(subject, named_here | (section or set())):
                    # the value's resource shares rare words with the sentence, or is (or belongs to an
                    # initiative that concerns) something the sentence or its section heading names
                    score = overlap + (3 if self._near(subject, named_here | (section or set())) else 0)
                else:
                    continue
                if subject in chosen:
                    score += 4  # the figure that states the sentence's number also states its year
                if score > best_score:
                    best, best_score = t, score
            if best is not None:
                m.evidence.append(best)
                chosen.add(best[0])
        return named_here


def _distinctive(lex: str) -> bool:
    """A figure's value that is unlikely to occur by chance: 10 or more, or a decimal."""
    try:
        return float(lex) >= 10 or "." in lex
    except ValueError:
        return False


def _quote(sg: _SeedGraph, sentence: Sentence) -> list:
    norm = normalise(sentence.text)
    if len(norm) < 12:
        return []
    # every literal that quotes it (an assessment's results and a milestone's note may both do)
    return sorted((t for t, lit in sg.literals if norm in lit), key=lambda t: (str(t[0]), str(t[1])))


def build(ds: Dataset, reasons: dict[str, str] | None = None, seeds: list[SeedText] | None = None,
          only: set[str] | None = None) -> CoverageReport:
    """The coverage of the seeds by the dataset ``ds`` (an rdflib Dataset with named graphs)."""
    reasons = load_reasons() if reasons is None else reasons
    seeds = seeds if seeds is not None else seed_texts()
    from ..validation.engine import union

    u = union(ds)
    names = _names(u)
    matcher = _Matcher(u, names)
    prov = ds.graph(PROVENANCE_GRAPH)
    report = CoverageReport([])
    seen_ids = set()
    for seed in seeds:
        if only and seed.number not in only:
            continue
        document = next(iter(prov.subjects(DK.seedFile, Literal(seed.file))), None)
        graph = next(iter(prov.subjects(PROV.wasDerivedFrom, document)), None) if document is not None else None
        lang = "en" if document is not None and str(prov.value(document, DCTERMS.language) or "").endswith("ENG") else "da"
        sg = _SeedGraph(ds, graph, document) if graph is not None else None
        entries = []
        cut = _unique(sentences(seed.number, seed.text))
        matcher.common = _common_stems(cut)
        section: set = set()
        for s in cut:
            seen_ids.add(s.id)
            markers = _detect(s.text, lang, names)
            entry = Entry(s, markers)
            entries.append(entry)
            if not markers:
                continue
            quote = _quote(sg, s) if sg else []
            if sg:  # also for a quoted sentence: which of its values does a structured triple state?
                context = section | {t[0] for t in quote}  # what quotes the sentence relates its values
                named = matcher.match(sg, s, markers, context)
                if s.heading:  # a heading with an initiative opens its section; a sub-heading adds to it
                    initiatives = {r for r in named if (r, RDF.type, DK.Initiative) in matcher.union}
                    section = initiatives if initiatives else section | named
            if quote:
                entry.status, entry.how = "covered", "quote"
                entry.evidence = _dedupe(quote + [t for m in markers for t in m.evidence])
            elif markers and all(m.evidence for m in markers):
                entry.status, entry.how = "covered", "markers"
                entry.evidence = _dedupe(t for m in markers for t in m.evidence)
            elif s.id in reasons:
                entry.status, entry.reason = "reasoned", reasons[s.id]
                entry.evidence = _dedupe(t for m in markers for t in m.evidence)
            else:
                entry.status = "uncovered"
                entry.evidence = _dedupe(t for m in markers for t in m.evidence)
            if entry.status == "covered" and s.id in reasons:
                entry.reason = reasons[s.id]
        report.seeds.append(SeedCoverage(seed, str(graph) if graph is not None else None, entries))
    if not only:
        report.stale_reasons = sorted(set(reasons) - seen_ids)
    return report


def _common_stems(items: list[Sentence], share: float = 0.04) -> set[str]:
    """Stems found in more than `share` of a seed's sentences (at least 3): "digital", "initiativ"."""
    counts: dict[str, int] = {}
    for s in items:
        for w in _stems(s.text):
            counts[w] = counts.get(w, 0) + 1
    limit = max(3, share * len(items))
    return {w for w, n in counts.items() if n > limit}


def _unique(items: list[Sentence]) -> list[Sentence]:
    """Give repeated sentences of one seed ("Annonce") distinct ids: id, id-2, id-3."""
    seen: dict[str, int] = {}
    out = []
    for s in items:
        n = seen.get(s.id, 0) + 1
        seen[s.id] = n
        out.append(s if n == 1 else Sentence(f"{s.id}-{n}", s.seed, s.ordinal, s.text, s.heading))
    return out


def _dedupe(triples) -> list:
    out, seen = [], set()
    for t in triples:
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out
