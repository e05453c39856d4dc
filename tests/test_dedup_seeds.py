"""The five seed pages: 76 records are 64 works, and the look-alikes stay apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from screener.project import Project

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


@pytest.fixture
def seeded(project: Project, run_cli) -> Project:
    files = sorted(str(p) for p in SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if len(files) != 5:
        pytest.skip("../shared/seeds is not available")
    code, _, err = run_cli("import", "--project", str(project.root), *files)
    if code != 0:
        pytest.skip(f"screener import cannot read the seeds yet: {err.strip()}")
    code, _, _ = run_cli("dedup", "--project", str(project.root))
    assert code == 0
    return project


def _records(run_cli, project: Project) -> list[dict]:  # type: ignore[type-arg]
    out = run_cli("records", "--project", str(project.root))[1]
    return [json.loads(line) for line in out.splitlines()]


def test_seeds_are_76_records_and_64_works(seeded: Project, run_cli) -> None:
    status = json.loads(run_cli("status", "--project", str(seeded.root), "--json")[1])
    assert (status["records"], status["unique_works"], status["duplicates_removed"]) == (76, 64, 12)


def test_chinese_page_and_the_paper_are_one_work(seeded: Project, run_cli) -> None:
    records = _records(run_cli, seeded)
    page = next(r for r in records if Path(r["source_file"]).name.startswith("000"))
    paper = next(r for r in records if Path(r["source_file"]).name.startswith("001") and r["parent_id"] is None)
    assert page["work_id"] == paper["work_id"]


def test_eleven_of_the_abstracts_references_are_in_the_papers_list(seeded: Project, run_cli) -> None:
    records = _records(run_cli, seeded)
    by_id = {r["id"]: r for r in records}
    abstract_refs = [r for r in records if Path(r["source_file"]).name.startswith("002") and r["parent_id"]]
    assert len(abstract_refs) == 13
    shared = [r for r in abstract_refs if r["work_id"] != r["id"]
              and Path(by_id[r["work_id"]]["source_file"]).name.startswith("001")]
    assert len(shared) == 11
    alone = {r["authors"][0].split()[0] for r in abstract_refs if r["work_id"] == r["id"]}
    assert alone == {"Gulati", "Kauser"}


def test_same_authors_and_year_and_chapters_of_one_book_stay_apart(seeded: Project, run_cli) -> None:
    records = _records(run_cli, seeded)
    def works_of(surname: str, year: int | None = None) -> set[int]:
        return {r["work_id"] for r in records if r["authors"] and r["authors"][0].startswith(surname)
                and Path(r["source_file"]).name.startswith("001") and r["parent_id"]
                and (year is None or r["year"] == year)}
    assert len(works_of("Vlaar", 2007)) == 2
    assert len(works_of("Weick")) == len([r for r in records if r["authors"][:1]
                                          and r["authors"][0].startswith("Weick")
                                          and Path(r["source_file"]).name.startswith("001")])
    chapters = {r["work_id"] for r in records if r["journal"] and "Sensemaking, and Organ" in r["journal"]
                and Path(r["source_file"]).name.startswith("001")}
    assert len(chapters) == 2
