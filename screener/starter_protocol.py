"""The starter protocol: a valid review protocol with generic PICO-style criteria, every
key explained, for a team to edit (``screener init`` without ``--protocol``,
``screener protocol new``)."""

from __future__ import annotations

import json
from pathlib import Path

from screener.errors import ScreenerError

STARTER_NAME = "protocol.toml"

_TEMPLATE = '''\
# Review protocol: EDIT THIS FILE before screening starts.
#
# This is screener's starter protocol. Replace the question and the criteria with your
# review's own, then check it with `screener protocol check {name}`. Every key is
# checked: a misspelt key is an error. Bump [review].version whenever a criterion
# changes: each decision stores the version (plus a hash of this file) it was made under.

[review]
title = {title}
question = """
EDIT: the review question, e.g. In adults with <condition> (population), does \\
<intervention> compared with <comparator> change <outcome>?"""
version = "0.1"

# --- Eligibility: a work is included when it meets every inclusion criterion and no
# exclusion criterion. Each exclusion criterion has a reason code that reviewers pick
# when they exclude (keys 1-9 in the screening screen) and that PRISMA counts.

[[criteria.inclusion]]
id = "I1"
label = "Population"
description = "EDIT: who the study is about (age, condition, setting)."

[[criteria.inclusion]]
id = "I2"
label = "Intervention or exposure"
description = "EDIT: what is done or studied, and what it is compared with."

[[criteria.inclusion]]
id = "I3"
label = "Outcome"
description = "EDIT: what the study must measure or report."

[[criteria.inclusion]]
id = "I4"
label = "Study design"
description = "EDIT: which designs count (e.g. randomised trials, cohort studies)."

[[criteria.exclusion]]
id = "E1"
label = "Wrong population"
reason = "wrong-population"
description = "EDIT: the population is outside the review's."

[[criteria.exclusion]]
id = "E2"
label = "Wrong intervention or exposure"
reason = "wrong-intervention"
description = "EDIT: the intervention or exposure is not the one reviewed."

[[criteria.exclusion]]
id = "E3"
label = "Wrong outcome"
reason = "wrong-outcome"
description = "EDIT: none of the review's outcomes is measured."

[[criteria.exclusion]]
id = "E4"
label = "Wrong study design"
reason = "wrong-design"
description = "EDIT: a design the review does not include."

[[criteria.exclusion]]
id = "E5"
label = "Not a research report"
reason = "publication-type"
description = "Editorials, letters, comments, news, errata, protocols without results."

# --- Full-text stage: reasons recorded for each report excluded after reading it in full.

[[fulltext_reasons]]
reason = "wrong-population"
label = "Wrong population"

[[fulltext_reasons]]
reason = "wrong-intervention"
label = "Wrong intervention or exposure"

[[fulltext_reasons]]
reason = "wrong-outcome"
label = "Wrong outcome"

[[fulltext_reasons]]
reason = "wrong-design"
label = "Wrong study design"

[[fulltext_reasons]]
reason = "publication-type"
label = "Wrong publication type"

# --- Keywords highlighted in titles and abstracts (green: include, red: exclude);
# * matches any letters ("partner*").
[keywords]
include = []
exclude = []

# --- How works are screened.
[screening]
# two-independent: two reviewers screen every work blind to each other;
# single: one reviewer; single-second-for-excludes: a second reviewer checks exclusions.
policy = "two-independent"
# A calibration round: each reviewer's first N decisions, then agreement is checked.
# pilot_size = 50
# kappa_threshold = 0.6
fulltext_policy = "single"
# lead = "NAME"   # resolves conflicts
'''


def starter_protocol(title: str) -> str:
    """The starter protocol's text for a review called ``title``."""
    return _TEMPLATE.format(title=json.dumps(title, ensure_ascii=False), name=STARTER_NAME)


def write_starter_protocol(path: Path, title: str) -> None:
    """Write the starter protocol to ``path``; an existing file is never overwritten."""
    try:
        with path.open("x", encoding="utf-8") as f:
            f.write(starter_protocol(title))
    except FileExistsError as exc:
        raise ScreenerError("already exists; choose another file name", path=path) from exc
    except OSError as exc:
        raise ScreenerError(f"cannot write: {exc.strerror}", path=path) from exc
