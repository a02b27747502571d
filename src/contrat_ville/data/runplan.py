"""The run plan (runplan.yaml) as the one registry of the book's chapters: their ids and
titles, read by the pages that name a chapter (coverage, tests) as well as by the run."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from contrat_ville.data.paths import RUN_PLAN


@cache
def chapter_titles(plan_path: Path = RUN_PLAN) -> dict[str, str]:
    """`{notebook id: French title}` of every notebook of the run plan, in plan order (the
    fiches' title is a pattern, `Fiche : {name}`, filled per territory)."""
    plan = yaml.safe_load(Path(plan_path).read_text(encoding="utf-8"))
    return {entry["id"]: entry["title"] for entry in plan["notebooks"]}


def chapter_title(chapter_id: str, plan_path: Path = RUN_PLAN) -> str:
    """The title of one chapter; an id the run plan does not list is an error naming it."""
    titles = chapter_titles(plan_path)
    if chapter_id not in titles:
        raise KeyError(f"chapter {chapter_id!r} is not in {Path(plan_path).name}")
    return titles[chapter_id]
