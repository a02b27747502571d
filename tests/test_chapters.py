"""The book's chapters after a full run: every page exists and shows its tables and key
figures; processed totals equal the totals the report prints; the coverage page agrees
with what the chapters show."""

import html
import re

import pandas as pd
import pytest
import yaml

from contrat_ville.data import raw, runplan
from contrat_ville.data.paths import RAW_DIR
from contrat_ville.data.slug import slug
from contrat_ville.evaluation import coverage, key_figures
from contrat_ville.presentation import key_figures_text, vocabulary

pytestmark = pytest.mark.slow

# the pages that list what they show (<id>_shown.csv): the report's chapters, from the run plan,
# and the coverage page, which lists the raw tables it displays too
CHAPTERS = [*runplan.chapter_ids("report"), "couverture"]

# titles of the tables and charts each page must show (beginning of the caption)
EXPECTED_TITLES = {
    "portrait": [
        "Carte d'identité des quartiers",
        "Taux de pauvreté et revenu médian : quartiers, ville et agglomération",
        "IRIS du quartier vécu",
        "IRIS du quartier vécu : part de la surface du QPV, par IRIS et quartier prioritaire",
        "Structure par âge : parts des moins de 15 ans et des 75 ans et plus",
        "Chiffres cités dans le texte du portrait",
    ],
    "cadre_de_vie": [
        "Les deux projets de renouvellement urbain comparés",
        "Logements concernés par les deux projets",
        "Fonds de concours : totaux publiés et recalculés",
        "Fonds de concours 2015-2018 par quartier",
        "Fonds de concours 2015-2018 par thème",
        "Fonds de concours 2015-2018 par commune",
        "Les 24 opérations soutenues par fonds de concours",
        "L'opération « Cœur de cité » en chiffres",
        "Plan de financement du « Cœur de cité » et part du coût couverte",
        "Cœur de cité : financements listés face au coût",
        "Chiffres clés du cadre de vie",
    ],
    "quartiers_veille": [
        "Actions menées en 2018 dans les communes à quartier en veille active",
        "Nombre d'actions citées par commune",
        "Correspondants de nuit : soirées et binômes",
        "Fonds de concours 2015-2018 par quartier en veille active",
    ],
    "emploi": [
        "Sorties positives du PLIE en 2018",
        "Chiffres clés publiés du PLIE",
        "Clauses sociales 2018",
        "Clauses sociales 2018 : où habitent les salariés en insertion",
        "Chiffres clés publiés des clauses sociales",
        "Chiffres clés publiés de « 100 chances 100 emplois »",
        "Chiffres clés publiés du CitésLab",
        "Chiffres clés publiés des forums pour l'emploi",
        "Autres chiffres clés publiés du pilier emploi",
        "Établissements et créations pour 1 000 habitants",
        "Établissements actifs et nouvelles inscriptions pour 1 000 habitants",
    ],
    "cohesion_sociale": ["Cohésion sociale : publics touchés par action, cumul 2015-2018"]
    + [f"{label} — " for label in (vocabulary.REPORT_CHAPTERS[s] for s in key_figures.COHESION_SECTIONS)],
    "numerique": [
        "Accès aux droits par le numérique",
        "Éducation aux médias et aux écrans",
        "Insertion par le numérique",
    ],
    "financements": [
        "Financements 2015-2018 par financeur et type de crédits (euros)",
        "Financements 2015-2018 par financeur et type de crédits (millions d'euros)",
        "Parts des financeurs : publiées et recalculées",
        "Parts des trois financeurs",
        "Financements 2015-2018 par type de crédits",
        "Financements : chiffres clés publiés",
    ],
    "perspectives": ["Les 4 pistes d'amélioration de 2016 et leur état à fin 2018"],
    "couverture": [
        "Couverture du rapport annuel par le livre",
        "Tableaux et graphiques du rapport et leur place dans le livre",
        "Données non reprises et raison",
        "Mentions de chiffres clés par chapitre du livre",
        "Tables brutes transcrites du rapport et chapitres qui les affichent",
    ],
}


def text(value: str) -> str:
    """Page or value text with entities decoded and every kind of space made plain."""
    return re.sub(r"[\u202f\u00a0 ]+", " ", html.unescape(value))


@pytest.fixture(scope="module")
def pages(built):
    return {c: text((built["site"] / "chapters" / f"{slug(c)}.html").read_text(encoding="utf-8")) for c in CHAPTERS}


@pytest.fixture(scope="module")
def raw_html(built):
    return {c: (built["site"] / "chapters" / f"{slug(c)}.html").read_text(encoding="utf-8") for c in CHAPTERS}


