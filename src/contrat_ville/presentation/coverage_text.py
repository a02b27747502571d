"""French wording of the coverage page (contrat_ville.evaluation.coverage computes ids, this
module says them): the coverage status and the reason of each row, from vocabulary.yaml."""

from __future__ import annotations

import pandas as pd

from contrat_ville.evaluation import coverage
from contrat_ville.presentation import vocabulary

STATUSES = vocabulary.COVERAGE_STATUSES
REASONS = vocabulary.COVERAGE_REASONS
assert set(STATUSES) == set(coverage.STATUSES), "every coverage status needs its French label"
assert set(REASONS) == set(coverage.REASONS), "every coverage reason needs its French label"

# descriptions of the label columns of a published CSV (with_labels)
COLUMNS = {
    "coverage": "coverage id: " + " / ".join(coverage.STATUSES),
    "coverage_label": "coverage in French (" + " / ".join(STATUSES[s] for s in coverage.STATUSES) + ")",
    "reason_label": "the reason in French",
}


def chapter_names(chapters: object) -> str:
    """`portrait;emploi` → `Portrait des quartiers, Emploi et développement économique`."""
    return ", ".join(coverage.page_name(c) for c in str(chapters).split(";") if c) if isinstance(chapters, str) else ""


def reason(reason_ids: object, chapters: object = "") -> str:
    """The French reason of a row: its reason ids (`;`-separated) in words, `; `-joined, the
    chapters named where the reason cites them; an id without a label (an item status the
    vocabulary does not know) is shown as it is."""
    if not isinstance(reason_ids, str) or not reason_ids:
        return ""
    words = [REASONS.get(r, r).format(chapters=chapter_names(chapters)) for r in reason_ids.split(";")]
    return " ; ".join(words)


def with_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """A coverage frame with `coverage_label` and `reason_label`, each right after its id column:
    the published CSVs carry both, the id for programs and the words for readers."""
    out = frame.copy()
    out.insert(out.columns.get_loc("coverage") + 1, "coverage_label", out["coverage"].map(STATUSES))
    chapters = out["book_chapters"] if "book_chapters" in out else pd.Series("", index=out.index)
    out.insert(
        out.columns.get_loc("reason") + 1,
        "reason_label",
        [reason(r, c) for r, c in zip(out["reason"], chapters)],
    )
    return out
