"""Dedup cost stays linear whatever the key distribution, and crowded blocks keep recall."""

from __future__ import annotations

import random
import sys

import pytest

from screener.dedup import DedupItem, find_duplicates
from screener.dedup.blocking import WINDOW, candidate_pairs
from screener.dedup.keys import match_keys
from screener.models import Author, Record
from screener.project import Project

WORDS = ["care", "health", "network", "trust", "policy", "model", "rural", "urban", "nurse", "team", "study", "review", "quality", "safety", "access", "cost", "data", "school", "clinic", "primary"]


def _crowd(n: int, surnames: int, seed: int = 3) -> list[Record]:
    """``n`` works of one year by a few surnames with titles from a 21-word vocabulary:
    every author+year block holds ``n / surnames`` records."""
    rng = random.Random(seed)
    return [
        Record(title=" ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 10))),
               authors=[Author(family=f"Name{i % surnames}", initials="A")], year=2020,
               journal="Journal of Things")
        for i in range(n)
    ]


def test_candidate_pairs_grow_linearly_in_crowded_blocks() -> None:
    # 3,000 records in 10 author+year blocks of 300: comparing every pair of a block is
    # 450,000 pairs; with a window each record meets at most 2 * WINDOW others per key.
    records = _crowd(3000, 10)
    keys = [match_keys(DedupItem(i + 1, r)) for i, r in enumerate(records)]
    pairs = list(candidate_pairs(keys))
    assert len(pairs) == len(set(pairs))
    assert all(i < j for i, j in pairs)
    assert len(pairs) <= 3000 * 2 * WINDOW
    per_record = len(pairs) / 3000
    bigger = list(candidate_pairs([match_keys(DedupItem(i + 1, r))
                                   for i, r in enumerate(_crowd(6000, 10))]))
    assert len(bigger) / 6000 <= per_record * 1.2  # twice the records, not twice per record


def test_a_duplicate_in_a_crowded_block_is_found() -> None:
    # 600 records by "Anonymous" in 2020 (one block, larger than the old 400-record cap,
    # whose pairs were skipped). The planted pair shares no other key: the typos change
    # both the title's first and last 24 letters.
    records = _crowd(600, 1)
    original = Record(title="Partnerships between rural clinics and district hospitals: a survey",
                      authors=[Author(family="Name0", initials="A")], year=2020,
                      journal="Journal of Things")
    variant = original.model_copy(update={
        "title": "Partnership between rural clinics and district hospitals survey"})
    items = [DedupItem(i + 1, r) for i, r in enumerate([original, *records, variant])]
    groups = find_duplicates(items).groups
    assert [1, len(items)] in groups


def test_progress_is_reported(project: Project, run_cli, tmp_path, monkeypatch: pytest.MonkeyPatch
                              ) -> None:
    import screener.dedup.run as dedup_run

    seen: list[tuple[int, int, int]] = []
    records = _crowd(50, 5)
    find_duplicates([DedupItem(i + 1, r) for i, r in enumerate(records)],
                    progress=lambda *a: seen.append(a))
    assert seen[-1][:2] == (50, 50)

    ris = tmp_path / "crowd.ris"
    ris.write_text("".join(f"TY  - JOUR\nTI  - {r.title}\nAU  - Name{i % 5}, A.\nPY  - 2020\nER  - \n"
                           for i, r in enumerate(records)))
    run_cli("import", "--project", str(project.root), str(ris))
    monkeypatch.setattr(dedup_run, "PROGRESS_EVERY", 20)
    code, _, err = run_cli("dedup", "--project", str(project.root))
    assert code == 0 and "records compared" not in err  # not a terminal: no progress line
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, out, err = run_cli("dedup", "--project", str(project.root))
    assert code == 0
    assert "\r  dedup: 20 of 50 records compared (" in err
    assert "\r  dedup: 40 of 50 records compared (" in err
    assert err.endswith("\r\x1b[K")  # the line is cleared before the summary
    assert out.startswith("records: 50, candidate pairs compared: ")
