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


PARTS = ("evaluation", "report", "fiches", "control", "annex")  # as the book's table of contents orders them


@cache
def _notebooks(plan_path: Path = RUN_PLAN) -> tuple[dict, ...]:
    return tuple(yaml.safe_load(Path(plan_path).read_text(encoding="utf-8"))["notebooks"])


def chapter_ids(*parts: str, plan_path: Path = RUN_PLAN) -> list[str]:
    """Ids of the run plan's notebooks, in plan order; with `parts`, those of these parts of
    the book only (`chapter_ids("report")`: the report's chapters). An unknown part is an error."""
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        raise KeyError(f"unknown part(s) {unknown} of {Path(plan_path).name}; expected one of {PARTS}")
    return [entry["id"] for entry in _notebooks(plan_path) if not parts or entry.get("part") in parts]


def chapter_title(chapter_id: str, plan_path: Path = RUN_PLAN) -> str:
    """The title of one chapter; an id the run plan does not list is an error naming it."""
    titles = chapter_titles(plan_path)
    if chapter_id not in titles:
        raise KeyError(f"chapter {chapter_id!r} is not in {Path(plan_path).name}")
    return titles[chapter_id]
