"""Exports: works with their screening decisions (CSV, RIS, BibTeX) and the decision log.

Every decision, reason, note and resolution gets its own column (CSV), custom tag (RIS
``C1``..``C8``) or field (BibTeX), never one packed notes field, so a spreadsheet or a
reference manager can filter on them. The bibliographic writers live in
``screener.export_formats``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TextIO

from screener.errors import ScreenerError
from screener.fulltext import fulltext_works
from screener.models import Decision, Resolution, Retrieval, Stage, Work
from screener.outcome import Outcome, work_outcomes
from screener.protocol import ReviewProtocol, Screening
from screener.spreadsheet import CsvDictWriter
from screener.store import Store


class ExportWhat(StrEnum):
    INCLUDED = "included"
    EXCLUDED = "excluded"
    CONFLICTS = "conflicts"
    ALL = "all"


_WANTED = {
    ExportWhat.INCLUDED: {Outcome.INCLUDED.value},
    # Works a stop of screening excluded are exported with them, marked by their outcome.
    ExportWhat.EXCLUDED: {Outcome.EXCLUDED.value, Outcome.EXCLUDED_AUTOMATIC.value},
    ExportWhat.CONFLICTS: {Outcome.CONFLICT.value},
}

NOT_RETRIEVED = "not-retrieved"
"""Outcome shown at the full-text stage for a report that could not be obtained."""


@dataclass
class ExportRow:
    """One work at one stage with everything recorded about it there."""

    work: Work
    stage: Stage
    outcome: str
    decisions: list[Decision] = field(default_factory=list)
    resolution: Resolution | None = None
    retrieval: Retrieval | None = None


def collect_rows(
    store: Store,
    protocol: ReviewProtocol | None,
    what: ExportWhat,
    stage: Stage = Stage.TITLE_ABSTRACT,
) -> list[ExportRow]:
    """The works to export, in work order. At full text, ``all`` = works in that stage."""
    return list(stream_rows(store, protocol, what, stage)[1])


def stream_rows(
    store: Store,
    protocol: ReviewProtocol | None,
    what: ExportWhat,
    stage: Stage = Stage.TITLE_ABSTRACT,
) -> tuple[list[str], Iterator[ExportRow]]:
    """(the reviewers with a decision in the exported rows, the rows in work order), the
    rows read from the store as they are written, so an export of 100,000 works holds one
    batch of works in memory, not all of them."""
    settings = protocol.screening if protocol else Screening()
    wanted = _WANTED.get(what)
    if stage is Stage.FULLTEXT:
        rows: list[ExportRow] = []
        for ft in fulltext_works(store, settings):
            outcome = ft.outcome.value if ft.outcome else NOT_RETRIEVED
            if wanted is None or outcome in wanted:
                rows.append(ExportRow(
                    store.get_work(ft.work_id), stage, outcome, ft.decisions, ft.resolution,
                    ft.retrieval,
                ))
        return reviewers_of(rows), iter(rows)
    outcomes = work_outcomes(store, stage, settings.policy)
    by_work: dict[int, list[Decision]] = {}
    for d in store.current_decisions(stage):
        by_work.setdefault(d.work_id, []).append(d)
    resolutions = store.current_resolutions(stage)

    def selected(work_id: int) -> tuple[bool, str]:
        outcome = outcomes.get(work_id, Outcome.PENDING).value
        return wanted is None or outcome in wanted, outcome

    seen: dict[str, None] = {}
    for work_id in sorted(by_work):
        if selected(work_id)[0]:
            for d in sorted(by_work[work_id], key=lambda d: d.id):
                seen.setdefault(d.reviewer, None)

    def rows_of_works() -> Iterator[ExportRow]:
        for work in store.iter_works():
            keep, outcome = selected(work.work_id)
            if keep:
                yield ExportRow(work, stage, outcome, by_work.get(work.work_id, []),
                                resolutions.get(work.work_id))

    return list(seen), rows_of_works()


def reviewers_of(rows: Iterable[ExportRow]) -> list[str]:
    """Every reviewer with a decision in ``rows``, by first appearance."""
    seen: dict[str, None] = {}
    for row in rows:
        for d in sorted(row.decisions, key=lambda d: d.id):
            seen.setdefault(d.reviewer, None)
    return list(seen)


def authors_text(work: Work) -> str:
    return "; ".join(a.display() for a in work.record.authors)


def decision_text(d: Decision) -> str:
    """``ana: exclude (not-health)``: one reviewer's decision in one line."""
    reasons = f" ({', '.join(d.reasons)})" if d.reasons else ""
    return f"{d.reviewer}: {d.decision.value}{reasons}"


def resolution_text(r: Resolution) -> str:
    reasons = f" ({', '.join(r.reasons)})" if r.reasons else ""
    return f"{r.decision.value}{reasons} by {r.resolved_by} at {r.time}"


_WORK_COLUMNS = [
    "work_id", "stage", "outcome", "title", "authors", "year", "journal", "volume", "issue",
    "pages", "doi", "pmid", "url", "abstract", "keywords", "sources", "methods", "record_ids",
]
_RESOLUTION_COLUMNS = [
    "resolution", "resolution_reasons", "resolution_note", "resolved_by", "resolved_at",
]


REVIEWER_PREFIX = "reviewer_"
"""Every reviewer column is ``reviewer_NAME_PART``; no other column starts with it, so no
reviewer name (``resolution``, ``title``...) can produce a column that already exists."""
_REVIEWER_PARTS = ("decision", "reasons", "note", "time")


def reviewer_column(name: str, part: str) -> str:
    """``reviewer_ana_decision``. Distinct names give distinct columns: the prefix is fixed
    and no part is a suffix of another."""
    return f"{REVIEWER_PREFIX}{name}_{part}"


