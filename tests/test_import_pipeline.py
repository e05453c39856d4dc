"""The import pipeline: streaming, the parser child process, progress, provenance."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest

import screener.importing as importing
import screener.parser_process as parser_process
from screener.errors import RecordImportError
from screener.importing import import_file, parse_columns
from screener.project import Project

DATA = Path(__file__).parent / "data" / "import"


def _ris(path: Path, n: int, *, truncate: bool = False) -> Path:
    lines = []
    for i in range(n):
        lines += ["TY  - JOUR", f"AU  - Author{i}, A.", f"TI  - Title number {i}", f"PY  - {1990 + i % 30}",
                  f"DO  - 10.5555/pipe.{i}", "ER  - ", ""]
    if truncate:
        lines += ["TY  - JOUR", "TI  - cut"]
    path.write_text("\n".join(lines) + "\n")
    return path


def _rows(project: Project) -> list[tuple[Any, ...]]:
    store = project.open_store()
    try:
        return [(r.index, r.line, r.record.title, r.record.doi, r.record.year, r.raw,
                 r.record.warnings)
                for r in store.iter_records(with_raw=True)]
    finally:
        store.close()


@pytest.mark.parametrize("segment_bytes", [1 << 30, 3000])
def test_child_process_parse_stores_the_same_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, segment_bytes: int, new_database
) -> None:
    """One child for the whole file, or two children taking turns at small segments."""
    from screener.project import init_project

    monkeypatch.setattr(parser_process, "SEGMENT_BYTES", segment_bytes)
    path = _ris(tmp_path / "many.ris", 2500)
    here = init_project(tmp_path / "in-process")
    store = here.open_store()
    import_file(store, path)
    store.close()
    monkeypatch.setattr(importing, "PARALLEL_MIN_BYTES", 1)
    child = init_project(tmp_path / "child", database=new_database())
    store = child.open_store()
    result = import_file(store, path)
    store.close()
    assert result.records == 2500
    assert _rows(here) == _rows(child)
    assert _rows(child)[-1][:3] == (2499, 7 * 2499 + 1, "Title number 2499")


def test_record_fields_written_out_match_the_model() -> None:
    from screener.importers.fields import RECORD_FIELDS
    from screener.models import Record

    assert tuple(Record.model_fields) == RECORD_FIELDS


def test_a_parser_process_for_ris_or_bibtex_starts_without_pydantic_models() -> None:
    """The children start while the parent hashes the file; building the models would
    add about 0.15 s to each (a fifth of a 20,000-record import)."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path\n"
        "from screener.parser_process import segment_rows\n"
        f"for name, f in [('ris', {str(DATA / 'ris_ovid_embase.ris')!r}),"
        f" ('bibtex', {str(DATA / 'bibtex_latex.bib')!r})]:\n"
        "    list(segment_rows(name, Path(f), 'utf-8', None, 0, Path(f).stat().st_size, 1))\n"
        "print(sorted(m for m in sys.modules if m in ('pydantic', 'screener.models')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def _bibtex(path: Path, n: int, extra: str = "") -> Path:
    entries = [f"@article{{key{i},\n  title = {{Title number {i}}},\n  year = {{{1990 + i % 30}}}\n}}\n"
               for i in range(n)]
    path.write_text(extra + "\n".join(entries))
    return path


@pytest.mark.parametrize("write, cut, start", [
    (_ris, parser_process.ris_segments, b"TY  -"),
    (_bibtex, parser_process.bibtex_segments, b"@article{"),
])
def test_segments_cover_the_file_and_start_at_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: Any, cut: Any, start: bytes
) -> None:
    monkeypatch.setattr(parser_process, "SEGMENT_BYTES", 500)
    path = write(tmp_path / "s.txt", 100)
    data = path.read_bytes()
    segments = cut(path, "utf-8", len(data))
    assert len(segments) > 10
    assert segments[0][0] == 0 and segments[-1][1] == len(data)
    assert all(a[1] == b[0] for a, b in zip(segments, segments[1:], strict=False))
    assert all(data[first:first + len(start)] == start for first, _ in segments[1:])
    assert cut(path, "utf-16", len(data)) == [(0, len(data))]


@pytest.mark.parametrize("extra", [
    '@string{hp = "Health Policy"}\n', "@misc{key7,\n  title = {A second key7}\n}\n",
    "@inproceedings{child,\n  title = {Chapter},\n  crossref = {key3}\n}\n",
])
def test_bibtex_that_links_entries_is_one_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str
) -> None:
    """Macros, crossrefs and repeated keys are resolved (or noted) by a whole-file parse."""
    monkeypatch.setattr(parser_process, "SEGMENT_BYTES", 500)
    path = _bibtex(tmp_path / "s.bib", 100, extra)
    size = path.stat().st_size
    assert parser_process.bibtex_segments(path, "utf-8", size) == [(0, size)]


