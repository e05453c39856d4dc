"""Output files: never over the project's own files, whole or not at all, no silent overwrite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from screener.errors import ScreenerError
from screener.output_file import output_file, write_output
from screener.project import Project

RIS = "TY  - JOUR\nTI  - A study of partnerships\nPY  - 2020\nER  - \n"


@pytest.fixture
def imported(project: Project, run_cli) -> Project:
    src = project.root.parent / "one.ris"
    src.write_text(RIS, encoding="utf-8")
    assert run_cli("import", str(src), "--project", str(project.root))[0] == 0
    return project


def _records(run_cli, project: Project) -> str:
    code, out, _ = run_cli("records", "--project", str(project.root))
    assert code == 0
    return out


@pytest.mark.parametrize("name", ["screener.db", "screener.toml", "screener.db-wal",
                                  "screener.db-shm"])
@pytest.mark.parametrize("command", [["export", "--what", "all"], ["prisma"]])
def test_an_output_never_replaces_a_project_file(imported, run_cli, name, command) -> None:
    root = imported.root
    before = _records(run_cli, imported)
    target = root / name
    old = target.read_bytes() if target.exists() else None
    code, _, err = run_cli(*command, "-o", str(target), "--force", "--project", str(root))
    assert code == 1
    assert err.count("\n") == 1 and "project's own files" in err
    assert (target.read_bytes() if target.exists() else None) == old
    assert _records(run_cli, imported) == before


def test_a_symlink_to_the_database_is_refused(imported, run_cli, tmp_path) -> None:
    link = tmp_path / "innocent.csv"
    link.symlink_to(imported.root / "screener.db")
    code, _, err = run_cli("export", "--what", "all", "-o", str(link), "--force",
                           "--project", str(imported.root))
    assert code == 1 and "project's own files" in err
    assert _records(run_cli, imported).count("\n") == 1


def test_another_projects_database_is_refused_too(imported, run_cli, tmp_path) -> None:
    other = tmp_path / "other.sqlite"
    other.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    code, _, err = run_cli("export", "-o", str(other), "--force", "--project", str(imported.root))
    assert code == 1 and "is a database" in err
    assert other.read_bytes().startswith(b"SQLite format 3")


def test_an_existing_file_needs_force(imported, run_cli, tmp_path) -> None:
    out = tmp_path / "included.csv"
    out.write_text("keep me", encoding="utf-8")
    code, _, err = run_cli("export", "--what", "all", "-o", str(out), "--project", str(imported.root))
    assert code == 1 and "already exists; use --force" in err
    assert out.read_text(encoding="utf-8") == "keep me"
    code, _, _ = run_cli("export", "--what", "all", "-o", str(out), "--force",
                         "--project", str(imported.root))
    assert code == 0 and "A study of partnerships" in out.read_text(encoding="utf-8")


def test_prisma_output_needs_force_too(imported, run_cli, tmp_path) -> None:
    out = tmp_path / "flow.txt"
    out.write_text("keep me", encoding="utf-8")
    code, _, err = run_cli("prisma", "-o", str(out), "--project", str(imported.root))
    assert code == 1 and "--force" in err and out.read_text(encoding="utf-8") == "keep me"


def test_a_planted_symlink_at_the_temporary_name_is_not_followed(tmp_path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "out.csv"
    # The name the previous writer used, and names a guesser would try.
    for name in (f".{out.name}.tmp", f"{out.name}.tmp", f".{out.name}.swp"):
        (tmp_path / name).symlink_to(victim)
    write_output(out, "new content\n")
    assert victim.read_text(encoding="utf-8") == "precious"
    assert out.read_text(encoding="utf-8") == "new content\n"
    assert not out.is_symlink()


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), output_file(out, force=True) as handle:
        handle.write("half of the new")
        raise RuntimeError("disk trouble")
    assert out.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_an_output_is_an_ordinary_file(tmp_path) -> None:
    out = tmp_path / "out.csv"
    write_output(out, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_file_in_the_backups_folder_is_refused(project: Project) -> None:
    (project.root / "backups").mkdir()
    with pytest.raises(ScreenerError, match="backups"):
        write_output(project.root / "backups" / "x.csv", "x", project=project)


def test_writing_to_a_missing_folder_is_one_line(imported, run_cli, tmp_path) -> None:
    code, _, err = run_cli("export", "-o", str(tmp_path / "nope" / "x.csv"),
                           "--project", str(imported.root))
    assert code == 1 and err.startswith("screener: error: ") and err.count("\n") == 1


def test_the_output_path_must_not_be_a_folder(imported, run_cli, tmp_path) -> None:
    code, _, err = run_cli("export", "-o", str(tmp_path), "--force", "--project", str(imported.root))
    assert code == 1 and "is a folder" in err


def test_stdout_still_works(imported, run_cli) -> None:
    code, out, _ = run_cli("export", "--what", "all", "-o", "-", "--project", str(imported.root))
    assert code == 0 and out.startswith("work_id,")


def test_output_names_are_project_relative_safe(imported: Project) -> None:
    # ``./screener.toml`` and ``sub/../screener.db`` are the same files.
    with pytest.raises(ScreenerError):
        write_output(imported.root / "." / "screener.toml", "x", project=imported, force=True)
    (imported.root / "sub").mkdir()
    with pytest.raises(ScreenerError):
        write_output(imported.root / "sub" / ".." / "screener.db", "x", project=imported, force=True)
    assert Path(imported.root / "screener.toml").read_text(encoding="utf-8").startswith("title")
