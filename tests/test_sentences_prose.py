"""Branches of the sentence helpers used by the chapters' data-dependent prose (issue 12)."""

from contrat_ville.presentation import sentences
from contrat_ville.publish import edition


def test_of_total_agrees_the_verb_and_says_none_and_missing():
    assert sentences.of_total(1, 4, "est mise en œuvre", "sont mises en œuvre") == "1 sur 4 est mise en œuvre"
    assert sentences.of_total(2, 4, "est mise en œuvre", "sont mises en œuvre") == "2 sur 4 sont mises en œuvre"
    assert sentences.of_total(0, 4, "est prévue", "sont prévues") == "aucune des 4 n'est prévue"
    assert sentences.of_total(0, 3, "figure", "figurent", feminine=False) == "aucun des 3 ne figure"
    assert sentences.of_total(None, 4, "est prévue", "sont prévues") == "un nombre non publié sont prévues"


def test_total_and_average_compares_only_published_values():
    above = sentences.total_and_average("de jeunes", 135, "135 jeunes", 159, "159 jeunes en moyenne")
    assert above == (
        "deux chiffres de jeunes ne se concilient pas : 135 jeunes au total dans la synthèse, mais "
        "159 jeunes en moyenne dans le chapitre, une moyenne annuelle supérieure au total."
    )
    below = sentences.total_and_average("de jeunes", 300, "300 jeunes", 159, "159 jeunes en moyenne")
    assert (
        below
        == "deux chiffres de jeunes : 300 jeunes au total dans la synthèse et 159 jeunes en moyenne dans le chapitre."
    )
    assert "ne peuvent être rapprochés" in sentences.total_and_average("de jeunes", None, "ND", 159, "159")


def test_cumulative_vs_yearly_multiplies_the_average_by_the_years():
    hard = sentences.cumulative_vs_yearly("de l'association", 94, "94 enfants", 2, 60, "60 enfants par an")
    assert hard == (
        "Deux mentions de l'association sont difficiles à concilier : 94 enfants en 2 ans dans la synthèse, "
        "mais 60 enfants par an dans le chapitre, soit 120 en 2 ans."
    )
    fits = sentences.cumulative_vs_yearly("de l'association", 130, "130 enfants", 2, 60, "60 enfants par an")
    assert fits.startswith("Deux mentions de l'association se recoupent : 130 enfants en 2 ans")
    one_year = sentences.cumulative_vs_yearly("de l'association", 50, "50 enfants", 1, 60, "60 enfants par an")
    assert "en 1 an dans" in one_year and "soit 60 en 1 an" in one_year
    assert "ne peuvent être rapprochées" in sentences.cumulative_vs_yearly("de x", 94, "94", 2, None, "ND")


def test_two_wordings_of_one_quantity():
    assert sentences.two_wordings("près de 1 000", "plus de 1 000") == (
        "tantôt près de 1 000, tantôt plus de 1 000 (les deux formulations sont conservées)"
    )
    assert sentences.two_wordings("1 000", "1 000") == "1 000"
    assert sentences.two_wordings("ND", "plus de 1 000") == "plus de 1 000"
    assert sentences.two_wordings("ND", None) == "un nombre non publié"


def test_markdown_pages_get_the_edition_and_pages_without_it_are_untouched(tmp_path):
    (tmp_path / "_config.yml").write_text('title: "Édition {edition}"\n', encoding="utf-8")
    (tmp_path / "index.md").write_text("Le bilan {edition} pilier par pilier.\n", encoding="utf-8")
    (tmp_path / "glossaire.md").write_text("Pas d'année ici.\n", encoding="utf-8")
    (tmp_path / "_build").mkdir()
    (tmp_path / "_build" / "old.md").write_text("{edition}\n", encoding="utf-8")
    edition.stamp_config(tmp_path, 2019)
    assert (tmp_path / "index.md").read_text(encoding="utf-8") == "Le bilan 2019 pilier par pilier.\n"
    assert (tmp_path / "glossaire.md").read_text(encoding="utf-8") == "Pas d'année ici.\n"
    assert (tmp_path / "_build" / "old.md").read_text(encoding="utf-8") == "{edition}\n"
    assert (tmp_path / "_config.yml").read_text(encoding="utf-8") == 'title: "Édition 2019"\n'


def _plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_vintage_change_every_status_with_both_years():
    def number(value, decimals=0):
        return _plain(sentences.fmt.number(value, decimals))

    assert sentences.vintage_change("down", "", (2018, 968), (2019, 931), number) == (
        "931 en 2019, contre 968 en 2018 (en baisse de 37)"
    )
    assert sentences.vintage_change("up", "", (2018, 1520), (2019, 1530), number) == (
        "1 530 en 2019, contre 1 520 en 2018 (en hausse de 10)"
    )
    assert sentences.vintage_change("equal", "", (2018, 2555), (2019, 2555), number) == "2 555 en 2019, comme en 2018"
    assert sentences.vintage_change("revised", "same_vintage", (2018, 330), (2018, 335), number) == (
        "révisé : 335 pour 2018, au lieu de 330"
    )
    assert (
        sentences.vintage_change("new", "earlier_not_published", None, (2019, 318), number) == "nouveau : 318 en 2019"
    )
    assert sentences.vintage_change("not_comparable", "same_vintage", (2018, 5), (2018, 5)) == (
        "ND (pas de nouveau millésime)"
    )
    points = lambda v: f"{number(v, 1)} points"  # noqa: E731
    assert sentences.vintage_change("up", "", (2015, 40.0), (2016, 41.4), lambda v: number(v, 1), points) == (
        "41,4 en 2016, contre 40,0 en 2015 (en hausse de 1,4 points)"
    )


def test_vintage_summary_counts_items_and_names_the_previous_edition():
    assert sentences.vintage_summary(["up", "up", "down", "revised", "not_comparable"], 2018) == (
        "Depuis l'édition 2018 : 2 indicateurs en hausse, 1 en baisse et 1 révisé ; "
        "1 autre indicateur sans valeur comparable."
    )
    assert sentences.vintage_summary(["down", "not_comparable", "not_comparable"], 2019) == (
        "Depuis l'édition 2019 : 1 indicateur en baisse ; 2 autres indicateurs sans valeur comparable."
    )
    assert sentences.vintage_summary(["not_comparable"], 2018) == (
        "Depuis l'édition 2018, aucun indicateur n'a de valeur comparable."
    )
    assert sentences.vintage_summary([], None).startswith("C'est la première édition publiée")


def test_identified_sentence_says_how_many_the_report_names():
    from contrat_ville.presentation import reconciliation

    text = _plain(reconciliation.identified_sentence([11, 10], 9, named=7))
    assert text.endswith(
        "alors que l'étude n'en identifie que 9 dans ses pages, dont 7 nommés par le rapport "
        "(2 autres seulement par leur commune)"
    )
    one = _plain(reconciliation.identified_sentence([11], 9, named=8))
    assert one.endswith("dont 8 nommés par le rapport (1 autre seulement par sa commune)")
    assert "nommés" not in reconciliation.identified_sentence([11], 9, named=9)
    assert "nommés" not in reconciliation.identified_sentence([11], 9)
