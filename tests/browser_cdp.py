"""A headless Chromium driven over the DevTools protocol: just enough to load a page, read
what its websockets receive, type keys and take a screenshot.

Chromium is started with ``--remote-debugging-port``; the client talks JSON over the page's
DevTools websocket (aiohttp, which textual-serve already brings), so the browser test
needs no driver or extra package.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Page:
    """One browser tab: commands go out with an id, events are collected as they come."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.next_id = 0
        self.pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.received = bytearray()
        """Everything the page's websockets received (the app's terminal output)."""
        self.reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        async for msg in self.ws:
            data = json.loads(msg.data)
            if "id" in data:
                future = self.pending.pop(data["id"], None)
                if future is not None and not future.done():
                    future.set_result(data)
            elif data.get("method") == "Network.webSocketFrameReceived":
                response = data["params"]["response"]
                payload = response["payloadData"]
                self.received += (base64.b64decode(payload) if response["opcode"] == 2
                                  else payload.encode("utf-8"))

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.pending[self.next_id] = future
        await self.ws.send_str(json.dumps({"id": self.next_id, "method": method,
                                           "params": params}))
        reply = await asyncio.wait_for(future, 30)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        result: dict[str, Any] = reply.get("result", {})
        return result

    def text(self) -> str:
        return self.received.decode("utf-8", errors="replace")

    async def wait_for_text(self, needle: str, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text():
                return True
            await asyncio.sleep(0.2)
        return False

    async def type_key(self, key: str) -> None:
        """A key as the browser gets it from a keyboard (xterm.js turns it into input)."""
        named = {"escape": ("Escape", "Escape", 27, ""), "enter": ("Enter", "Enter", 13, "\r")}
        if key in named:
            name, code, vk, text = named[key]
        else:
            name, code, vk, text = key, f"Key{key.upper()}", ord(key.upper()), key
        down: dict[str, Any] = {"type": "keyDown", "key": name, "code": code,
                                "windowsVirtualKeyCode": vk}
        if text:
            down["text"] = text
        await self.send("Input.dispatchKeyEvent", **down)
        await self.send("Input.dispatchKeyEvent", type="keyUp", key=name, code=code,
                        windowsVirtualKeyCode=vk)

    async def screenshot(self, path: Path) -> None:
        shot = await self.send("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))


@contextlib.asynccontextmanager
async def open_page(url: str, chromium: str, size: tuple[int, int] = (1280, 800)
                    ) -> AsyncIterator[Page]:
    """Headless Chromium on ``url``; the page's websocket traffic is recorded."""
    port = free_port()
    # Chromium's helpers (crashpad, utility processes) can outlive the browser by a
    # moment and still write to the profile; the whole group is stopped below, and a
    # file they write while the profile is removed must not fail the test.
    with tempfile.TemporaryDirectory(prefix="screener-chromium-",
                                     ignore_cleanup_errors=True) as profile:
        browser = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
             "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
             f"--remote-debugging-port={port}", f"--user-data-dir={profile}",
             f"--window-size={size[0]},{size[1]}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        try:
            async with aiohttp.ClientSession() as http:
                target = await _page_target(http, port)
                async with http.ws_connect(target, max_msg_size=0) as ws:
                    page = Page(ws)
                    try:
                        await page.send("Network.enable")
                        await page.send("Page.enable")
                        await page.send("Page.navigate", url=url)
                        yield page
                    finally:
                        page.reader.cancel()
        finally:
            _stop_group(browser)


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the browser and every helper it started, then SIGKILL to stragglers."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


async def _page_target(http: aiohttp.ClientSession, port: int) -> str:
    deadline = time.monotonic() + 30
    while True:
        try:
            async with http.get(f"http://127.0.0.1:{port}/json/list") as response:
                targets = await response.json()
            for t in targets:
                if t.get("type") == "page":
                    url: str = t["webSocketDebuggerUrl"]
                    return url
        except aiohttp.ClientError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("chromium did not open its DevTools port")
        await asyncio.sleep(0.2)
