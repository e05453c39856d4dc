"""The review protocol: eligibility criteria, exclusion reasons, highlight keywords, policy.

Protocols are TOML files validated with ``extra="forbid"`` so a misspelt key is an error
that names the file, the key and the problem.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from screener.errors import ProtocolError
from screener.models import Stage

_CODE = r"^[a-z0-9][a-z0-9-]*$"
"""Reason codes are kebab-case so they survive CSV, JSON and command lines unquoted."""
_TERM = re.compile(r"^[\w*?' -]+$")
MAX_REASONS = 10
"""A reviewer picks reasons with the number keys 1-9 and 0."""


def _unique(values: list[str], what: str) -> None:
    seen = sorted({v for v in values if values.count(v) > 1})
    if seen:
        raise ValueError(f"duplicate {what}: {', '.join(seen)}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReviewInfo(_Strict):
    title: str
    question: str
    version: str = "1"
    """Bump when criteria change; every decision stores the version it was made under."""


class Criterion(_Strict):
    id: str = Field(min_length=1)
    """Short id cited in reports (``I1``, ``E3``)."""
    label: str = Field(min_length=1)
    """A few words shown in the side panel and the reason picker."""
    description: str


def _check_code(code: str) -> str:
    if not re.match(_CODE, code):
        raise ValueError(f"reason code {code!r} must be kebab-case (a-z, 0-9, hyphens)")
    return code


class ExclusionCriterion(Criterion):
    reason: str
    """The exclusion reason code a reviewer picks (``not-health``)."""

    _code = field_validator("reason")(_check_code)


class FulltextReason(_Strict):
    reason: str
    label: str = Field(min_length=1)
    description: str = ""

    _code = field_validator("reason")(_check_code)


class Criteria(_Strict):
    inclusion: list[Criterion] = Field(min_length=1)
    exclusion: list[ExclusionCriterion] = Field(min_length=1, max_length=MAX_REASONS)

    @field_validator("inclusion", "exclusion")
    @classmethod
    def _unique_ids(cls, items: list[Criterion]) -> list[Criterion]:
        _unique([c.id for c in items], "criterion id")
        return items

    @field_validator("exclusion")
    @classmethod
    def _unique_reasons(cls, items: list[ExclusionCriterion]) -> list[ExclusionCriterion]:
        _unique([c.reason for c in items], "reason code")
        return items


class Keywords(_Strict):
    include: list[str] = Field(default_factory=list)
    """Terms suggesting inclusion: ``*`` any letters, ``?`` one optional character, and a
    hyphen or space matches a hyphen, dash, space or nothing (``inter-organi?ation*``)."""
    exclude: list[str] = Field(default_factory=list)
    """Terms suggesting exclusion, same syntax."""

    @field_validator("include", "exclude")
    @classmethod
    def _valid_terms(cls, terms: list[str]) -> list[str]:
        for term in terms:
            if not term.strip() or not _TERM.match(term) or term.strip("*? -") == "":
                raise ValueError(
                    f"bad keyword {term!r}: use letters, digits, spaces, hyphens, * and ?"
                )
        return terms


class Policy(StrEnum):
    TWO_INDEPENDENT = "two-independent"
    """Every work screened by two reviewers, blind to each other."""
    SINGLE = "single"
    """One reviewer decides."""
    SECOND_FOR_EXCLUDES = "single-second-for-excludes"
    """One reviewer; a second screens only the works the first excluded."""


class QueueOrder(StrEnum):
    RANKED = "ranked"
    """Active learning on the reviewer's own decisions (random until one include and one
    exclude)."""
    RANDOM = "random"
    """A shuffle seeded by the reviewer's name: the same every time they open the queue."""
    IMPORT = "import"
    """The order works were imported in, the same for every reviewer."""


class Screening(_Strict):
    policy: Policy = Policy.TWO_INDEPENDENT
    pilot_size: int | None = Field(default=None, ge=1)
    """Calibration round: each reviewer's first N decisions."""
    kappa_threshold: float | None = Field(default=None, gt=-1, le=1)
    """Kappa the pilot must reach before screening goes on."""
    fulltext_policy: Policy = Policy.SINGLE
    lead: str | None = None
    """The lead reviewer: resolves conflicts, and sees live agreement figures while
    screening (other reviewers see only the pilot's state)."""
    blind: bool | None = None
    """Reviewers who are not leads see only their own decisions until the lead runs
    ``screener unblind``. Default: blind at each stage whose policy is two-independent."""
    order: QueueOrder = QueueOrder.RANKED
    """The order each reviewer's title/abstract queue is read in."""
    stop_recall: float | None = Field(default=None, gt=0, lt=1)
    """Recall target of the stopping rule (absent: no rule)."""
    stop_confidence: float = Field(default=0.95, gt=0, lt=1)
    """Confidence with which the stopping rule must show ``stop_recall`` is reached."""


