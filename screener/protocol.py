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

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from screener.errors import ProtocolError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReviewInfo(_Strict):
    title: str
    question: str
    version: str = "1"
    """Bump when criteria change; every decision stores the version it was made under."""


class Criterion(_Strict):
    id: str
    label: str
    description: str


class ExclusionCriterion(Criterion):
    reason: str
    """The exclusion reason code a reviewer picks (``not-health``)."""


class FulltextReason(_Strict):
    reason: str
    label: str
    description: str = ""


class Criteria(_Strict):
    inclusion: list[Criterion] = Field(min_length=1)
    exclusion: list[ExclusionCriterion] = Field(min_length=1)


class Keywords(_Strict):
    include: list[str] = Field(default_factory=list)
    """Terms suggesting inclusion; ``*`` is a wildcard (``partner*``)."""
    exclude: list[str] = Field(default_factory=list)


class Policy(StrEnum):
    TWO_INDEPENDENT = "two-independent"
    """Every work screened by two reviewers, blind to each other."""
    SINGLE = "single"
    """One reviewer decides."""
    SECOND_FOR_EXCLUDES = "single-second-for-excludes"
    """One reviewer; a second screens only the works the first excluded."""


class Screening(_Strict):
    policy: Policy = Policy.TWO_INDEPENDENT
    pilot_size: int | None = Field(default=None, ge=1)
    """Calibration round: each reviewer's first N decisions."""
    kappa_threshold: float | None = Field(default=None, gt=-1, le=1)
    """Kappa the pilot must reach before screening goes on."""
    fulltext_policy: Policy = Policy.SINGLE


class ReviewProtocol(_Strict):
    review: ReviewInfo
    criteria: Criteria
    fulltext_reasons: list[FulltextReason] = Field(default_factory=list)
    keywords: Keywords = Field(default_factory=Keywords)
    screening: Screening = Field(default_factory=Screening)

    @model_validator(mode="after")
    def _unique_codes(self) -> ReviewProtocol:
        for name, codes in (
            ("criteria.exclusion.reason", [c.reason for c in self.criteria.exclusion]),
            ("fulltext_reasons.reason", [r.reason for r in self.fulltext_reasons]),
            ("criteria ids", [c.id for c in self.criteria.inclusion + self.criteria.exclusion]),
        ):
            seen = {c for c in codes if codes.count(c) > 1}
            if seen:
                raise ValueError(f"duplicate {name}: {', '.join(sorted(seen))}")
        return self

    @property
    def exclusion_reasons(self) -> list[tuple[str, str]]:
        """(code, label) of title/abstract exclusion reasons, in protocol order."""
        return [(c.reason, c.label) for c in self.criteria.exclusion]

    def reason_label(self, code: str) -> str:
        for c in self.criteria.exclusion:
            if c.reason == code:
                return c.label
        for r in self.fulltext_reasons:
            if r.reason == code:
                return r.label
        return code


def _line_of_key(text: str, key: str) -> int | None:
    """Best-effort line number of the last path element of a key in the TOML text."""
    pattern = re.compile(rf"^\s*\[*\s*(?:[\w.-]+\.)?{re.escape(key)}\s*[\]=]", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


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
        msg = str(exc).split(" (at line")[0]
        raise ProtocolError(
            f"invalid TOML: {msg}", path=path, line=getattr(exc, "lineno", None)
        ) from exc
    try:
        return ReviewProtocol.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [str(p) for p in err["loc"]]
        key = ".".join(loc) or "(top)"
        last = next((p for p in reversed(loc) if not p.isdigit()), None)
        key_line = _line_of_key(text, last) if last else None
        problem = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        raise ProtocolError(f"{key}: {problem}", path=path, line=key_line) from exc


def protocol_version(path: Path, protocol: ReviewProtocol) -> str:
    """The declared version plus a short content hash, so silent edits are traceable."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    return f"{protocol.review.version}+{digest}"
