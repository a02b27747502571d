"""Values glued into prose keep their French form through myst-nb's {glue:text} role."""

import pytest
from IPython.core.formatters import format_display_data
from myst_nb.core.variables import format_plain_text

from contrat_ville.presentation import display, fmt


@pytest.mark.parametrize("text", ["1,47", "9 848", "41,4 %", "70,3", fmt.percent(41.4), fmt.euros(13397), "ND"])
def test_glued_text_survives_the_glue_role(monkeypatch, text):
    stored = {}

    def fake_glue(name, variable, display=True):
        stored[name] = format_display_data(variable)[0]["text/plain"]

    import myst_nb

    monkeypatch.setattr(myst_nb, "glue", fake_glue)
    display.glue_text("value", text)
    assert format_plain_text(stored["value"], "s") == text
    assert format_plain_text(stored["value"], "") == text
