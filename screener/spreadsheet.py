"""CSV and TSV cells that a spreadsheet shows as text and never runs as a formula.

OWASP's rule for CSV injection: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return is prefixed with a single quote, so ``=HYPERLINK(...)`` in an imported
title (or a reviewer named ``=cmd|x``) is shown, not evaluated. Plain numbers (``-3``,
``+1.5e3``) are left alone: they cannot be formulas. Every CSV writer of screener goes
through ``csv_writer`` / ``CsvDictWriter``; ``--keep-formulas`` turns the guard off for
round-trips into other tools.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

KEEP_FORMULAS_HELP = ("write CSV cells exactly as stored, also those starting with = + - @ "
                      "(for round-trips; a spreadsheet may run them as formulas)")


def neutralise(value: Any) -> Any:
    """``value`` with a leading ``'`` when a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


class _GuardedWriter:
    """A ``csv.writer`` whose cells pass through ``neutralise``."""

    def __init__(self, out: TextIO, **kwargs: Any) -> None:
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: TextIO, *, keep_formulas: bool = False, **kwargs: Any) -> Any:
    """``csv.writer(out, **kwargs)``, guarded unless ``keep_formulas``."""
    return csv.writer(out, **kwargs) if keep_formulas else _GuardedWriter(out, **kwargs)


class CsvDictWriter(csv.DictWriter):  # type: ignore[type-arg]
    """``csv.DictWriter`` whose header and cells pass through ``neutralise``."""

    def __init__(self, out: TextIO, fieldnames: Sequence[str], *, keep_formulas: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(out, fieldnames, **kwargs)
        self.keep_formulas = keep_formulas

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        if not self.keep_formulas:
            rowdict = {k: neutralise(v) for k, v in rowdict.items()}
        return super().writerow(rowdict)

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)
