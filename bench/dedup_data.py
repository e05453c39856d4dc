"""Loading the labelled dedup sets of ../shared/dedup-benchmarks as Record models.

Every loader returns a ``LabelledSet``: our ``DedupItem``s, the plain rows bib-dedupe
reads (same fields), and the gold labels, either duplicate groups (pairwise scoring)
or, for EndNote libraries without set ids, the records flagged ``Duplicate``.
"""

from __future__ import annotations

import csv
import random
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import ElementTree

from screener.dedup import DedupItem
from screener.models import Author, Record
from screener.normalize import normalize_doi, parse_author, parse_year

ROOT = Path(__file__).resolve().parent.parent.parent / "shared" / "dedup-benchmarks"
TUNING = ("sra-stroke", "colrev-digital-work")
"""The two sets thresholds were tuned on; every other set is held out."""


@dataclass
class LabelledSet:
    name: str
    items: list[DedupItem]
    rows: list[dict[str, Any]]
    """bib-dedupe input rows (``ID``, ``ENTRYTYPE``, ``title``, ``author`` ...)."""
    gold_groups: list[list[int]] | None = None
    flagged: set[int] = field(default_factory=set)
    """Records marked Duplicate (set membership only), when there are no groups."""


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return None if value in ("", "NA", "nan", "UNKNOWN") else value


def _authors(text: str | None) -> list[Author]:
    text = _clean(text)
    if not text:
        return []
    if " and " in text:
        parts = text.split(" and ")
    elif ";" in text:
        parts = text.split(";")
    else:  # ASySD export: ``Adeli K.Lewis G. F.``
        parts = re.split(r"(?<=\.)(?=[A-Z][a-z])", text)
    return [a for a in (parse_author(p) for p in parts) if a is not None]


def _record(row: dict[str, Any]) -> Record:
    g = lambda k: _clean(row.get(k))  # noqa: E731
    return Record(
        title=g("title"), authors=_authors(g("author")), year=parse_year(g("year")),
        journal=g("journal") or g("booktitle"), volume=g("volume"), issue=g("number"),
        pages=g("pages"), doi=normalize_doi(g("doi")), abstract=g("abstract"),
        pub_type=g("ENTRYTYPE"),
    )


def _groups(path: Path, index: dict[str, int]) -> list[list[int]]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [[index[i] for i in r["merged_ids"].split(";") if i in index] for r in rows]


