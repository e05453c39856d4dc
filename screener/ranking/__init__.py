"""Ranked screening: the order a reviewer's queue is read in, the relevance model behind
the ranked order, the stopping rule, and the replay that measures them on labelled sets.

Plain Python (no Textual). scikit-learn is imported only by ``model``, so opening a
project in import or random order never loads it.
"""
