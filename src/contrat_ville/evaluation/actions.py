"""Actions listed by commune (the report's table of 2018 actions in the QVA communes),
counted by commune and action type. The commune × action matrix the book shows is
contrat_ville.presentation.actions_text."""

from __future__ import annotations

import pandas as pd


def presence_counts(actions: pd.DataFrame, row: str = "commune_insee", column: str = "action_type") -> pd.DataFrame:
    """Tidy counts: number of listed actions per commune and action type (0 where absent)."""
    counts = actions.groupby([row, column]).size().unstack(column, fill_value=0)
    return counts.stack().rename("actions").reset_index()