def processed(built, name, **kwargs):
    return pd.read_csv(built["processed"] / f"{name}.csv", **kwargs)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_page_shows_its_tables_and_charts(pages, raw_html, chapter):
    page = pages[chapter]
    for title in EXPECTED_TITLES[chapter]:
        assert text(title) in page, f"{chapter}: missing '{title}'"
    captions = raw_html[chapter].count('<figcaption class="cv-title">')
    # "Source : " carries a no-break space before the colon once French typography is applied
    assert captions == len(re.findall(r'<p class="cv-source">Source[\u00a0 ]: ', raw_html[chapter])), (
        "every table and chart has a source line"
    )
    for alt in re.findall(r'<img src="data:image/png;base64,[^"]+" alt="([^"]*)"', raw_html[chapter]):
        assert len(alt) > 80 and re.search(r"\d", alt), "alt text names what is shown and its values"
    assert "Provenance et reproduction de ce chapitre" in page


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_french_number_was_mangled_by_glue(pages, chapter):
    # a decimal comma read by Python as a tuple separator would print "(49, 8)"
    assert not re.search(r"\(\d+, \d+\)", pages[chapter])


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_declared_raw_tables_are_cited_on_the_page(pages, chapter):
    for name in coverage.CHAPTER_RAW_TABLES[chapter]:
        assert f"data/raw/{name}.csv" in pages[chapter], f"{chapter} does not cite {name}"


def test_every_key_figure_is_shown_on_its_chapter_page(pages):
    figures = key_figures.assign_chapters(raw.load("key_figures", RAW_DIR))
    for row in figures.itertuples():
        page = pages[row.book_chapter]
        assert text(key_figures_text.render(row._asdict())) in page, f"{row.figure_id} ({row.book_chapter})"
        assert text(key_figures_text.period_label(row.period_start, row.period_end, row.period_kind)) in page


def test_chapters_saved_lists_agree_with_the_coverage_page(built):
    saved = {p.name.removesuffix("_shown.csv") for p in built["processed"].glob("*_shown.csv")}
    assert saved == set(CHAPTERS), "every page that saves what it shows is checked here"
    shown = pd.concat([processed(built, f"{c}_shown") for c in CHAPTERS], ignore_index=True)
    figures = shown[shown.item_kind == "key_figure"]
    cover = processed(built, "couverture_key_figures").set_index("figure_id")
    assert set(figures["item_id"]) == set(cover.index) == set(raw.load("key_figures", RAW_DIR)["figure_id"])
    assert not figures["item_id"].duplicated().any(), "each key figure mention is shown in one chapter"
    assert (figures.set_index("item_id")["book_chapter"] == cover.loc[figures["item_id"], "book_chapter"]).all()
    tables = shown[shown.item_kind == "raw_table"].groupby("book_chapter")["item_id"].apply(set).to_dict()
    assert tables == {c: set(t) for c, t in coverage.CHAPTER_RAW_TABLES.items()}


def test_coverage_counts_and_gap_list(built, pages):
    summary = processed(built, "couverture_summary").set_index("what")
    assert summary.loc["Tableaux du rapport", ["total", "in_book", "gaps"]].tolist() == [10, 9, 1]
    assert summary.loc["Graphiques du rapport", ["total", "in_book", "gaps"]].tolist() == [6, 1, 5]
    assert summary.loc["Chiffres clés (mentions)", ["total", "in_book", "gaps"]].tolist() == [217, 217, 0]
    gaps = processed(built, "couverture_gaps")
    assert len(gaps) == 6 and gaps["reason"].isin(coverage.REASONS + ("chart_lost;cited_values_shown",)).all()
    assert gaps["reason_label"].str.len().gt(20).all()
    for title, reason in zip(gaps["what"], gaps["reason_label"]):
        assert text(title) in pages["couverture"] and text(reason) in pages["couverture"]


def test_fonds_de_concours_totals_match_the_report(built):
    checks = processed(built, "cadre_de_vie_fdc_checks").set_index(["total_id", "measure"])
    expected = {
        ("sous-total-qpv", "cost_ht_eur"): 1278672,
        ("sous-total-qpv", "grand_chambery_eur"): 298358,
        ("sous-total-qva", "cost_ht_eur"): 3116338,
        ("sous-total-qva", "grand_chambery_eur"): 668491,
        ("total-general", "cost_ht_eur"): 4395010,
        ("total-general", "grand_chambery_eur"): 966849,
    }
    for key, value in expected.items():
        assert checks.loc[key, "computed"] == value == checks.loc[key, "published"]
    qva = processed(built, "quartiers_veille_fdc").set_index("territory_id").loc["Total"]
    assert (qva["cost_ht_eur"], qva["grand_chambery_eur"]) == (3116338, 668491)
    ops = processed(built, "cadre_de_vie_fdc_operations").set_index("operation_id")
    assert ops.loc["fdc-01", "participation_rate_pct"] == pytest.approx(100 * 75750 / 337000, abs=1e-4)


