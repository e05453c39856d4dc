"""The whole review through the app, from an empty folder, checked against the CLI.

Pilot drives ``ReviewApp``: create the project, import every bundled file (pages with their
reference lists among them) and a hand-search file, run dedup and confirm the uncertain
pair, screen as two reviewers, resolve their conflict as the lead, read kappa, export the
PRISMA SVG. The same steps through ``screener`` commands in a second folder must store
the same: status, decisions, resolutions, and the same diagram.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import pytest
from app_fixtures import HAND_SEARCH, press, settle, text_of
from conftest import ROOT
from screening_fixtures import PROTOCOL
from textual.pilot import Pilot
from textual.widgets import DirectoryTree, Input, Select

from screener.cli import main
from screener.models import Method, Stage
from screener.project import find_project
from screener.tui.review_app import ReviewApp
from screener.tui.screens.home_screen import HomeScreen

TITLE = "Partnerships review"
# The bundled export files (sources.toml names their databases for `screener demo`).
BUNDLED = sorted(p for p in (ROOT / "imports").iterdir() if p.name != "sources.toml")
ANA = ["i", "i", "e", "i", "e", "i", "i", "e"]
BEN = ["i", "e", "e", "i", "e", "i", "i", "e"]
"""Eight decisions each: ana screens her queue; ben finds the same works (each reviewer's
queue is ranked for them) and disagrees on the second one only."""


async def _select_file(pilot: Pilot[None], path: Path) -> None:
    """Browse to ``path``'s folder and pick the file, as Enter on it in the tree does."""
    screen = pilot.app.screen
    folder = screen.query_one("#import-folder", Input)
    if folder.value != str(path.parent):
        folder.value = str(path.parent)
        folder.focus()
        await press(pilot, "enter")
    tree = screen.query_one(DirectoryTree)
    for _ in range(100):
        nodes = [n for n in tree.root.children if n.data is not None and n.data.path == path]
        if nodes:
            break
        await pilot.pause(0.05)
    tree.focus()
    tree.select_node(nodes[0])
    await settle(pilot)


async def _import(pilot: Pilot[None], path: Path, source: str | None = None,
                  method: Method | None = None) -> None:
    await _select_file(pilot, path)
    screen = pilot.app.screen
    assert f"{path.name}:" in text_of(pilot.app, "#import-status")  # previewed  # type: ignore[arg-type]
    if source is not None:
        screen.query_one("#import-source", Input).value = source
    if method is not None:
        screen.query_one("#import-method", Select).value = method
    await pilot.click("#import-go")
    await settle(pilot)
    assert "Imported" in text_of(pilot.app, "#import-status"), path  # type: ignore[arg-type]


async def _screen(pilot: Pilot[None], keys: list[str]) -> None:
    await press(pilot, "s")
    for key in keys:
        await press(pilot, *(["e", "1", "enter"] if key == "e" else [key]))
    await press(pilot, "escape")


async def _screen_works(pilot: Pilot[None], works: list[tuple[int, str]]) -> None:
    """Screen the given works, each found with / and its number (``#ID``)."""
    await press(pilot, "s")
    for work_id, key in works:
        await press(pilot, "slash")
        pilot.app.screen.query_one(Input).value = f"#{work_id}"
        await press(pilot, "enter")
        await press(pilot, *(["e", "1", "enter"] if key == "e" else [key]))
    await press(pilot, "escape")


async def _switch(pilot: Pilot[None], name: str) -> None:
    await press(pilot, "w")
    pilot.app.screen.query_one(Input).value = name
    await press(pilot, "enter")


def _through_the_app(folder: Path, seen: dict[str, Any]) -> None:
    app = ReviewApp(None, "ana", folder=folder)

    async def script(pilot: Pilot[None]) -> None:
        await settle(pilot)
        app.screen.query_one("#new-title", Input).value = TITLE
        await pilot.click("#new-create")  # the starter protocol
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await press(pilot, "i")
        await _select_file(pilot, ROOT / "imports" / "page_wos.txt")
        seen["page_preview"] = text_of(app, "#import-preview")  # type: ignore[arg-type]
        for path in BUNDLED:
            await _import(pilot, path)
        await _import(pilot, HAND_SEARCH, source="Hand search", method=Method.OTHER)
        await press(pilot, "escape", "d", "r")
        seen["dedup"] = text_of(app, "#dedup-view")  # type: ignore[arg-type]
        await press(pilot, "v")
        seen["pair"] = text_of(app, "#pair-info")  # type: ignore[arg-type]
        await press(pilot, "c", "q", "escape")
        await _screen(pilot, ANA)
        await _switch(pilot, "ben")
        ana = [work_id for _, work_id, _, _ in _decided(folder, ("ana",))]
        await _screen_works(pilot, list(zip(ana, BEN, strict=True)))
        await _switch(pilot, "lea")
        seen["home"] = text_of(app, "#home-dashboard")  # type: ignore[arg-type]
        await press(pilot, "c", "i", "escape", "a")
        seen["agreement"] = text_of(app, "#agreement-view")  # type: ignore[arg-type]
        await press(pilot, "escape", "p", "x")
        app.screen.query_one(Input).value = "prisma.svg"
        await press(pilot, "enter")
        await settle(pilot)

    async def run() -> None:
        async with app.run_test(size=(140, 45)) as pilot:
            await script(pilot)

    asyncio.run(run())


