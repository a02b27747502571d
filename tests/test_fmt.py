from contrat_ville.presentation import fmt


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


def test_signed_percent_p_value_and_interval():
    from contrat_ville.presentation import fmt

    assert fmt.signed_percent(2.528).replace("\u202f", " ").replace("\xa0", " ") == "+2,5 %"
    assert fmt.signed_percent(-8.444).replace("\u202f", " ").replace("\xa0", " ") == "-8,4 %"
    assert fmt.signed_percent(0).startswith("0")
    assert fmt.p_value(0.07858) == "0,079"
    assert fmt.p_value(8.6e-5) == "< 0,001"
    assert fmt.p_value(None) == "ND"
    assert fmt.interval(-18.24, 2.53).replace("\u202f", " ").replace("\xa0", " ") == "[-18,2 % ; +2,5 %]"


def test_glued_french_decimals_survive_myst_nb(monkeypatch):
    """{glue:text} literal-evals the stored text/plain: '1,37' must not become (1, 37)."""
    from IPython.core.formatters import PlainTextFormatter
    from myst_nb.core.variables import format_plain_text

    from contrat_ville.presentation import display

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda bundle, **options: shown.append(bundle))
    display.glue_text("ratio", "1,37")
    plain = shown[0][display.GLUE_PREFIX + "text/plain"]  # what myst-nb reads back
    assert format_plain_text(plain, "") == "1,37"
    assert format_plain_text(plain, "s") == "1,37"
    assert format_plain_text(PlainTextFormatter()("< 0,001"), "") == "< 0,001"


def test_non_french_numbers_flags_english_forms():
    assert fmt.non_french_numbers("41.4 % des habitants") and fmt.non_french_numbers("12%")
    assert fmt.non_french_numbers("€13 397") and fmt.non_french_numbers("1,234,567 habitants")
    assert fmt.non_french_numbers("est (1, 47) fois")  # a decimal glued without quotes
    assert fmt.non_french_numbers("Mis à jour le nov. 25, 2026") and fmt.non_french_numbers("le 12/31/2018")


def test_non_french_numbers_accepts_french_forms():
    for text in [
        "41,4 %",
        "13 397 €",
        "9 848 habitants",
        "1,47 fois",
        "le 25 novembre 2026",
        "au 31/12/2018",
        fmt.percent(41.4),
        fmt.euros(13397),
        fmt.number(133638),
        "2015-2022",
        "IRIS 730650601",
    ]:
        assert fmt.non_french_numbers(text) == [], text
