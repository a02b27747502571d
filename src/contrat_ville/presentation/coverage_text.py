"""French wording of the coverage page (contrat_ville.evaluation.coverage computes ids, this
module says them): the coverage status and the reason of each row, from vocabulary.yaml."""

from __future__ import annotations

import pandas as pd

from contrat_ville.data.runplan import chapter_titles
from contrat_ville.evaluation import coverage
from contrat_ville.presentation import vocabulary

STATUSES = vocabulary.COVERAGE_STATUSES
REASONS = vocabulary.COVERAGE_REASONS
assert set(STATUSES) == set(coverage.STATUSES), "every coverage status needs its French label"
assert set(REASONS) == set(coverage.REASONS), "every coverage reason needs its French label"
KINDS = vocabulary.REPORT_ITEM_KINDS
assert set(coverage.SUMMARY_KINDS) <= set(KINDS), "every kind of report item needs its French name"

# descriptions of the label columns of a published CSV (with_labels)
COLUMNS = {
    "coverage": "coverage id: " + " / ".join(coverage.STATUSES),
    "coverage_label": "coverage in French (" + " / ".join(STATUSES[s] for s in coverage.STATUSES) + ")",
    "reason_label": "the reason in French",
}


def page_name(page: str) -> str:
    """French name of a book page showing a raw table: a chapter's run plan title, or the
    vocabulary's `book_pages` name of another page; an unknown page is shown as its id."""
    return chapter_titles().get(page) or vocabulary.BOOK_PAGES.get(page, page)


def chapter_names(chapters: object) -> str:
    """`portrait;emploi` → `Portrait des quartiers, Emploi et développement économique`."""
    return ", ".join(page_name(c) for c in str(chapters).split(";") if c) if isinstance(chapters, str) else ""


def summary_with_labels(summary: pd.DataFrame) -> pd.DataFrame:
    """The published coverage summary: the `kind` id of each row replaced, at its place, by
    `what`, the row's French name (`Tableaux du rapport`...)."""
    out = summary.copy()
    position = out.columns.get_loc("kind")
    out.insert(position, "what", out.pop("kind").map(vocabulary.REPORT_ITEM_KIND_SUMMARIES))
    return out


def reason(reason_ids: object, chapters: object = "") -> str:
    """The French reason of a row: its reason ids (`;`-separated) in words, `; `-joined, the
    chapters named where the reason cites them; an id without a label (an item status the
    vocabulary does not know) is shown as it is."""
    if not isinstance(reason_ids, str) or not reason_ids:
        return ""
    words = [REASONS.get(r, r).format(chapters=chapter_names(chapters)) for r in reason_ids.split(";")]
    return " ; ".join(words)


def assignment_rule(rule: object, lead: object = "") -> str:
    """Why a key figure is in its chapter, in French (`suit sa reprise kf-057`); no rule, no words."""
    if not isinstance(rule, str) or not rule:
        return ""
    return vocabulary.label("assignment_rules", rule).format(lead=lead if isinstance(lead, str) else "")


def with_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """A coverage frame with `coverage_label` and `reason_label`, each right after its id column:
    the published CSVs carry both, the id for programs and the words for readers. A key figure
    frame's `assignment_rule` and `assignment_lead` become one French `assignment_rule`, in place."""
    out = frame.copy()
    if "assignment_rule" in out:
        out["assignment_rule"] = [
            assignment_rule(r, f) for r, f in zip(out["assignment_rule"], out.pop("assignment_lead"))
        ]
    out.insert(out.columns.get_loc("coverage") + 1, "coverage_label", out["coverage"].map(STATUSES))
    chapters = out["book_chapters"] if "book_chapters" in out else pd.Series("", index=out.index)
    out.insert(
        out.columns.get_loc("reason") + 1,
        "reason_label",
        [reason(r, c) for r, c in zip(out["reason"], chapters)],
    )
    return out