def test_funders_totals_match_the_report(built):
    funders = processed(built, "financements_by_funder").drop_duplicates("funder_id").set_index("funder_id")
    for funder, total in {"etat": 3563915, "grand_chambery": 3131124, "ville_chambery": 1242927}.items():
        assert funders.loc[funder, "funder_total_computed"] == total == funders.loc[funder, "funder_total_published"]
    shares = processed(built, "financements_shares").dropna(subset=["amount_eur"]).set_index("funder_id")
    assert shares.loc["etat", "share_published_pct"] == 36
    assert shares.loc["etat", "share_of_engaged_pct"] == pytest.approx(100 * 3563915 / 10.8e6, abs=1e-3)
    credits = processed(built, "financements_credit_types").set_index("credit_type")
    assert credits.loc["credits_specifiques", "gap_eur"] == 4341174 - 4265462


def test_financing_discrepancies_are_shown_not_hidden(pages):
    page = pages["financements"]
    for value in ("36 %", "33,0 %", "4 341 174 €", "4 265 462 €", "75 712 €"):
        assert value in page


def test_bellevue_plan_coverage(built, pages):
    cover = processed(built, "cadre_de_vie_bellevue_coverage").set_index("cost_base")
    assert cover.loc["cost_ht", "coverage_pct"] == pytest.approx(100 * 8737 / 10498, abs=1e-3)
    assert cover.loc["cost_ttc", "coverage_pct"] == pytest.approx(100 * 8737 / 11806, abs=1e-3)
    assert "83,2 %" in pages["cadre_de_vie"] and "74,0 %" in pages["cadre_de_vie"]


def test_employment_indicators(built, pages):
    fte = processed(built, "emploi_social_clauses_fte").set_index("hours_per_fte")
    assert fte.loc[1607, "fte"] == pytest.approx(90628 / 1607, abs=1e-3)
    plie = processed(built, "emploi_plie").set_index("indicator_id")
    assert plie.loc["change_since_first_year_pct", "value"] == pytest.approx(100 * (330 - 440) / 440)
    assert plie.loc["exit_types_sum", "value"] == 35
    gaps = processed(built, "emploi_establishment_gaps", dtype={"reference_id": str}).set_index(
        ["reference_id", "indicator_id"]
    )
    assert gaps.loc[("73065", "active_per_1000_inhabitants"), "territory_value"] == pytest.approx(
        1000 * 692 / 9848, abs=1e-3
    )
    assert "56,4" in pages["emploi"] and "1 820" in pages["emploi"]


def test_commune_action_matrix(built):
    matrix = processed(built, "quartiers_veille_actions_matrix", dtype={"commune_insee": str})
    assert len(matrix) == 8 * 9 and matrix["actions"].sum() == 28


def test_qualifiers_are_kept_on_the_pages(pages):
    assert "environ 9 000 personnes par an" in pages["cohesion_sociale"]
    assert "près de 850 logements" in pages["cadre_de_vie"]
    assert "plus de 1 000 familles et professionnels" in pages["numerique"]
    assert "2015-2018 (cumul)" in pages["emploi"]


def test_processed_tables_carry_metadata(built):
    for meta_path in built["processed"].glob("*.meta.yaml"):
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
        assert meta["produced_by"].startswith("notebooks/") and meta["inputs"], meta_path.name
        csv = meta_path.with_name(meta_path.name.replace(".meta.yaml", ".csv"))
        assert csv.exists() and [c["name"] for c in meta["columns"]] == list(pd.read_csv(csv, nrows=0).columns)


def test_glossary_page(built):
    page = text((built["site"] / "glossaire.html").read_text(encoding="utf-8"))
    for term in (
        "QPV",
        "QVA",
        "IRIS",
        "Quartier vécu",
        "Crédits spécifiques",
        "Droit commun",
        "PLIE",
        "DEFM ABC",
        "Filosofi",
        "RPLS",
        "SIRENE",
        "ETP",
        "Clauses sociales",
        "Fonds de concours",
        "ANRU",
        "NPNRU",
        "CitésLab",
        "ASL",
    ):
        assert term in page, term
    assert "1 607" in page and "1 820" in page  # glued from the emploi notebook


def test_table_of_contents_lists_the_chapters(built):
    index = text((built["site"] / "index.html").read_text(encoding="utf-8"))
    titles = runplan.chapter_titles()  # the one registry of chapter titles
    for title in [titles[c] for c in CHAPTERS] + ["Glossaire"]:
        assert title in index, title
