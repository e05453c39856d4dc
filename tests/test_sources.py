"""``screener sources``: naming the database a file came from, after the import."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from screener.project import Project

RIS = """TY  - JOUR
TI  - Hospital and primary care partnerships
AU  - Smith, Ann
PY  - 2021
ER  -

TY  - JOUR
TI  - Collaboration across health care organisations
AU  - Jones, Bo
PY  - 2020
ER  -
"""

Cli = Callable[..., tuple[int, str, str]]


def _import(project: Project, tmp_path: Path, run_cli: Cli) -> Path:
    path = tmp_path / "search.ris"
    path.write_text(RIS)
    code, _, err = run_cli("import", str(path), "--project", str(project.root))
    assert code == 0, err
    return path


def test_a_file_naming_no_database_is_flagged_at_import_and_in_prisma(
    project: Project, tmp_path: Path, run_cli: Cli
) -> None:
    path = tmp_path / "search.ris"
    path.write_text(RIS)
    code, _, err = run_cli("import", str(path), "--project", str(project.root))
    assert code == 0
    assert "does not say which database" in err and "--source NAME" in err
    _, _, err = run_cli("prisma", "--project", str(project.root))
    assert "RIS export is a file format, not a database" in err


def test_a_database_s_own_format_names_its_database_without_a_note(
    project: Project, run_cli: Cli
) -> None:
    """MEDLINE and Web of Science tagged files name their database by their format."""
    data = Path(__file__).parent / "data" / "import"
    for name in ("medline_pubmed.nbib", "wos_savedrecs.txt"):
        code, _, err = run_cli("import", str(data / name), "--project", str(project.root))
        assert code == 0 and "does not say" not in err, err
    _, _, err = run_cli("prisma", "--project", str(project.root))
    assert "not a database" not in err


def test_naming_the_source_with_the_import_gives_no_note(
    project: Project, tmp_path: Path, run_cli: Cli
) -> None:
    path = tmp_path / "search.ris"
    path.write_text(RIS)
    code, _, err = run_cli("import", str(path), "--source", "CINAHL", "--project",
                           str(project.root))
    assert code == 0 and "does not say" not in err


def test_sources_set_renames_the_database_prisma_counts(
    project: Project, tmp_path: Path, run_cli: Cli
) -> None:
    path = _import(project, tmp_path, run_cli)
    code, out, err = run_cli("sources", "--project", str(project.root))
    assert code == 0 and "RIS export" in out and "name no database" in err
    code, out, _ = run_cli("sources", "set", str(path), "--source", "CINAHL", "--project",
                           str(project.root))
    assert code == 0 and "source CINAHL" in out
    _, out, err = run_cli("prisma", "--format", "json", "--project", str(project.root))
    flow = json.loads(out)
    assert "not a database" not in err
    assert "CINAHL" in json.dumps(flow) and "RIS export" not in json.dumps(flow)
    _, out, _ = run_cli("sources", "--json", "--project", str(project.root))
    assert json.loads(out)[0]["source"] == "CINAHL"


def test_sources_set_method_moves_the_records_to_other_methods(
    project: Project, tmp_path: Path, run_cli: Cli
) -> None:
    _import(project, tmp_path, run_cli)
    code, _, _ = run_cli("sources", "set", "1", "--source", "Reference list of Lee 2019",
                         "--method", "citation", "--project", str(project.root))
    assert code == 0
    _, out, _ = run_cli("records", "--project", str(project.root))
    methods = {json.loads(line)["method"] for line in out.splitlines()}
    assert methods == {"citation"}


def test_an_unknown_file_is_one_line_and_changes_nothing(
    project: Project, tmp_path: Path, run_cli: Cli
) -> None:
    _import(project, tmp_path, run_cli)
    code, _, err = run_cli("sources", "set", "nothere.ris", "--source", "X", "--project",
                           str(project.root))
    assert code == 1 and "no imported file 'nothere.ris'" in err
    assert len(err.strip().splitlines()) == 1
    _, out, _ = run_cli("sources", "--json", "--project", str(project.root))
    assert json.loads(out)[0]["source"] == "RIS export"
