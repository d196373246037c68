"""The seed texts cut into sentences, each with a stable id.

The five seeds ship in the package (``seeds/``). Seeds 000-003 are web pages: one paragraph
or heading per line. Seed 004 is a PDF extraction: every line of the page is its own line,
words break across lines ("forvalt-\\nningen"), and headings are the lines that end in two or
more spaces without a full stop. Both are mended into paragraphs first, then split into
sentences at a full stop, question or exclamation mark followed by a capital, unless the
word before the stop is a known abbreviation ("mio.", "pr.", "fx.").
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .. import resources

# Words that end in a full stop without ending a sentence (lower-cased, without the stop).
ABBREVIATIONS = {
    "mio", "mia", "mrd", "mv", "pr", "fx", "f.eks", "evt", "ca", "bl.a", "jf", "nr", "kr", "inkl", "dvs",
    "hhv", "iht", "vedr", "ift", "mht", "e.g", "i.e", "etc", "no", "mr", "ms", "dr", "st",
}
_SPLIT = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=(?:https?://\S+\s+)*[\"“”„'‘(]?[A-ZÆØÅ0-9])")
_HEADING_TAIL = re.compile(r"\S {2,}$")
_URL = re.compile(r"https?://\S+")
_WORD_BEFORE = re.compile(r"(\S+)\.[\"”’]?$")


@dataclass(frozen=True)
class Sentence:
    id: str  # "004-1a2b3c4d": the seed number and a hash of the normalised text
    seed: str  # "004"
    ordinal: int  # position in the seed, from 1
    text: str
    heading: bool = False


def normalise(text: str) -> str:
    """Letters and digits only, lower case: how a sentence is compared with a quoting literal.

    Hyphens, quotes and spacing differ between the PDF text and the curated literals
    ("selvbetjenings-løsningernes", "it-kriminelle"); the words do not.
    """
    text = unicodedata.normalize("NFC", text).lower()
    text = _URL.sub("", text)  # the PDF text drops link targets mid-word ("arbejhttp://... de")
    return "".join(ch for ch in text if ch.isalnum())


def sentence_id(seed: str, text: str) -> str:
    return f"{seed}-{hashlib.sha1(normalise(text).encode('utf-8')).hexdigest()[:8]}"


def _is_pdf_text(lines: list[str]) -> bool:
    """A PDF extraction ends most lines with a space (the line was wrapped on the page)."""
    filled = [ln for ln in lines if ln.strip()]
    return bool(filled) and sum(1 for ln in filled if ln.endswith(" ")) > len(filled) / 2


def _join(left: str, right: str) -> str:
    """Join two wrapped lines, mending a word broken at the line end."""
    left, right = left.rstrip(), right.strip()
    if not left.endswith("-") or not right[:1].isalpha():
        return f"{left} {right}"
    fragment = re.split(r"[\s(/]", left[:-1])[-1]
    first = re.split(r"[\s,.;:]", right, 1)[0]
    if not fragment.isalpha() or first in ("og", "eller", "til", "and", "or"):
        return f"{left} {right}"  # "handicap- og voksne": a suspended hyphen, not a break
    # "NemLog-\nin3" and "it-\nkriminelle" keep their hyphen; "forvalt-\nningen" and
    # "Nem-\nLog-in" lose it.
    if right[0].islower() and (fragment.lower() == "it" or any(ch.isupper() for ch in fragment[1:])):
        return left + right
    return left[:-1] + right


def blocks(text: str) -> list[tuple[str, bool]]:
    """(paragraph or heading text, is_heading) in reading order."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n")
    lines = text.split("\n")
    out: list[tuple[str, bool]] = []
    if not _is_pdf_text(lines):
        for ln in lines:
            s = " ".join(ln.split())
            if s:
                out.append((s, not re.search(r"[.!?:”\"]$", s) and len(s) < 120))
        return out
    para: str | None = None
    head: str | None = None

    def flush():
        nonlocal para, head
        if para:
            out.append((" ".join(para.split()), False))
        if head:
            out.append((" ".join(head.split()), True))
        para = head = None

    for ln in lines:
        if ln == "":
            continue  # the extraction puts an empty line after every line
        if not ln.strip():
            flush()  # a line of spaces: a real break on the page
            continue
        stripped = ln.strip()
        if _HEADING_TAIL.search(ln) and not re.search(r"[.!?,;:]$", stripped):
            if para:
                out.append((" ".join(para.split()), False))
                para = None
            head = stripped if head is None else f"{head} {stripped}"
            continue
        if head:
            out.append((" ".join(head.split()), True))
            head = None
        para = stripped if para is None else _join(para, ln)
    flush()
    return out


def split(paragraph: str) -> list[str]:
    """Sentences of one paragraph."""
    parts, start = [], 0
    for m in _SPLIT.finditer(paragraph):
        before = paragraph[start:m.start()]
        word = _WORD_BEFORE.search(before)
        if word and word.group(1).lower().lstrip("(") in ABBREVIATIONS:
            continue
        parts.append(before.strip())
        start = m.end()
    parts.append(paragraph[start:].strip())
    return [p for p in parts if p]


def sentences(seed: str, text: str) -> list[Sentence]:
    out: list[Sentence] = []
    for block, heading in blocks(text):
        for s in ([block] if heading else split(block)):
            out.append(Sentence(sentence_id(seed, s), seed, len(out) + 1, s, heading))
    return out


@dataclass(frozen=True)
class SeedText:
    number: str  # "004"
    file: str  # "004_9b6ed9fef949d151.txt"
    text: str


def seed_texts(folder: Path | None = None) -> list[SeedText]:
    """The shipped seeds (or those of another folder), in file order."""
    folder = folder or resources.folder("seeds")
    out = []
    for p in sorted(folder.glob("[0-9][0-9][0-9]_*.txt")):
        out.append(SeedText(p.name[:3], p.name, p.read_text(encoding="utf-8")))
    return out
