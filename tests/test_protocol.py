"""The review protocol: the shipped protocol is valid, bad files give one-line errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from screening_fixtures import PROTOCOL

from screener.errors import ProtocolError
from screener.models import Stage
from screener.project import Project
from screener.protocol import Policy, load_protocol, protocol_version

TEXT = PROTOCOL.read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_protocol_covers_the_review() -> None:
    p = load_protocol(PROTOCOL)
    assert p.screening.policy is Policy.TWO_INDEPENDENT
    assert p.screening.pilot_size == 50 and p.screening.kappa_threshold == 0.6
    codes = [code for code, _ in p.reasons(Stage.TITLE_ABSTRACT)]
    assert {"not-health", "not-interorganizational", "clinical", "no-data"} <= set(codes)
    assert p.reasons(Stage.FULLTEXT)[0][0] == "wrong-setting"
    assert "partner*" in p.keywords.include and "randomi?ed" in p.keywords.exclude
    assert all(c.description.strip() for c in p.criteria.inclusion + p.criteria.exclusion)


def test_version_changes_when_the_file_changes(tmp_path: Path) -> None:
    a = _write(tmp_path, TEXT)
    v1 = protocol_version(a, load_protocol(a))
    a.write_text(TEXT.replace("How are", "How were"), encoding="utf-8")
    v2 = protocol_version(a, load_protocol(a))
    assert v1.startswith("1.0+") and v2.startswith("1.0+") and v1 != v2


@pytest.mark.parametrize(
    ("old", "new", "expected", "line_has"),
    [
        ('label = "No empirical data"\nreason', 'lable = "No empirical data"\nreason',
         "criteria.exclusion.4.lable: unknown key", "lable ="),
        ('reason = "clinical"', 'reason = "Clinical Study"', "must be kebab-case", "Clinical Study"),
        ('reason = "no-data"', 'reason = "clinical"', "duplicate reason code: clinical",
         "[[criteria.exclusion]]"),
        ('"mice",', '"mi(ce",', "bad keyword 'mi(ce'", "exclude = ["),
        ('policy = "two-independent"', 'policy = "two"', "screening.policy: Input should be",
         'policy = "two"'),
        ("pilot_size = 50", "pilot_size = 0", "screening.pilot_size", "pilot_size = 0"),
        ("question = ", "questio = ", "review.questio: unknown key", "questio ="),
    ],
)
def test_bad_protocol_names_file_line_and_key(
    tmp_path: Path, old: str, new: str, expected: str, line_has: str
) -> None:
    assert old in TEXT
    path = _write(tmp_path, TEXT.replace(old, new, 1))
    with pytest.raises(ProtocolError) as info:
        load_protocol(path)
    message = str(info.value)
    assert expected in message
    assert message.startswith(f"{path}:")
    line = int(message.split(":")[1])
    assert line_has in path.read_text().splitlines()[line - 1]


def test_invalid_toml_reports_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, TEXT.replace("pilot_size = 50", "pilot_size = "))
    with pytest.raises(ProtocolError, match=r"p.toml:\d+: invalid TOML") as info:
        load_protocol(path)
    line = int(str(info.value).split(":")[1])
    assert path.read_text().splitlines()[line - 1].startswith("pilot_size")


def test_cli_check_and_show(run_cli: Callable[..., tuple[int, str, str]], tmp_path: Path,
                            project: Project) -> None:
    code, out, _ = run_cli("protocol", "check", str(PROTOCOL))
    assert code == 0 and "ok: version 1.0+" in out and "7 exclusion criteria" in out
    bad = _write(tmp_path, TEXT.replace("[review]", "[reviw]"))
    code, _, err = run_cli("protocol", "check", str(bad))
    assert code == 1 and err.startswith(f"screener: error: {bad}:") and "reviw: unknown key" in err
    code, _, err = run_cli("protocol", "show", "--project", str(project.root))
    assert code == 1 and "has no protocol" in err


def test_cli_show_prints_criteria(run_cli: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    from screening_fixtures import make_project

    project = make_project(tmp_path)
    code, out, _ = run_cli("protocol", "show", "--project", str(project.root))
    assert code == 0
    assert "E2  Not inter-organizational  [not-interorganizational]" in out
    assert "Pilot: first 50 decisions per reviewer, kappa >= 0.6" in out


def test_cli_show_json_has_version_and_reasons(run_cli: Callable[..., tuple[int, str, str]],
                                               tmp_path: Path) -> None:
    import json

    from screening_fixtures import make_project

    project = make_project(tmp_path)
    code, out, _ = run_cli("protocol", "show", "--json", "--project", str(project.root))
    data = json.loads(out)
    assert code == 0 and data["version"].startswith("1.0+")
    assert [c["reason"] for c in data["criteria"]["exclusion"]][:2] == ["not-health", "not-interorganizational"]
    assert data["screening"]["policy"] == "two-independent"


def test_init_without_protocol_starts_from_a_starter_that_can_be_screened(tmp_path, run_cli
                                                                          ) -> None:
    from screener.project import find_project
    from screener.screening import ScreeningSession

    code, out, _ = run_cli("init", str(tmp_path / "r"), "--title", "Walking and blood pressure")
    assert code == 0
    assert "protocol: protocol.toml, a starter: edit its question and criteria" in out
    starter = tmp_path / "r" / "protocol.toml"
    assert 'title = "Walking and blood pressure"' in starter.read_text()
    assert run_cli("protocol", "check", str(starter))[0] == 0
    (tmp_path / "w.ris").write_text("TY  - JOUR\nTI  - Walking in older adults\nER  - \n")
    run_cli("import", "--project", str(tmp_path / "r"), str(tmp_path / "w.ris"))
    project = find_project(tmp_path / "r")
    store = project.open_store()
    try:  # the screen can open: the project has criteria and reasons
        session = ScreeningSession.open(project, store, "ann", Stage.TITLE_ABSTRACT)
        assert session.total == 1
        assert [c.reason for c in session.protocol.criteria.exclusion][:2] == [
            "wrong-population", "wrong-intervention"]
    finally:
        store.close()
    code, out, _ = run_cli("decide", "--project", str(tmp_path / "r"), "1", "exclude",
                           "--reason", "wrong-design", "--reviewer", "ann")
    assert code == 0, out


def test_protocol_new_writes_a_starter_and_never_overwrites(tmp_path, run_cli) -> None:
    target = tmp_path / "mine.toml"
    code, out, _ = run_cli("protocol", "new", str(target), "--title", "Sleep review")
    assert code == 0 and out.startswith(f"wrote {target}: a starter protocol")
    assert 'title = "Sleep review"' in target.read_text()
    assert run_cli("protocol", "check", str(target))[0] == 0
    target.write_text("# my edits\n")
    code, _, err = run_cli("protocol", "new", str(target))
    assert code == 1 and "already exists" in err and err.count("\n") == 1
    assert target.read_text() == "# my edits\n"
    code, _, _ = run_cli("init", str(tmp_path / "p"), "--protocol", str(tmp_path / "x.toml"))
    assert code == 1
