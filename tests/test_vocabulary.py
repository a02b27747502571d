"""One vocabulary, declared once: every id of data/raw has a French label in
presentation/vocabulary.yaml, no module keeps a label dict of its own, and the book's
chapter titles come from runplan.yaml alone."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from contrat_ville.data import runplan
from contrat_ville.data.paths import NOTEBOOKS_DIR, PACKAGE_DIR, RAW_DIR, ROOT
from contrat_ville.presentation import fmt, vocabulary

# columns of data/raw holding ids, and the vocabulary section labelling them
# (fonds_de_concours.theme is text as the report prints it, not an id)
ID_COLUMNS = {
    "pillar": "pillars",
    "theme": "themes",
    "chapter": "report_chapters",
    "qualifier": "qualifiers",
    "period_kind": "period_kinds",
    "desired_direction": "directions",
    "indicator_class": "indicator_classes",
    "unit": "units",
    "quantity_unit": "units",
    "comparability": "comparability",
    "impact": "assumption_impacts",
}
TEXT_COLUMNS = {("fonds_de_concours", "theme")}


def _raw_ids() -> list[tuple[str, str, str, str]]:
    found = []
    for path in sorted(RAW_DIR.glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column, section in ID_COLUMNS.items():
            if column in frame.columns and (path.stem, column) not in TEXT_COLUMNS:
                found += [(path.stem, column, section, v) for v in sorted(set(frame[column]) - {""})]
    return found


def test_every_id_of_the_raw_tables_has_a_label():
    entries = vocabulary.vocabulary()
    ids = _raw_ids()
    assert {(table, column) for table, column, _, _ in ids} >= {
        ("indicators", "pillar"),
        ("key_figures", "theme"),
        ("key_figures", "unit"),
        ("qva_actions_2018", "quantity_unit"),
    }
    missing = [
        f"{table}.{column} = {value!r}" for table, column, section, value in ids if value not in entries[section]
    ]
    assert not missing, "ids without a label in vocabulary.yaml: " + "; ".join(missing)


def test_every_series_of_the_trend_chapter_has_a_label():
    # the trend chapter shows these ids as the "Série" column: each needs a French label
    annual = pd.read_csv(RAW_DIR / "annual_series.csv", dtype=str)["series_id"]
    external = pd.read_csv(RAW_DIR / "external_figures.csv", dtype=str)["indicator_id"]
    missing = sorted((set(annual) | set(external)) - set(vocabulary.SERIES))
    assert not missing, "series without a label in vocabulary.yaml (section 'series'): " + ", ".join(missing)


def test_unknown_id_is_an_error_naming_the_section():
    assert vocabulary.label("pillars", "emploi_developpement_economique") == "Emploi et développement économique"
    with pytest.raises(KeyError, match="'pillars' section"):
        vocabulary.label("pillars", "emploi")


def test_labels_follow_the_report_wording():
    report_chapter = vocabulary.REPORT_CHAPTERS
    assert vocabulary.PILLARS["emploi_developpement_economique"] == report_chapter["emploi"]
    assert report_chapter["prevention_sante"] == "Prévention de la délinquance et santé"
    assert vocabulary.PILLARS["transversal"] == "Enjeux transversaux"


def _labels_to_find() -> set[str]:
    """Labels distinctive enough that finding one as a string literal in code means a copy."""
    entries = vocabulary.vocabulary()
    texts = set()
    for section in (
        "pillars",
        "report_chapters",
        "themes",
        "trend_statuses",
        "claim_statuses",
        "verdicts",
        "edition_statuses",
        "coverage_statuses",
        "coverage_reasons",
        "report_item_kinds",
        "report_item_statuses",
        "book_pages",
        "track_statuses",
        "fte_conventions",
        "assignment_rules",
        "trend_models",
        "comparison_definitions",
    ):
        texts |= set(vocabulary.labels(section).values())
    texts |= set(vocabulary.REPORT_ITEM_KIND_SUMMARIES.values())
    texts |= {
        f for forms in (*vocabulary.TRACK_STATUS_CARDS.values(), *vocabulary.TRACK_STATUS_VERBS.values()) for f in forms
    }
    texts |= set(vocabulary.INDICATOR_CLASSES.values()) | set(vocabulary.INDICATOR_CLASSES_PLURAL.values())
    texts |= {rule["situation"].split(" {")[0] for rule in entries["verdict_rules"].values()}
    texts |= set(vocabulary.VERDICT_MOTIFS.values()) | {
        f
        for counts in (vocabulary.CLAIM_STATUS_COUNTS, vocabulary.VERDICT_COUNTS)
        for forms in counts.values()
        for f in forms
    }
    texts |= {u["singular"] for u in entries["units"].values() if u and "singular" in u}
    texts |= set(runplan.chapter_titles().values())
    # the wordings that disagreed before the vocabulary
    texts |= {"Développement économique et emploi", "Prévention et santé", "Enjeux transversaux et contexte"}
    return {t for t in texts if " " in t}  # single words ("Sport", "Territoire") occur as column names


def _code_sources() -> dict[str, str]:
    sources = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sorted(PACKAGE_DIR.rglob("*.py"))}
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        sources[str(path.relative_to(ROOT))] = "\n".join(
            "".join(c["source"]) for c in cells if c["cell_type"] == "code"
        )
    return sources


# the same words in another role (not a label of the id)
NOT_COPIES = {
    ("notebooks/fiche.ipynb", "Renouvellement urbain"),  # title of the fiche's table of urban renewal
    ("src/contrat_ville/presentation/sentences.py", "sans objet"),  # what fmt.NOT_APPLICABLE means, in comments
}


def test_no_module_keeps_its_own_labels():
    copies = []
    labels = _labels_to_find()
    for name, text in _code_sources().items():
        for literal in re.findall(r"\"([^\"\n]+)\"|'([^'\n]+)'", text):
            value = literal[0] or literal[1]
            if value in labels and (name, value) not in NOT_COPIES:
                copies.append(f"{name}: {value!r}")
    assert not copies, "labels declared outside vocabulary.yaml / runplan.yaml: " + "; ".join(copies)


def test_the_test_above_sees_a_copy():
    code = 'PILLAR_LABELS = {"emploi_developpement_economique": "Emploi et développement économique"}'
    found = [a or b for a, b in re.findall(r"\"([^\"\n]+)\"|'([^'\n]+)'", code)]
    assert "Emploi et développement économique" in found and "Emploi et développement économique" in _labels_to_find()


def test_each_chapter_heading_is_its_run_plan_title():
    for chapter_id, title in runplan.chapter_titles().items():
        if "{" in title:
            continue  # the fiches' title is a pattern filled per territory
        cells = json.loads((NOTEBOOKS_DIR / f"{chapter_id}.ipynb").read_text(encoding="utf-8"))["cells"]
        heading = next(
            line[2:]
            for c in cells
            if c["cell_type"] == "markdown"
            for line in "".join(c["source"]).splitlines()
            if line.startswith("# ")
        )
        # a heading may add a subtitle after " : " ("Tendances : ce qui a bougé ...")
        assert heading == title or heading.startswith(title + " : "), f"{chapter_id}: {heading!r} vs {title!r}"


def test_unknown_chapter_is_an_error():
    assert runplan.chapter_title("emploi") == "Emploi et développement économique"
    with pytest.raises(KeyError, match="'nowhere' is not in runplan.yaml"):
        runplan.chapter_title("nowhere")


def test_one_unit_formatter():
    """Values with a unit symbol are printed by fmt.by_unit only: no other module of the
    package writes `k€` or `M€` after a number, or formats a currency itself."""
    copies = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if path.name == "fmt.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#")[0]
            if (
                re.search(r"""["'][^"']*\b[kM]€|[kM]€["']|format_currency""", code)
                and "re.compile" not in code
                and "`" not in code
            ):
                copies.append(f"{path.relative_to(PACKAGE_DIR)}:{number}: {line.strip()}")
    assert not copies, "value-with-unit formatting outside fmt.by_unit: " + "; ".join(copies)
    assert fmt.by_unit(13397, "eur") == fmt.by_unit(13397, "euros")


def test_vocabulary_file_is_part_of_the_package_hash():
    from contrat_ville.data.paths import package_sources

    assert vocabulary.VOCABULARY_FILE in package_sources()
    assert Path(vocabulary.VOCABULARY_FILE).parent == PACKAGE_DIR / "presentation"


def test_every_edition_status_has_its_label_and_counted_words():
    from contrat_ville.data import editions
    from contrat_ville.presentation import edition_text

    assert set(vocabulary.EDITION_STATUSES) == set(editions.STATUSES)
    assert all(len(forms) == 2 for forms in vocabulary.EDITION_STATUS_COUNTS.values())
    assert edition_text.STATUS_LABELS["carried"] == "Historique repris"
    assert edition_text.status_phrase("equal", 2) == "2 éléments inchangés"
    assert edition_text.status_phrase("no_longer_published", 1) == "1 élément qui n'est plus publié"


def test_every_period_kind_has_its_adjective():
    # the edition comparison words a change of period kind: "période cumulée → annuelle"
    from contrat_ville.presentation import edition_text

    assert set(vocabulary.PERIOD_ADJECTIVES) == set(vocabulary.PERIOD_KINDS)
    assert edition_text.reason("period_kind cumulative -> annual") == "période cumulée → annuelle"
    assert edition_text.reason("period_kind annual_average -> one_off") == "période moyenne annuelle → ponctuelle"


def test_chapter_ids_by_part_of_the_book():
    every = runplan.chapter_ids()
    assert every == list(runplan.chapter_titles())  # plan order, every notebook
    plan = yaml.safe_load(runplan.RUN_PLAN.read_text(encoding="utf-8"))["notebooks"]
    assert {entry.get("part") for entry in plan} <= set(runplan.PARTS), "every notebook names a known part"
    assert runplan.chapter_ids("evaluation") == ["tableau_de_bord", "tendances"]
    report = runplan.chapter_ids("report")
    assert report[0] == "portrait" and "emploi" in report and "controle" not in report
    assert runplan.chapter_ids("evaluation", "report") == runplan.chapter_ids("evaluation") + report
    with pytest.raises(KeyError, match="unknown part"):
        runplan.chapter_ids("reader")


def test_the_parts_of_the_run_plan_are_those_of_the_table_of_contents():
    # the two reader parts of book/_toc.yml list exactly the run plan's evaluation and report chapters
    toc = yaml.safe_load((ROOT / "book" / "_toc.yml").read_text(encoding="utf-8"))["parts"]
    files = [[c["file"].removeprefix("chapters/") for c in part["chapters"]] for part in toc]
    assert files[0] == runplan.chapter_ids("evaluation")
    assert files[1] == runplan.chapter_ids("report")
    annex = [f for part in files[2:] for f in part]
    assert set(runplan.chapter_ids("control", "annex")) <= set(annex)
