"""``screener demo``: create, import, dedup, simulate, report; reuse; refuse foreign folders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from screener.commands.demo import MARKER, repo_root
from screener.models import Stage
from screener.project import find_project

ON_TOPIC = [
    "Partnership formation between hospitals and municipalities",
    "Trust in interorganizational collaboration in primary care",
    "Governance of integrated care networks for older people",
    "Public-private partnerships in occupational health services",
    "Alliance management in regional health systems",
    "Co-creation between social care providers and voluntary organisations",
    "Intersectoral collaboration for local public health",
]
OFF_TOPIC = [
    "Dosage of an anticoagulant in elderly patients: a randomized trial",
    "Liver fibrosis in mice fed a high-fat diet",
    "Supply chain alliances in car manufacturing",
]


def _ris(numbers: range) -> str:
    titles = ON_TOPIC + OFF_TOPIC
    out = []
    for i in numbers:
        title = f"{titles[i % len(titles)]}: case {i}"
        out.append(
            f"TY  - JOUR\nTI  - {title}\nAU  - Example{i}, Alex\nPY  - {2005 + i % 15}\n"
            f"T2  - Journal of Invented Studies\nDO  - 10.5555/demo-test.{i}\n"
            f"AB  - An invented abstract for {title.lower()}.\nER  -\n"
        )
    return "\n".join(out)


@pytest.fixture
def imports(tmp_path: Path) -> Path:
    """Two exports of 40 works sharing 10 (so dedup has something to merge)."""
    folder = tmp_path / "imports"
    folder.mkdir()
    (folder / "scopus.ris").write_text(_ris(range(0, 25)), encoding="utf-8")
    (folder / "pubmed.ris").write_text(_ris(range(15, 40)), encoding="utf-8")
    (folder / "README.md").write_text("not imported\n", encoding="utf-8")
    return folder


def demo(run_cli, tmp_path: Path, imports: Path | None, *args: str) -> tuple[int, str, str]:
    extra = ["--imports", str(imports)] if imports else []
    return run_cli("demo", str(tmp_path / "demo"), "--no-tui", *extra, *args)


def _agreement(out: str) -> float:
    match = re.search(r"^observed agreement\s+([0-9.]+)", out, re.MULTILINE)
    assert match, out
    return float(match.group(1))


def test_simulated_demo_runs_the_whole_flow(run_cli, tmp_path, imports) -> None:
    code, out, err = demo(run_cli, tmp_path, imports, "--simulate")
    assert code == 0, err
    assert "created demo project" in out
    assert "dedup: 50 records -> 40 unique works (10 duplicates merged" in out
    assert "simulation: ana and ben screened 40 works each" in out
    assert "Agreement at title/abstract: ana (rows) vs ben (columns); 40 works screened by both" in out
    assert "PRISMA 2020 flow diagram" in out and "Studies included in review" in out
    assert "screener: prisma:" not in err  # every box adds up: nothing left pending
    # 12% of 40 works: the reviewers disagree on exactly 5.
    assert _agreement(out) == 0.875
    assert "--reviewer ana   # ana's screen" in out
    assert (tmp_path / "demo" / MARKER).is_file()


def test_simulation_is_deterministic(run_cli, tmp_path, imports) -> None:
    def decisions(folder: Path) -> list[tuple[object, ...]]:
        store = find_project(folder).open_store()
        try:
            return [(d.work_id, d.reviewer, d.decision, d.reasons)
                    for stage in Stage for d in store.current_decisions(stage)]
        finally:
            store.close()

    run_cli("demo", str(tmp_path / "one"), "--no-tui", "--simulate", "--imports", str(imports))
    run_cli("demo", str(tmp_path / "two"), "--no-tui", "--simulate", "--imports", str(imports))
    assert decisions(tmp_path / "one") == decisions(tmp_path / "two")
    assert len(decisions(tmp_path / "one")) > 80


def test_rerun_reuses_the_project_and_imports_only_new_files(run_cli, tmp_path, imports) -> None:
    demo(run_cli, tmp_path, imports)
    code, out, _ = demo(run_cli, tmp_path, imports)
    assert code == 0
    assert "reusing demo project" in out and "all 2 example files already imported" in out
    (imports / "extra.ris").write_text(_ris(range(100, 103)), encoding="utf-8")
    code, out, _ = demo(run_cli, tmp_path, imports)
    assert "extra.ris: 3 records" in out and "scopus.ris" not in out
    store = find_project(tmp_path / "demo").open_store()
    assert store.record_count() == 53
    store.close()


def test_simulate_twice_does_not_duplicate_decisions(run_cli, tmp_path, imports) -> None:
    demo(run_cli, tmp_path, imports, "--simulate")
    store = find_project(tmp_path / "demo").open_store()
    before = len(store.decision_history())
    store.close()
    code, out, _ = demo(run_cli, tmp_path, imports, "--simulate")
    assert code == 0 and "simulation: already recorded" in out
    store = find_project(tmp_path / "demo").open_store()
    assert len(store.decision_history()) == before
    store.close()


def test_fresh_recreates_the_demo(run_cli, tmp_path, imports) -> None:
    demo(run_cli, tmp_path, imports, "--simulate")
    code, out, _ = demo(run_cli, tmp_path, imports, "--fresh")
    assert code == 0 and "created demo project" in out
    store = find_project(tmp_path / "demo").open_store()
    assert store.decision_history() == [] and store.record_count() == 50
    store.close()


def test_refuses_a_folder_it_did_not_make(run_cli, tmp_path, imports) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"precious")
    for extra in ([], ["--fresh"]):
        code, _, err = demo(run_cli, tmp_path, imports, *extra)
        assert code == 1 and "was not made by 'screener demo'" in err
    assert [p.name for p in folder.iterdir()] == ["thesis.docx"]


def test_missing_example_folder_is_a_clear_error(run_cli, tmp_path) -> None:
    code, _, err = demo(run_cli, tmp_path, tmp_path / "nowhere")
    assert code == 1 and err.count("\n") == 1 and "example folder not found" in err
    assert not (tmp_path / "demo").exists()


def test_demo_on_the_bundled_example(run_cli, tmp_path) -> None:
    """The README's main command on the repository's own imports/ and protocol."""
    files = [p for p in (repo_root() / "imports").glob("*") if p.is_file()]
    if not files:
        pytest.skip("imports/ holds no example files yet")
    code, out, err = demo(run_cli, tmp_path, None, "--simulate")
    assert code == 0, err
    assert "dedup:" in out and "Studies included in review" in out
    assert "screener: prisma:" not in err
    assert 0.8 <= _agreement(out) <= 0.95


def test_empty_example_folder_is_a_clear_error(run_cli, tmp_path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README.md").write_text("nothing here\n", encoding="utf-8")
    code, _, err = demo(run_cli, tmp_path, empty)
    assert code == 1 and "no files to import" in err
    assert not (tmp_path / "demo").exists()


def test_bundled_example_names_real_databases(run_cli, tmp_path) -> None:
    """PRISMA lists databases, never an export format or "Full text"."""
    import json

    if not (repo_root() / "imports" / "sources.toml").is_file():
        pytest.skip("imports/ holds no example files yet")
    code, _, err = demo(run_cli, tmp_path, None)
    assert code == 0, err
    _, out, _ = run_cli("prisma", "--project", str(tmp_path / "demo"), "--format", "json")
    names = {row["name"] if isinstance(row, dict) else row[0]
             for row in json.loads(out)["database_specific_results"]}
    assert {"Google Scholar", "CINAHL", "PubMed", "Scopus"} <= names
    assert not names & {"BibTeX export", "EndNote export", "Full text", "RIS export",
                        "CSV export"}
