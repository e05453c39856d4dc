"""PRISMA counting: every box of hand-built projects, and the checks that catch gaps."""

from __future__ import annotations

from pathlib import Path

from prisma_project import FULLTEXT, RETRIEVAL, TA, build, finished, mark_duplicate, screen

from screener.models import Choice, Stage
from screener.prisma import count_flow
from screener.protocol import load_protocol


def _flow(project):
    protocol = load_protocol(project.protocol_path)
    store = project.open_store()
    try:
        return count_flow(store, protocol)
    finally:
        store.close()


def test_every_box_of_a_finished_review(tmp_path: Path, run_cli) -> None:
    flow = _flow(finished(tmp_path, run_cli))
    # Identification: raw records per method and source, before deduplication.
    assert flow.database_results == 8
    assert [(s.name, s.n) for s in flow.database_specific_results] == [("PubMed", 3), ("Scopus", 5)]
    assert flow.register_results == 2
    assert [(s.name, s.n) for s in flow.register_specific_results] == [("ClinicalTrials.gov", 2)]
    assert (flow.citations_results, flow.website_results, flow.organisation_results) == (4, 1, 1)
    # Left column: 10 database/register records form 8 works.
    assert (flow.duplicates, flow.excluded_automatic, flow.excluded_other) == (2, 0, 0)
    assert (flow.records_screened, flow.records_excluded) == (8, 2)
    assert [(r.label, r.n) for r in flow.records_excluded_reasons] == [("Off topic", 1),
                                                                       ("Not a study", 1)]
    assert (flow.dbr_sought_reports, flow.dbr_notretrieved_reports, flow.dbr_assessed) == (6, 1, 5)
    assert [(r.code, r.n) for r in flow.dbr_excluded] == [("wrong-design", 2), ("wrong-setting", 1)]
    # Right column: X, Y, Z, W only (C'' belongs to C's work, X' is X again).
    assert (flow.other_sought_reports, flow.other_notretrieved_reports) == (3, 1)
    assert flow.other_assessed == 2
    assert [(r.label, r.n) for r in flow.other_excluded] == [("Wrong setting", 1)]
    assert (flow.new_studies, flow.new_reports) == (3, 3)
    assert flow.consistent, flow.failed_checks


def test_work_found_by_database_and_citation_is_counted_once_on_the_left(
    tmp_path: Path, run_cli
) -> None:
    flow = _flow(finished(tmp_path, run_cli))
    other = flow.other_methods
    assert flow.both_columns == 1
    assert other.found_by_databases == 1
    assert other.duplicates_within == 1
    assert other.works == 4
    assert (other.screened, other.excluded_title_abstract) == (4, 1)
    assert [(r.code, r.n) for r in other.excluded_reasons] == [("off-topic", 1)]
    # The numbers without a box are said in a note on the diagram.
    text = " ".join(flow.notes)
    assert "1 duplicate record removed" in text
    assert "also found via databases or registers" in text
    assert "1 excluded (Off topic 1)" in text


def test_citation_duplicate_of_a_database_record_moves_its_work_to_the_left(
    tmp_path: Path, run_cli
) -> None:
    project, protocol, work = build(tmp_path, run_cli)
    store = project.open_store()
    try:
        # Y (citation only) turns out to be the same work as D (Scopus).
        mark_duplicate(store, work["Y"], work["D"])
        flow = count_flow(store, protocol)
    finally:
        store.close()
    assert flow.citations_results == 4
    assert flow.records_screened == 8
    assert flow.other_methods.works == 3
    assert flow.other_methods.found_by_databases == 2
    assert flow.both_columns == 2


def test_pending_screening_is_reported_not_hidden(tmp_path: Path, run_cli) -> None:
    project, protocol, work = build(tmp_path, run_cli)
    store = project.open_store()
    try:
        ta = {k: v for k, v in TA.items() if k not in ("D", "E", "W")}
        # G is retrieved but has no full-text decision; H is not even marked retrieved.
        retrieval = {**RETRIEVAL, "G": "retrieved"}
        fulltext = {k: v for k, v in FULLTEXT.items() if k not in ("G", "H")}
        screen(store, work, protocol, ta, retrieval, fulltext)
        flow = count_flow(store, protocol)
    finally:
        store.close()
    assert not flow.consistent
    failed = {c.name: c for c in flow.failed_checks}
    assert failed["dbr_sought_reports"].explanation == "2 works pending title/abstract screening"
    assert failed["other_sought_reports"].explanation == "1 work pending title/abstract screening"
    assert failed["dbr_assessed"].explanation == "1 work sought but retrieval not recorded"
    assert failed["dbr_included"].explanation == "1 work retrieved but without a full-text decision"
    assert failed["new_reports"].found == 1
    assert any(n.startswith("INCOMPLETE: Reports sought for retrieval (databases and registers)")
               for n in flow.notes)


def test_unresolved_conflict_and_missing_retrieval_are_named(tmp_path: Path, run_cli) -> None:
    project, protocol, work = build(tmp_path, run_cli, "protocol-two-reviewers.toml")
    store = project.open_store()
    try:
        for letter in work:
            store.record_decision(work[letter], "ann", Stage.TITLE_ABSTRACT, Choice.INCLUDE)
            second = Choice.EXCLUDE if letter == "D" else Choice.INCLUDE
            store.record_decision(work[letter], "bob", Stage.TITLE_ABSTRACT, second, ["off-topic"])
        flow = count_flow(store, protocol)
        failed = {c.name: c for c in flow.failed_checks}
        assert failed["dbr_sought_reports"].explanation == (
            "1 work with an unresolved title/abstract conflict or maybe")
        assert "7 works sought but retrieval not recorded" in failed["dbr_assessed"].explanation
        store.record_resolution(work["D"], Stage.TITLE_ABSTRACT, Choice.EXCLUDE, "lead",
                                ["not-study"])
        flow = count_flow(store, protocol)
    finally:
        store.close()
    assert flow.records_excluded == 1
    assert [r.code for r in flow.records_excluded_reasons] == ["not-study"]
    assert "dbr_sought_reports" not in {c.name for c in flow.failed_checks}


def test_empty_project_is_consistent_zeros(project) -> None:
    store = project.open_store()
    try:
        flow = count_flow(store, None)
    finally:
        store.close()
    assert flow.records_screened == 0 and flow.new_studies == 0
    assert flow.consistent
