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
    assert plain(fmt.by_unit(36, "%")) == "36 %"  # decimals as published
    assert plain(fmt.by_unit(36, "%", 1)) == "36,0 %"
    assert plain(fmt.by_unit(41.4, "%")) == "41,4 %"
    assert fmt.by_unit(49.8, "ETP") == "49,8"
    assert fmt.by_unit(None, "%") == "ND"


def test_by_unit_reads_both_spellings_of_euros_the_same():
    assert plain(fmt.by_unit(13397, "eur")) == plain(fmt.by_unit(13397, "euros")) == "13 397 €"
    assert plain(fmt.by_unit(10.8, "meur")) == plain(fmt.by_unit(10.8, "millions d'euros", short=True)) == "10,8 M€"
    assert plain(fmt.by_unit(10.8, "millions d'euros", noun=True)) == "10,8 millions d'euros"
    assert plain(fmt.by_unit(1, "millions d'euros", noun=True)) == "1 million d'euros"


def test_by_unit_nouns_agree_and_symbols_stay():
    assert plain(fmt.by_unit(1, "personnes", noun=True)) == "1 personne"
    assert plain(fmt.by_unit(0, "personnes", noun=True)) == "0 personne"  # French: 0 takes the singular
    assert plain(fmt.by_unit(2, "personnes", noun=True)) == "2 personnes"
    assert plain(fmt.by_unit(3, "personnes")) == "3"  # the noun only when asked
    assert plain(fmt.by_unit(1.4, "fois", noun=True)) == "1,4 fois"
    assert plain(fmt.by_unit(23.4, "points")) == "23,4 points"
    assert fmt.by_unit(0.679, "rapport") == "0,68"
    assert plain(fmt.by_unit(12, "dwellings", noun=True)) == "12 logements"  # English ids read in French
    assert plain(fmt.by_unit(24, "%", bare=True)) == "24"
    assert plain(fmt.by_unit(5, "unité inconnue", noun=True)) == "5 unité inconnue"


def test_qualified_puts_the_words_before_the_number():
    assert fmt.qualified("9 000", "environ") == "environ 9 000"
    assert fmt.qualified("1 000", "moins_de") == "moins de 1 000"
    assert fmt.qualified("36 %", "exact") == fmt.qualified("36 %", None) == "36 %"


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
