"""Live agreement figures for the lead reviewer; other reviewers see only a pilot that
failed its kappa threshold (so the team discusses, refines the criteria and re-pilots).

The figures are computed in a worker thread with its own database connection, after each
of this reviewer's decisions and every few seconds (to follow the other reviewer), so the
screen never waits for them.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.widgets import Static

from screener.agreement import kappa_band
from screener.agreement_report import LiveAgreement, live_agreement
from screener.errors import ScreenerError
from screener.models import Stage
from screener.protocol import ReviewProtocol
from screener.store import Store

REFRESH_SECONDS = 10.0


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def agreement_text(live: LiveAgreement, figures: bool) -> Text:
    """The panel's text; without ``figures`` only the pilot's state (blind reviewers)."""
    text = Text()
    pilot = live.pilot
    if pilot is not None:
        style = "bold green" if pilot.reached else "bold yellow"
        text.append(pilot.message, style=style)
    if not figures:
        return text
    if text.plain:
        text.append("\n")
    text.append("Agreement", style="bold")
    if live.report is None:
        text.append(f"\n{live.problem}", style="dim")
        return text
    two = live.report.two
    a, b = live.report.reviewers
    text.append(f" {a} vs {b} · {two.n} works\n", style="dim")
    text.append(f"observed {_f(two.percent_agreement)} · kappa {_f(two.cohen_kappa)}")
    if two.kappa_ci_low is not None and two.kappa_ci_high is not None:
        text.append(f"\n  95% CI {two.kappa_ci_low:.2f} to {two.kappa_ci_high:.2f}", style="dim")
    text.append(f"\nPABAK {_f(two.pabak)} · AC1 {_f(two.gwet_ac1)}")
    text.append(f" · alpha {_f(two.krippendorff_alpha)}")
    if two.cohen_kappa is not None:
        text.append(f"\n{kappa_band(two.cohen_kappa)} (Landis & Koch)", style="italic")
    if live.report.warning:
        text.append("\nhigh agreement, low kappa: see PABAK", style="yellow")
    return text


def shown_to_reviewer(live: LiveAgreement) -> bool:
    """A blind reviewer sees the panel only when the finished pilot missed the threshold."""
    pilot = live.pilot
    return pilot is not None and pilot.complete and not pilot.reached


class AgreementPanel(Static):
    """Shown in the screening screen's side panel; hidden when it has nothing to say."""

    def __init__(
        self,
        store: Store,
        stage: Stage,
        protocol: ReviewProtocol,
        figures: bool,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.store = store
        """The session's store: the worker asks it for a connection of its own."""
        self.stage = stage
        self.protocol = protocol
        self.figures = figures
        """True for the lead; other reviewers only see the pilot's state."""
        screening = protocol.screening
        self.active = figures or (
            screening.pilot_size is not None and screening.kappa_threshold is not None
        )
        """Whether there is anything to compute for this reviewer at all."""
        self.display = figures
        self._busy = False
        self._stale = False

    def on_mount(self) -> None:
        if not self.active:
            return
        self.refresh_figures()
        self.set_interval(REFRESH_SECONDS, self.refresh_figures)

    def refresh_figures(self) -> None:
        if not self.active:
            return
        # One computation at a time (on a 100k-work project one takes a second or two):
        # decisions made meanwhile are picked up by one more run when it ends.
        if self._busy:
            self._stale = True
            return
        self._busy = True
        self._compute()

    def _show(self, live: LiveAgreement) -> None:
        self.update(agreement_text(live, self.figures))
        self.display = self.figures or shown_to_reviewer(live)
        self._busy = False
        if self._stale:
            self._stale = False
            self.refresh_figures()

    @work(thread=True, group="agreement")
    def _compute(self) -> None:
        # Its own connection: the UI thread keeps using the session's.
        try:
            store = self.store.worker_store()
            try:
                live = live_agreement(store, self.stage, self.protocol)
            finally:
                store.close()
        except ScreenerError as exc:
            live = LiveAgreement(None, None, str(exc))
        self.app.call_from_thread(self._show, live)
