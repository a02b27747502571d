"""French sentence helpers (presentation.sentences), the change since the previous vintage
(evaluation.vintages) and the edition stamped into the book's configuration: every branch.
The frames below are SYNTHETIC (invented values), not figures of the report."""

import pandas as pd
import pytest

from contrat_ville.evaluation import vintages
from contrat_ville.presentation import fmt, sentences
from contrat_ville.publish import edition


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_count_agrees_and_never_reads_missing_as_zero():
    assert sentences.count(1, "opération", "opérations", feminine=True) == "1 opération"
    assert plain(sentences.count(2600, "opération", "opérations")) == "2 600 opérations"
    assert sentences.count(0, "opération", "opérations", feminine=True) == "aucune opération"
    assert sentences.count(0, "chiffre vérifiable", "chiffres vérifiables") == "aucun chiffre vérifiable"
    assert sentences.count(None, "habitant", "habitants") == "un nombre non disponible d'habitants (ND)"
    assert sentences.count(pd.NA, "point", "points") == "un nombre non disponible de points (ND)"
    assert sentences.plural(1.5, "an", "ans") == "an" and sentences.plural(2, "an", "ans") == "ans"


def test_elision_and_lists_and_quotes():
    assert sentences.de("opérations") == "d'opérations"
    assert sentences.de("habitants") == "d'habitants"  # mute h
    assert sentences.de("Hauts-de-Chambéry") == "de Hauts-de-Chambéry"  # aspirated h
    assert sentences.de("participants") == "de participants"
    assert sentences.que("en 2018") == "qu'en 2018" and sentences.que("dans") == "que dans"
    assert sentences.join([]) == "" and sentences.join(["a"]) == "a"
    assert sentences.join(["a", "b"]) == "a et b" and sentences.join(["a", "b", "c"]) == "a, b et c"
    assert sentences.quote(" depuis 2015 ") == "«\u00a0depuis 2015\u00a0»"


def test_periods_and_months_come_from_the_row():
    assert sentences.period(2018, 2018) == "en 2018"
    assert sentences.period(2015, 2018) == "de 2015 à 2018"
    assert sentences.period(pd.NA, pd.NA) == "à une date non publiée"
    assert sentences.years_span(2015, 2018) == "2015-2018" and sentences.years_span(2018, 2018) == "2018"
    assert sentences.month(10, 2018) == "octobre 2018" and sentences.month(7) == "juillet"
    assert sentences.month(pd.NA, 2018) == "2018" and sentences.month(pd.NA) == "à une date non publiée (ND)"
    assert sentences.outlook_lead(2018) == "Pour 2019 et 2020, le rapport annuel 2018"


@pytest.mark.parametrize(
    "change,expected", [(3, "en hausse"), (-0.5, "en baisse"), (0, "stable"), (None, "non comparable (ND)")]
)
def test_direction_every_branch(change, expected):
    assert sentences.direction(change) == expected


def test_compare_and_signed():
    assert sentences.compare(1, 2) == "plus faible" and sentences.compare(3, 2) == "plus élevé"
    assert sentences.compare(2, 2) == "égal" and sentences.compare(None, 2) is None
    assert sentences.signed(12) == "+12" and sentences.signed(-37) == "-37" and sentences.signed(0) == "0"
    assert sentences.signed(pd.NA) == "ND"
    assert plain(sentences.signed(-1500, fmt.euros)) == "-1 500 €"


def test_change_sentence_every_branch():
    label, where = "Demandeurs d'emploi", "Hauts-de-Chambéry"
    assert (
        sentences.change_sentence(label, where, (2018, 968), (2019, 931))
        == "Hauts-de-Chambéry, demandeurs d'emploi : 931 en 2019, contre 968 en 2018 (en baisse de 37)."
    )
    assert sentences.change_sentence(label, where, (2018, 900), (2019, 931)).endswith("(en hausse de 31).")
    assert sentences.change_sentence(label, where, (2018, 931), (2019, 931)).endswith("931 en 2019, comme en 2018.")
    assert sentences.change_sentence(label, where, None, (2019, 931)).endswith(
        "aucune valeur antérieure comparable (ND)."
    )
    assert sentences.change_sentence(label, where, (2018, 968), (2019, None)).endswith("non publié en 2019 (ND).")


