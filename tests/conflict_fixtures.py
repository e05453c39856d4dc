"""A small review project with a protocol, for the conflicts and agreement tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from screener.importing import import_file
from screener.models import Choice, Stage
from screener.project import Project, init_project
from screener.store import Store

TA = Stage.TITLE_ABSTRACT
INC, EXC, MAY = Choice.INCLUDE, Choice.EXCLUDE, Choice.MAYBE

PROTOCOL = """
[review]
title = "Partnerships"
question = "How do organizations collaborate in health care?"

[criteria]
inclusion = [{ id = "I1", label = "Health care", description = "Health or social care" }]
exclusion = [
  { id = "E1", label = "Not health", description = "Not health care", reason = "not-health" },
  { id = "E2", label = "Clinical", description = "Clinical trial", reason = "clinical" },
]

[keywords]
include = ["partnership*"]
exclude = ["trial"]

[screening]
policy = "{policy}"
"""

Cli = Callable[..., tuple[int, str, str]]


def make_review(tmp_path: Path, n: int = 6, policy: str = "two-independent") -> Project:
    proto = tmp_path / "protocol.toml"
    proto.write_text(PROTOCOL.replace("{policy}", policy), encoding="utf-8")
    project = init_project(tmp_path / "review", protocol=proto)
    ris = tmp_path / "works.ris"
    ris.write_text("".join(
        f"TY  - JOUR\nTI  - Hospital partnership study {i}\nAB  - A trial of partnerships.\n"
        f"PY  - 2021\nER  - \n" for i in range(n)
    ), encoding="utf-8")
    store = project.open_store()
    import_file(store, ris)
    store.close()
    return project


def decide(store: Store, work_id: int, ana: Choice, ben: Choice | None = None,
           reasons: tuple[list[str], list[str]] = ([], [])) -> None:
    store.record_decision(work_id, "ana", TA, ana, reasons[0], note="ana's note")
    if ben is not None:
        store.record_decision(work_id, "ben", TA, ben, reasons[1], note="ben's note")
