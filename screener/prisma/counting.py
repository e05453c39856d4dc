"""Counting every PRISMA 2020 box from the recorded data: the one place that does it.

Counting rules (documented in the README, section ``prisma``):

- Identification boxes count *records* as imported, before deduplication, by the method
  and source of their file (``Scopus (n = 120)``).
- A *work* (a deduplicated group of records) belongs to the databases and registers
  column when at least one of its records came from a database or register; otherwise
  (found only by citation searching, websites, organisations or other methods) to the
  other-methods column. A work found by both is therefore counted once, on the left,
  and the right-hand column shows only what other methods added.
- ``duplicates`` = database/register records minus the works of the left column.
  Other-methods records that duplicate a left-column work, or another other-methods
  record, have no box in the template: they appear in notes.
- Screening is by work: ``records_screened`` = left-column works; ``records_excluded``
  = those excluded at title/abstract. Other-methods works are screened too, but the
  template's right column starts at "Reports sought for retrieval", so their
  title/abstract exclusions appear in a note and ``other_sought_reports`` counts the
  works that passed title/abstract screening.
- One work = one report = one study: screener does not link several reports to one
  study, so ``new_studies`` = ``new_reports`` (a note says so).
"""

from __future__ import annotations

from collections import Counter

from screener.fulltext import UNSPECIFIED, fulltext_works
from screener.models import Choice, Decision, Method, Retrieval, Stage
from screener.outcome import Outcome, outcome_of
from screener.prisma.checks import add_checks, add_notes
from screener.prisma.flow import Flow, OtherMethods, ReasonCount, SourceCount
from screener.protocol import ReviewProtocol, Screening
from screener.ranking.stop import stop_note
from screener.store import Store

NO_REASON = "No reason recorded"
AUTOMATIC = "excluded-automatic"
"""Reason code of other-methods works a stop of screening excluded."""

_OTHER_FIELDS = {
    Method.WEBSITE: "website_results",
    Method.ORGANISATION: "organisation_results",
    Method.CITATION: "citations_results",
    Method.OTHER: "other_results",
}


def _reason_counts(
    codes: Counter[str], protocol: ReviewProtocol | None, stage: Stage
) -> list[ReasonCount]:
    """Reason counts in protocol order, then unknown codes, then 'no reason' last."""
    order = [c for c, _ in protocol.reasons(stage)] if protocol else []
    rest = sorted(c for c in codes if c not in order and c != UNSPECIFIED)
    out: list[ReasonCount] = []
    for code in [*order, *rest, UNSPECIFIED]:
        n = codes.get(code, 0)
        if n == 0:
            continue
        label = NO_REASON if code == UNSPECIFIED else (
            "Marked as ineligible by automation tools" if code == AUTOMATIC else
            protocol.reason_label(code) if protocol else code
        )
        out.append(ReasonCount(code=code, label=label, n=n))
    return out


def _title_abstract(
    store: Store, settings: Screening
) -> tuple[dict[int, Outcome], dict[int, str]]:
    """Outcome of every work at title/abstract, and the primary reason of exclusions."""
    reasons: dict[int, list[str]] = {}
    grouped: dict[int, list[Decision]] = {}
    for d in store.current_decisions(Stage.TITLE_ABSTRACT):
        grouped.setdefault(d.work_id, []).append(d)
        if d.decision is Choice.EXCLUDE:
            reasons.setdefault(d.work_id, []).extend(d.reasons)
    resolutions = store.current_resolutions(Stage.TITLE_ABSTRACT)
    stopped = store.stopped_work_ids()
    outcomes: dict[int, Outcome] = {}
    primary: dict[int, str] = {}
    for work_id in store.work_ids():
        res = resolutions.get(work_id)
        outcome = outcome_of(grouped.get(work_id, []), settings.policy, res.decision if res else None)
        if outcome is Outcome.PENDING and work_id in stopped:
            outcome = Outcome.EXCLUDED_AUTOMATIC
        outcomes[work_id] = outcome
        if outcome is Outcome.EXCLUDED:
            codes = res.reasons if res and res.reasons else reasons.get(work_id, [])
            primary[work_id] = codes[0] if codes else UNSPECIFIED
    return outcomes, primary


