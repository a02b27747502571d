import pytest

from contrat_ville.slug import slug


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
