"""``screener dedup``: find duplicates, review uncertain pairs, explain and undo merges."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from screener.blinding import open_as
from screener.commands import add_command, emit, open_project, plain_text
from screener.errors import ScreenerError
from screener.project import Project
from screener.roster import acting_reviewer
from screener.store import Store
from screener.store.backup import automatic_backup
from screener.store.dedup import DedupPair

if TYPE_CHECKING:
    from screener.dedup.run import DedupSummary

DESCRIPTION = """\
Find the records that are the same work across every imported source. Pairs that match
beyond doubt are merged at once; uncertain pairs go to a review queue. Nothing is deleted:
each group gets a canonical record (work id = its lowest record id) filled from all its
records, and any merge can be undone. Re-running after a new import only adds; your
confirmations and rejections are never overwritten."""


def register(sub: Any) -> None:
    p = add_command(sub, "dedup", "find duplicate records and merge them into works",
                    description=DESCRIPTION)
    act = p.add_mutually_exclusive_group()
    act.add_argument("--review", action="store_true", help="review uncertain pairs in the terminal UI")
    act.add_argument("--pairs", action="store_true", help="list the review queue")
    act.add_argument("--confirm", nargs=2, type=int, metavar=("A", "B"),
                     help="records A and B are the same work")
    act.add_argument("--reject", nargs=2, type=int, metavar=("A", "B"),
                     help="records A and B are different works")
    act.add_argument("--undo", type=int, metavar="GROUP", help="split the group with this work id")
    act.add_argument("--explain", type=int, metavar="WORK_ID",
                     help="show which rules and scores joined the records of a work")
    act.add_argument("--overlap", action="store_true", help="works shared by each pair of sources")
    p.add_argument("--reviewer", metavar="NAME", default=None, type=plain_text,
                   help="who decides (default: $SCREENER_REVIEWER or the login name)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)


class DedupProgress:
    """``dedup: 40,000 of 100,000 records compared (123,456 pairs)...`` on stderr, only
    when it is a terminal and the run takes more than a moment."""

    def __init__(self) -> None:
        self.shown = False
        self.started = time.monotonic()

    def __call__(self, done: int, total: int, pairs: int) -> None:
        if not sys.stderr.isatty() or done >= total:
            return
        sys.stderr.write(f"\r  dedup: {done:,} of {total:,} records compared "
                         f"({pairs:,} candidate pairs, {time.monotonic() - self.started:.0f} s)...")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def reviewer_name(project: Project, args: argparse.Namespace) -> str:
    store = project.open_store()
    try:
        return acting_reviewer(store, args.reviewer)
    finally:
        store.close()


def run(args: argparse.Namespace) -> int:
    from screener.dedup.run import regroup, run_dedup, screened_merges

    project = open_project(args)
    if args.review:
        from screener.tui.dedup_review import run_review

        return run_review(project, reviewer_name(project, args),
                          debug=getattr(args, "debug", False))
    # As the acting reviewer: the note on merged screened works counts only the decisions
    # they may see (blinding).
    store, view = open_as(project, args.reviewer)
    try:
        if args.pairs:
            _pairs(store, args.json)
        elif args.confirm or args.reject:
            a, b = args.confirm or args.reject
            status = "confirmed" if args.confirm else "rejected"
            with store.transaction():
                screened = store.screened_works()
                store.decide_pair(a, b, status, view.reviewer)
                regroup(store)
            emit(f"records {a} and {b}: {status}; record {a} is in work {store.work_of(a)}, "
                 f"record {b} in work {store.work_of(b)}")
            if screened:
                _screened_notice(screened_merges(store.work_links(), screened))
        elif args.undo is not None:
            _undo(store, args.undo, view.reviewer)
        elif args.explain is not None:
            _explain(store, args.explain, args.json)
        elif args.overlap:
            _overlap(store, args.json)
        else:
            progress = DedupProgress()
            summary = run_dedup(store, progress)
            progress.clear()
            if args.json:
                emit(json.dumps(asdict(summary), indent=2))
            else:
                for line in summary_lines(summary):
                    emit(line)
                if summary.review_queue:
                    emit("review them with `screener dedup --review` or `--pairs`")
    finally:
        store.close()
    return 0


def summary_lines(summary: DedupSummary) -> list[str]:
    """What a dedup run did, as ``screener dedup`` prints it (the app shows the same)."""
    from screener.dedup.run import screened_merge_message

    lines = [f"records: {summary.records}, candidate pairs compared: {summary.candidates}",
             f"merged automatically: {summary.new_auto} new pairs; "
             f"review queue: {summary.review_queue} pairs ({summary.new_review} new)",
             f"unique works: {summary.unique_works} "
             f"(duplicates removed: {summary.duplicates_removed})"]
    if summary.screened_works_merged:
        lines.append(screened_merge_message(summary.screened_works_merged))
    return lines


def _screened_notice(merged: int) -> None:
    from screener.dedup.run import screened_merge_message

    if merged:
        emit(screened_merge_message(merged))


def pair_row(store: Store, p: DedupPair) -> dict[str, Any]:
    ra, rb = store.get_record(p.a).record, store.get_record(p.b).record
    return {"a": p.a, "b": p.b, "status": p.status, "score": p.score, "rule": p.rule,
            "details": p.details, "title_a": ra.title, "title_b": rb.title,
            "decided_by": p.decided_by, "decided_at": p.decided_at}


def _pairs(store: Store, as_json: bool) -> None:
    queue = store.review_queue()
    for p in queue:
        row = pair_row(store, p)
        if as_json:
            emit(json.dumps(row, ensure_ascii=False))
        else:
            emit(f"{p.a}\t{p.b}\t{p.score:.3f}\t{p.rule}\t{_short(row['title_a'])}\t{_short(row['title_b'])}")
    if not as_json and not queue:
        emit("review queue is empty")


UNDO_BACKUP_RECORDS = 5
"""Undoing a group this large first saves an automatic backup (it rewrites many works)."""


def _undo(store: Store, work_id: int, by: str) -> None:
    from screener.dedup.run import regroup

    members = store.group_members(work_id)
    if len(members) < 2:
        raise ScreenerError(f"work {work_id} is not a merged group (see `screener dedup --explain`)")
    if len(members) >= UNDO_BACKUP_RECORDS and store.location.path is not None:
        saved = automatic_backup(store.location.path, f"before-undo-{work_id}")
        if saved is not None:
            emit(f"kept a backup of the database as it was: {saved}")
    with store.transaction():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                store.decide_pair(a, b, "undone", by)
        regroup(store)
    emit(f"work {work_id} split into {len(members)} records: {', '.join(map(str, members))}")


def _explain(store: Store, record_id: int, as_json: bool) -> None:
    if as_json:
        work_id = store.work_of(record_id)
        members = store.group_members(work_id)
        pairs = [p for m in members for p in store.dedup_pairs(record=m) if p.a == m]
        emit(json.dumps({"work_id": work_id, "record_ids": members,
                         "pairs": [pair_row(store, p) for p in pairs]}, ensure_ascii=False, indent=2))
        return
    for line in explain_lines(store, record_id):
        emit(line)


def explain_lines(store: Store, record_id: int) -> list[str]:
    """Which records form the work of ``record_id`` and the rules and scores that joined them."""
    work_id = store.work_of(record_id)
    members = store.group_members(work_id)
    pairs = [p for m in members for p in store.dedup_pairs(record=m) if p.a == m]
    lines = [f"work {work_id}: {len(members)} record{'s' if len(members) != 1 else ''}"]
    for m in members:
        s = store.get_record(m)
        lines.append(f"  #{m}  {s.source} ({s.method.value}, {s.source_file}:{s.line})  "
                     f"{_short(s.record.title)}")
    for p in pairs:
        lines.append(f"  {p.a} ~ {p.b}: {p.status} by {p.decided_by or 'rule ' + p.rule}, "
                     f"score {p.score:.3f}; " + describe(p.details))
    return lines


def describe(details: dict[str, Any]) -> str:
    """Human wording of a pair's evidence (``doi same, title 98.5, authors ok ...``)."""
    parts = []
    for key in ("doi", "pmid"):
        if key in details:
            parts.append(f"{key.upper()} {details[key]}")
    if details.get("title") is not None:
        parts.append(f"title {details['title']}")
    if "authors" in details:
        parts.append(f"authors {details['authors']}")
    if details.get("year_diff") is not None:
        parts.append(f"year diff {details['year_diff']}")
    for key in ("venue", "volume", "pages"):
        if details.get(key) is not None:
            parts.append(f"{key} {'agree' if details[key] else 'differ'}")
    if details.get("numbers_differ"):
        parts.append("numbers in titles differ")
    if "refused" in details:
        parts.append(str(details["refused"]))
    return ", ".join(parts) or "decided by a user"


def _overlap(store: Store, as_json: bool) -> None:
    from screener.dedup.overlap import source_overlap

    if as_json:
        names, counts = source_overlap(store.work_sources())
        emit(json.dumps({s: {t: counts.get((s, t), 0) for t in names} for s in names}, indent=2))
        return
    for line in overlap_lines(store):
        emit(line)


def overlap_lines(store: Store) -> list[str]:
    """The source-overlap matrix: works shared by each pair of sources."""
    from screener.dedup.overlap import source_overlap

    names, counts = source_overlap(store.work_sources())
    if not names:
        return ["no records imported yet"]
    width = max([len(n) for n in names] + [6])
    lines = [" " * width + "  " + "  ".join(f"{n[:width]:>{width}}" for n in names)]
    for s in names:
        lines.append(f"{s:<{width}}  " + "  ".join(f"{counts.get((s, t), 0):>{width}}"
                                                   for t in names))
    return lines


def _short(text: str | None, n: int = 70) -> str:
    if not text:
        return "(no title)"
    return text if len(text) <= n else text[: n - 1] + "…"
