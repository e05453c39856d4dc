"""Hand-built review projects whose every PRISMA box is known, for the prisma tests.

Records are imported from small RIS files through the CLI with their ``--source`` and
``--method``; duplicates are marked by pointing a record's ``work_id`` at its work;
decisions go through ``store.record_decision`` and full text through the full-text API.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from screener.fulltext import record_eligibility, record_retrieval
from screener.models import Choice, Retrieval, Stage
from screener.project import Project, init_project
from screener.protocol import ReviewProtocol, load_protocol
from screener.store import Store

DATA = Path(__file__).parent / "data" / "prisma"

# (file name, source, method, titles); a title ending in "'" duplicates the title
# without the quotes (a different record of the same work).
FILES = [
    ("scopus.ris", "Scopus", "database", ["A", "B", "C", "D", "E"]),
    ("pubmed.ris", "PubMed", "database", ["A'", "B'", "F"]),
    ("ctgov.ris", "ClinicalTrials.gov", "register", ["G", "H"]),
    ("refs.ris", "Reference lists", "citation", ["C''", "X", "X'", "Y"]),
    ("web.ris", "Google", "website", ["Z"]),
    ("org.ris", "WHO", "organisation", ["W"]),
]


def _ris(titles: list[str]) -> str:
    out = []
    for i, t in enumerate(titles):
        out += ["TY  - JOUR", f"TI  - Study {t.rstrip(chr(39))} of partnerships",
                f"AU  - Author{i}, A", "PY  - 2020", "ER  - ", ""]
    return "\n".join(out)


def mark_duplicate(store: Store, record_id: int, work_id: int) -> None:
    """Make a record part of another record's work (what dedup records on a merge)."""
    with store.transaction() as conn:
        conn.execute("UPDATE record_rows SET work_id = ? WHERE id = ?", (work_id, record_id))


def build(tmp: Path, run_cli: Callable[..., tuple[int, str, str]],
          protocol: str = "protocol.toml") -> tuple[Project, ReviewProtocol, dict[str, int]]:
    """The project of ``FILES`` with duplicates marked; returns it and work id by letter."""
    project = init_project(tmp / "review", title="PRISMA test", protocol=DATA / protocol)
    for name, source, method, titles in FILES:
        path = tmp / name
        path.write_text(_ris(titles), encoding="utf-8")
        code, _, err = run_cli("import", str(path), "--source", source, "--method", method,
                               "--project", str(project.root))
        assert code == 0, err
    store = project.open_store()
    try:
        ids = [r.id for r in store.iter_records()]
        letters = [t for _, _, _, titles in FILES for t in titles]
        by_title = dict(zip(letters, ids, strict=True))
        for title, rid in by_title.items():
            if title.endswith("'"):
                mark_duplicate(store, rid, by_title[title.rstrip("'")])
    finally:
        store.close()
    work = {t: i for t, i in by_title.items() if not t.endswith("'")}
    return project, load_protocol(DATA / protocol), work


def screen(store: Store, work: dict[str, int], protocol: ReviewProtocol,
           ta: dict[str, str], retrieval: dict[str, str], fulltext: dict[str, str],
           reviewer: str = "ann") -> None:
    """Decide title/abstract ("include" or a reason code), retrieval, then full text."""
    for letter, what in ta.items():
        if what == "include":
            store.record_decision(work[letter], reviewer, Stage.TITLE_ABSTRACT, Choice.INCLUDE)
        else:
            store.record_decision(work[letter], reviewer, Stage.TITLE_ABSTRACT, Choice.EXCLUDE,
                                  [what])
    for letter, status in retrieval.items():
        record_retrieval(store, work[letter], Retrieval(status), reviewer, protocol)
    for letter, what in fulltext.items():
        if what == "include":
            record_eligibility(store, work[letter], Choice.INCLUDE, reviewer, protocol)
        else:
            record_eligibility(store, work[letter], Choice.EXCLUDE, reviewer, protocol, [what])


# The finished review of FILES: every box known (see test_prisma_counting.py).
TA = {"A": "include", "B": "include", "C": "include", "D": "off-topic", "E": "not-study",
      "F": "include", "G": "include", "H": "include",
      "X": "include", "Y": "include", "Z": "include", "W": "off-topic"}
RETRIEVAL = {"A": "not-retrieved", "Y": "not-retrieved"}
FULLTEXT = {"B": "wrong-design", "C": "wrong-design", "F": "wrong-setting", "G": "include",
            "H": "include", "X": "include", "Z": "wrong-setting"}


def finished(tmp: Path, run_cli: Callable[..., tuple[int, str, str]]) -> Project:
    project, protocol, work = build(tmp, run_cli)
    store = project.open_store()
    try:
        screen(store, work, protocol, TA, RETRIEVAL, FULLTEXT)
    finally:
        store.close()
    return project
