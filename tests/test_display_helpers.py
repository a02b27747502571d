"""Display helpers: glued text survives myst-nb, cards and text tables are escaped HTML."""

import pandas as pd
import pytest
from myst_nb.core.variables import format_plain_text

from contrat_ville.presentation import display, fmt


@pytest.mark.parametrize(
    "text",
    ["1,47", "49,8", "9 848", "ND", fmt.euros(966849), "l'État", 'un "mot"', fmt.percent(41.4), fmt.euros(13397)],
)
def test_glued_text_comes_back_unchanged(text, monkeypatch):
    # {glue:text} runs ast.literal_eval on the stored plain text: "1,47" must not become "(1, 47)"
    import myst_nb.ext.glue

    ours, theirs = [], []
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: ours.append((a, k)))
    monkeypatch.setattr(myst_nb.ext.glue, "ipy_display", lambda *a, **k: theirs.append((a, k)))
    display.glue_text("key", text)
    myst_nb.ext.glue.glue("key", str(text), display=False)
    # the same output as myst_nb's glue, written without importing it (see display.glue_text)
    assert ours == theirs and len(ours) == 1
    (bundle,), _ = ours[0]
    plain = bundle[display.GLUE_PREFIX + "text/plain"]
    assert format_plain_text(plain, "s") == format_plain_text(plain, "") == text


def test_key_figure_cards_escape_html():
    html = display.key_figure_cards([("<b>1</b>", "a & b")]).data
    assert "&lt;b&gt;1&lt;/b&gt;" in html and "a &amp; b" in html and 'class="cv-keyfigures"' in html


def test_text_table_is_marked_left_aligned():
    html = display.text_table(pd.DataFrame({"a": ["x"]}), "Titre", "source").data
    assert "cv-table cv-text" in html and "Source : source" in html


def test_check_line():
    assert display.check_line("Total", 10, 10) == "Total : publié 10, recalculé 10 (identiques)"
    assert display.check_line("Total", 10, 12) == "Total : publié 10, recalculé 12 (écart 2)"
    assert "impossible" in display.check_line("Total", None, 12)


def test_number_cells_are_marked_and_tables_are_focusable():
    import pandas as pd

    from contrat_ville.presentation import display

    marked = display.mark_number_cells(
        "<td>13\u202f397 €</td><td>41,4 %</td><td>-2,0</td><td>R2</td><td>ND</td><td>Bassens 2</td>"
    )
    assert marked.count('<td class="cv-num">') == 3 and "<td>R2</td>" in marked and "<td>Bassens 2</td>" in marked
    shown = display.table(
        pd.DataFrame({"Quartier": ["Bissy"], "Habitants": ["1\u202f234"]}), "Titre <b>", "Source"
    ).data
    assert shown.startswith(
        '<figure class="cv-figure cv-figure-table" tabindex="0"><figcaption class="cv-title">Titre &lt;b&gt;</figcaption>'
    )
    assert '<td class="cv-num">1\u202f234</td>' in shown


def test_quotes_of_the_report_are_marked_and_skipped_by_the_french_checks():
    import pandas as pd

    from contrat_ville.presentation import display, fmt
    from contrat_ville.publish import site

    assert display.mark_quotes("lu « 10.8 millions » et « 36% »") == (
        'lu <span class="cv-quote">« 10.8 millions »</span> et <span class="cv-quote">« 36% »</span>'
    )
    shown = display.text_table(
        pd.DataFrame({"Citation": ["« a <b> 10.8 M€ »"], "Calcul": ["10,8 M€"]}), "T", "S", quotes=["Citation"]
    ).data
    assert '<span class="cv-quote">« a &lt;b&gt; 10.8 M€ »</span>' in shown
    assert not fmt.non_french_numbers(site.visible_text(shown))
    assert fmt.non_french_numbers(site.visible_text(shown.replace("cv-quote", "x")))
