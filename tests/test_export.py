"""Exports: RIS/CSV/BibTeX with decisions in their own fields, RIS round trip, decision log."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import rispy
from bibtexparser.entrypoint import parse_string

from screener.importing import import_file
from screener.models import Choice, Retrieval, Stage
from screener.project import Project, init_project
from screener.store import Store

RIS = """TY  - JOUR
TI  - Governing a regional health partnership: trust and contracts
AU  - Lindqvist, Maria
AU  - Okafor, C. N.
PY  - 2019
T2  - Journal of Fictional Health Services
VL  - 12
IS  - 3
SP  - 101
EP  - 118
DO  - 10.5555/exp.1
AN  - 31234567
AB  - A fictional study of how two hospitals and a municipality
  built a partnership.
KW  - partnership
KW  - governance
UR  - https://example.org/exp1
LA  - eng
ER  -

TY  - JOUR
TI  - Dosage of a new compound in mice
AU  - Berg, Anna
PY  - 2021
T2  - Fictional Pharmacology
DO  - 10.5555/exp.2
ER  -

TY  - BOOK
TI  - Alliances {and} networks: a primer
AU  - Novak, Jan
PY  - 2015
PB  - Example Press
ER  -
"""


@pytest.fixture
def screened(tmp_path: Path) -> tuple[Project, Store]:
    """Three works: one included (and full text included), one excluded, one conflict."""
    project = init_project(tmp_path / "review")
    src = tmp_path / "works.ris"
    src.write_text(RIS, encoding="utf-8")
    store = project.open_store()
    import_file(store, src)
    a, b, c = store.work_ids()
    store.record_decision(a, "ana", Stage.TITLE_ABSTRACT, Choice.INCLUDE, note="clear fit")
    store.record_decision(a, "ben", Stage.TITLE_ABSTRACT, Choice.INCLUDE)
    store.record_decision(b, "ana", Stage.TITLE_ABSTRACT, Choice.EXCLUDE, ["clinical"])
    store.record_decision(b, "ben", Stage.TITLE_ABSTRACT, Choice.INCLUDE)
    store.record_decision(b, "ben", Stage.TITLE_ABSTRACT, None)
    store.record_decision(b, "ben", Stage.TITLE_ABSTRACT, Choice.EXCLUDE, ["clinical", "no-data"])
    store.record_decision(c, "ana", Stage.TITLE_ABSTRACT, Choice.MAYBE, note="book?")
    store.record_decision(c, "ben", Stage.TITLE_ABSTRACT, Choice.EXCLUDE, ["no-data"])
    store.record_resolution(a, Stage.TITLE_ABSTRACT, Choice.INCLUDE, "lead", note="agreed")
    store.record_retrieval(a, Retrieval.RETRIEVED, "ana")
    store.record_decision(a, "ana", Stage.FULLTEXT, Choice.INCLUDE)
    yield project, store
    store.close()


def export(run_cli, project: Project, out: Path, *args: str) -> str:
    code, stdout, err = run_cli("export", "--project", str(project.root), "-o", str(out), *args)
    assert code == 0, err
    return stdout


def test_csv_has_a_column_per_reviewer_decision_reason_and_note(screened, run_cli, tmp_path) -> None:
    project, _ = screened
    out = tmp_path / "all.csv"
    stdout = export(run_cli, project, out, "--what", "all")
    assert "wrote 3 works (all at title_abstract)" in stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["outcome"] for r in rows] == ["included", "excluded", "conflict"]
    first, second, third = rows
    assert first["reviewer_ana_note"] == "clear fit" and first["resolved_by"] == "lead"
    assert first["authors"] == "Lindqvist M; Okafor CN"
    assert second["reviewer_ben_decision"] == "exclude"
    assert second["reviewer_ben_reasons"] == "clinical; no-data"
    assert third["reviewer_ana_decision"] == "maybe" and third["reviewer_ana_note"] == "book?"


@pytest.mark.parametrize(("what", "titles"), [
    ("included", ["Governing a regional health partnership: trust and contracts"]),
    ("excluded", ["Dosage of a new compound in mice"]),
    ("conflicts", ["Alliances {and} networks: a primer"]),
])
def test_what_selects_by_outcome(screened, run_cli, tmp_path, what, titles) -> None:
    project, _ = screened
    out = tmp_path / "x.csv"
    export(run_cli, project, out, "--what", what)
    assert [r["title"] for r in csv.DictReader(out.open(encoding="utf-8"))] == titles


def test_fulltext_stage_export_has_retrieval(screened, run_cli, tmp_path) -> None:
    project, _ = screened
    out = tmp_path / "ft.csv"
    export(run_cli, project, out, "--what", "all", "--stage", "fulltext")
    (row,) = csv.DictReader(out.open(encoding="utf-8"))
    assert (row["stage"], row["retrieval"], row["outcome"]) == ("fulltext", "retrieved", "included")
    assert row["reviewer_ana_decision"] == "include" and "reviewer_ben_decision" not in row
    ris = tmp_path / "ft.ris"
    export(run_cli, project, ris, "--what", "included", "--stage", "fulltext")
    (entry,) = rispy.loads(ris.read_text(encoding="utf-8"))
    assert (entry["custom1"], entry["custom2"], entry["custom7"]) == ("included", "fulltext", "retrieved")
    assert entry["custom3"] == "ana: include"


def test_ris_puts_screening_facts_in_custom_tags(screened, run_cli, tmp_path) -> None:
    project, _ = screened
    out = tmp_path / "all.ris"
    export(run_cli, project, out, "--what", "all")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("TY  - JOUR\n")
    entries = rispy.loads(text)
    assert entries[1]["custom1"] == "excluded"
    assert entries[1]["custom3"] == "ana: exclude (clinical) | ben: exclude (clinical, no-data)"
    assert entries[1]["custom4"] == "ana: clinical | ben: clinical, no-data"
    assert entries[0]["custom5"] == "ana: clear fit"
    assert entries[0]["custom6"].startswith("include by lead at ")
    assert entries[0]["custom6"].endswith("; note: agreed")
    assert entries[2]["type_of_reference"] == "BOOK"


@pytest.mark.parametrize("suffix", [".ris", ".bib"])
def test_round_trip_gives_the_same_records(screened, run_cli, tmp_path, suffix, new_database) -> None:
    """Export, re-import into a new project: the same bibliographic records."""
    project, store = screened
    out = tmp_path / f"all{suffix}"
    export(run_cli, project, out, "--what", "all")
    other = init_project(tmp_path / "again", database=new_database())
    again = other.open_store()
    import_file(again, out)
    fields = ["title", "year", "journal", "volume", "issue", "pages", "doi", "pmid",
              "abstract", "url", "language", "publisher"]

    def snapshot(s: Store) -> list[dict[str, object]]:
        return [
            {**{f: getattr(w.record, f) for f in fields},
             "authors": [a.display() for a in w.record.authors],
             "keywords": sorted(w.record.keywords + w.record.mesh)}
            for w in s.iter_works()
        ]

    before, after = snapshot(store), snapshot(again)
    again.close()
    if suffix == ".bib":
        # BibTeX reads braces as case protection, so literal braces in a title are lost.
        for rec in before:
            rec["title"] = str(rec["title"]).replace("{", "").replace("}", "")
    assert after == before
    assert before[0]["abstract"].endswith("built a partnership.")


def test_bibtex_has_screening_fields_and_parses(screened, run_cli, tmp_path) -> None:
    project, _ = screened
    out = tmp_path / "all.bib"
    stdout = export(run_cli, project, out, "--what", "all")
    assert "(bibtex)" in stdout
    library = parse_string(out.read_text(encoding="utf-8"))
    assert not library.failed_blocks
    entries = library.entries
    assert [e.entry_type for e in entries] == ["article", "article", "book"]
    assert entries[0]["screening_outcome"] == "included"
    assert entries[0]["pages"] == "101--118"
    assert entries[1]["screening_reasons"] == "ana: clinical | ben: clinical, no-data"
    assert entries[2]["title"] == "Alliances {and} networks: a primer"


def test_decision_log_lists_every_act_with_who_and_when(screened, run_cli, tmp_path) -> None:
    project, _ = screened
    out = tmp_path / "log.csv"
    stdout = export(run_cli, project, out, "--log")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert "wrote 11 events of the decision log" in stdout
    events = [(r["who"], r["stage"], r["event"], r["decision"] or r["resolution"]) for r in rows]
    assert ("ben", "title_abstract", "undo", "") in events
    assert ("lead", "title_abstract", "resolution", "include") in events
    assert ("ana", "fulltext", "retrieval", "retrieved") in events
    assert [r["time"] for r in rows] == sorted(r["time"] for r in rows)
    (undo,) = [r for r in rows if r["event"] == "undo"]
    assert undo["title"] == "Dosage of a new compound in mice"
    ben = [r for r in rows if r["who"] == "ben" and r["work_id"] == undo["work_id"]]
    assert [(r["event"], r["reasons"]) for r in ben] == [
        ("decision", ""), ("undo", ""), ("decision", "clinical; no-data")]


def test_log_refuses_other_formats(screened, run_cli, tmp_path) -> None:
    project, _ = screened
    code, _, err = run_cli("export", "--project", str(project.root), "--what", "log",
                           "--format", "ris", "-o", str(tmp_path / "x.ris"))
    assert code == 1 and "CSV only" in err
    assert not (tmp_path / "x.ris").exists()


def test_export_to_stdout(screened, run_cli) -> None:
    project, _ = screened
    code, out, _ = run_cli("export", "--project", str(project.root), "--what", "excluded",
                           "--format", "csv", "-o", "-")
    assert code == 0
    (row,) = csv.DictReader(io.StringIO(out))
    assert row["doi"] == "10.5555/exp.2"


def test_unwritable_output_is_one_line_error(screened, run_cli, tmp_path) -> None:
    project, _ = screened
    code, _, err = run_cli("export", "--project", str(project.root),
                           "-o", str(tmp_path / "missing" / "x.csv"))
    assert code == 1 and err.startswith("screener: error: ") and err.count("\n") == 1


def test_log_keeps_the_title_of_a_work_merged_away(screened, run_cli, tmp_path) -> None:
    from screener.dedup.run import regroup

    project, store = screened
    a, b, _ = store.work_ids()
    store.decide_pair(a, b, "confirmed", "ana")
    regroup(store)
    assert b not in store.work_ids()
    out = tmp_path / "log.csv"
    export(run_cli, project, out, "--log")
    titles = {r["title"] for r in csv.DictReader(out.open(encoding="utf-8")) if r["work_id"] == str(b)}
    assert titles == {"Dosage of a new compound in mice"}


def test_works_are_read_in_batches_not_two_queries_each(tmp_path, run_cli) -> None:
    project = init_project(tmp_path / "many")
    src = tmp_path / "many.ris"
    src.write_text("".join(f"TY  - JOUR\nTI  - Work {i}\nER  - \n\n" for i in range(2500)),
                   encoding="utf-8")
    store = project.open_store()
    try:
        import_file(store, src)
        real = store.conn.execute
        calls: list[str] = []

        def counting(sql, params=None):
            calls.append(sql)
            return real(sql, params)

        store.conn.execute = counting  # type: ignore[method-assign]
        works = list(store.iter_works())
    finally:
        store.close()
    assert [w.work_id for w in works] == list(range(1, 2501))
    assert len(calls) <= 1 + 3 * 3  # the last id, then three queries per 1000 ids


def test_works_read_in_windows_of_ids_skip_merged_records(screened) -> None:
    """Windows of record ids, some holding no work (a record merged into another's
    work): every work once, in order, whatever the window."""
    from screener.dedup.run import regroup

    _, store = screened
    a, b, c = store.work_ids()
    store.decide_pair(a, b, "confirmed", "ana")
    regroup(store)
    whole = [(w.work_id, w.record_ids) for w in store.iter_works()]
    assert [w for w, _ in whole] == store.work_ids() and len(whole) == 2
    for window in (1, 2, 3):
        assert [(w.work_id, w.record_ids) for w in store.iter_works(batch=window)] == whole
