"""The pipeline on the shipped data: papermill runs the notebooks, tidy outputs with
metadata land in the processed folder, and the book shows the portrait chapter."""

import re

import pandas as pd
import pytest
import yaml

from contrat_ville.data import raw
from contrat_ville.data.files import table_names
from contrat_ville.data.paths import RAW_DIR
from contrat_ville.run import pipeline

pytestmark = pytest.mark.slow


def test_run_executes_every_notebook(built):
    report = built["report"]
    assert report.year == 2018
    jobs = pipeline.planned_jobs(pipeline.load_plan(), 2018, raw.validate_all(RAW_DIR), table_names(RAW_DIR))
    ran = report.executed + report.cached
    assert sorted(ran) == sorted(j.id for j in jobs) and len(ran) == len(set(ran))
    # every chapter of the plan, and a fiche for each territory with data of its own
    fiches = {j for j in ran if j.startswith("fiche-")}
    assert len(ran) - len(fiches) == 16 and len(fiches) == 28
    assert report.book_built


def test_portrait_comparisons_match_hand_computation(built):
    table = pd.read_csv(
        built["processed"] / "portrait_comparisons.csv", dtype={"territory_id": str, "reference_id": str}
    )
    value = table.set_index(["territory_id", "reference_id", "indicator_id"])["value"]
    assert value[("qpv-ensemble", "73065", "share_of_population")] == pytest.approx(100 * 9848 / 59183, abs=1e-3)
    assert value[("qpv-ensemble", "200069110", "share_of_jobseekers")] == pytest.approx(100 * 1437 / 10265, abs=1e-3)
    assert value[("qpv-ensemble", "73065", "share_of_social_housing")] == pytest.approx(100 * 4075 / 8786, abs=1e-3)
    assert value[("qpv-hauts-de-chambery", "73065", "median_income_ratio_reference_to_territory")] == pytest.approx(
        19729 / 13397, abs=1e-4
    )
    assert value[("qpv-biollay-bellevue", "73065", "poverty_rate_gap_points")] == pytest.approx(36.7 - 18, abs=1e-6)
    assert pd.isna(value[("qva-ensemble", "73065", "median_income_ratio_reference_to_territory")])  # ND stays missing


def test_processed_metadata_names_notebook_and_inputs(built):
    meta = yaml.safe_load((built["processed"] / "portrait_comparisons.meta.yaml").read_text(encoding="utf-8"))
    assert meta["produced_by"] == "notebooks/portrait.ipynb"
    assert meta["parameters"]["year"] == 2018
    files = {i["file"] for i in meta["inputs"]}
    assert "data/raw/identity_card.csv" in files
    assert all(re.fullmatch(r"[0-9a-f]{64}", i["sha256"]) for i in meta["inputs"])


def test_establishments_per_thousand(built):
    table = pd.read_csv(built["processed"] / "portrait_establishments.csv", dtype={"territory_id": str}).set_index(
        "territory_id"
    )
    assert table.loc["qpv-hauts-de-chambery", "active_per_1000_inhabitants"] == pytest.approx(
        1000 * 422 / 6270, abs=1e-3
    )
    assert table.loc["200069110", "active_per_1000_inhabitants"] == pytest.approx(1000 * 22614 / 133638, abs=1e-3)


def test_portrait_page_shows_table_figure_in_french(built):
    page = (built["site"] / "chapters" / "portrait.html").read_text(encoding="utf-8")
    assert 'lang="fr"' in page
    assert "Carte d&#39;identité des quartiers" in page or "Carte d'identité des quartiers" in page
    assert re.search(r"13[\u202f\u00a0 ]397[\u202f\u00a0 ]€", page)  # French euro formatting
    assert re.search(r"41,4[\u202f\u00a0 ]%", page)
    assert page.count('<img src="data:image/png;base64,') >= 2
    assert re.search(r'<img [^>]*alt="Diagramme[^"]+"', page)
    assert re.search(r"Source[\u00a0 ]:", page)  # no-break space before the colon (French typography)


def test_home_page_quotes_computed_values(built):
    page = (built["site"] / "index.html").read_text(encoding="utf-8")
    assert re.search(r"9[\u202f\u00a0 ]848", page)  # glued from the portrait notebook
    assert re.search(r"17[\u202f\u00a0 ]%", page)


def test_site_has_no_external_urls_in_scripts_or_styles(built):
    for page in built["site"].rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', html)
        assert not external, f"{page.name} loads {external}"
