"""Replay of ranked screening over a labelled CSV: ``screener simulate``.

Starting from prior records drawn with a seed, the ranking picks the next record, its
label is revealed, and so on until every include is found and the stopping rule (when
one is set) has said stop, or every record is read. The measures are computed from the
reading order alone, so a peer tool's order can be scored by the same functions.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from screener.errors import ScreenerError
from screener.ranking.model import RelevanceModel, work_text
from screener.ranking.stopping import p_missed_target

ALWAYS_RETRAIN_UNTIL = 100
"""Retrain after every record while fewer than this many are labelled..."""
RETRAIN_SHARE = 0.02
"""...then after every batch of 2 % of the labelled records: on a long replay the ranking
hardly moves between neighbouring retrains, and each retrain costs a pass over all rows."""


@dataclass(frozen=True)
class LabelledSet:
    """Texts and 0/1 labels of a labelled screening set, in file order."""

    path: Path
    texts: list[str]
    labels: list[int]


def read_labelled(path: Path, label_column: str = "label_included") -> LabelledSet:
    """Read a CSV with ``title``, ``abstract`` (optional ``keywords``) and a 0/1 label."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ScreenerError(f"cannot read: {exc.strerror}", path=path) from exc
    texts: list[str] = []
    labels: list[int] = []
    with handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        if label_column not in columns:
            raise ScreenerError(
                f"no column {label_column!r} (columns: {', '.join(columns) or 'none'})",
                path=path, line=1,
            )
        try:
            for row in reader:
                value = (row.get(label_column) or "").strip()
                if value not in ("0", "1", "0.0", "1.0"):
                    raise ScreenerError(
                        f"{label_column} must be 0 or 1, not {value!r}",
                        path=path, line=reader.line_num,
                    )
                labels.append(int(float(value)))
                keywords = (row.get("keywords") or "").split(";")
                texts.append(work_text(row.get("title"), row.get("abstract"), keywords))
        except UnicodeDecodeError as exc:
            raise ScreenerError("not UTF-8 text", path=path) from exc
        except csv.Error as exc:
            raise ScreenerError(f"bad CSV: {exc}", path=path, line=reader.line_num) from exc
    if not labels:
        raise ScreenerError("no records", path=path)
    if 0 not in labels or 1 not in labels:
        raise ScreenerError("the set needs both included (1) and excluded (0) records", path=path)
    return LabelledSet(path=path, texts=texts, labels=labels)


@dataclass(frozen=True)
class Run:
    seed: int
    order: list[int]
    """0-based data rows in reading order, priors first."""
    stopped_at: int | None
    """Records read when the stopping rule first said stop (None: never)."""


def simulate_run(
    data: LabelledSet,
    model: RelevanceModel,
    seed: int,
    prior_included: int = 1,
    prior_excluded: int = 1,
    stop_recall: float | None = None,
    stop_confidence: float = 0.95,
) -> Run:
    """One replay: the priors drawn with ``seed``, then the model's order."""
    labels = np.array(data.labels, dtype=np.int8)
    total = len(labels)
    rng = random.Random(seed)
    includes = [i for i in range(total) if labels[i]]
    excludes = [i for i in range(total) if not labels[i]]
    if prior_included > len(includes) or prior_excluded > len(excludes):
        raise ScreenerError("more priors asked for than the set has", path=data.path)
    order = rng.sample(includes, prior_included) + rng.sample(excludes, prior_excluded)
    rng.shuffle(order)
    fallback = list(range(total))
    rng.shuffle(fallback)
    read = np.zeros(total, dtype=bool)
    read[order] = True
    known = {i: bool(labels[i]) for i in order}
    found = int(labels[order].sum())
    all_found = int(labels.sum())
    stopped_at: int | None = None
    next_check = 1
    queue: list[int] = []
    while len(order) < total:
        if found == all_found and (stop_recall is None or stopped_at is not None):
            break
        if not queue:
            scores = model.scores(known)
            if scores is None:
                candidates = [i for i in fallback if not read[i]]
            else:
                masked = np.where(read, -np.inf, scores)
                candidates = [int(i) for i in np.argsort(-masked, kind="stable")]
            batch = 1 if len(order) < ALWAYS_RETRAIN_UNTIL else math.ceil(len(order) * RETRAIN_SHARE)
            queue = [i for i in candidates if not read[i]][:batch][::-1]
        pick = queue.pop()
        order.append(pick)
        read[pick] = True
        known[pick] = bool(labels[pick])
        found += int(labels[pick])
        if stop_recall is not None and stopped_at is None and len(order) >= next_check:
            # Checking after every record costs more than it gains on long sets; the gap
            # (1 % of what was read) can only make the rule fire later.
            if p_missed_target(labels[order], total, stop_recall) < 1 - stop_confidence:
                stopped_at = len(order)
            next_check = len(order) + max(1, len(order) // 100)
    return Run(seed=seed, order=order, stopped_at=stopped_at)


def measures(order: Sequence[int], labels: Sequence[int]) -> dict[str, float | int]:
    """WSS@95, recall at 10 %, loss, ATD and records read to 95 % recall, from a reading
    order (records never read are all excludes or are read last, in any order)."""
    total = len(labels)
    seen = set(order)
    rest = [i for i in range(total) if i not in seen]
    y = np.array([labels[i] for i in list(order) + rest], dtype=np.int64)
    includes = int(y.sum())
    found = y.cumsum()
    to_95 = int(np.searchsorted(found, math.ceil(0.95 * includes))) + 1
    tenth = round(0.1 * total)
    positions = np.flatnonzero(y)
    return {
        "wss95": round((total - to_95) / total - 0.05, 4),
        "recall_at_10": round(int(found[tenth - 1]) / includes if tenth else 0.0, 4),
        # ASReview's loss: area between the ideal and the achieved recall curves,
        # normalised to [0, 1].
        "loss": round(
            (includes * (total - (includes - 1) / 2) - int(found.sum()))
            / (includes * (total - includes)), 4,
        ),
        "atd": round(float(positions.mean()) / total, 4),
        "records_to_95": to_95,
    }


def recall_at(order: Sequence[int], labels: Sequence[int], read: int) -> float:
    """Share of the includes among the first ``read`` records of ``order``."""
    return sum(labels[i] for i in order[:read]) / sum(labels)


def simulate(
    data: LabelledSet,
    seeds: Sequence[int],
    prior_included: int = 1,
    prior_excluded: int = 1,
    stop_recall: float | None = None,
    stop_confidence: float = 0.95,
) -> dict[str, Any]:
    """The ``--json`` document: every run and the mean of each measure."""
    model = RelevanceModel(data.texts)
    runs: list[dict[str, Any]] = []
    for seed in seeds:
        run = simulate_run(data, model, seed, prior_included, prior_excluded, stop_recall,
                           stop_confidence)
        m = measures(run.order, data.labels)
        runs.append({
            "seed": run.seed, "order": run.order, "stopped_at": run.stopped_at,
            "wss95": m["wss95"], "recall_at_10": m["recall_at_10"], "loss": m["loss"],
            "atd": m["atd"],
        })
    fired = [r["stopped_at"] for r in runs if r["stopped_at"] is not None]
    mean: dict[str, Any] = {
        key: round(sum(r[key] for r in runs) / len(runs), 4)
        for key in ("wss95", "recall_at_10", "loss", "atd")
    }
    mean["stopped_at"] = round(sum(fired) / len(fired), 1) if fired else None
    return {"runs": runs, "mean": mean}
