"""The review's home: what the project holds, how far each stage has come, what to do next,
and which views the acting reviewer may open.

The app's home screen renders a ``HomeSummary``; it is computed here, without Textual, from
the same figures as ``screener status`` so the app and the CLI never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from screener.agreement_report import choose_reviewers
from screener.blinding import Visibility
from screener.errors import ScreenerError
from screener.models import Stage
from screener.project import Project
from screener.protocol import ReviewProtocol
from screener.status import project_status
from screener.store import Store


class View(StrEnum):
    """The steps of the review a reviewer opens from the home (one key each)."""

    IMPORT = "import"
    DEDUP = "dedup"
    SCREEN = "screen"
    CONFLICTS = "conflicts"
    FULLTEXT = "fulltext"
    AGREEMENT = "agreement"
    PRISMA = "prisma"
    EXPORT = "export"


UNBLINDED_VIEWS = frozenset({View.CONFLICTS, View.AGREEMENT})
"""Views that only mean something with every reviewer's decisions (the lead's while a
stage is blinded). PRISMA and exports stay: the blinded store counts only one's own."""


def visible_views(view: Visibility) -> list[View]:
    """The views the acting reviewer is offered, in the order of the review. The one place
    that gates them (on ``screener.blinding``'s rule): a reviewer blinded at any stage has
    no conflicts and no agreement report."""
    if not view.hidden_stages:
        return list(View)
    return [v for v in View if v not in UNBLINDED_VIEWS]


@dataclass
class StageLine:
    """One screening stage on the dashboard."""

    stage: Stage
    works: int
    screened_by_you: int
    remaining_for_you: int
    conflicts: int | None
    """Open conflicts; None when the reviewer may not see them."""
    included: int | None = None
    excluded: int | None = None


@dataclass
class HomeSummary:
    title: str
    reviewer: str
    combined: bool
    """The reviewer sees combined counts (lead, or no roles)."""
    files: int
    records: int
    by_source: dict[str, int]
    by_method: dict[str, int]
    works: int
    duplicates: int
    dedup_queue: int
    stages: list[StageLine]
    pilot: str | None
    kappa: float | None
    kappa_reviewers: tuple[str, str] | None
    prisma_consistent: bool | None
    prisma_unmet: list[str] = field(default_factory=list)
    next_steps: list[tuple[View | None, str]] = field(default_factory=list)
    views: list[View] = field(default_factory=list)


def home_summary(project: Project, store: Store, view: Visibility) -> HomeSummary:
    """Everything the home shows for the acting reviewer. ``store`` is opened as them
    (``screener.blinding.open_as``), so blinded stages count only their own decisions;
    combined counts are shown only when nothing is hidden."""
    protocol = project.protocol
    reviewer = view.reviewer
    status = project_status(project, store)
    combined = not view.hidden_stages
    stages = [_title_abstract(store, status, reviewer, combined),
              _fulltext(store, status, reviewer, combined)]
    kappa, pair = _kappa(store, protocol) if combined else (None, None)
    pilot = status["pilot"]["message"] if status.get("pilot") else None
    prisma = status["prisma"]
    summary = HomeSummary(
        title=project.config.title, reviewer=reviewer, combined=combined,
        files=status["files"], records=status["records"], by_source=status["by_source"],
        by_method=status["by_method"], works=status["unique_works"],
        duplicates=status["duplicates_removed"], dedup_queue=status["dedup_review_queue"],
        stages=stages, pilot=pilot, kappa=kappa, kappa_reviewers=pair,
        prisma_consistent=prisma["consistent"] if combined else None,
        prisma_unmet=prisma["unmet_checks"] if combined else [],
        views=visible_views(view),
    )
    summary.next_steps = next_steps(summary)
    return summary


def _title_abstract(store: Store, status: dict[str, Any], reviewer: str,
                    combined: bool) -> StageLine:
    works = status["unique_works"]
    mine = status["screening"]["reviewers"].get(reviewer, {}).get("screened", 0)
    outcomes = status["outcomes"]
    return StageLine(
        Stage.TITLE_ABSTRACT, works, mine, max(works - mine, 0),
        outcomes["conflict"] if combined else None,
        outcomes["included"] if combined else None, outcomes["excluded"] if combined else None,
    )


def _fulltext(store: Store, status: dict[str, Any], reviewer: str, combined: bool) -> StageLine:
    ft = status["fulltext"]
    mine = sum(1 for _ in store.current_decisions(Stage.FULLTEXT, reviewer))
    return StageLine(
        Stage.FULLTEXT, ft["sought"], mine, max(ft["sought"] - ft["not_retrieved"] - mine, 0),
        ft["conflicts"] if combined else None,
        ft["included"] if combined else None, ft["excluded"] if combined else None,
    )


def _kappa(store: Store, protocol: ReviewProtocol | None
           ) -> tuple[float | None, tuple[str, str] | None]:
    """Cohen's kappa of the title/abstract pair, once two reviewers have screened."""
    from screener.agreement_report import agreement_report

    try:
        pair = choose_reviewers(store, Stage.TITLE_ABSTRACT, None)
    except ScreenerError:
        return None, None
    report = agreement_report(store, Stage.TITLE_ABSTRACT, pair, protocol=protocol)
    return report.two.cohen_kappa, pair


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def next_steps(s: HomeSummary) -> list[tuple[View | None, str]]:
    """What to do next, most pressing first: the view that does it, and why."""
    steps: list[tuple[View | None, str]] = []
    ta, ft = s.stages
    if s.records == 0:
        return [(View.IMPORT, "Import your search results: pick the exported files.")]
    if s.works == s.records and s.dedup_queue == 0 and s.files > 1:
        steps.append((View.DEDUP, "Find the duplicates across your sources."))
    if s.dedup_queue:
        steps.append((View.DEDUP, f"Review {_n(s.dedup_queue, 'uncertain duplicate pair')}."))
    if ta.remaining_for_you:
        steps.append((View.SCREEN, f"Screen titles and abstracts: {ta.remaining_for_you} "
                      "works left for you."))
    if ta.conflicts:
        steps.append((View.CONFLICTS, f"Resolve {_n(ta.conflicts, 'title/abstract conflict')}."))
    if ft.remaining_for_you and not ta.remaining_for_you:
        steps.append((View.FULLTEXT, f"Full text: {ft.remaining_for_you} reports to assess."))
    if ft.conflicts:
        steps.append((View.CONFLICTS, f"Resolve {_n(ft.conflicts, 'full-text conflict')}."))
    if s.combined and s.prisma_consistent and not steps:
        steps.append((View.PRISMA, "The PRISMA diagram adds up: see and export it."))
    if not steps:
        steps.append((None, "Nothing waits for you now; check back when the others have "
                      "screened."))
    return steps


def starter_protocol() -> Path:
    """The protocol a new project starts from when the user has none of their own: the
    bundled example review's, to be edited (criteria, reasons, keywords, policy)."""
    from screener.commands.demo import PROTOCOL_NAME, repo_root

    path = repo_root() / "protocols" / PROTOCOL_NAME
    if not path.is_file():
        raise ScreenerError("the starter protocol ships with the source checkout; "
                            "give a protocol file instead", path=path)
    return path