def _through_the_cli(folder: Path, app_folder: Path) -> None:
    """The same steps as commands, with the decisions the app stored (the queue is ranked
    per reviewer, so the app's store says which works each reviewer was shown)."""
    def cli(*argv: str) -> None:
        assert main([*argv, "--project", str(folder)]) in (0, 3), argv

    assert main(["init", str(folder), "--title", TITLE, "--protocol", str(PROTOCOL)]) == 0
    cli("import", *map(str, BUNDLED))
    cli("import", str(HAND_SEARCH), "--source", "Hand search", "--method", "other")
    cli("dedup")
    store = find_project(folder).open_store()
    try:
        (pair,) = store.review_queue()
    finally:
        store.close()
    cli("dedup", "--confirm", str(pair.a), str(pair.b), "--reviewer", "ana")
    for reviewer, work_id, choice, reasons in _decided(app_folder):
        cli("decide", str(work_id), choice, "--reviewer", reviewer,
            *[arg for reason in reasons for arg in ("--reason", reason)])
    store = find_project(app_folder).open_store()
    try:
        resolved = list(store.current_resolutions(Stage.TITLE_ABSTRACT))
    finally:
        store.close()
    for work_id in resolved:
        cli("resolve", str(work_id), "include", "--by", "lea")
    cli("prisma", "-o", str(folder / "prisma.svg"))


def _decided(folder: Path, reviewers: tuple[str, ...] = ("ana", "ben")
             ) -> list[tuple[str, int, str, list[str]]]:
    store = find_project(folder).open_store()
    try:
        return [(d.reviewer, d.work_id, d.decision.value, d.reasons)
                for r in reviewers
                for d in sorted(store.current_decisions(Stage.TITLE_ABSTRACT, r),
                                key=lambda d: d.time)]
    finally:
        store.close()


def _stored(folder: Path) -> dict[str, Any]:
    project = find_project(folder)
    store = project.open_store()
    try:
        decisions = sorted((d.work_id, d.reviewer, d.decision.value, tuple(d.reasons))
                           for r in ("ana", "ben")
                           for d in store.current_decisions(Stage.TITLE_ABSTRACT, r))
        resolutions = {w: (r.decision.value, r.resolved_by)
                       for w, r in store.current_resolutions(Stage.TITLE_ABSTRACT).items()}
        pairs = sorted((p.a, p.b, p.status, p.decided_by) for p in store.dedup_pairs()
                       if p.decided_by)
    finally:
        store.close()
    return {"decisions": decisions, "resolutions": resolutions, "pairs": pairs}


def _status(folder: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["status", "--json", "--project", str(folder)]) == 0
    status: dict[str, Any] = json.loads(capsys.readouterr().out)
    del status["project"]
    return status


def test_the_whole_review_through_the_app_stores_what_the_cli_would(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seen: dict[str, Any] = {}
    _through_the_app(tmp_path / "app", seen)
    _through_the_cli(tmp_path / "cli", tmp_path / "app")

    # The page's preview lists its reference list as records of their own.
    assert "citation" in seen["page_preview"]
    assert "review queue: 1 pairs" in seen["dedup"]
    assert "pair 1 of 1" in seen["pair"]
    assert "Resolve 1 title/abstract conflict." in seen["home"]
    kappa = re.search(r"kappa (-?\d\.\d\d): ", seen["agreement"])
    assert kappa is not None

    app, cli = _stored(tmp_path / "app"), _stored(tmp_path / "cli")
    assert len(app["decisions"]) == len(ANA) + len(BEN)
    assert len(app["resolutions"]) == 1 and app["pairs"]
    assert app == cli
    assert _status(tmp_path / "app", capsys) == _status(tmp_path / "cli", capsys)
    capsys.readouterr()
    assert main(["agreement", "--json", "--project", str(tmp_path / "cli")]) == 0
    report = json.loads(capsys.readouterr().out)
    assert kappa.group(1) == f"{report['cohen_kappa']:.2f}"
    svg = (tmp_path / "app" / "prisma.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") or svg.startswith("<?xml")
    assert svg == (tmp_path / "cli" / "prisma.svg").read_text(encoding="utf-8")
