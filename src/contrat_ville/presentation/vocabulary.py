"""The study's vocabulary: the French label of every id of the data (pillars, report
chapters, themes, qualifiers, period kinds, directions, indicator classes, trend and claim
statuses, verdicts and their motifs, caveats and rules, units, edition statuses, coverage statuses and reasons,
report item kinds, track statuses, trend models, the words of the comparisons and of the scorecard's raw rows),
read from vocabulary.yaml beside this
module, the one place where they are declared. Chapter titles of the book come from
runplan.yaml (`contrat_ville.data.runplan.chapter_titles`)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from contrat_ville.data.files import SAFE_LOADER

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yaml")


@cache
def vocabulary() -> dict[str, dict]:
    """The whole vocabulary file, by section (`pillars`, `themes`, `units`...)."""
    return yaml.load(VOCABULARY_FILE.read_text(encoding="utf-8"), Loader=SAFE_LOADER)


def labels(section: str) -> dict[str, str]:
    """`{id: French label}` of one section, in the file's order (a copy: callers may edit it)."""
    entries = vocabulary()[section]
    return {key: value["label"] if isinstance(value, dict) else value for key, value in entries.items()}


def label(section: str, key: str) -> str:
    """The French label of `key` in `section`; an unknown id is an error naming both."""
    entries = labels(section)
    if key not in entries:
        raise KeyError(f"{key!r} has no label in the '{section}' section of {VOCABULARY_FILE.name}")
    return entries[key]


def unit(key: str) -> dict:
    """How a unit is printed (see the `units` section): unknown units read as their own noun."""
    return dict(vocabulary()["units"].get(key) or {})


PILLARS = labels("pillars")
REPORT_CHAPTERS = labels("report_chapters")
THEMES = labels("themes")
QUALIFIERS = labels("qualifiers")
PERIOD_KINDS = labels("period_kinds")
PERIOD_ADJECTIVES = labels("period_adjectives")
DIRECTIONS = labels("directions")
INDICATOR_CLASSES = labels("indicator_classes")
INDICATOR_CLASSES_PLURAL = {key: value["plural"] for key, value in vocabulary()["indicator_classes"].items()}
TREND_STATUSES = labels("trend_statuses")
CLAIM_STATUSES = labels("claim_statuses")
CLAIM_STATUS_DETAILS = {key: dict(value) for key, value in vocabulary()["claim_statuses"].items()}
CLAIM_STATUS_COUNTS = {key: tuple(forms) for key, forms in vocabulary()["claim_status_counts"].items()}
VERDICTS = labels("verdicts")
VERDICT_COUNTS = {key: tuple(value["counted"]) for key, value in vocabulary()["verdicts"].items()}
VERDICT_MOTIFS = labels("verdict_motifs")
CAVEATS = labels("caveats")
VERDICT_RULES = dict(vocabulary()["verdict_rules"])
SERIES = labels("series")
COVERAGE_STATUSES = labels("coverage_statuses")
COVERAGE_REASONS = labels("coverage_reasons")
REPORT_ITEM_KINDS = labels("report_item_kinds")
REPORT_ITEM_KIND_SUMMARIES = {key: value["summary"] for key, value in vocabulary()["report_item_kinds"].items()}
REPORT_ITEM_STATUSES = labels("report_item_statuses")
BOOK_PAGES = labels("book_pages")
TRACK_STATUSES = labels("track_statuses")
FICHE_INDICATORS = labels("fiche_indicators")
ASSIGNMENT_RULES = labels("assignment_rules")
TREND_MODELS = labels("trend_models")
SOURCE_REF_WORDS = labels("source_ref_words")
CHECKLIST_UNITS = labels("checklist_units")
COMPARED_INDICATORS = labels("compared_indicators")
CREDIT_TYPES = labels("credit_types")
FTE_CONVENTIONS = labels("fte_conventions")
TRACK_STATUS_CARDS = {key: tuple(value["card"]) for key, value in vocabulary()["track_statuses"].items()}
TRACK_STATUS_VERBS = {key: tuple(value["verb"]) for key, value in vocabulary()["track_statuses"].items()}
EDITION_STATUSES = labels("edition_statuses")
EDITION_STATUS_COUNTS = {key: tuple(value["counted"]) for key, value in vocabulary()["edition_statuses"].items()}
