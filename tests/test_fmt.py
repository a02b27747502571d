from contrat_ville import fmt


def plain(text: str) -> str:
    """Babel uses narrow no-break spaces; compare with ordinary spaces."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_percent_french():
    assert plain(fmt.percent(41.4)) == "41,4 %"
    assert plain(fmt.percent(16.64, 0)) == "17 %"


def test_euros_french():
    assert plain(fmt.euros(13397)) == "13 397 €"


def test_number_thousands_and_decimals():
    assert plain(fmt.number(133638)) == "133 638"
    assert fmt.number(2.54, 1) == "2,5"


def test_missing_is_nd():
    assert fmt.number(None) == "ND"
    assert fmt.percent(float("nan")) == "ND"
    assert fmt.euros(None) == "ND"


def test_by_unit():
    assert plain(fmt.by_unit(10498, "keur")) == "10 498 k€"
    assert plain(fmt.by_unit(36, "%")) == "36,0 %"
    assert fmt.by_unit(49.8, "ETP") == "49,8"


def test_non_french_numbers_flags_english_forms():
    assert fmt.non_french_numbers("41.4 % des habitants") and fmt.non_french_numbers("12%")
    assert fmt.non_french_numbers("€13 397") and fmt.non_french_numbers("1,234,567 habitants")
    assert fmt.non_french_numbers("est (1, 47) fois")  # a decimal glued without quotes
    assert fmt.non_french_numbers("Mis à jour le nov. 25, 2026") and fmt.non_french_numbers("le 12/31/2018")


def test_non_french_numbers_accepts_french_forms():
    for text in ["41,4 %", "13 397 €", "9 848 habitants", "1,47 fois", "le 25 novembre 2026", "au 31/12/2018",
                 fmt.percent(41.4), fmt.euros(13397), fmt.number(133638), "2015-2022", "IRIS 730650601"]:
        assert fmt.non_french_numbers(text) == [], text
