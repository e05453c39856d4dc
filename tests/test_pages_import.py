"""Page files through the real import: detection, provenance, parent links, methods."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from screener.importers import detect_reader
from screener.project import Project

DATA = Path(__file__).parent / "data" / "pages"
ROOT = Path(__file__).parent.parent

CASES = {
    "semantic_scholar_translated_title.txt": ("page-semantic-scholar", "Semantic Scholar"),
    "semantic_scholar_title_in_text.txt": ("page-semantic-scholar", "Semantic Scholar"),
    "paper_vancouver_traps.txt": ("page-paper", "Full text"),
    "extended_abstract_apa_traps.md": ("page-extended-abstract", "Full text"),
    "pubmed_no_title.txt": ("page-pubmed", "PubMed"),
    "wos_related_papers.txt": ("page-wos", "Web of Science"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_page_kind_is_detected_by_content(name: str, tmp_path: Path) -> None:
    # A neutral extension: the content alone decides.
    path = tmp_path / "page.dat"
    shutil.copy(DATA / name, path)
    reader = detect_reader(path.read_text(encoding="utf-8"), path)
    assert (reader.name, reader.default_source) == CASES[name]


def test_imported_list_entries_are_citations_linked_to_their_page(
    project: Project, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    code, out, err = run_cli("import", "--project", str(project.root),
                             str(DATA / "paper_vancouver_traps.txt"))
    assert code == 0, err
    assert "13 records (page-paper" in out and "citation 12, database 1" in out
    assert "kept as raw text" in err  # the unparseable reference is reported, not dropped
    store = project.open_store()
    try:
        stored = sorted(store.iter_records(with_raw=True), key=lambda s: s.index)
    finally:
        store.close()
    page, entries = stored[0], stored[1:]
    assert page.method.value == "database" and page.parent_id is None
    assert {s.parent_id for s in entries} == {page.id}
    assert {s.method.value for s in entries} == {"citation"}
    assert entries[0].raw.startswith("- [1] Vangen S")


def test_bundled_examples_hold_every_page_kind() -> None:
    examples = ROOT / "imports"
    if not examples.is_dir():
        pytest.skip("no imports/ folder")
    found = set()
    for path in examples.iterdir():
        if path.is_file():
            try:
                found.add(detect_reader(path.read_text(encoding="utf-8"), path).name)
            except Exception:  # other engineers' formats may need their own readers
                continue
    assert {"page-semantic-scholar", "page-paper", "page-extended-abstract", "page-pubmed",
            "page-wos"} <= found
