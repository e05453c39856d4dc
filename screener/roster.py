"""The review team: reviewer names, roles, and who is acting.

A name is normalised once, here, before it is stored or compared: ``" ALICE "`` is
``alice``. Names that would corrupt an export (commas, line breaks, control characters, a
name whose columns would clash with the export's own) are refused with one line.

A project without a roster is a one-person (or not yet organised) review: any valid name
may act and nothing is hidden. Once someone is added with ``screener reviewer add`` the
roster is closed: only its active members may act, and blinding (``screener.blinding``)
applies to everyone who is not a lead.
"""

from __future__ import annotations

import difflib
import getpass
import os
import unicodedata
from typing import TYPE_CHECKING

from screener.errors import RosterError
from screener.export import LOG_COLUMNS, csv_columns
from screener.models import Member, Role, Stage
from screener.store import Store

if TYPE_CHECKING:
    from screener.protocol import ReviewProtocol

MAX_NAME = 64
_PARTS = ("decision", "reasons", "note", "time")
"""The per-reviewer export columns are ``NAME_decision``, ``NAME_reasons``..."""
_FIXED_COLUMNS = frozenset(csv_columns([], Stage.FULLTEXT)) | frozenset(LOG_COLUMNS)
_ALLOWED_PUNCTUATION = frozenset(" .-_'")


def normalize_name(raw: str) -> str:
    """The stored form of a reviewer name: trimmed, inner whitespace collapsed, lower case."""
    text = unicodedata.normalize("NFC", raw)
    if "\n" in text or "\r" in text:
        raise RosterError(f"reviewer name {raw!r} contains a line break")
    if any(unicodedata.category(ch).startswith("C") and not ch.isspace() for ch in text):
        raise RosterError(f"reviewer name {raw!r} contains a control character")
    if "," in text:
        raise RosterError(f"reviewer name {raw!r} contains a comma (one name per reviewer)")
    name = " ".join(text.split()).casefold()
    if not name:
        raise RosterError("give a reviewer name (--reviewer NAME)")
    if len(name) > MAX_NAME:
        raise RosterError(f"reviewer name {raw!r} is longer than {MAX_NAME} characters")
    bad = sorted({ch for ch in name if not (ch.isalnum() or ch in _ALLOWED_PUNCTUATION)})
    if bad or not name[0].isalnum():
        shown = "".join(bad) or name[0]
        raise RosterError(
            f"reviewer name {raw!r}: use letters, digits, spaces, '.', '-', '_' and \"'\" "
            f"(starting with a letter or digit), not {shown!r}"
        )
    if name in _FIXED_COLUMNS or any(f"{name}_{part}" in _FIXED_COLUMNS for part in _PARTS):
        raise RosterError(
            f"reviewer name {raw!r} would clash with the export column {name!r}; choose another"
        )
    return name


def requested_name(flag: str | None) -> str:
    """Who is acting, before any roster check: ``--reviewer``, else ``$SCREENER_REVIEWER``,
    else the login name."""
    return flag or os.environ.get("SCREENER_REVIEWER") or getpass.getuser()


def describe(members: list[Member]) -> str:
    """``alice (lead), bob``: the active roster in one line for error messages."""
    active = [m for m in members if m.active]
    if not active:
        return "the roster is empty"
    return ", ".join(m.name + (" (lead)" if m.role is Role.LEAD else "") for m in active)


def closest(name: str, members: list[Member]) -> str | None:
    """The active member ``name`` was probably meant to be (a typo, a full name...)."""
    names = [m.name for m in members if m.active]
    starts = [n for n in names if name.startswith(n) or n.startswith(name)]
    if len(starts) == 1:
        return starts[0]
    found = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
    return found[0] if found else None


def find_member(members: list[Member], name: str) -> Member | None:
    """The roster entry for a normalised name; legacy entries migrated from decisions may
    keep their old spelling (``ALICE``), so they match by their normalised form too."""
    for m in members:
        if m.name == name:
            return m
    for m in members:
        if " ".join(m.name.split()).casefold() == name:
            return m
    return None


