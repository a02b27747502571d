"""Actions listed by commune (the report's table of 2018 actions in the QVA communes)
turned into a commune × action matrix: a cell says whether the action took place in the
commune and, when the report gives one, its quantity ("15 soirées")."""

from __future__ import annotations

import pandas as pd

from contrat_ville.evaluation.key_figures import unit_text
from contrat_ville.presentation import fmt

PRESENT = "oui"
ABSENT = "—"


def cell_text(quantity, unit) -> str:
    """`15 soirées` (`1 séance`) when a quantity is printed, else `oui` (listed without a number)."""
    if quantity is None or pd.isna(quantity):
        return PRESENT
    if not isinstance(unit, str) or not unit:
        return fmt.number(quantity)
    return f"{fmt.number(quantity)} {unit_text(quantity, unit)}"


def commune_action_matrix(
    actions: pd.DataFrame,
    row: str = "commune_insee",
    column: str = "action_type",
    row_order: list | None = None,
    column_order: list | None = None,
) -> pd.DataFrame:
    """Communes as rows, action types as columns; each cell is `cell_text` of the action(s),
    ABSENT where the commune has no such action. Several actions of one type in one
    commune are joined with ' + ' (none in the 2018 table, but a later year may have some)."""
    texts = actions.assign(_text=[cell_text(q, u) for q, u in zip(actions["quantity"], actions["quantity_unit"])])
    joined = texts.groupby([row, column], sort=False)["_text"].agg(" + ".join)
    matrix = joined.unstack(column)
    rows = row_order or list(dict.fromkeys(actions[row]))
    columns = column_order or list(dict.fromkeys(actions[column]))
    matrix = matrix.reindex(index=rows, columns=columns).astype(object).where(lambda m: m.notna(), ABSENT)
    matrix.columns.name = None
    return matrix


def presence_counts(actions: pd.DataFrame, row: str = "commune_insee", column: str = "action_type") -> pd.DataFrame:
    """Tidy counts: number of listed actions per commune and action type (0 where absent)."""
    counts = actions.groupby([row, column]).size().unstack(column, fill_value=0)
    return counts.stack().rename("actions").reset_index()
