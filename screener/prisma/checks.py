"""The arithmetic between PRISMA boxes, and the notes for numbers the template has no box for.

Every relation a reader of the diagram would check is computed from both sides; when it
fails, the explanation names what is missing (works pending, conflicts unresolved,
retrieval or full-text decisions not recorded) so an unfinished review is never shown as
a finished one.
"""

from __future__ import annotations

from screener.prisma.flow import Check, Flow, ReasonCount, total


def _why(flow: Flow, side: str, *steps: str) -> str:
    p = flow.pending
    parts: list[tuple[int, str]] = []
    if "ta" in steps:
        parts += [
            (p.title_abstract[side], "pending title/abstract screening"),
            (p.title_abstract_conflicts[side], "with an unresolved title/abstract conflict or maybe"),
        ]
    if "retrieval" in steps:
        parts.append((p.retrieval[side], "sought but retrieval not recorded"))
    if "fulltext" in steps:
        parts += [
            (p.fulltext[side], "retrieved but without a full-text decision"),
            (p.fulltext_conflicts[side], "with an unresolved full-text conflict or maybe"),
        ]
    text = "; ".join(f"{n} {'work' if n == 1 else 'works'} {what}" for n, what in parts if n)
    return text or "the stored data do not add up (please report this)"


DBR = "(databases and registers)"
OTHER = "(other methods)"
LABELS = {
    "records_screened": "Records screened",
    "dbr_sought_reports": f"Reports sought for retrieval {DBR}",
    "dbr_assessed": f"Reports assessed for eligibility {DBR}",
    "dbr_included": f"Reports included {DBR}",
    "other_sought_reports": f"Reports sought for retrieval {OTHER}",
    "other_assessed": f"Reports assessed for eligibility {OTHER}",
    "other_included": f"Reports included {OTHER}",
    "new_reports": "Reports of included studies",
}
"""Each check's box in the wording of the PRISMA 2020 template (what users read)."""

WORDS = {
    "records_screened": "records identified from databases and registers - duplicate records "
    "removed - records marked as ineligible by automation tools - records removed for other "
    "reasons",
    "dbr_sought_reports": "records screened - records excluded",
    "dbr_assessed": f"reports sought for retrieval {DBR} - reports not retrieved",
    "dbr_included": f"reports assessed for eligibility {DBR} - reports excluded",
    "other_sought_reports": "records identified from websites, organisations, citation "
    "searching and other methods - duplicates among them - records also found via databases "
    "or registers - records excluded on title and abstract",
    "other_assessed": f"reports sought for retrieval {OTHER} - reports not retrieved",
    "other_included": f"reports assessed for eligibility {OTHER} - reports excluded",
    "new_reports": f"reports included {DBR} + reports included {OTHER}",
}
"""Each relation in words; ``Check.rule`` keeps it in the R package's data names."""


def _check(flow: Flow, name: str, rule: str, expected: int, found: int, side: str,
           *steps: str) -> None:
    ok = expected == found
    flow.checks.append(Check(
        name=name, rule=rule, expected=expected, found=found, ok=ok,
        explanation="" if ok else _why(flow, side, *steps),
        label=LABELS[name], words=WORDS[name],
    ))


def add_checks(flow: Flow) -> None:
    """Append every box-to-box relation of both columns to ``flow.checks``."""
    f = flow
    _check(f, "records_screened",
           "records_screened = database_results + register_results - duplicates"
           " - excluded_automatic - excluded_other",
           f.database_results + f.register_results - f.duplicates - f.excluded_automatic
           - f.excluded_other, f.records_screened, "dbr")
    _check(f, "dbr_sought_reports",
           "dbr_sought_reports = records_screened - records_excluded",
           f.records_screened - f.records_excluded, f.dbr_sought_reports, "dbr", "ta")
    _check(f, "dbr_assessed",
           "dbr_assessed = dbr_sought_reports - dbr_notretrieved_reports",
           f.dbr_sought_reports - f.dbr_notretrieved_reports, f.dbr_assessed, "dbr", "retrieval")
    _check(f, "dbr_included",
           "reports included via databases and registers = dbr_assessed - sum(dbr_excluded)",
           f.dbr_assessed - total(f.dbr_excluded), f.dbr_included, "dbr", "fulltext")
    o = f.other_methods
    identified = f.website_results + f.organisation_results + f.citations_results + f.other_results
    _check(f, "other_sought_reports",
           "other_sought_reports = website_results + organisation_results + citations_results"
           " + other_results - duplicates within other methods - records also found via"
           " databases/registers - excluded on title/abstract",
           identified - o.duplicates_within - o.found_by_databases - o.excluded_title_abstract,
           f.other_sought_reports, "other", "ta")
    _check(f, "other_assessed",
           "other_assessed = other_sought_reports - other_notretrieved_reports",
           f.other_sought_reports - f.other_notretrieved_reports, f.other_assessed, "other",
           "retrieval")
    _check(f, "other_included",
           "reports included via other methods = other_assessed - sum(other_excluded)",
           f.other_assessed - total(f.other_excluded), f.other_included, "other", "fulltext")
    expected = f.dbr_assessed - total(f.dbr_excluded) + f.other_assessed - total(f.other_excluded)
    ok = expected == f.new_reports
    f.checks.append(Check(
        name="new_reports",
        rule="new_reports = dbr_assessed - sum(dbr_excluded) + other_assessed - sum(other_excluded)",
        expected=expected, found=f.new_reports, ok=ok,
        label=LABELS["new_reports"], words=WORDS["new_reports"],
        explanation="" if ok else "; ".join(dict.fromkeys(
            _why(f, s, "fulltext") for s in ("dbr", "other") if not _side_ok(f, s)
        )),
    ))


def _side_ok(flow: Flow, side: str) -> bool:
    return next(c.ok for c in flow.checks if c.name == f"{side}_included")


def reasons_text(reasons: list[ReasonCount]) -> str:
    return ", ".join(f"{r.label} {r.n}" for r in reasons)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def add_notes(flow: Flow) -> None:
    """Numbers with no box in the template, said in words on the diagram."""
    f = flow
    o = f.other_methods
    if o.records:
        parts = [f"{_plural(o.records, 'record')} identified"]
        if o.duplicates_within:
            parts.append(f"{_plural(o.duplicates_within, 'duplicate record')} removed")
        if o.found_by_databases:
            whose = "of a work" if o.found_by_databases == 1 else "of works"
            parts.append(
                f"{_plural(o.found_by_databases, 'record')} {whose} also found via databases "
                "or registers (counted once, in that column)"
            )
        screened = f"{o.screened} screened on title and abstract"
        if o.excluded_title_abstract:
            screened += f", {o.excluded_title_abstract} excluded"
            if o.excluded_reasons:
                screened += f" ({reasons_text(o.excluded_reasons)})"
        parts.append(screened)
        f.notes.append("Other methods: " + "; ".join(parts) + ".")
    if f.both_columns:
        f.notes.append(
            f"{_plural(f.both_columns, 'work')} found both via databases/registers and via "
            "other methods: counted in the databases and registers column."
        )
    automation = (
        f"automation tools marked {f.excluded_automatic} as ineligible before screening "
        "(see below)" if f.excluded_automatic else "none by automation tools"
    )
    f.notes.append(f"Records excluded**: all by reviewers (n = {f.records_excluded}); {automation}.")
    if f.new_reports:
        f.notes.append(
            "Each included report is counted as one study (reports of the same study are "
            "not linked in screener)."
        )
    for check in f.failed_checks:
        f.notes.append(f"INCOMPLETE: {check.message()}.")
