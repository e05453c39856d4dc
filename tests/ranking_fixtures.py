"""Small synthetic labelled sets for the ranking tests (the shared data stays outside)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from screener.models import Method, ParsedRecord, Record
from screener.project import Project

RELEVANT = ["partnership", "collaboration", "hospital", "municipality", "alliance", "governance",
            "network", "integrated", "coordination", "trust"]
OTHER = ["dosage", "tablet", "placebo", "pharmacokinetic", "mice", "enzyme", "assay",
         "toxicity", "genome", "serum"]
COMMON = ["study", "results", "methods", "analysis", "patients", "data", "outcomes", "effect",
          "group", "years", "report", "review", "sample", "level", "among"]


def synthetic_texts(size: int, relevant: int, seed: int = 3) -> list[tuple[str, str, int]]:
    """(title, abstract, label) rows: includes use one vocabulary, excludes another, both
    drowned in common words, in a shuffled order."""
    rng = random.Random(seed)
    rows = []
    for i in range(size):
        label = int(i < relevant)
        topic = RELEVANT if label else OTHER
        title = " ".join(rng.choice(topic if rng.random() < 0.4 else COMMON) for _ in range(8))
        abstract = " ".join(rng.choice(topic if rng.random() < 0.15 else COMMON) for _ in range(60))
        rows.append((title.capitalize(), abstract, label))
    rng.shuffle(rows)
    return rows


def write_labelled_csv(path: Path, size: int = 300, relevant: int = 15, seed: int = 3) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["record_id", "title", "abstract", "label_included"])
        for i, (title, abstract, label) in enumerate(synthetic_texts(size, relevant, seed)):
            writer.writerow([i + 1, title, abstract, label])
    return path


def add_labelled_works(project: Project, size: int = 120, relevant: int = 12) -> dict[int, int]:
    """Import a synthetic set into the project; returns work id -> true label."""
    rows = synthetic_texts(size, relevant)
    store = project.open_store()
    try:
        with store.transaction():
            file_id = store.add_source_file(path="synthetic.ris", sha256="synthetic-ranking",
                                            format="ris", source="Synthetic", method=Method.DATABASE)
            store.add_records(file_id, Method.DATABASE, (
                ParsedRecord(record=Record(title=f"{title} ({i})", abstract=abstract, year=2001),
                             index=i, line=i + 1, raw="")
                for i, (title, abstract, _) in enumerate(rows)
            ))
        ids = store.work_ids()
    finally:
        store.close()
    return {work_id: label for work_id, (_, _, label) in zip(ids[-len(rows):], rows, strict=True)}
