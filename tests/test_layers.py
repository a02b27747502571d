"""Computations return data, never French text (CONTRIBUTING.md, "The package, in layers"): an AST
scan of the string literals of evaluation/ and data/ (docstrings excluded) fails on French
display text. French wording goes in presentation/ (vocabulary.yaml and the *_text modules)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest

from contrat_ville.data import editions
from contrat_ville.evaluation import economy, fiche, finance, scorecard, trends
from contrat_ville.presentation import coverage_text, edition_text, scorecard_text, trends_text, vocabulary

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "src" / "contrat_ville"
SCANNED = ("evaluation", "data")

# French letters, or a French function word standing alone (English text has none of them)
FRENCH = re.compile(
    r"[àâäçéèêëîïôöùûüÿœæ]|\b(?:de|du|des|le|la|les|et|pour|une|dans|aux|sur|avec|sans|voir|ligne|chiffre)\b",
    re.IGNORECASE,
)
# an id (slug, snake_case, file name) is data, not display text, whatever its words
ID = re.compile(r"^[a-z0-9_.\-:/]+$")

# (module, literal) -> why it may stay: reading French input is not writing French output
ALLOWED = {
    (
        "data/editions.py",
        r"(?:\b(?:entre|de)\s+)?\b((?:19|20)\d\d)\s*(?:[-–]|et|à)\s*((?:19|20)\d\d)\b",
    ): "input parsing: the regex reads a year span ('2015-2018', 'entre 2015 et 2018') in the French "
    "text of data/raw; it writes nothing",
    ("evaluation/trends.py", "pour 1 000"): "input parsing: measure_kind reads the units of data/raw, whose ids "
    "are the report's French nouns ('établissements pour 1 000 habitants')",
    ("evaluation/trends.py", "pour 1000"): "input parsing: as above, the unit spelt without the thousands space",
}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def french_literals(source: str) -> list[tuple[int, str]]:
    """(line, literal) of each string constant of `source` that reads as French display text
    (f-string parts included, docstrings excluded)."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    return sorted(
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and not ID.match(node.value)
        and FRENCH.search(node.value)
    )


def _scan() -> dict[tuple[str, str], int]:
    found = {}
    for folder in SCANNED:
        for path in sorted((PACKAGE_DIR / folder).rglob("*.py")):
            name = str(path.relative_to(PACKAGE_DIR))
            for line, literal in french_literals(path.read_text(encoding="utf-8")):
                found.setdefault((name, literal), line)
    return found


def test_computations_and_data_hold_no_french_text():
    found = _scan()
    offending = [
        f"src/contrat_ville/{name}:{line}: {literal!r}"
        for (name, literal), line in found.items()
        if (name, literal) not in ALLOWED
    ]
    assert not offending, (
        "French text in a computation or data module (return an id; put the words in "
        "presentation/vocabulary.yaml or a presentation/*_text.py module): " + "; ".join(offending)
    )


def test_every_allowed_literal_is_still_there():
    # an allow-list entry whose literal has gone is removed, so the list never hides a new one
    assert set(ALLOWED) <= set(_scan())


@pytest.mark.parametrize(
    "source, expected",
    [
        ('LABELS = {"poverty_rate": "Taux de pauvreté"}', ["Taux de pauvreté"]),
        ('ref = f"{table}.csv ligne {n} du rapport"', [" du rapport", ".csv ligne "]),
        ('def f():\n    """Docstrings may be French: la méthode."""\n    return "poverty_rate"', []),
        ('ID = "qpv-hauts-de-chambery"', []),
        ('message = f"{name}: expected an integer"', []),
    ],
)
def test_the_scan_sees_french_literals_and_only_them(source, expected):
    assert [literal for _, literal in french_literals(source)] == expected


# every id a computation returns has its French words in the vocabulary
def test_the_ids_of_the_computations_have_their_french_words():
    assert set(fiche.INDICATORS) == set(vocabulary.FICHE_INDICATORS)
    assert set(finance.CREDIT_TYPES) == set(vocabulary.CREDIT_TYPES)
    assert set(economy.FTE_CONVENTIONS) == set(vocabulary.FTE_CONVENTIONS)
    assert set(trends.MODELS) == set(vocabulary.TREND_MODELS)
    assert set(trends.COMPARED_INDICATORS) == set(vocabulary.COMPARED_INDICATORS)
    assert set(trends.DEFINITIONS) == set(vocabulary.labels("comparison_definitions"))
    assert vocabulary.unit(trends.ESTABLISHMENTS_PER_1000)["label"] == "établissements pour 1 000 habitants"
    assert set(vocabulary.ASSIGNMENT_RULES) == {"report_chapter", "follows_repeat", "same_sentence", "synthesis_theme"}
    assert coverage_text.assignment_rule("follows_repeat", "kf-057") == "suit sa reprise kf-057"
    assert coverage_text.assignment_rule(None) == ""
    assert vocabulary.FTE_CONVENTIONS["statutory"] == "durée légale annuelle (1 607 h)"
    assert vocabulary.TRACK_STATUS_CARDS["planned"] == (
        "piste prévue, pas encore réalisée",
        "pistes prévues, pas encore réalisées",
    )
    assert trends_text.MODELS["poisson"] == "Poisson"


def test_scorecard_source_words():
    ref = (
        "series.csv series_id=a year=2017 report_line=13"
        + scorecard.REFERENCE_SEPARATOR
        + "series.csv series_id=b year=2017 report_line=14"
        + " | series.csv series_id=a year=2018 report_line=15"
        + scorecard.CHANGE_SEPARATOR
        + "key_figures.csv figure_id=kf-001 report_line=99"
    )
    assert scorecard_text.source_words(ref) == (
        "series.csv series_id=a year=2017 ligne 13 du rapport ; référence : series.csv series_id=b year=2017 "
        "ligne 14 du rapport | series.csv series_id=a year=2018 ligne 15 du rapport | évolution : "
        "key_figures.csv figure_id=kf-001 ligne 99 du rapport"
    )
    assert scorecard_text.source_words(float("nan")) != scorecard_text.source_words(float("nan"))  # NaN stays NaN
    assert scorecard_text.source_words("") == ""


def test_update_checklist_unit_in_description():
    checklist = pd.DataFrame({"measures": [f"status ({editions.UNIT_IN_DESCRIPTION}); value (%)", None]})
    assert (
        edition_text.checklist_with_words(checklist)["measures"].tolist()[0] == "status (voir description); value (%)"
    )
