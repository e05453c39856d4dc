"""``screener dedup`` end to end: merge, explain, confirm/reject, undo, re-run, works, overlap."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from screener.project import Project

PAPER = "Value for all? Dynamics of partnership formation in occupational healthcare collaboration"
A_RIS = f"""TY  - JOUR
TI  - {PAPER}
AU  - Smith, John A.
AU  - Doe, Jane
PY  - 2020
JO  - Journal of Management
VL  - 12
SP  - 1658
EP  - 1664
ER  -
TY  - JOUR
AU  - Smith, J.
PY  - 2020
DO  - 10.1000/xyz1
AB  - An abstract only this record has.
ER  -
TY  - JOUR
TI  - Effects of walking on blood pressure in older adults with hypertension
AU  - Lee, K.
PY  - 2019
ER  -
"""
B_RIS = f"""TY  - JOUR
TI  - {PAPER.upper()}.
AU  - Smith JA
AU  - Doe J
PY  - 2020
JO  - J Manage
VL  - 12
SP  - 1658-64
DO  - https://doi.org/10.1000/XYZ1
ER  -
TY  - JOUR
TI  - Effect of walking on blood pressure in older adults with hypertension
PY  - 2019
ER  -
"""


@pytest.fixture
def imported(project: Project, run_cli, tmp_path: Path) -> Project:
    (tmp_path / "a.ris").write_text(A_RIS)
    (tmp_path / "b.ris").write_text(B_RIS)
    root = str(project.root)
    assert run_cli("import", "--project", root, str(tmp_path / "a.ris"), "--source", "Scopus")[0] == 0
    assert run_cli("import", "--project", root, str(tmp_path / "b.ris"), "--source", "PubMed")[0] == 0
    return project


def status(run_cli, project: Project) -> dict[str, int]:
    code, out, _ = run_cli("status", "--project", str(project.root), "--json")
    assert code == 0
    return json.loads(out)  # type: ignore[no-any-return]


def test_dedup_merges_twins_and_queues_the_uncertain_pair(imported: Project, run_cli) -> None:
    code, out, _ = run_cli("dedup", "--project", str(imported.root), "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["unique_works"] == 3 and summary["review_queue"] == 1
    s = status(run_cli, imported)
    assert (s["unique_works"], s["duplicates_removed"]) == (3, 2)
    code, out, _ = run_cli("dedup", "--project", str(imported.root), "--pairs")
    assert out.split("\t")[:2] == ["3", "5"]


def test_canonical_work_fills_title_abstract_and_doi_from_twins(imported: Project, run_cli) -> None:
    run_cli("dedup", "--project", str(imported.root))
    code, out, _ = run_cli("works", "--project", str(imported.root), "--format", "jsonl")
    works = [json.loads(line) for line in out.splitlines()]
    paper = next(w for w in works if w["work_id"] == 1)
    assert paper["title"] == PAPER
    assert paper["doi"] == "10.1000/xyz1"
    assert paper["abstract"] == "An abstract only this record has."
    assert paper["record_ids"] == [1, 2, 4]
    assert paper["sources"] == ["PubMed", "Scopus"]
    assert len(works) == 3


def test_explain_names_the_rules_that_joined_each_record(imported: Project, run_cli) -> None:
    run_cli("dedup", "--project", str(imported.root))
    code, out, _ = run_cli("dedup", "--project", str(imported.root), "--explain", "2")
    assert code == 0
    assert out.startswith("work 1: 3 records")
    assert "DOI same" in out and "title 100.0" in out and "pages agree" in out


def test_confirm_and_reject_from_the_cli_are_kept_by_later_runs(imported: Project, run_cli) -> None:
    root = str(imported.root)
    run_cli("dedup", "--project", root)
    assert run_cli("dedup", "--project", root, "--confirm", "3", "5", "--reviewer", "ann")[0] == 0
    assert status(run_cli, imported)["unique_works"] == 2
    run_cli("dedup", "--project", root, "--reject", "5", "3", "--reviewer", "ann")
    run_cli("dedup", "--project", root)
    assert status(run_cli, imported)["unique_works"] == 3
    code, out, _ = run_cli("dedup", "--project", root, "--pairs")
    assert out.strip() == "review queue is empty"


def test_undo_splits_the_group_and_a_rerun_does_not_merge_it_again(imported: Project, run_cli) -> None:
    root = str(imported.root)
    run_cli("dedup", "--project", root)
    code, out, _ = run_cli("dedup", "--project", root, "--undo", "1")
    assert code == 0 and "1, 2, 4" in out
    assert status(run_cli, imported)["unique_works"] == 5
    run_cli("dedup", "--project", root)
    assert status(run_cli, imported)["unique_works"] == 5
    code, _, err = run_cli("dedup", "--project", root, "--undo", "1")
    assert code == 1 and "not a merged group" in err


def test_rerun_after_new_import_only_adds(imported: Project, run_cli, tmp_path: Path) -> None:
    root = str(imported.root)
    run_cli("dedup", "--project", root)
    before = run_cli("records", "--project", root)[1]
    (tmp_path / "c.ris").write_text(f"TY  - JOUR\nTI  - {PAPER}\nAU  - Smith, J. A.\nPY  - 2020\nER  - \n")
    run_cli("import", "--project", root, str(tmp_path / "c.ris"), "--source", "WoS")
    code, out, _ = run_cli("dedup", "--project", root, "--json")
    assert json.loads(out)["unique_works"] == 3
    after = run_cli("records", "--project", root)[1].splitlines()
    assert after[:5] == before.splitlines()
    assert json.loads(after[5])["work_id"] == 1


def test_overlap_counts_works_shared_by_sources(imported: Project, run_cli) -> None:
    run_cli("dedup", "--project", str(imported.root))
    code, out, _ = run_cli("dedup", "--project", str(imported.root), "--overlap", "--json")
    matrix = json.loads(out)
    assert matrix["PubMed"]["Scopus"] == 1
    assert matrix["Scopus"]["Scopus"] == 2 and matrix["PubMed"]["PubMed"] == 2


def test_confirming_an_unknown_record_is_a_one_line_error(imported: Project, run_cli) -> None:
    code, _, err = run_cli("dedup", "--project", str(imported.root), "--confirm", "1", "99")
    assert code == 1 and err.count("\n") == 1 and "99" in err


def test_works_csv_lists_each_work_once(imported: Project, run_cli) -> None:
    run_cli("dedup", "--project", str(imported.root))
    code, out, _ = run_cli("works", "--project", str(imported.root), "--format", "csv")
    lines = out.strip().splitlines()
    assert lines[0].startswith("work_id,")
    assert len(lines) == 4


def test_running_dedup_twice_changes_nothing(imported: Project, run_cli) -> None:
    root = str(imported.root)
    run_cli("dedup", "--project", root)
    records = run_cli("records", "--project", root)[1]
    pairs = run_cli("dedup", "--project", root, "--pairs", "--json")[1]
    code, out, _ = run_cli("dedup", "--project", root, "--json")
    summary = json.loads(out)
    assert (summary["new_auto"], summary["new_review"]) == (0, 0)
    assert run_cli("records", "--project", root)[1] == records
    assert run_cli("dedup", "--project", root, "--pairs", "--json")[1] == pairs


def test_a_failed_confirm_leaves_the_database_unchanged(imported: Project, run_cli) -> None:
    root = str(imported.root)
    run_cli("dedup", "--project", root)
    before = run_cli("dedup", "--project", root, "--pairs", "--json")[1]
    code, _, err = run_cli("dedup", "--project", root, "--confirm", "3", "3")
    assert code == 1 and "itself" in err
    assert run_cli("dedup", "--project", root, "--pairs", "--json")[1] == before


@pytest.mark.parametrize(("meanwhile", "works"), [
    (["--undo", "1"], 5),
    (["--confirm", "3", "5"], 2),
])
def test_a_running_dedup_keeps_a_decision_made_meanwhile(
    imported: Project, run_cli, monkeypatch, meanwhile, works
) -> None:
    import screener.dedup.run as dedup_run

    root = str(imported.root)
    run_cli("dedup", "--project", root)
    real = dedup_run.find_duplicates

    def slow_pass(*args, **kwargs):
        result = real(*args, **kwargs)
        # Another reviewer acts while this pass computes (it read the pairs before).
        monkeypatch.setattr(dedup_run, "find_duplicates", real)
        assert run_cli("dedup", "--project", root, *meanwhile, "--reviewer", "ann")[0] == 0
        return result

    monkeypatch.setattr(dedup_run, "find_duplicates", slow_pass)
    assert run_cli("dedup", "--project", root)[0] == 0
    assert status(run_cli, imported)["unique_works"] == works