@pytest.mark.parametrize("segment_bytes", [1 << 30, 300])
def test_bibtex_in_child_processes_stores_the_same_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, segment_bytes: int, new_database
) -> None:
    from screener.project import init_project

    path = _bibtex(tmp_path / "many.bib", 400)
    here = init_project(tmp_path / "in-process")
    store = here.open_store()
    import_file(store, path)
    store.close()
    monkeypatch.setattr(parser_process, "SEGMENT_BYTES", segment_bytes)
    monkeypatch.setattr(importing, "PARALLEL_MIN_BYTES", 1)
    child = init_project(tmp_path / "child", database=new_database())
    store = child.open_store()
    assert import_file(store, path).records == 400
    store.close()
    assert _rows(here) == _rows(child)
    assert _rows(child)[-1][:3] == (399, 5 * 399 + 1, "Title number 399")


def test_truncated_bibtex_in_segments_names_its_last_line(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry left open mid-file is one damaged entry; at the file's end, truncation."""
    monkeypatch.setattr(importing, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(parser_process, "SEGMENT_BYTES", 300)
    path = _bibtex(tmp_path / "cut.bib", 200)
    path.write_text(path.read_text() + "\n@article{cut,\n  title = {Cut sh")
    store = project.open_store()
    with pytest.raises(RecordImportError) as caught:
        import_file(store, path)
    assert str(caught.value) == f"{path}:{5 * 200 + 1}: BibTeX: unclosed entry (file truncated?)"
    assert store.record_count() == 0
    store.close()


@pytest.mark.parametrize("segment_bytes", [1 << 30, 3000])
def test_child_process_error_names_file_and_line_and_rolls_back(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, segment_bytes: int
) -> None:
    monkeypatch.setattr(importing, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(parser_process, "SEGMENT_BYTES", segment_bytes)
    path = _ris(tmp_path / "cut.ris", 1500, truncate=True)
    store = project.open_store()
    with pytest.raises(RecordImportError) as caught:
        import_file(store, path)
    assert str(caught.value) == f"{path}:{7 * 1500 + 1}: truncated file: record has no 'ER  -' end tag"
    assert store.record_count() == 0 and store.source_files() == []
    store.close()


def test_progress_is_reported_while_reading(project: Project, tmp_path: Path) -> None:
    seen: list[int] = []
    store = project.open_store()
    import_file(store, _ris(tmp_path / "p.ris", 25000), progress=seen.append)
    store.close()
    assert seen == [10000, 20000, 25000]


def test_records_output_has_the_documented_keys(project: Project, run_cli: Any) -> None:
    run_cli("import", "--project", str(project.root), str(DATA / "medline_pubmed.nbib"))
    code, out, _ = run_cli("records", "--project", str(project.root))
    assert code == 0
    first = json.loads(out.splitlines()[0])
    for key in ("id", "title", "doi", "year", "authors", "journal", "source", "method",
                "source_file", "parent_id"):
        assert key in first
    assert first["source"] == "PubMed" and first["method"] == "database"
    assert first["authors"] == ["Okonkwo C", "Van der Berg PJ"]
    code, out, _ = run_cli("records", "--project", str(project.root), "--format", "csv")
    assert out.splitlines()[0].startswith("id,work_id,title,doi,year,authors")
    assert len(out.splitlines()) == 3


def test_source_and_method_options_override_inference(project: Project, run_cli: Any) -> None:
    code, out, _ = run_cli("import", "--project", str(project.root), str(DATA / "ris_scopus.ris"),
                           "--source", "Hand search", "--method", "other")
    assert code == 0
    assert "source Hand search; other 2" in out
    code, out, _ = run_cli("status", "--project", str(project.root), "--json")
    status = json.loads(out)
    assert status["by_method"] == {"other": 2} and status["by_source"] == {"Hand search": 2}


def test_import_summary_line(project: Project, run_cli: Any) -> None:
    code, out, _ = run_cli("import", "--project", str(project.root),
                           str(DATA / "ris_scopus.ris"), str(DATA / "csv_lens.csv"))
    assert code == 0
    assert f"{DATA / 'ris_scopus.ris'}: 2 records (ris, utf-8; source Scopus; database 2)" in out
    assert "imported 3 records from 2 files" in out


@pytest.mark.parametrize(("spec", "expected"), [
    ("title=Article Title,doi=DOI", {"title": "Article Title", "doi": "DOI"}),
    (" title = Paper name , ", {"title": "Paper name"}),
])
def test_parse_columns(spec: str, expected: dict[str, str]) -> None:
    assert parse_columns(spec) == expected


def test_parse_columns_rejects_a_bad_pair() -> None:
    with pytest.raises(RecordImportError, match="expected FIELD=COLUMN"):
        parse_columns("title")


@pytest.mark.parametrize("name", ["bibtex_latex.bib", "binary.ris", "csv_scopus.csv"])
def test_parser_process_started_but_not_needed_is_closed(
    project: Project, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Files that do not stream (or fail before parsing) still import or fail cleanly."""
    started: list[Any] = []
    original = importing.ParserProcess

    def spy() -> Any:
        process = original()
        started.append(process)
        return process

    monkeypatch.setattr(importing, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(importing, "ParserProcess", spy)
    store = project.open_store()
    with contextlib.suppress(RecordImportError):
        import_file(store, DATA / name)
    store.close()
    assert started and all(p.child.returncode is not None for p in started)


@pytest.mark.parametrize("name", [
    "ris_ovid_embase.ris", "encoding_crlf.ris", "encoding_cp1252.ris", "encoding_utf16le_bom.ris",
    "ris_missing_er_between_records.ris", "ris_no_title.ris", "medline_pubmed.nbib",
    "wos_savedrecs.txt", "endnote.xml", "bibtex_damaged_entry.bib", "bibtex_latex.bib",
    "bibtex_macros_and_crossref.bib",
])
def test_parallel_parse_matches_sequential_on_every_fixture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, new_database
) -> None:
    """Segments as small as one record: headers, CRLF, cp1252 and warnings survive."""
    from screener.project import init_project

    source = (DATA / name).read_bytes()
    big = tmp_path / name
    big.write_bytes(source)
    sequential = init_project(tmp_path / "sequential")
    store = sequential.open_store()
    import_file(store, big)
    store.close()
    monkeypatch.setattr(importing, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(parser_process, "SEGMENT_BYTES", 40)
    parallel = init_project(tmp_path / "parallel", database=new_database())
    store = parallel.open_store()
    import_file(store, big)
    store.close()
    assert _rows(parallel) == _rows(sequential)


def test_progress_line_on_a_terminal_only(
    project: Project, tmp_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    path = _ris(tmp_path / "big.ris", 10000)
    code, _, err = run_cli("import", "--project", str(project.root), str(path))
    assert code == 0 and "records read" not in err
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, _, err = run_cli("import", "--project", str(project.root), str(path), "--force")
    assert code == 0
    assert "\r  big.ris: 10,000 records read (" in err and err.rstrip("\n").count("\n") == 0


def test_a_stopped_and_continued_parser_process_sends_its_batches_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-Z then ``fg`` during a large import stops and continues the parser processes
    while they wait to write into a full pipe; the write comes back short, and every
    batch must still arrive whole and in order (it once arrived garbled: a traceback)."""
    import signal
    import time

    monkeypatch.setattr(parser_process, "_QUEUED_BATCHES", 1)  # the pipes fill at once
    lines = []
    for i in range(4000):
        lines += ["TY  - JOUR", f"TI  - Title number {i}", "AB  - " + "words of an abstract " * 80,
                  "ER  - ", ""]
    path = tmp_path / "big.ris"
    path.write_text("\n".join(lines) + "\n")
    children = [parser_process.ParserProcess() for _ in range(2)]
    try:
        job = parser_process.start_parsing(children, "ris", path, "utf-8", path.stat().st_size,
                                           None)
        time.sleep(0.5)  # each child parses its first batches and blocks on the full pipe
        for _ in range(5):
            for child in job.workers:
                child.child.send_signal(signal.SIGSTOP)
            time.sleep(0.05)
            for child in job.workers:
                child.child.send_signal(signal.SIGCONT)
            time.sleep(0.05)
        titles = [row.title for row, _ in parser_process.child_rows(job, path)]
    finally:
        for child in children:
            child.close()
    assert titles == [f"Title number {i}" for i in range(4000)]


@pytest.mark.parametrize(("text", "depend"), [
    ("".join(f"@article{{k{i},\n title={{T {i}}}}}\n" for i in range(300)), False),
    # A key repeated (case aside) in another block, an indented @String at the end, a key
    # on the line after the brace: found wherever the blocks are cut.
    ("@article{a,\n title={x}}\n" * 1 + "".join(f"@article{{b{i},\n title={{y}}}}\n"
                                               for i in range(200)) + "@article{A,\n title={z}}\n",
     True),
    ("".join(f"  @article{{k{i},\n title={{x}}}}\n" for i in range(300)) + "  @String{foo = {bar}}\n",
     True),
    ("".join(f"@article{{\nk{i},\n title={{x}}}}\n" for i in range(300)) + "@article{\nk5,\n title={x}}\n",
     True),
    ("".join(f"@book{{k{i},\n title={{x}}}}\n" for i in range(300)) + "@inbook{c,\n CrossRef={k1}}\n",
     True),
])
def test_bibtex_entries_that_depend_on_each_other_are_found_across_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, depend: bool
) -> None:
    monkeypatch.setattr(parser_process, "SEGMENT_BYTES", 64)
    path = tmp_path / "blocks.bib"
    path.write_text(text)
    assert parser_process._entries_depend(path) is depend
    segments = parser_process.bibtex_segments(path, "utf-8", path.stat().st_size)
    assert (len(segments) == 1) is depend
