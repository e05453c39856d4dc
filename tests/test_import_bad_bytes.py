"""One invalid byte in a UTF-8 file: only its line is read differently, its record flagged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screener import textio
from screener.project import Project

RECORD = "TY  - JOUR\nTI  - Partnerships in care {n}\nAU  - Müller, Jürgen\nAU  - 中村, 健\nPY  - 2020\nER  - \n\n"


def _mixed_file(tmp_path: Path, records: int = 40, bad: int = 17) -> Path:
    parts = [RECORD.format(n=i).encode("utf-8") for i in range(records)]
    # A Windows-1252 "é" (one byte, invalid in UTF-8) in one record's title.
    parts[bad] = parts[bad].replace(b"Partnerships", b"Partenariats (r\xe9seau)")
    path = tmp_path / "mixed.ris"
    path.write_bytes(b"".join(parts))
    return path


def _records(run_cli, project: Project) -> list[dict]:
    code, out, _ = run_cli("records", "--project", str(project.root))
    assert code == 0
    return [json.loads(line) for line in out.splitlines()]


def test_one_bad_byte_leaves_every_other_character_exact(project, run_cli, tmp_path) -> None:
    code, out, err = run_cli("import", str(_mixed_file(tmp_path)), "--project", str(project.root))
    assert code == 0, err
    assert "utf-8+cp1252" in out
    assert "1 invalid UTF-8 byte on 1 line (first on line 121)" in err
    records = _records(run_cli, project)
    assert len(records) == 40
    assert all(r["authors"] == ["Müller J", "中村 健"] for r in records)
    flagged = [r for r in records if r["warnings"]]
    assert [r["title"] for r in flagged] == ["Partenariats (réseau) in care 17"]
    assert flagged[0]["warnings"] == ["invalid UTF-8 bytes read as Windows-1252 (line 121)"]


def test_a_legacy_file_is_still_read_as_windows_1252(project, run_cli, tmp_path) -> None:
    path = tmp_path / "legacy.ris"
    path.write_bytes(RECORD.format(n=1).replace("中村, 健", "Nakamura, K").encode("cp1252"))
    code, out, err = run_cli("import", str(path), "--project", str(project.root))
    assert code == 0 and "cp1252" in out and "read as Windows-1252" in err
    (record,) = _records(run_cli, project)
    assert record["authors"][0] == "Müller J" and record["warnings"] == []


def test_the_parallel_parse_flags_the_same_records(project, run_cli, tmp_path, monkeypatch) -> None:
    import screener.importing as importing
    import screener.parser_process as parser_process

    monkeypatch.setattr(importing, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(parser_process, "SEGMENT_BYTES", 4096)
    started: list[object] = []
    real = importing.ParserProcess
    monkeypatch.setattr(importing, "ParserProcess", lambda: started.append(1) or real())
    path = _mixed_file(tmp_path, records=400, bad=333)
    code, _, err = run_cli("import", str(path), "--project", str(project.root))
    assert code == 0, err
    # Two children start on the head's guess (UTF-8); the scan finds a bad byte, so two
    # new ones parse the file as mixed UTF-8.
    assert len(started) == 4
    records = _records(run_cli, project)
    assert len(records) == 400
    assert all(r["authors"] == ["Müller J", "中村 健"] for r in records)
    assert [r["title"] for r in records if r["warnings"]] == ["Partenariats (réseau) in care 333"]


PIECES = [b"TY  - JOUR\n", b"TI  - caf\xc3\xa9\n", b"r\xe9seau", b"\xe4\xb8\xad", b"\xe4\xb8",
          b"\xff", b"\n", b"\r\n", b"ascii only ", b"\xc3", b"\x80\x80", b"ER  - \n"]


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.sampled_from(PIECES), min_size=1, max_size=30),
       chunk=st.sampled_from([1, 2, 3, 5, 16, 1 << 20]))
def test_bad_bytes_are_found_on_their_lines_wherever_the_chunks_fall(
    parts: list[bytes], chunk: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scan decodes strict UTF-8 chunk by chunk and looks for bad bytes only in a chunk
    that is not: the lines it reports are those of the whole file decoded at once."""
    data = b"".join(parts)
    path = tmp_path / "case.ris"
    path.write_bytes(data)
    monkeypatch.setattr(textio, "CHUNK", chunk)
    scan = textio.scan_file(path)
    text = data.decode("utf-8", "surrogateescape")
    bad = [n for n, line in enumerate(text.split("\n"), 1)
           if any("\udc80" <= ch <= "\udcff" for ch in line)]
    valid_non_ascii = any(ord(ch) > 127 and not "\udc80" <= ch <= "\udcff" for ch in text)
    if not bad:
        assert (scan.encoding, scan.bad_lines) == ("utf-8", [])
    elif valid_non_ascii:
        assert (scan.encoding, scan.bad_lines) == (textio.MIXED_ENCODING, bad)
    else:
        assert (scan.encoding, scan.bad_lines) == ("cp1252", [])
        assert f"first bad byte on line {bad[0]}" in scan.warnings[0]