def acting_reviewer(store: Store, flag: str | None) -> str:
    """The acting reviewer's stored name; refused when the roster is closed and they are not
    an active member (the message lists the roster and suggests the closest name).

    On PostgreSQL a reviewer's login is their identity: it acts as itself, and another
    name (``--reviewer``, $SCREENER_REVIEWER) is refused. The owner's login (who ran
    ``screener init``) administers and may act for anyone, as on SQLite."""
    login = store.bound_login()
    if login is not None:
        asked = flag or os.environ.get("SCREENER_REVIEWER")
        if asked is not None and normalize_name(asked) != login:
            raise RosterError(
                f"connected to the database as {login}: you act as {login}, not "
                f"{normalize_name(asked)!r} (on PostgreSQL identity is the database login)"
            )
        name = login
    else:
        name = normalize_name(requested_name(flag))
    members = store.roster()
    if not members:
        return name
    member = find_member(members, name)
    if member is not None and member.active:
        return member.name
    if member is not None:
        raise RosterError(
            f"{name} was removed from the roster on {member.removed_at[:10] if member.removed_at else '?'}; "
            f"their decisions stay, but they can no longer act (roster: {describe(members)})"
        )
    hint = closest(name, members)
    suggestion = f"; did you mean {hint}?" if hint else ""
    raise RosterError(
        f"{name!r} is not on the roster ({describe(members)}){suggestion} "
        "Add them with 'screener reviewer add NAME'"
    )


def add_reviewer(store: Store, raw: str, role: Role) -> tuple[Member, list[str]]:
    """Add (or re-activate, or change the role of) a reviewer. Adding the first one closes
    the roster, so everyone who already has decisions is enrolled too (their history stays
    attributable and they can go on screening); returns the member and those enrolled."""
    name = normalize_name(raw)
    with store.transaction():
        enrolled = [] if store.roster() else store.enrol_deciders()
        store.put_member(name, role.value)
    member = find_member(store.roster(), name)
    assert member is not None
    return member, [n for n in enrolled if n != name]


def remove_reviewer(store: Store, raw: str) -> Member:
    """Take a reviewer off the roster: their decisions stay and still count; they can no
    longer act. The last lead cannot be removed while others remain, so every conflict
    keeps someone who can resolve it."""
    name = normalize_name(raw)
    members = store.roster()
    member = find_member(members, name)
    if member is None or not member.active:
        hint = closest(name, members)
        suggestion = f"; did you mean {hint}?" if hint else ""
        raise RosterError(f"{name!r} is not on the roster ({describe(members)}){suggestion}")
    leads = [m for m in members if m.active and m.role is Role.LEAD]
    others = [m for m in members if m.active and m.name != member.name]
    if member.role is Role.LEAD and leads == [member] and others:
        raise RosterError(
            f"{member.name} is the only lead; add another lead first "
            "('screener reviewer add NAME --role lead') so conflicts can still be resolved"
        )
    store.retire_member(member.name)
    removed = find_member(store.roster(), member.name)
    assert removed is not None
    return removed


def is_lead(members: list[Member], name: str, protocol_lead: str | None = None) -> bool:
    """A lead by role on the roster, or named as ``lead`` in the protocol's [screening]."""
    member = find_member(members, name)
    if member is not None and member.active and member.role is Role.LEAD:
        return True
    return protocol_lead is not None and " ".join(protocol_lead.split()).casefold() == name


def require_lead(store: Store, name: str, protocol: ReviewProtocol | None, what: str) -> None:
    """Refuse ``what`` (resolving, unblinding, stopping) unless ``name`` is a lead of a
    closed roster or the protocol's ``[screening] lead``; without a roster anyone may, as
    before teams existed."""
    members = store.roster()
    protocol_lead = protocol.screening.lead if protocol is not None else None
    if not members or is_lead(members, name, protocol_lead):
        return
    leads = [m.name for m in members if m.active and m.role is Role.LEAD]
    who = f"the lead{'s' if len(leads) > 1 else ''} ({', '.join(leads)})" if leads else (
        "a lead, and the roster has none: add one with 'screener reviewer add NAME --role lead'")
    raise RosterError(f"{name} is not a lead: only {who} may {what}")
