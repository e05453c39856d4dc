"""The counts as the PRISMA2020 R package / Shiny app data template (``PRISMA.csv``).

Same columns and rows as the template shipped with the package (``data, node, box,
description, boxtext, tooltips, url, n``), so the file can be uploaded to the Shiny app or
read with ``PRISMA_data(read.csv(...))`` to continue there. Box texts are set to the
official wording for a *new* review ("Identification of studies via ...", "Studies
included in review"); per-source and per-reason counts use the template's
``"Name, n; Name, n"`` format, with commas and semicolons in names replaced so the
string parses.
"""

from __future__ import annotations

import io

from screener.prisma.flow import Flow, ReasonCount, SourceCount
from screener.spreadsheet import csv_writer

COLUMNS = ["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"]

# data, node, box, description, boxtext, tooltip ("=" repeats the description), url
_ROWS: list[tuple[str, str, str, str, str, str, str]] = [
    ("NA", "node4", "prevstud", "Grey title box; Previous studies", "Previous studies", "=", "prevstud.html"),
    ("previous_studies", "node5", "box1", "Studies included in previous version of review", "Studies included in previous version of review", "=", "previous_studies.html"),
    ("previous_reports", "NA", "box1", "Reports of studies included in previous version of review", "Reports of studies included in previous version of review", "NA", "previous_reports.html"),
    ("NA", "node6", "newstud", "Yellow title box; Identification of new studies via databases and registers", "Identification of studies via databases and registers", "=", "newstud.html"),
    ("database_results", "node7", "box2", "Records identified from: Databases", "Databases", "Records identified from: Databases and Registers", "database_results.html"),
    ("database_specific_results", "NA", "box2", "Records identified from: specific databases", "Specific Databases", "NA", "database_results.html"),
    ("register_results", "NA", "box2", "Records identified from: Registers", "Registers", "NA", "NA"),
    ("register_specific_results", "NA", "box2", "Records identified from: specific registers", "Specific Registers", "NA", "database_results.html"),
    ("NA", "node16", "othstud", "Grey title box; Identification of new studies via other methods", "Identification of studies via other methods", "=", "othstud.html"),
    ("website_results", "node17", "box11", "Records identified from: Websites", "Websites", "Records identified from: Websites, Organisations and Citation Searching", "website_results.html"),
    ("organisation_results", "", "box11", "Records identified from: Organisations", "Organisations", "NA", "NA"),
    ("citations_results", "NA", "box11", "Records identified from: Citation searching", "Citation searching", "NA", "NA"),
    ("duplicates", "node8", "box3", "Duplicate records", "Duplicate records removed", "=", "duplicates.html"),
    ("excluded_automatic", "NA", "box3", "Records marked as ineligible by automation tools", "Records marked as ineligible by automation tools", "NA", "NA"),
    ("excluded_other", "NA", "box3", "Records removed for other reasons", "Records removed for other reasons", "NA", "NA"),
    ("records_screened", "node9", "box4", "Records screened (databases and registers)", "Records screened", "=", "records_screened.html"),
    ("records_excluded", "node10", "box5", "Records excluded (databases and registers)", "Records excluded", "=", "records_excluded.html"),
    ("dbr_sought_reports", "node11", "box6", "Reports sought for retrieval (databases and registers)", "Reports sought for retrieval", "=", "dbr_sought_reports.html"),
    ("dbr_notretrieved_reports", "node12", "box7", "Reports not retrieved (databases and registers)", "Reports not retrieved", "=", "dbr_notretrieved_reports.html"),
    ("other_sought_reports", "node18", "box12", "Reports sought for retrieval (other)", "Reports sought for retrieval", "=", "other_sought_reports.html"),
    ("other_notretrieved_reports", "node19", "box13", "Reports not retrieved (other)", "Reports not retrieved", "=", "other_notretrieved_reports.html"),
    ("dbr_assessed", "node13", "box8", "Reports assessed for eligibility (databases and registers)", "Reports assessed for eligibility", "=", "dbr_assessed.html"),
    ("dbr_excluded", "node14", "box9", "Reports excluded (databases and registers): [separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]", "Reports excluded", "Reports excluded (databases and registers)", "dbrexcludedrecords.html"),
    ("other_assessed", "node20", "box14", "Reports assessed for eligibility (other)", "Reports assessed for eligibility", "=", "other_assessed.html"),
    ("other_excluded", "node21", "box15", "Reports excluded (other): [separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]", "Reports excluded", "Reports excluded (other)", "other_excluded.html"),
    ("new_studies", "node15", "box10", "New studies included in review", "Studies included in review", "=", "new_studies.html"),
    ("new_reports", "NA", "box10", "Reports of new included studies", "Reports of included studies", "NA", "NA"),
    ("total_studies", "node22", "box16", "Total studies included in review", "Total studies included in review", "=", "total_studies.html"),
    ("total_reports", "NA", "box16", "Reports of total included studies", "Reports of total included studies", "NA", "NA"),
    ("identification", "node1", "identification", "Blue identification box", "Identification", "=", "identification.html"),
    ("screening", "node2", "screening", "Blue screening box", "Screening", "=", "screening.html"),
    ("included", "node3", "included", "Blue included box", "Included", "=", "included.html"),
    ("total_studies_ma", "node23", "box17", "Total studies included in meta-analysis", "Total studies included in meta-analysis", "=", "total_studies_meta_analysis.html"),
    ("total_reports_ma", "NA", "box17", "Reports of total included studies in meta-analysis", "Reports of total included studies in meta-analysis", "NA", "NA"),
]


def _name(text: str) -> str:
    """A name safe inside ``"Name, n; Name, n"`` (and in the app's Graphviz labels)."""
    return " ".join(text.replace(",", " ").replace(";", " ").replace('"', "'").split())


def pairs(items: list[SourceCount] | list[ReasonCount]) -> str:
    """``"Scopus, 120; PubMed, 80"``; ``NA`` when there is nothing to list."""
    parts = [f"{_name(i.name if isinstance(i, SourceCount) else i.label)}, {i.n}" for i in items]
    return "; ".join(parts) if parts else "NA"


def template_values(flow: Flow) -> dict[str, str]:
    """The ``n`` column by data name (title and phase rows keep the template's 0)."""
    data = flow.model_dump()
    values = {key: str(data[key]) for key in (
        "database_results", "register_results", "website_results", "organisation_results",
        "citations_results", "duplicates", "excluded_automatic", "excluded_other",
        "records_screened", "records_excluded", "dbr_sought_reports", "dbr_notretrieved_reports",
        "other_sought_reports", "other_notretrieved_reports", "dbr_assessed", "other_assessed",
        "new_studies", "new_reports")}
    values.update({
        "database_specific_results": pairs(flow.database_specific_results),
        "register_specific_results": pairs(flow.register_specific_results),
        "dbr_excluded": pairs(flow.dbr_excluded),
        "other_excluded": pairs(flow.other_excluded),
        # A new review: nothing from a previous version, so the totals are the new counts.
        "previous_studies": "NA", "previous_reports": "NA",
        "total_studies": str(flow.new_studies), "total_reports": str(flow.new_reports),
        "total_studies_ma": "NA", "total_reports_ma": "NA",
    })
    return values


def render_csv(flow: Flow) -> str:
    """The filled template as CSV text."""
    values = template_values(flow)
    buf = io.StringIO()
    writer = csv_writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for data, node, box, description, boxtext, tooltip, url in _ROWS:
        tip = description if tooltip == "=" else tooltip
        writer.writerow([data, node, box, description, boxtext, tip, url, values.get(data, "0")])
    return buf.getvalue()