def test_partial_total_never_sums_known_parts_as_the_total():
    parts = (("habitant", "habitants"), ("IRIS", "IRIS"))
    assert plain(sentences.partial_total(15857, 9, 0, *parts)) == "comptent ensemble 15 857 habitants"
    assert sentences.partial_total(pd.NA, 9, 9, *parts) == "n'ont pas de nombre d'habitants publié (ND)"
    assert sentences.partial_total(pd.NA, 9, 1, *parts) == (
        "ont un total inconnu (ND) : 1 IRIS sur 9 n'a pas de valeur publiée"
    )
    assert sentences.partial_total(pd.NA, 9, 2, *parts).endswith("2 IRIS sur 9 n'ont pas de valeur publiée")


def test_not_comparable_names_the_reason():
    assert sentences.not_comparable(vintages.VINTAGE_UNKNOWN) == "ND (millésime non précisé)"
    assert sentences.not_comparable("") == ""
    assert set(sentences.NOT_COMPARABLE) >= {
        vintages.NO_EARLIER,
        vintages.NOT_PUBLISHED,
        vintages.EARLIER_NOT_PUBLISHED,
        vintages.VINTAGE_UNKNOWN,
        vintages.SAME_VINTAGE,
        vintages.NOT_CONSECUTIVE,
        vintages.UNIT_CHANGED,
    }


def synthetic_card(rows):
    """SYNTHETIC identity-card rows: (edition, territory, indicator, value, unit, vintage)."""
    return pd.DataFrame(rows, columns=["edition", "territory_id", "indicator_id", "value", "unit", "vintage"])


def test_vintage_changes_every_reason():
    card = synthetic_card(
        [
            (2018, "t1", "jobseekers", 100, "n", 2018),
            (2019, "t1", "jobseekers", 90, "n", 2019),  # comparable, down 10
            (2018, "t2", "jobseekers", 50, "n", 2018),
            (2019, "t2", "jobseekers", None, "n", 2019),  # ND this edition
            (2018, "t3", "jobseekers", None, "n", 2018),
            (2019, "t3", "jobseekers", 40, "n", 2019),  # earlier ND
            (2018, "t4", "income", 13000, "eur", None),
            (2019, "t4", "income", 13500, "eur", None),  # vintage not stated
            (2018, "t5", "population", 600, "n", 2015),
            (2019, "t5", "population", 610, "n", 2015),  # same vintage, restated
            (2018, "t6", "population", 600, "n", 2013),
            (2019, "t6", "population", 610, "n", 2016),  # vintages not consecutive
            (2018, "t7", "rate", 40, "%", 2018),
            (2019, "t7", "rate", 40, "points", 2019),  # unit changed
            (2019, "t8", "rate", 12, "%", 2019),  # new: no earlier edition
            (2020, "t1", "jobseekers", 70, "n", 2020),  # later edition: never seen by 2019
        ]
    )
    out = vintages.changes(card, 2019).set_index("territory_id")
    assert out.loc["t1", "comparable"] and out.loc["t1", "change"] == -10
    assert (out.loc["t1", "previous_year"], out.loc["t1", "previous_value"], out.loc["t1", "year"]) == (2018, 100, 2019)
    reasons = out["reason"].to_dict()
    assert reasons == {
        "t1": "",
        "t2": vintages.NOT_PUBLISHED,
        "t3": vintages.EARLIER_NOT_PUBLISHED,
        "t4": vintages.VINTAGE_UNKNOWN,
        "t5": vintages.SAME_VINTAGE,
        "t6": vintages.NOT_CONSECUTIVE,
        "t7": vintages.UNIT_CHANGED,
        "t8": vintages.NO_EARLIER,
    }
    assert out.loc[out["reason"] != "", "change"].isna().all()
    assert list(vintages.changes(card, 2018)["reason"].unique()) == [vintages.NO_EARLIER]


def test_edition_is_stamped_into_the_config():
    text = 'title: "Contrat, édition {edition}"\nfooter: "Édition {edition}"\n'
    assert edition.stamped(text, 2019) == 'title: "Contrat, édition 2019"\nfooter: "Édition 2019"\n'
    with pytest.raises(ValueError, match="placeholder"):
        edition.stamped('title: "Contrat 2018"\n', 2019)


def test_book_config_names_no_year_but_the_edition_placeholder():
    from contrat_ville.data.paths import BOOK_DIR

    config = (BOOK_DIR / "_config.yml").read_text(encoding="utf-8")
    assert config.count(edition.PLACEHOLDER) >= 3  # title, both footers
    assert "2018" not in config
