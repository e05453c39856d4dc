"""Closing title/abstract screening on the lead's word, and undoing it.

The stopping rule only advises; ``screener stop`` is the lead's decision. The works no
one had screened at that moment are excluded by it: PRISMA counts them as "records marked
as ineligible by automation tools", exports mark their outcome ``excluded_automatic`` and
the decision log lists each one. ``screener resume-screening`` withdraws the stop: the
works are back in every queue, and the history keeps both acts.
"""

from __future__ import annotations

from screener.errors import ScreenerError
from screener.models import Stage
from screener.protocol import ReviewProtocol
from screener.store import Store
from screener.store.ranking import ScreeningStop

RULE = "Callaghan & Müller-Hansen (2020) hypergeometric stopping rule"
"""The rule a stop names (stored with it, and quoted in PRISMA's note)."""


def stop_screening(store: Store, protocol: ReviewProtocol, lead: str) -> ScreeningStop:
    """Exclude every work nobody has screened at title/abstract yet, under the protocol's
    stopping rule; an error when the protocol sets none or screening is already stopped."""
    screening = protocol.screening
    if screening.stop_recall is None:
        raise ScreenerError(
            "the protocol sets no stopping rule: add stop_recall (and stop_confidence) to "
            "its [screening] table")
    with store.transaction():
        if store.active_stop() is not None:
            raise ScreenerError(
                "title/abstract screening is already stopped; 'screener resume-screening' "
                "undoes it")
        stage = Stage.TITLE_ABSTRACT
        screened = {d.work_id for d in store.current_decisions(stage)}
        screened |= set(store.current_resolutions(stage))
        remaining = [w for w in store.work_ids() if w not in screened]
        if not remaining:
            raise ScreenerError("every work has been screened: there is nothing to stop")
        store.record_stop(lead, RULE, screening.stop_recall, screening.stop_confidence, remaining)
    stop = store.active_stop()
    assert stop is not None
    return stop


def resume_screening(store: Store, lead: str) -> ScreeningStop:
    """Withdraw the stop in force: its works are unscreened again."""
    with store.transaction():
        if store.active_stop() is None:
            raise ScreenerError("title/abstract screening is not stopped")
        return store.record_resume(lead)


def stop_note(stop: ScreeningStop, excluded: int) -> str:
    """PRISMA's note on the works a stop excluded."""
    return (
        f"Records marked as ineligible by automation tools (n = {excluded}): title/abstract "
        f"screening was stopped by {stop.stopped_by} on {stop.stopped_at[:10]} on the advice "
        f"of the {stop.rule} (recall target {stop.recall_target:g}, confidence "
        f"{stop.confidence:g}); these records were not screened by a reviewer."
    )
