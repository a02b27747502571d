"""Editions by year on the pipeline: a partial SYNTHETIC 2019 drop builds a 2019 edition
with ND and a comparison page; a year without data stops before anything is written."""

import html
import re

import pandas as pd
import pytest

from contrat_ville.data.raw import validate_all
from contrat_ville.data.slug import slug
from contrat_ville.evaluation.fiche import territories_with_data
from contrat_ville.run import pipeline

pytestmark = pytest.mark.slow


def test_2019_edition_builds_with_comparison_and_fiches(built_2019):
    report, site = built_2019["report"], built_2019["site"]
    assert report.year == 2019 and report.book_built
    changes = pd.read_csv(built_2019["processed"] / "edition_changes.csv")
    statuses = changes.set_index(["table", "item", "measure"])["status"]
    assert statuses[("identity_card", "qpv-hauts-de-chambery / population", "value")] == "down"
    assert statuses[("identity_card", "qpv-hauts-de-chambery / median_income_eur", "value")] in ("up", "revised")
    assert statuses[("key_figures", "kf-017", "value")] == "not_comparable"
    summary = pd.read_csv(built_2019["processed"] / "edition_summary.csv").set_index("status")["items"]
    assert summary["new"] == 3 and summary["not_comparable"] == 3
    page = html.unescape((site / "chapters" / "comparaison_editions.html").read_text(encoding="utf-8"))
    assert "Changements réels" in page and "Entre l'édition 2018 et l'édition 2019" in page


def test_2019_missing_data_is_listed_and_shown_nd(built_2019):
    gaps = pd.read_csv(built_2019["processed"] / "missing_data.csv")
    absent = set(gaps.loc[gaps.reason == "absent", "table"])
    assert {"iris_quartier_vecu", "key_figures", "bellevue_financing_plan", "identity_card"} <= absent
    assert not {"annual_series", "fonds_de_concours"} & absent  # history is carried, never missing
    nd = gaps[gaps.reason == "published_nd"].set_index(["table", "item"])["measure"]
    assert nd[("establishments", "qpv-biollay-bellevue")] == "new_establishments_per_year_avg"
    portrait = (built_2019["site"] / "chapters" / "portrait.html").read_text(encoding="utf-8")
    assert "ND" in portrait


def test_every_territory_with_data_gets_a_fiche_and_the_others_are_listed(built_2019):
    tables = validate_all(built_2019["raw"])
    with_data = territories_with_data(tables, 2019)
    pages = {p.name for p in (built_2019["site"] / "fiches").glob("fiche-*.html")}
    assert pages == {f"fiche-{slug(t)}.html" for t in with_data}
    index = (built_2019["site"] / "fiches" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{p}"' in index for p in pages)
    others = set(tables["territories"]["territory_id"]) - with_data
    assert "qva-synthetique-test" in others  # SYNTHETIC: a territory with no figure of its own
    assert "Territoires sans donnée propre" in index


def test_year_without_data_fails_and_writes_nothing(tmp_path):
    processed, site = tmp_path / "processed", tmp_path / "site"
    with pytest.raises(pipeline.PipelineError) as info:
        pipeline.run(
            year=2025, processed_root=processed, site_dir=site, build_dir=tmp_path / "build", log=lambda *_: None
        )
    message = str(info.value)
    assert "no data for edition 2025" in message and "identity_card.csv [2018]" in message
    assert not processed.exists() and not site.exists()


def test_markup_in_a_territory_name_is_shown_as_text(built_2019):
    # the SYNTHETIC territory has no data of its own: it is listed on the index, without a page
    assert not (built_2019["site"] / "fiches" / "fiche-qva-synthetique-test.html").exists()
    index = (built_2019["site"] / "fiches" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in index and "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    assert "*Quartier*" in index  # Markdown emphasis not interpreted


def test_rebuilding_2018_after_2019_and_2020_is_byte_identical(tmp_path):
    """With the SYNTHETIC 2019 and 2020 drops in data/raw, the 2018 edition's processed tables are
    those committed in data/processed/2018 (an edition never reads a later one). The metadata
    files differ only by the SHA-256 of the raw files read, which the drops change."""
    import shutil
    from pathlib import Path

    from conftest import SYNTHETIC_2019, add_drop
    from contrat_ville.data.paths import RAW_DIR

    raw_dir = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw_dir)
    add_drop(raw_dir, SYNTHETIC_2019)
    add_drop(raw_dir, Path(__file__).parent / "fixtures" / "synthetic_2020")
    pipeline.run(  # the processed tables are the claim: no book needed
        year=2018,
        raw_dir=raw_dir,
        processed_root=tmp_path / "processed",
        site_dir=tmp_path / "site",
        build_dir=tmp_path / "build",
        build=False,
        log=lambda *_: None,
    )
    committed = RAW_DIR.parent / "processed" / "2018"
    rebuilt = tmp_path / "processed" / "2018"
    names = sorted(p.name for p in committed.glob("*.csv"))
    assert names == sorted(p.name for p in rebuilt.glob("*.csv"))
    different = [n for n in names if (committed / n).read_bytes() != (rebuilt / n).read_bytes()]
    assert different == []


def test_sidebar_part_captions_take_the_edition(tmp_path):
    """The table of contents' captions head the sidebar: a year in them is the run's, stamped
    into the staged copy ("Bilan 2019 par pilier" in the 2019 site, never a stale 2018)."""
    import yaml

    from contrat_ville.data.paths import ROOT
    from contrat_ville.publish import edition

    source = (ROOT / "book" / "_toc.yml").read_text(encoding="utf-8")
    captions = [part["caption"] for part in yaml.safe_load(source)["parts"]]
    assert "Bilan {edition} par pilier" in captions
    assert not [c for c in captions if re.search(r"\b(19|20)\d\d\b", c)], captions
    (tmp_path / "_config.yml").write_text('title: "Édition {edition}"\n', encoding="utf-8")
    (tmp_path / "_toc.yml").write_text(source, encoding="utf-8")
    edition.stamp_config(tmp_path, 2019)
    stamped = yaml.safe_load((tmp_path / "_toc.yml").read_text(encoding="utf-8"))
    assert "Bilan 2019 par pilier" in [part["caption"] for part in stamped["parts"]]
