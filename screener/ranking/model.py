"""The relevance model: TF-IDF over title + abstract + keywords and a linear SVM.

Fitted on one reviewer's own labels only (blinding); the features are fitted once on
every text of the queue (unsupervised, so no label leaks through them). The settings
follow ASReview LAB's default ("ELAS u4": word 1-2-grams, sublinear tf, a linear SVM with
C=0.11 and includes weighted up to 9.8 x their share), which was tuned on 24 labelled
reviews; we checked them on three of the shared sets (see README, "Ranked screening").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

C = 0.11
"""Inverse regularisation strength of the SVM."""
INCLUDE_RATIO = 9.8
"""How much an include outweighs an exclude, relative to their counts (ASReview's
'balanced' weighting): rare includes still steer the ranking."""

LARGE = 20_000
"""Above this many texts, words only (no word pairs) and words seen at least twice: the
features of 100k abstracts with pairs take gigabytes and minutes to build."""

Scores = npt.NDArray[np.float64]


class RelevanceModel:
    """Features of a fixed list of texts; ``scores`` ranks them from a set of labels."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.size = len(texts)
        large = len(texts) > LARGE
        vectorizer = TfidfVectorizer(
            ngram_range=(1, 1) if large else (1, 2), sublinear_tf=True, min_df=2 if large else 1,
            max_df=0.95 if len(texts) > 20 else 1.0, dtype=np.float32,
        )
        try:
            self.features = vectorizer.fit_transform(texts)
        except ValueError:
            # No word in any text (empty titles and abstracts): every row scores 0.
            self.features = None

    def scores(self, labels: Mapping[int, bool]) -> Scores | None:
        """Relevance score of every text (higher = read sooner), from labels keyed by
        text index; None until there is at least one include and one exclude."""
        if self.features is None or len(set(labels.values())) < 2:
            return None
        rows = np.fromiter(labels.keys(), dtype=np.int64, count=len(labels))
        y = np.fromiter(labels.values(), dtype=np.int8, count=len(labels))
        includes = int(y.sum())
        excludes = len(y) - includes
        weight_exclude = includes / (INCLUDE_RATIO * excludes)
        weights = np.where(y == 1, 1.0, weight_exclude)
        weights *= len(y) / weights.sum()
        svm = LinearSVC(C=C, loss="squared_hinge")
        svm.fit(self.features[rows], y, sample_weight=weights)
        result: Scores = svm.decision_function(self.features).astype(np.float64)
        return result


def work_text(title: str | None, abstract: str | None, keywords: Sequence[str] = ()) -> str:
    """The text a work is ranked on."""
    return " ".join(p for p in (title or "", abstract or "", " ".join(keywords)) if p)
