"""A sidecar title naming a period that the table's rows have outgrown ("… 2015-2018" over rows of
the 2019 edition) is reported by `validate --year` / `check-data` for the evaluator to update;
the title itself is data and never rewritten. Rows SYNTHETIC."""

import pandas as pd

from contrat_ville.data import editions, raw
from contrat_ville.run import cli


def tables(title: str, last_edition: int) -> raw.Tables:
    frame = pd.DataFrame({"edition": list(range(2018, last_edition + 1)), "value": 1.0})
    return raw.Tables({"key_figures": frame}, {"key_figures": {"title": title}})


def test_a_title_whose_period_ends_before_the_latest_edition_is_stale():
    found = editions.stale_titles(tables("Chiffres clés du contrat de ville 2015-2018", 2019), 2019)
    assert found.to_dict("records") == [
        {
            "table": "key_figures",
            "title": "Chiffres clés du contrat de ville 2015-2018",
            "period_end": 2018,
            "latest_edition": 2019,
        }
    ]


def test_french_period_forms_are_read_and_current_or_undated_titles_pass():
    assert len(editions.stale_titles(tables("Fonds de concours versés ou votés entre 2015 et 2018", 2019), 2019)) == 1
    assert len(editions.stale_titles(tables("Opérations de 2015 à 2018", 2019), 2019)) == 1
    assert editions.stale_titles(tables("Chiffres clés 2015-2019", 2019), 2019).empty
    assert editions.stale_titles(tables("Chiffres clés 2015-2018", 2018), 2018).empty
    assert editions.stale_titles(tables("Carte d'identité des quartiers", 2019), 2019).empty


def test_validate_year_warns_of_the_stale_title_with_the_file_to_edit():
    (out,) = cli._stale_title_warnings(tables("Chiffres clés du contrat de ville 2015-2018", 2019), 2019)
    assert "warning: data/raw/key_figures.meta.yaml: title 'Chiffres clés du contrat de ville 2015-2018'" in out
    assert "rows of edition 2019: update `title`" in out