def _identification(store: Store, flow: Flow) -> dict[int, bool]:
    """Fill the identification boxes; return, per work, whether it is in the left column."""
    left_work: dict[int, bool] = {}
    sources: dict[Method, Counter[str]] = {Method.DATABASE: Counter(), Method.REGISTER: Counter()}
    other_records: list[tuple[int, int]] = []  # (record id, work id)
    for record_id, work_id, method, source in store.record_origins():
        is_left = not method.is_other_method
        left_work[work_id] = left_work.get(work_id, False) or is_left
        if is_left:
            sources[method][source] += 1
        else:
            field = _OTHER_FIELDS[method]
            setattr(flow, field, getattr(flow, field) + 1)
            other_records.append((record_id, work_id))
    flow.database_results = sum(sources[Method.DATABASE].values())
    flow.register_results = sum(sources[Method.REGISTER].values())
    flow.database_specific_results = [
        SourceCount(name=k, n=v) for k, v in sorted(sources[Method.DATABASE].items())
    ]
    flow.register_specific_results = [
        SourceCount(name=k, n=v) for k, v in sorted(sources[Method.REGISTER].items())
    ]
    left_works = sum(left_work.values())
    flow.duplicates = flow.database_results + flow.register_results - left_works
    other = OtherMethods(records=len(other_records))
    other.found_by_databases = sum(left_work[w] for _, w in other_records)
    right = {w for _, w in other_records if not left_work[w]}
    other.works = len(right)
    other.duplicates_within = other.records - other.found_by_databases - other.works
    flow.other_methods = other
    # A work in the left column that also has other-methods records was found by both.
    flow.both_columns = len({w for _, w in other_records if left_work[w]})
    return left_work


def count_flow(store: Store, protocol: ReviewProtocol | None, title: str = "") -> Flow:
    """Every box of the PRISMA 2020 diagram from the store, with notes and checks."""
    settings = protocol.screening if protocol else Screening()
    flow = Flow(title=title)
    left_work = _identification(store, flow)
    col = {w: ("dbr" if left else "other") for w, left in left_work.items()}
    ta, ta_reasons = _title_abstract(store, settings)
    excluded_left: Counter[str] = Counter()
    excluded_right: Counter[str] = Counter()
    automatic: dict[str, int] = {"dbr": 0, "other": 0}
    for work_id, outcome in ta.items():
        side = col.get(work_id, "dbr")
        if outcome is Outcome.EXCLUDED_AUTOMATIC:
            automatic[side] += 1
            if side == "other":
                # The right column has no box before screening: counted with its exclusions.
                excluded_right[AUTOMATIC] += 1
        elif outcome is Outcome.EXCLUDED:
            (excluded_left if side == "dbr" else excluded_right)[ta_reasons[work_id]] += 1
        elif outcome is Outcome.PENDING:
            flow.pending.title_abstract[side] += 1
        elif outcome is Outcome.CONFLICT:
            flow.pending.title_abstract_conflicts[side] += 1
    flow.excluded_automatic = automatic["dbr"]
    flow.records_screened = sum(1 for w in ta if col.get(w, "dbr") == "dbr") - automatic["dbr"]
    flow.records_excluded = sum(excluded_left.values())
    flow.records_excluded_reasons = _reason_counts(excluded_left, protocol, Stage.TITLE_ABSTRACT)
    flow.other_methods.screened = flow.other_methods.works
    flow.other_methods.excluded_title_abstract = sum(excluded_right.values())
    flow.other_methods.excluded_reasons = _reason_counts(
        excluded_right, protocol, Stage.TITLE_ABSTRACT
    )
    _full_text(store, protocol, settings, col, flow)
    flow.new_reports = flow.dbr_included + flow.other_included
    flow.new_studies = flow.new_reports
    add_checks(flow)
    add_notes(flow)
    stop = store.active_stop()
    stopped = automatic["dbr"] + automatic["other"]
    if stop is not None and stopped:
        flow.notes.append(stop_note(stop, stopped))
    return flow


def _full_text(
    store: Store,
    protocol: ReviewProtocol | None,
    settings: Screening,
    col: dict[int, str],
    flow: Flow,
) -> None:
    excluded: dict[str, Counter[str]] = {"dbr": Counter(), "other": Counter()}
    n: dict[str, Counter[str]] = {"dbr": Counter(), "other": Counter()}
    for fw in fulltext_works(store, protocol if protocol else settings):
        side = col.get(fw.work_id, "dbr")
        n[side]["sought"] += 1
        if fw.retrieval is Retrieval.NOT_RETRIEVED:
            n[side]["not_retrieved"] += 1
        elif fw.retrieval is None:
            flow.pending.retrieval[side] += 1
        else:
            n[side]["assessed"] += 1
            if fw.outcome is Outcome.EXCLUDED:
                excluded[side][fw.primary_reason or UNSPECIFIED] += 1
            elif fw.outcome is Outcome.INCLUDED:
                n[side]["included"] += 1
            elif fw.outcome is Outcome.CONFLICT:
                flow.pending.fulltext_conflicts[side] += 1
            else:
                flow.pending.fulltext[side] += 1
    flow.dbr_sought_reports = n["dbr"]["sought"]
    flow.dbr_notretrieved_reports = n["dbr"]["not_retrieved"]
    flow.dbr_assessed = n["dbr"]["assessed"]
    flow.dbr_excluded = _reason_counts(excluded["dbr"], protocol, Stage.FULLTEXT)
    flow.dbr_included = n["dbr"]["included"]
    flow.other_sought_reports = n["other"]["sought"]
    flow.other_notretrieved_reports = n["other"]["not_retrieved"]
    flow.other_assessed = n["other"]["assessed"]
    flow.other_excluded = _reason_counts(excluded["other"], protocol, Stage.FULLTEXT)
    flow.other_included = n["other"]["included"]