class ReviewProtocol(_Strict):
    review: ReviewInfo
    criteria: Criteria
    fulltext_reasons: list[FulltextReason] = Field(default_factory=list, max_length=MAX_REASONS)
    """Reasons for excluding a report after reading it in full (PRISMA lists them)."""
    keywords: Keywords = Field(default_factory=Keywords)
    screening: Screening = Field(default_factory=Screening)

    @field_validator("fulltext_reasons")
    @classmethod
    def _unique_fulltext(cls, items: list[FulltextReason]) -> list[FulltextReason]:
        _unique([r.reason for r in items], "reason code")
        return items

    @property
    def exclusion_reasons(self) -> list[tuple[str, str]]:
        """(code, label) of title/abstract exclusion reasons, in protocol order."""
        return [(c.reason, c.label) for c in self.criteria.exclusion]

    def reasons(self, stage: Stage) -> list[tuple[str, str]]:
        """(code, label) of the exclusion reasons a reviewer picks from at ``stage``."""
        if stage is Stage.FULLTEXT:
            return [(r.reason, r.label) for r in self.fulltext_reasons]
        return self.exclusion_reasons

    def policy(self, stage: Stage) -> Policy:
        """The screening policy of ``stage``."""
        if stage is Stage.FULLTEXT:
            return self.screening.fulltext_policy
        return self.screening.policy

    def blind(self, stage: Stage) -> bool:
        """Whether ``stage`` starts blinded (until the lead unblinds it)."""
        if self.screening.blind is not None:
            return self.screening.blind
        return self.policy(stage) is Policy.TWO_INDEPENDENT

    def reason_label(self, code: str) -> str:
        for c in self.criteria.exclusion:
            if c.reason == code:
                return c.label
        for r in self.fulltext_reasons:
            if r.reason == code:
                return r.label
        return code


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_.\"' -]+?)\s*=")


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """First line of every table and key path in TOML text (array tables get indexes)."""
    lines: dict[tuple[str, ...], int] = {}
    counts: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    in_string = False
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string:
            in_string = line.count('"""') % 2 == 0
            continue
        header = _HEADER.match(line)
        if header:
            path = tuple(p.strip().strip("\"'") for p in header.group(2).split("."))
            if header.group(1) == "[[":
                lines.setdefault(path, number)
                index = counts.get(path, 0)
                counts[path] = index + 1
                path = (*path, str(index))
            table = path
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            parts = tuple(p.strip().strip("\"'") for p in key.group(1).split("."))
            lines.setdefault((*table, *parts), number)
            in_string = line.count('"""') % 2 == 1
    return lines


def _line_of(text: str, loc: tuple[str, ...]) -> int | None:
    """Line of the deepest part of ``loc`` written in the file (the key, else its table)."""
    lines = _key_lines(text)
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def load_protocol(path: Path) -> ReviewProtocol:
    """Read and validate a protocol; any problem raises a one-line ``ProtocolError``."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProtocolError(f"cannot read protocol: {exc.strerror}", path=path) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProtocolError(
            "protocol is not UTF-8 text", path=path, line=raw.count(b"\n", 0, exc.start) + 1
        ) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg, _, where = str(exc).partition(" (at line ")
        line = int(where.split(",")[0]) if where[:1].isdigit() else None
        raise ProtocolError(f"invalid TOML: {msg}", path=path, line=line) from exc
    try:
        return ReviewProtocol.model_validate(data)
    except ValidationError as exc:
        # An unknown key explains a "missing" one (a misspelling), so report it first.
        err = min(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        loc = tuple(str(p) for p in err["loc"])
        key = ".".join(loc) or "(top)"
        problem = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        problem = problem.removeprefix("Value error, ")
        raise ProtocolError(f"{key}: {problem}", path=path, line=_line_of(text, loc)) from exc


def protocol_version(path: Path, protocol: ReviewProtocol) -> str:
    """The declared version plus a short content hash, so silent edits are traceable."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    return f"{protocol.review.version}+{digest}"