def load_csv_set(name: str) -> LabelledSet:
    folder = ROOT / name
    with (folder / "records_pre_merged.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    index = {r["ID"]: n for n, r in enumerate(rows, 1)}
    items = [DedupItem(index[r["ID"]], _record(r)) for r in rows]
    return LabelledSet(name, items, rows, _groups(folder / "merged_record_ids.csv", index))


def load_diabetes() -> LabelledSet:
    folder = ROOT / "asysd-diabetes"
    with (folder / "labelled_test_set.csv").open(newline="", encoding="latin-1") as f:
        raw = list(csv.DictReader(f))
    rows = []
    for r in raw:
        row = {k: v for k, v in r.items() if k in ("author", "title", "year", "journal", "abstract",
                                                   "doi", "number", "pages", "volume")}
        row["ID"] = f"id_{int(r['record_id']):07d}"
        row["ENTRYTYPE"] = "article"
        rows.append({k: (None if v in ("NA", "") else v) for k, v in row.items()})
    index = {r["ID"]: n for n, r in enumerate(rows, 1)}
    items = [DedupItem(index[r["ID"]], _record(r)) for r in rows]
    return LabelledSet("asysd-diabetes", items, rows, _groups(folder / "merged_record_ids.csv", index))


def _text(node: Any, path: str) -> str | None:
    found = node.find(path)
    return _clean("".join(found.itertext())) if found is not None else None


def load_endnote_set(name: str, filename: str) -> LabelledSet:
    tree = ElementTree.parse(ROOT / name / filename)
    rows, items, flagged = [], [], set()
    for n, rec in enumerate(tree.getroot().iter("record"), 1):
        authors = [a for a in ("".join(x.itertext()).strip() for x in rec.iter("author")) if a]
        row = {
            "ID": f"id_{n:07d}", "ENTRYTYPE": "article",
            "title": _text(rec, "titles/title"), "author": " and ".join(authors),
            "journal": _text(rec, "periodical/full-title") or _text(rec, "titles/secondary-title"),
            "year": _text(rec, "dates/year"), "volume": _text(rec, "volume"),
            "number": _text(rec, "number"), "pages": _text(rec, "pages"),
            "doi": _text(rec, "electronic-resource-num"), "abstract": _text(rec, "abstract"),
        }
        rows.append(row)
        items.append(DedupItem(n, _record(row)))
        if (_text(rec, "caption") or "").lower() == "duplicate":
            flagged.add(n)
    return LabelledSet(name, items, rows, None, flagged)


SETS = {
    "sra-stroke": lambda: load_csv_set("sra-stroke"),
    "colrev-digital-work": lambda: load_csv_set("colrev-digital-work"),
    "sra-cytology-screening": lambda: load_csv_set("sra-cytology-screening"),
    "sra-respiratory": lambda: load_csv_set("sra-respiratory"),
    "sra-haematology": lambda: load_csv_set("sra-haematology"),
    "asysd-diabetes": load_diabetes,
    "colrev-special-cases": lambda: load_csv_set("colrev-special-cases"),
    "beller-copper": lambda: load_endnote_set("beller-copper", "copper.xml"),
    "beller-tafenoquine": lambda: load_endnote_set("beller-tafenoquine", "tafenoquine.xml"),
}


def synthetic_set(n: int, seed: int = 7, dup_rate: float = 0.25, skewed: bool = False
                  ) -> LabelledSet:
    """``n`` records of random works, a share of them planted variants of earlier ones.

    ``skewed``: the key distribution of a real search at its worst: 8 surnames for every
    author (common names, "Anonymous", corporate authors), titles from a 60-word vocabulary
    (generic titles) and the years 2015-2024, so author+year and title blocks hold
    thousands of records.
    """
    rng = random.Random(seed)
    syll = ["ka", "ro", "mi", "ten", "sal", "vor", "pe", "lin", "dra", "qu", "zen", "bo",
            "tri", "mar", "os", "ul", "fen", "gra", "ti", "lex", "nor", "pha", "cy", "dum"]
    vocab = ["".join(rng.choice(syll) for _ in range(rng.randint(2, 4))) for _ in range(20000)]
    surnames = [w.capitalize() for w in vocab[:8000]]
    years = (1980, 2024)
    if skewed:
        surnames, vocab = surnames[:8], vocab[8000:8060]
    journals = [" ".join(w.capitalize() for w in rng.sample(vocab, 3)) for _ in range(600)]
    items: list[DedupItem] = []
    groups: dict[int, list[int]] = {}
    originals: list[tuple[int, Record]] = []
    for rid in range(1, n + 1):
        if originals and rng.random() < dup_rate:
            origin, source = rng.choice(originals)
            groups.setdefault(origin, [origin]).append(rid)
            items.append(DedupItem(rid, _variant(source, rng)))
            continue
        start = rng.randint(1, 2000)
        rec = Record(
            title=" ".join(rng.choice(vocab) for _ in range(rng.randint(6, 14))).capitalize(),
            authors=[Author(family=rng.choice(surnames), initials=rng.choice(string.ascii_uppercase))
                     for _ in range(rng.randint(1, 6))],
            year=rng.randint(*years), journal=rng.choice(journals),
            volume=str(rng.randint(1, 80)), issue=str(rng.randint(1, 12)),
            pages=f"{start}-{start + rng.randint(3, 30)}",
            doi=f"10.{rng.randint(1000, 9999)}/{rng.getrandbits(40):x}" if rng.random() < 0.6 else None,
        )
        originals.append((rid, rec))
        items.append(DedupItem(rid, rec))
    gold = [g for g in groups.values() if len(g) > 1]
    return LabelledSet(f"{'skewed' if skewed else 'synthetic'}-{n}", items, [], gold)


def _variant(rec: Record, rng: random.Random) -> Record:
    title = rec.title or ""
    roll = rng.random()
    if roll < 0.2:
        title = title.upper()
    elif roll < 0.4:
        title += "."
    elif roll < 0.55 and len(title) > 10:
        i = rng.randrange(len(title))
        title = title[:i] + title[i + 1:]
    authors = rec.authors if rng.random() < 0.5 else [
        Author(family=a.family.upper() if rng.random() < 0.3 else a.family, initials=a.initials)
        for a in rec.authors]
    pages = rec.pages
    if pages and rng.random() < 0.4:
        start, end = pages.split("-")
        pages = f"{start}-{end[-2:]}" if len(end) > 2 else pages
    return rec.model_copy(update={
        "title": title, "authors": authors, "pages": pages,
        "doi": rec.doi if rng.random() < 0.6 else None,
        "journal": rec.journal if rng.random() < 0.7 else " ".join(w[:4] for w in (rec.journal or "").split()),
    })
