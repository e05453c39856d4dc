"""Helpers for the screening tests: a small project built from tests/data/screening."""

from __future__ import annotations

from pathlib import Path

from screener.importing import import_file
from screener.models import Stage
from screener.project import Project, init_project
from screener.screening import ScreeningSession
from screener.store import Store

ROOT = Path(__file__).parent.parent
PROTOCOL = ROOT / "protocols" / "interorganizational-health-partnerships.toml"
SAMPLE = Path(__file__).parent / "data" / "screening" / "sample.ris"
"""Six works: 1 partnership (include), 2 drug trial, 3 ward teamwork, 4 Dutch network
analysis (alt title), 5 editorial, 6 co-created integrated care."""


def make_project(tmp_path: Path, keys: dict[str, str] | None = None,
                 order: str = "import") -> Project:
    """The sample project; its queue in import order unless ``order`` says otherwise, so
    tests can name the work each key lands on."""
    project = init_project(tmp_path / "review", title="Test review", protocol=PROTOCOL)
    set_order(project, order)
    store = project.open_store()
    try:
        import_file(store, SAMPLE, source="Scopus")
    finally:
        store.close()
    if keys:
        config = project.root / "screener.toml"
        table = "".join(f'{k} = "{v}"\n' for k, v in keys.items())
        config.write_text(config.read_text() + "\n[keys]\n" + table)
    return project


def set_order(project: Project, order: str) -> None:
    """Set ``[screening] order`` in the project's copy of the protocol."""
    assert project.protocol_path is not None
    text = project.protocol_path.read_text(encoding="utf-8")
    project.protocol_path.write_text(
        text.replace("[screening]\n", f'[screening]\norder = "{order}"\n', 1), encoding="utf-8")


def open_session(project: Project, reviewer: str, stage: Stage = Stage.TITLE_ABSTRACT
                 ) -> tuple[Store, ScreeningSession]:
    store = project.open_store()
    return store, ScreeningSession.open(project, store, reviewer, stage)


def add_works(project: Project, count: int) -> None:
    """Append ``count`` synthetic works straight through the store (fast, one transaction)."""
    from screener.models import Method, ParsedRecord, Record

    store = project.open_store()
    try:
        with store.transaction():
            file_id = store.add_source_file(path="synthetic.ris", sha256=f"synthetic-{count}",
                                            format="ris", source="Synthetic", method=Method.DATABASE)
            store.add_records(file_id, Method.DATABASE, (
                ParsedRecord(record=Record(title=f"Synthetic partnership study {i}", year=2000 + i % 25,
                                           abstract=f"Collaboration between organizations, case {i}."),
                             index=i, line=i + 1, raw="")
                for i in range(count)
            ))
    finally:
        store.close()
