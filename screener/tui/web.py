"""The app in a browser: textual-serve runs ``screener open`` for each tab that connects.

textual-serve writes absolute page and websocket addresses from one public URL; the
server here takes them from each request's own Host header instead, so the page works
whichever name or address the browser used (127.0.0.1, localhost, a LAN address)."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from textual_serve.server import Server


class AppServer(Server):
    async def handle_index(self, request: web.Request) -> Any:
        self.public_url = f"{request.scheme}://{request.host}"
        return await super().handle_index(request)


def serve_app(command: str, host: str, port: int, title: str) -> None:
    """Serve until interrupted (Ctrl+C or SIGTERM)."""
    AppServer(command, host=host, port=port, title=title).serve()
