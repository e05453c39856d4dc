"""``screener serve``: the app in a real browser (headless Chromium over the DevTools
protocol), and the warning when it listens beyond this machine."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser_cdp import chromium_path, free_port, open_page
from screening_fixtures import make_project

from screener.cli import main
from screener.commands.serve import app_command, is_loopback
from screener.models import Stage
from screener.project import Project

CHROMIUM = chromium_path()


def _decisions(project: Project, reviewer: str) -> dict[int, str]:
    store = project.open_store()
    try:
        return {d.work_id: d.decision.value
                for d in store.current_decisions(Stage.TITLE_ABSTRACT, reviewer)}
    finally:
        store.close()


def _wait_for_http(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"screener serve exited: {server.communicate()[0]!r}")
        try:
            with urllib.request.urlopen(url) as response:
                assert response.status == 200
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"screener serve did not answer on {url}")


def test_the_home_renders_in_chromium_and_a_decision_made_there_is_stored(
        tmp_path: Path) -> None:
    if CHROMIUM is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI needs Chromium for the browser test (apt-get install chromium)",
                        pytrace=False)
        pytest.skip("Chromium is not installed (apt-get install chromium): the browser "
                    "test cannot run")
    project = make_project(tmp_path)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "screener", "serve", "--project", str(project.root),
         "--port", str(port), "--reviewer", "alice"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for_http(url, server)

        async def in_the_browser() -> None:
            async with open_page(url, CHROMIUM) as page:
                # The home's dashboard, counted in the app and drawn by xterm.js.
                assert await page.wait_for_text("works left for you", 60), page.text()[-2000:]
                assert "Title/abstract" in page.text()
                await page.screenshot(tmp_path / "home.png")
                await page.send("Runtime.evaluate", expression=(
                    "document.querySelector('.xterm-helper-textarea').focus()"))
                await page.type_key("s")  # screen, from the home
                assert await page.wait_for_text("Include", 30)
                await page.type_key("i")  # include the first work
                deadline = time.monotonic() + 30
                while not _decisions(project, "alice") and time.monotonic() < deadline:
                    await asyncio.sleep(0.2)

        asyncio.run(in_the_browser())
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.communicate()
    assert _decisions(project, "alice") == {1: "include"}


def test_serve_listens_on_this_machine_only_by_default(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    calls: list[tuple[str, str, int]] = []
    monkeypatch.setattr("screener.tui.web.serve_app",
                        lambda command, host, port, title: calls.append((command, host, port)))
    assert main(["serve", "--project", str(project.root)]) == 0
    ((command, host, port),) = calls
    assert (host, port) == ("127.0.0.1", 8000)
    assert command.endswith(f"-m screener open {project.root.resolve()}")
    out, err = capsys.readouterr()
    assert "http://127.0.0.1:8000/" in out and err == ""


def test_a_wider_host_says_anyone_can_act_as_any_reviewer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    monkeypatch.setattr("screener.tui.web.serve_app", lambda *args: None)
    assert main(["serve", "--project", str(project.root), "--host", "0.0.0.0",
                 "--port", "8123"]) == 0
    err = capsys.readouterr().err
    assert "anyone who can reach port 8123 can open the app and act as any reviewer" in err
    assert "SQLite has no logins" in err


def test_loopback_addresses() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_the_served_command_quotes_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "my review; rm -rf x"
    command = app_command(folder, "ana smith")
    assert "'" in command and "--reviewer 'ana smith'" in command
