"""Typed records, provenance and decisions: what parsers produce and the store keeps."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

# Re-exported: ``Method`` lives in a module without pydantic, for the parser processes.
from screener.methods import Method as Method


class _Model(BaseModel):
    """Every screener model: its validator and serializer are built at its first use,
    not at import, so a command pays only for the models it uses (an import uses none
    on its fast path; building all of them took 0.05 s at every start)."""

    model_config = ConfigDict(defer_build=True)


class Author(_Model):
    """A structured personal (or corporate, with only ``family``) author name."""

    model_config = ConfigDict(extra="forbid")

    family: str
    given: str | None = None
    """Given names as written (``Peter S.``); may be None when only initials are known."""
    initials: str | None = None
    """Initials without dots or spaces (``PS``)."""

    def display(self) -> str:
        """``Ring PS``: the compact Vancouver form used in lists."""
        return f"{self.family} {self.initials}" if self.initials else self.family


class LangText(_Model):
    """A title or abstract in a given language (ISO 639-1 code, e.g. ``zh``)."""

    model_config = ConfigDict(extra="forbid")

    text: str
    lang: str | None = None


class Record(_Model):
    """One bibliographic record, as parsed from one place in one file."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    alt_titles: list[LangText] = Field(default_factory=list)
    abstract: str | None = None
    alt_abstracts: list[LangText] = Field(default_factory=list)
    authors: list[Author] = Field(default_factory=list)
    year: int | None = None
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    """Normalised: lower case, without ``https://doi.org/`` or ``doi:``."""
    pmid: str | None = None
    isbn: str | None = None
    keywords: list[str] = Field(default_factory=list)
    mesh: list[str] = Field(default_factory=list)
    url: str | None = None
    language: str | None = None
    pub_type: str | None = None
    year_suffix: str | None = None
    """Letter after the year in author-year citations (``2007a``): tells same-author works apart."""
    publisher: str | None = None
    place: str | None = None
    """Place of publication of a book or chapter (``Oxford``)."""
    incomplete: bool = False
    """True when the record lacks a title (e.g. a page identified only by its DOI)."""
    warnings: list[str] = Field(default_factory=list)
    """Per-record problems met while parsing (kept, shown in the import summary)."""


class ParsedRecord(_Model):
    """A record as a parser yields it, with where it stood in the file."""

    model_config = ConfigDict(extra="forbid")

    record: Record
    index: int
    """0-based position of the record in its file."""
    line: int
    """1-based line where the record starts."""
    raw: str
    """The record's original text, kept for audit."""
    parent_index: int | None = None
    """For reference/related-list entries: the index of the page record that lists them."""
    method: Method | None = None
    """A method forced by the parser (``citation`` for list entries); None = the file's."""


class SourceFile(_Model):
    """One imported file."""

    id: int
    path: str
    sha256: str
    format: str
    source: str
    method: Method
    imported_at: str
    record_count: int


class StoredRecord(_Model):
    """A record with its id, its work and its provenance, as read back from the store."""

    id: int
    work_id: int
    record: Record
    file_id: int
    source_file: str
    sha256: str
    format: str
    source: str
    method: Method
    index: int
    line: int
    parent_id: int | None = None
    raw: str = ""


class Work(_Model):
    """A unique work: the canonical record's id plus the merged fields of all its records."""

    work_id: int
    record: Record
    """Canonical fields, filled from the group's most complete records."""
    record_ids: list[int]
    sources: list[str]
    methods: list[Method]


class Stage(StrEnum):
    TITLE_ABSTRACT = "title_abstract"
    FULLTEXT = "fulltext"


class Choice(StrEnum):
    INCLUDE = "include"
    EXCLUDE = "exclude"
    MAYBE = "maybe"


class Retrieval(StrEnum):
    """Whether the full report of a work was obtained for the full-text stage."""

    RETRIEVED = "retrieved"
    NOT_RETRIEVED = "not-retrieved"


class Decision(_Model):
    """A reviewer's current decision on one work at one stage."""

    id: int
    work_id: int
    reviewer: str
    stage: Stage
    decision: Choice
    reasons: list[str] = Field(default_factory=list)
    note: str | None = None
    time: str
    protocol_version: str | None = None


class Resolution(_Model):
    """The lead reviewer's final word on a conflict."""

    id: int
    work_id: int
    stage: Stage
    decision: Choice
    reasons: list[str] = Field(default_factory=list)
    note: str | None = None
    resolved_by: str
    time: str


class Role(StrEnum):
    """A reviewer's role in the team (``screener reviewer add NAME --role ...``)."""

    LEAD = "lead"
    """Resolves conflicts, sees combined figures while a stage is blinded, unblinds."""
    REVIEWER = "reviewer"
    """Screens; sees only their own decisions while a stage is blinded."""


class Member(_Model):
    """One roster entry. A removed reviewer keeps their entry: their decisions stay."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    role: Role
    added_at: str
    removed_at: str | None = None

    @property
    def active(self) -> bool:
        return self.removed_at is None
