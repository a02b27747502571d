import pytest

from contrat_ville.data.slug import slug


def test_slug_folds_accents_and_separators():
    assert slug("Fiche", "Hauts de Chambéry", 2018) == "fiche-hauts-de-chambery-2018"


@pytest.mark.parametrize("name", ["../../etc/passwd", "a/b", "Biollay / Bellevue", " spaced  name "])
def test_slug_is_safe_for_file_names(name):
    result = slug(name)
    assert "/" not in result and ".." not in result and " " not in result
    assert result == result.strip("-")


def test_slug_refuses_empty():
    with pytest.raises(ValueError):
        slug("///")


def test_slug_keeps_underscores_of_run_plan_ids():
    # the table of contents names chapters after run-plan ids: chapters/tableau_de_bord
    assert slug("tableau_de_bord") == "tableau_de_bord"
    assert slug("Fiche", "qpv-hauts-de-chambery", 2018) == "fiche-qpv-hauts-de-chambery-2018"
