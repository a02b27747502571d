"""French wording of the trend chapter's comparisons (contrat_ville.evaluation.trends returns
ids): the compared indicators, the definitions and sources of the observations and the unit
of the computed density, from vocabulary.yaml, in the columns qpv_comparisons.csv publishes."""

from __future__ import annotations

import pandas as pd

from contrat_ville.evaluation import trends
from contrat_ville.presentation import vocabulary

MODELS = vocabulary.TREND_MODELS
INDICATORS = vocabulary.COMPARED_INDICATORS
assert set(trends.MODELS) <= set(MODELS), "every trend model needs its French name"
assert set(trends.COMPARED_INDICATORS) <= set(INDICATORS), "every compared indicator needs its French name"
# units the computation names with an English id (the others are data/raw's own units, published as they are)
COMPUTED_UNITS = (trends.ESTABLISHMENTS_PER_1000,)
SOURCE_COLUMNS = ["source_table", "source_row", "reference_source_table", "reference_source_row"]


def definition(definition_id: str) -> str:
    """`census` → `rapport annuel (recensement)`; `cited:<provider>` names the provider."""
    kind, _, provider = str(definition_id).partition(":")
    return vocabulary.label("comparison_definitions", kind).format(provider=provider)


def source_ref(table: str, row: str) -> str:
    """`identity_card`, `63` → `identity_card.csv ligne 63 du rapport`."""
    return vocabulary.label("comparison_sources", table).format(row=row)


def unit(unit_id: str) -> str:
    """The published unit: a computed unit's French noun, a raw unit as it is."""
    return vocabulary.unit(unit_id).get("label", unit_id) if unit_id in COMPUTED_UNITS else unit_id


def comparisons_with_labels(comparisons: pd.DataFrame) -> pd.DataFrame:
    """The published comparisons (trends.qpv_comparisons): `label` after `indicator_id`, the
    unit and definition in French, and one `source_ref` (`<subject> | <reference>`) last, in
    place of the four source id columns."""
    if comparisons.empty and "indicator_id" not in comparisons:
        return comparisons.copy()
    out = comparisons.copy()
    out.insert(out.columns.get_loc("indicator_id") + 1, "label", out["indicator_id"].map(INDICATORS))
    out["unit"] = out["unit"].map(unit)
    out["definition"] = out["definition"].map(definition)
    refs = [
        f"{source_ref(a, b)} | {source_ref(c, d)}" for a, b, c, d in zip(*(out[column] for column in SOURCE_COLUMNS))
    ]
    out = out.drop(columns=SOURCE_COLUMNS)
    out["source_ref"] = refs
    return out
