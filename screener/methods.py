"""How a record was found. A module of its own, without pydantic: the parser processes
import it and should start in a few hundredths of a second (``parser_process``)."""

from __future__ import annotations

from enum import StrEnum


class Method(StrEnum):
    """How a record was found: the PRISMA 2020 columns and their 'other methods' kinds."""

    DATABASE = "database"
    REGISTER = "register"
    CITATION = "citation"
    WEBSITE = "website"
    ORGANISATION = "organisation"
    OTHER = "other"

    @property
    def is_other_method(self) -> bool:
        """True for the PRISMA right-hand column (identification via other methods)."""
        return self not in (Method.DATABASE, Method.REGISTER)
