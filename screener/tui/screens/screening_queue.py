"""The screening screen's queue: its order (ranked by a model retrained in the background,
or random) and the search that moves through it. A base of ``ScreeningScreen``, which
draws the work and records decisions."""

from __future__ import annotations

from textual import work
from textual.message import Message
from textual.screen import Screen

from screener.errors import ScreenerError
from screener.models import Stage
from screener.protocol import QueueOrder
from screener.ranking.advice import reviewer_estimate
from screener.ranking.ranker import Ranker, Ranking
from screener.ranking.stopping import advice_line
from screener.screening import ScreeningSession
from screener.tui.screens.text_modal import SearchModal


class QueueScreen(Screen[None]):
    """Order and search of the queue; the subclass draws (``show_current``,
    ``show_decision``) and reports failures (``_fail``)."""

    class SearchDone(Message):
        def __init__(self, query: str, matches: set[int]) -> None:
            super().__init__()
            self.query = query
            self.matches = matches

    class RankingReady(Message):
        """The background worker retrained: a new ranking (None: not enough labels yet)
        and the stopping rule's advice (None: no rule in the protocol)."""

        def __init__(self, ranking: Ranking | None, stopping: str | None) -> None:
            super().__init__()
            self.ranking = ranking
            self.stopping = stopping

    RETRAIN_EVERY = 5
    """Decisions between retrains (the batch) early on; later 1 % of the decisions so far,
    since a retrain on a 100k-work queue costs seconds of CPU (in a child process, but on
    the same cores) while five more labels among thousands hardly move the ranking."""

    def retrain_every(self) -> int:
        return max(self.RETRAIN_EVERY, self.session.progress().screened // 100)

    def __init__(self, session: ScreeningSession) -> None:
        super().__init__()
        self.session = session
        self._ranker: Ranker | None = None
        self._training = False
        self._sent_rankable = False
        """Whether the labels of the last retrain held an include and an exclude."""
        self._since_training = 0
        self._stopping: str | None = None
        self.last_query = ""
        self.highlight_query = ""
        """The last text search: its words stay marked until the next search."""

    def on_unmount(self) -> None:
        if self._ranker is not None:
            self._ranker.close()

    # --- what the screen draws ----------------------------------------------------------
    def show_current(self) -> None:
        raise NotImplementedError

    def show_decision(self) -> None:
        raise NotImplementedError

    def _fail(self, error: ScreenerError) -> None:
        raise NotImplementedError

    def _order_text(self) -> str:
        s = self.session
        if s.order_mode is not QueueOrder.RANKED:
            return s.order_mode.value
        if s.ranking is not None:
            return f"ranked (model trained on {s.ranking.trained_on})"
        if not s.can_rank():
            return "ranked (random until you include one and exclude one)"
        if self._sent_rankable and not self._training:
            return "ranked (no words in the titles and abstracts to learn from: random)"
        return "ranked (training...)"

    # --- ranking -----------------------------------------------------------------------
    @property
    def retraining(self) -> bool:
        """A retrain is running in the background (bench/tui.py times keys pressed then)."""
        return self._training

    def retrain(self) -> None:
        """Retrain in the background on this reviewer's own decisions (title/abstract)."""
        s = self.session
        if s.stage is not Stage.TITLE_ABSTRACT or self._training:
            return
        ranked = s.order_mode is QueueOrder.RANKED
        if not ranked and s.protocol.screening.stop_recall is None:
            return
        if ranked and self._ranker is None:
            self._ranker = Ranker(s.store.location, s.order)
        self._training = True
        self._since_training = 0
        self._sent_rankable = ranked and s.can_rank()
        self._rank_worker(s.training_labels() if ranked else {})

    @work(thread=True, exclusive=True, group="ranking")
    def _rank_worker(self, labels: dict[int, bool]) -> None:
        ranking = None
        try:
            if labels and self._ranker is not None:
                ranking = self._ranker.rank(labels)
            store = self.session.store.worker_store()
            try:
                found = reviewer_estimate(store, self.session.protocol, self.session.reviewer)
            finally:
                store.close()
        except ScreenerError as exc:
            self.app.call_from_thread(self._fail, exc)
            ranking, found = None, None
        self.post_message(self.RankingReady(ranking, advice_line(found.to_json()) if found else None))

    def on_queue_screen_ranking_ready(self, message: RankingReady) -> None:
        self._training = False
        self._stopping = message.stopping
        if message.ranking is not None:
            self.session.apply_ranking(message.ranking)
        self.show_decision()
        # Decisions made while it trained: start the next batch at once; so also when the
        # labels sent could not rank yet and those made since can. Not when the labels
        # could and the model still gave no ranking (texts without a word to learn from):
        # that would retrain at once, again and again, a core kept busy for nothing.
        if self._since_training >= self.retrain_every() or (
            message.ranking is None and not self._sent_rankable and self.session.can_rank()
        ):
            self.retrain()

    def action_toggle_order(self) -> None:
        """Ranked <-> random for the works after this one."""
        s = self.session
        mode = QueueOrder.RANDOM if s.order_mode is QueueOrder.RANKED else QueueOrder.RANKED
        s.set_order(mode)
        self.notify(f"Order: {mode.value} from the next work on.")
        if mode is QueueOrder.RANKED and s.ranking is None:
            self.retrain()
        self.show_decision()

    # --- search ------------------------------------------------------------------------
    def action_search(self) -> None:
        def done(query: str | None) -> None:
            if query and query.strip():
                self.last_query = query.strip()
                self.run_search(self.last_query)

        self.app.push_screen(SearchModal(self.last_query), done)

    def run_search(self, query: str) -> None:
        self.highlight_query = "" if query.lstrip("#").isdigit() else query
        if query.lstrip("#").isdigit():
            self._jump(query, self.session.search(query))
            return
        self._search_worker(query)

    @work(thread=True, exclusive=True, group="search")
    def _search_worker(self, query: str) -> None:
        # Its own connection: the UI thread keeps using the session's.
        store = self.session.store.worker_store()
        try:
            matches = store.search_work_ids(query)
        finally:
            store.close()
        self.post_message(self.SearchDone(query, matches))

    def on_queue_screen_search_done(self, message: SearchDone) -> None:
        self._jump(message.query, self.session.next_match(message.matches),
                   len(message.matches))

    def _jump(self, query: str, position: int | None, count: int | None = None) -> None:
        if position is None:
            self.notify(f"No work matches {query!r}.", severity="warning")
            return
        self.session.go_to(position)
        found = f" ({count} matching; / Enter for the next)" if count and count > 1 else ""
        self.notify(f"Found {query!r}{found}.")
        self.show_current()