def csv_columns(reviewers: list[str], stage: Stage) -> list[str]:
    """Work columns, then four per reviewer (``reviewer_ana_decision``...), then the
    resolution."""
    per_reviewer = [reviewer_column(name, part) for name in reviewers for part in _REVIEWER_PARTS]
    extra = ["retrieval"] if stage is Stage.FULLTEXT else []
    return _WORK_COLUMNS + extra + per_reviewer + _RESOLUTION_COLUMNS


def csv_row(row: ExportRow) -> dict[str, Any]:
    r = row.work.record
    out: dict[str, Any] = {
        "work_id": row.work.work_id, "stage": row.stage.value, "outcome": row.outcome,
        "title": r.title, "authors": authors_text(row.work), "year": r.year,
        "journal": r.journal, "volume": r.volume, "issue": r.issue, "pages": r.pages,
        "doi": r.doi, "pmid": r.pmid, "url": r.url, "abstract": r.abstract,
        "keywords": "; ".join(r.keywords + r.mesh), "sources": "; ".join(row.work.sources),
        "methods": "; ".join(m.value for m in row.work.methods),
        "record_ids": " ".join(str(i) for i in row.work.record_ids),
        "retrieval": row.retrieval.value if row.retrieval else None,
    }
    for d in row.decisions:
        out[reviewer_column(d.reviewer, "decision")] = d.decision.value
        out[reviewer_column(d.reviewer, "reasons")] = "; ".join(d.reasons)
        out[reviewer_column(d.reviewer, "note")] = d.note
        out[reviewer_column(d.reviewer, "time")] = d.time
    if row.resolution is not None:
        res = row.resolution
        out.update(
            resolution=res.decision.value, resolution_reasons="; ".join(res.reasons),
            resolution_note=res.note, resolved_by=res.resolved_by, resolved_at=res.time,
        )
    return out


def write_csv(rows: Iterable[ExportRow], out: TextIO, stage: Stage, *,
              keep_formulas: bool = False, reviewers: list[str] | None = None) -> int:
    """Write the rows (streamed when ``reviewers`` is given); returns how many."""
    if reviewers is None:
        rows = list(rows)
        reviewers = reviewers_of(rows)
    writer = CsvDictWriter(out, csv_columns(reviewers, stage), extrasaction="ignore",
                           lineterminator="\n", keep_formulas=keep_formulas)
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(csv_row(row))
        count += 1
    return count


LOG_COLUMNS = [
    "time", "who", "stage", "work_id", "title", "event", "decision", "reasons", "note",
    "resolution", "protocol_version",
]


def log_rows(store: Store) -> list[dict[str, Any]]:
    """Every recorded act, oldest first: decisions and undos, resolutions, retrievals, and
    the works a stop of screening excluded (and their return when it was withdrawn)."""
    titles: dict[int, str | None] = {w.work_id: w.record.title for w in store.iter_works()}
    events: list[dict[str, Any]] = []
    for d in store.decision_history():
        events.append({
            "time": d["time"], "who": d["reviewer"], "stage": d["stage"],
            "work_id": d["work_id"], "event": "decision" if d["decision"] else "undo",
            "decision": d["decision"], "reasons": "; ".join(d["reasons"]), "note": d["note"],
            "protocol_version": d["protocol_version"],
        })
    for r in store.resolution_history():
        events.append({
            "time": r["time"], "who": r["resolved_by"], "stage": r["stage"],
            "work_id": r["work_id"],
            "event": "resolution" if r["decision"] else "resolution withdrawn",
            "resolution": r["decision"], "reasons": "; ".join(r["reasons"]), "note": r["note"],
        })
    for t in store.retrieval_history():
        events.append({
            "time": t["time"], "who": t["recorded_by"], "stage": Stage.FULLTEXT.value,
            "work_id": t["work_id"], "event": "retrieval" if t["status"] else "retrieval withdrawn",
            "decision": t["status"], "note": t["note"],
        })
    for stop in store.stop_history():
        # Each work a stop excluded gets its own row, so the log names every one of them.
        note = (f"{stop.rule}, recall target {stop.recall_target:g}, confidence "
                f"{stop.confidence:g}")
        acts: list[tuple[str, str, str, str | None]] = [
            (stop.stopped_at, stop.stopped_by, "excluded by stopping rule", "excluded_automatic")]
        if stop.resumed_at is not None:
            acts.append((stop.resumed_at, stop.resumed_by or "", "stop withdrawn", None))
        for work_id in sorted(store.stopped_work_ids(stop.id)):
            for time, who, event, decision in acts:
                events.append({
                    "time": time, "who": who, "stage": Stage.TITLE_ABSTRACT.value,
                    "work_id": work_id, "event": event, "decision": decision, "note": note,
                })
    events.sort(key=lambda e: str(e["time"]))
    for e in events:
        work_id = e["work_id"]
        if work_id not in titles:
            # Recorded on a work since merged into another: its record is still there.
            titles[work_id] = _record_title(store, work_id)
        e["title"] = titles[work_id]
    return events


def _record_title(store: Store, record_id: int) -> str | None:
    try:
        return store.get_record(record_id).record.title
    except ScreenerError:
        return None


def write_log(store: Store, out: TextIO, *, keep_formulas: bool = False) -> int:
    """Write the decision log CSV; returns the number of events."""
    rows = log_rows(store)
    writer = CsvDictWriter(out, LOG_COLUMNS, extrasaction="ignore", lineterminator="\n",
                           keep_formulas=keep_formulas)
    writer.writeheader()
    writer.writerows(rows)
    return len(rows)
