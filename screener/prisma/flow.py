"""The PRISMA 2020 flow as numbers: one pydantic model every renderer reads.

Field names follow the data names of the PRISMA2020 R package / Shiny app (Haddaway et al.
2022), so JSON output can be mapped onto its CSV template key by key. Fields the template
has no box for (title/abstract screening of other methods, duplicates within other
methods, works still pending) are kept beside them and shown as notes, never dropped.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class SourceCount(BaseModel):
    """Records identified from one named source (``Scopus``), before deduplication."""

    name: str
    n: int


class ReasonCount(BaseModel):
    """Works excluded for one (primary) reason: protocol code, its label, and n."""

    code: str
    label: str
    n: int


class Check(BaseModel):
    """One arithmetic relation between boxes, with both sides and why it fails."""

    name: str
    rule: str
    """The relation in R data names, e.g. ``dbr_assessed = dbr_sought_reports - ...``."""
    expected: int
    found: int
    ok: bool
    explanation: str = ""
    """Why it does not hold (works pending, conflicts unresolved, ...)."""
    label: str = ""
    """The box in the template's words, e.g. "Reports sought for retrieval (databases and
    registers)"; what a user reads instead of ``name``."""
    words: str = ""
    """The relation in the template's words (``rule`` is the same in R data names)."""

    def message(self) -> str:
        """One sentence for a failed check, in the template's words."""
        return (f"{self.label} is {self.found:,}, expected {self.expected:,} = {self.words}: "
                f"{self.explanation}")


class OtherMethods(BaseModel):
    """What screener knows about other-methods records that the template has no box for."""

    records: int = 0
    """All records found by other methods (websites + organisations + citations + other)."""
    duplicates_within: int = 0
    """Other-methods records that duplicate another other-methods record only."""
    found_by_databases: int = 0
    """Other-methods records of works also found via databases or registers: those works
    are counted once, in the databases and registers column."""
    works: int = 0
    """Works found only by other methods (the right-hand column's works)."""
    screened: int = 0
    excluded_title_abstract: int = 0
    excluded_reasons: list[ReasonCount] = Field(default_factory=list)


class Pending(BaseModel):
    """Works without a final answer at some step, per column (``dbr`` / ``other``)."""

    title_abstract: dict[str, int] = Field(default_factory=lambda: {"dbr": 0, "other": 0})
    title_abstract_conflicts: dict[str, int] = Field(default_factory=lambda: {"dbr": 0, "other": 0})
    retrieval: dict[str, int] = Field(default_factory=lambda: {"dbr": 0, "other": 0})
    fulltext: dict[str, int] = Field(default_factory=lambda: {"dbr": 0, "other": 0})
    fulltext_conflicts: dict[str, int] = Field(default_factory=lambda: {"dbr": 0, "other": 0})


class Flow(BaseModel):
    """Every number of the PRISMA 2020 diagram for a new review (both columns)."""

    title: str = ""
    # Identification: databases and registers (raw records, before deduplication).
    database_results: int = 0
    database_specific_results: list[SourceCount] = Field(default_factory=list)
    register_results: int = 0
    register_specific_results: list[SourceCount] = Field(default_factory=list)
    # Identification: other methods (raw records).
    website_results: int = 0
    organisation_results: int = 0
    citations_results: int = 0
    other_results: int = 0
    """Records of method ``other`` (the template's "etc." line); not an R data name."""
    # Records removed before screening (databases and registers column).
    duplicates: int = 0
    excluded_automatic: int = 0
    excluded_other: int = 0
    # Title/abstract screening (databases and registers column).
    records_screened: int = 0
    records_excluded: int = 0
    records_excluded_reasons: list[ReasonCount] = Field(default_factory=list)
    """Primary title/abstract exclusion reasons; not an R data name (shown on request)."""
    # Full text, per column.
    dbr_sought_reports: int = 0
    dbr_notretrieved_reports: int = 0
    other_sought_reports: int = 0
    other_notretrieved_reports: int = 0
    dbr_assessed: int = 0
    dbr_excluded: list[ReasonCount] = Field(default_factory=list)
    other_assessed: int = 0
    other_excluded: list[ReasonCount] = Field(default_factory=list)
    dbr_included: int = 0
    other_included: int = 0
    # Included.
    new_studies: int = 0
    new_reports: int = 0
    # What the template has no box for, and how the boxes add up.
    other_methods: OtherMethods = Field(default_factory=OtherMethods)
    both_columns: int = 0
    """Works found both via databases/registers and via other methods."""
    pending: Pending = Field(default_factory=Pending)
    notes: list[str] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)

    @property
    def consistent(self) -> bool:
        """True when every arithmetic check holds."""
        return all(c.ok for c in self.checks)

    @property
    def failed_checks(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]


def total(reasons: list[ReasonCount]) -> int:
    return sum(r.n for r in reasons)
