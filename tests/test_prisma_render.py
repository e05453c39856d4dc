"""PRISMA renderers and the ``screener prisma`` command: every box, every format."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from prisma_project import TA, build, finished, screen

from screener.prisma.flow import Flow, ReasonCount, SourceCount
from screener.prisma.labels import RenderOptions
from screener.prisma.svg import render_svg
from screener.prisma.textmetrics import text_width, wrap

SVG = "{http://www.w3.org/2000/svg}"
R_KEYS = [
    "database_results", "database_specific_results", "register_results",
    "register_specific_results", "website_results", "organisation_results", "citations_results",
    "duplicates", "excluded_automatic", "excluded_other", "records_screened", "records_excluded",
    "dbr_sought_reports", "dbr_notretrieved_reports", "other_sought_reports",
    "other_notretrieved_reports", "dbr_assessed", "dbr_excluded", "other_assessed",
    "other_excluded", "new_studies", "new_reports",
]
BOXES = ["dbr_identified", "dbr_removed", "records_screened", "records_excluded", "dbr_sought",
         "dbr_notretrieved", "dbr_assessed", "dbr_excluded", "other_identified", "other_sought",
         "other_notretrieved", "other_assessed", "other_excluded", "included"]


@pytest.fixture
def done(tmp_path: Path, run_cli):
    return finished(tmp_path, run_cli)


def _texts(group: ET.Element) -> str:
    return " ".join(t.text or "" for t in group.iter(f"{SVG}text")).replace("\u00a0", " ")


def test_svg_is_well_formed_and_has_every_box_with_its_count(done, run_cli, tmp_path) -> None:
    out = tmp_path / "flow.svg"
    code, stdout, _ = run_cli("prisma", "--project", str(done.root), "-o", str(out))
    assert code == 0 and "wrote" in stdout
    root = ET.parse(out).getroot()
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g")}
    for box in BOXES:
        assert f"box-{box}" in groups, box
    assert "Scopus (n = 5)" in _texts(groups["box-dbr_identified"])
    assert "Duplicate records removed (n = 2)" in _texts(groups["box-dbr_removed"])
    assert "Wrong study design (n = 2)" in _texts(groups["box-dbr_excluded"])
    assert "Citation searching (n = 4)" in _texts(groups["box-other_identified"])
    assert _texts(groups["box-included"]) == (
        "Studies included in review (n = 3) Reports of included studies (n = 3)")
    all_text = _texts(root)
    for phrase in ("Identification of studies via databases and registers",
                   "Identification of studies via other methods", "Identification", "Screening",
                   "Included", "1 duplicate record removed", "BMJ 2021;372:n71"):
        assert phrase in all_text


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_long_names_wrap_inside_their_boxes_and_boxes_do_not_overlap() -> None:
    flow = Flow(
        database_results=123456,
        database_specific_results=[
            SourceCount(name="MEDLINE(R) and Epub Ahead of Print, In-Process, In-Data-Review & "
                        "Other Non-Indexed Citations (Ovid)", n=100000),
            SourceCount(name="Embase", n=23456)],
        dbr_excluded=[ReasonCount(code=f"r{i}", label=f"Reason number {i} with a rather long "
                                  "explanation of why the report was excluded", n=i)
                      for i in range(1, 8)],
    )
    root = ET.fromstring(render_svg(flow, RenderOptions(title="A " * 80)))
    rects = []
    for g in root.iter(f"{SVG}g"):
        if not (g.get("id") or "").startswith("box-"):
            continue
        rect = g.find(f"{SVG}rect")
        assert rect is not None
        x, y = float(rect.get("x")), float(rect.get("y"))
        w, h = float(rect.get("width")), float(rect.get("height"))
        rects.append((x, y, x + w, y + h))
        for t in g.iter(f"{SVG}text"):
            width = text_width(t.text or "", float(t.get("font-size")))
            tx = float(t.get("x"))
            left = tx - width / 2 if t.get("text-anchor") == "middle" else tx
            assert x <= left and left + width <= x + w, t.text
            assert y < float(t.get("y")) < y + h, t.text
    assert not any(_overlaps(a, b) for i, a in enumerate(rects) for b in rects[i + 1:])


def test_wrap_keeps_counts_whole_and_breaks_overlong_words() -> None:
    lines = wrap("Records marked as ineligible by automation tools (n = 1,234)", 150, 11)
    assert lines[-1].endswith("(n\u00a0=\u00a01,234)")
    assert all(text_width(line, 11) <= 150 for line in wrap("x" * 200, 150, 11))


def test_json_keys_follow_the_r_package(done, run_cli) -> None:
    code, out, _ = run_cli("prisma", "--project", str(done.root), "--format", "json")
    data = json.loads(out)
    assert code == 0
    for key in R_KEYS:
        assert key in data, key
    assert data["dbr_excluded"] == [
        {"code": "wrong-design", "label": "Wrong study design", "n": 2},
        {"code": "wrong-setting", "label": "Wrong setting", "n": 1}]
    assert data["consistent"] is True


def test_csv_has_the_template_columns_and_r_data_rows(done, run_cli) -> None:
    code, out, _ = run_cli("prisma", "--project", str(done.root), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert list(rows[0]) == ["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"]
    n = {r["data"]: r["n"] for r in rows if r["data"] != "NA"}
    for key in R_KEYS:
        assert key in n, key
    assert n["database_specific_results"] == "PubMed, 3; Scopus, 5"
    assert n["dbr_excluded"] == "Wrong study design, 2; Wrong setting, 1"
    assert (n["records_screened"], n["new_studies"], n["previous_studies"]) == ("8", "3", "NA")


def test_text_and_markdown_views(done, run_cli) -> None:
    code, out, _ = run_cli("prisma", "--project", str(done.root))
    assert code == 0
    assert "Records screened (n = 8)" in out
    assert "Checks: all 8 relations between boxes hold." in out
    code, md, _ = run_cli("prisma", "--project", str(done.root), "--format", "md")
    assert "```mermaid" in md and "flowchart TD" in md
    assert "| `records_excluded` | 2 |" in md


def test_title_abstract_reasons_and_footnotes_on_request(done, run_cli) -> None:
    code, out, _ = run_cli("prisma", "--project", str(done.root), "--ta-reasons", "--no-footnotes",
                           "--footnote", "records_screened:Two reviewers, independently.")
    assert code == 0
    assert "Off topic (n = 1)" in out
    assert "Records screened\u2020 (n = 8)" in out
    assert "\u2020Two reviewers, independently." in out
    assert "*Consider, if feasible" not in out
    code, _, err = run_cli("prisma", "--project", str(done.root), "--footnote", "record_screen:x")
    assert code == 1 and "unknown box 'record_screen'" in err


def test_unfinished_review_exits_3_and_says_why(tmp_path: Path, run_cli) -> None:
    project, protocol, work = build(tmp_path, run_cli)
    store = project.open_store()
    try:
        screen(store, work, protocol, {k: v for k, v in TA.items() if k != "D"}, {}, {})
    finally:
        store.close()
    code, out, err = run_cli("prisma", "--project", str(project.root), "-o",
                             str(tmp_path / "f.svg"))
    assert code == 3
    # In the template's words, never the R data names (dbr_sought_reports).
    assert ("Reports sought for retrieval (databases and registers) is 6, expected 7 = "
            "records screened - records excluded: 1 work pending title/abstract screening") in err
    assert "_reports" not in err and "dbr_" not in err and "other_" not in err
    svg = (tmp_path / "f.svg").read_text()
    assert "INCOMPLETE: Reports sought for retrieval (databases and registers) is 6" in svg
    assert "dbr_" not in svg.split('id="notes"', 1)[1]
    text = run_cli("prisma", "--project", str(project.root))[1]
    assert "dbr_" not in text and "Reports assessed for eligibility (other methods) is 0" in text


def test_help(run_cli) -> None:
    with pytest.raises(SystemExit) as exc:
        run_cli("prisma", "--help")
    assert exc.value.code == 0


def test_databases_only_template_drops_the_other_column(tmp_path: Path, run_cli) -> None:
    project = build(tmp_path, run_cli)[0]
    out = tmp_path / "v1.svg"
    code, _, err = run_cli("prisma", "--project", str(project.root), "--no-other-column",
                           "-o", str(out))
    assert code == 1 and "6 records come from other methods" in err
    assert not out.exists()
    (tmp_path / "only.ris").write_text("TY  - JOUR\nTI  - Alone\nER  - \n", encoding="utf-8")
    run_cli("init", str(tmp_path / "v1"))
    run_cli("import", str(tmp_path / "only.ris"), "--project", str(tmp_path / "v1"),
            "--source", "Embase")
    code, _, _ = run_cli("prisma", "--project", str(tmp_path / "v1"), "--no-other-column",
                         "-o", str(out))
    root = ET.parse(out).getroot()
    ids = {g.get("id") for g in root.iter(f"{SVG}g")}
    assert "box-dbr_identified" in ids and "box-included" in ids
    assert not any(i and i.startswith("box-other") for i in ids)
    assert "Identification of studies via other methods" not in _texts(root)
    assert float(root.get("width")) < 600


def test_status_says_whether_the_diagram_adds_up(done, run_cli) -> None:
    code, out, _ = run_cli("status", "--project", str(done.root), "--json")
    assert code == 0
    assert json.loads(out)["prisma"] == {"studies_included": 3, "consistent": True,
                                         "unmet_checks": []}


def test_csv_names_cannot_break_the_template_strings() -> None:
    from screener.prisma.csv_template import pairs

    assert pairs([SourceCount(name='Web of Science, Core; "SCI"', n=2)]) == "Web of Science Core 'SCI', 2"
    assert pairs([]) == "NA"


def test_status_duplicates_match_prisma_or_label_the_difference(done, run_cli) -> None:
    prisma = json.loads(run_cli("prisma", "--project", str(done.root), "--format", "json")[1])
    code, out, _ = run_cli("status", "--project", str(done.root))
    line = next(ln for ln in out.splitlines() if ln.startswith("unique works:"))
    # 4 records merged in all: 2 among database/register records (PRISMA's box), 2 involving
    # citation/website records, which PRISMA reports in a note instead.
    assert prisma["duplicates"] == 2
    assert line == ('unique works: 12 (4 duplicate records merged: 2 in PRISMA\'s "Duplicate '
                    'records removed", 2 with other-methods records, noted under the diagram)')
    status = json.loads(run_cli("status", "--project", str(done.root), "--json")[1])
    assert (status["duplicates_removed"], status["prisma_duplicates_removed"]) == (4, 2)
