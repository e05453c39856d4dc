"""Ranking a queue from one reviewer's labels, in a child process.

Fitting TF-IDF on 100k texts and retraining the SVM take seconds of CPU; in a thread
they would hold the GIL against the screen's key handling, so the work runs in a plain
``python -c`` child (like the import parsers) that keeps the features between retrains.
Requests and answers are length-prefixed pickles over the child's stdin/stdout.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from screener.errors import ScreenerError

if TYPE_CHECKING:
    from screener.store import DatabaseUrl


@dataclass(frozen=True)
class Ranking:
    """The model's verdict on a queue after training on ``trained_on`` labels."""

    order: list[int]
    """Work ids, most likely relevant first."""
    relevance: dict[int, float]
    """Work id -> share of the queue ranked below it (1.0 = top)."""
    trained_on: int


def labels_of(choices: Mapping[int, Any]) -> dict[int, bool]:
    """Training labels from a reviewer's choices: include and maybe count as relevant."""
    from screener.models import Choice

    exclude = Choice.EXCLUDE  # looked up once: an enum member per item costs 3x (50k: 14 ms)
    return {w: c is not exclude for w, c in choices.items()}


def rank(work_ids: Sequence[int], model: Any, labels: Mapping[int, bool]) -> Ranking | None:
    """Rank ``work_ids`` (rows of ``model``) from labels keyed by work id; None until
    there is one relevant and one irrelevant label."""
    row_of = {w: i for i, w in enumerate(work_ids)}
    rows = {row_of[w]: y for w, y in labels.items() if w in row_of}
    scores = model.scores(rows)
    if scores is None:
        return None
    by_score = np.argsort(-scores, kind="stable")
    order = [work_ids[i] for i in by_score]
    n = len(order)
    relevance = {w: 1.0 - i / n for i, w in enumerate(order)}
    return Ranking(order=order, relevance=relevance, trained_on=len(rows))


def _write(stream: IO[bytes], obj: object) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("<Q", len(data)) + data)
    stream.flush()


def _read(stream: IO[bytes]) -> Any:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    (size,) = struct.unpack("<Q", head)
    return pickle.loads(stream.read(size))


class Ranker:
    """Ranks one queue's works; ``rank`` blocks until the child answers (call it from a
    worker thread). ``in_process`` does the work here instead (tests, scripts)."""

    def __init__(
        self, location: DatabaseUrl, work_ids: Sequence[int], in_process: bool = False
    ) -> None:
        self.location = location
        self.work_ids = list(work_ids)
        self.in_process = in_process
        self._model: Any = None
        self._child: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def rank(self, labels: Mapping[int, bool]) -> Ranking | None:
        if len(set(labels.values())) < 2:
            return None
        with self._lock:
            if self.in_process:
                if self._model is None:
                    self._model = build_model(self.location, self.work_ids)
                return rank(self.work_ids, self._model, labels)
            child = self._start()
            assert child.stdin is not None and child.stdout is not None
            try:
                _write(child.stdin, dict(labels))
                answer = _read(child.stdout)
            except (EOFError, OSError) as exc:
                self.close()
                raise ScreenerError("the ranking process stopped") from exc
            if isinstance(answer, str):
                raise ScreenerError(f"ranking failed: {answer}")
            result: Ranking | None = answer
            return result

    def _start(self) -> subprocess.Popen[bytes]:
        if self._child is None:
            self._child = subprocess.Popen(
                [sys.executable, "-c", "from screener.ranking.ranker import serve; serve()"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )
            assert self._child.stdin is not None
            _write(self._child.stdin, (self.location, self.work_ids))
        return self._child

    def close(self) -> None:
        child, self._child = self._child, None
        if child is not None:
            if child.stdin is not None:
                child.stdin.close()
            try:
                child.wait(timeout=5)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def build_model(location: DatabaseUrl, work_ids: Sequence[int]) -> Any:
    """Features of the queue's works, read through a connection of its own (texts only:
    no decision is read, so no blinding restriction is needed)."""
    from screener.ranking.model import RelevanceModel
    from screener.store import open_store

    store = open_store(location)
    try:
        texts = store.work_texts()
    finally:
        store.close()
    return RelevanceModel([texts.get(w, "") for w in work_ids])


def serve() -> None:
    """The child: read the queue once, then answer each set of labels with a Ranking."""
    # Below the screen in the CPU's queue: building the features of 100k texts takes a
    # core for seconds, and on a 2-core machine the reviewer's keys waited behind it
    # (key to next work, median 48 ms against 25 ms of the screen's own CPU time).
    with contextlib.suppress(AttributeError, OSError):  # os.nice: not on Windows
        os.nice(10)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    try:
        location, work_ids = _read(stdin)
    except EOFError:
        return
    model: Any = None
    while True:
        try:
            labels = _read(stdin)
        except EOFError:
            return
        try:
            if model is None:
                model = build_model(location, work_ids)
            _write(stdout, rank(work_ids, model, labels))
        except Exception as exc:  # noqa: BLE001 - reported to the parent as one line
            _write(stdout, f"{type(exc).__name__}: {exc}")
