"""Sentences quoting figures that an edition may not publish (ND).

A chapter's prose quotes published figures in running text ("suit individuellement 70 jeunes").
When the edition does not publish one of them, the sentence must not read "suit individuellement
ND": `filled` keeps the sentence as written when every figure is published, and otherwise says
plainly which figures the edition does not publish, with those it does publish. One helper for
every chapter, so that no notebook writes the ND branch of a sentence by hand."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from contrat_ville.presentation import fmt, sentences


@dataclass(frozen=True)
class Figure:
    """A figure as the prose quotes it: `text` (formatted value, or ND) and `what` (a French
    noun phrase naming what it counts, for the sentence saying it is not published)."""

    text: str
    what: str

    @property
    def known(self) -> bool:
        return not sentences.missing(self.text) and self.text != fmt.MISSING and self.text.strip() != ""


def measure(text: str, label: str) -> Figure:
    """A figure named by its published label: `le chiffre « Jeunes suivis par an »`."""
    return Figure(text, f"le chiffre {sentences.quote(label)}")


def value(number: object, formatter: Callable[[object], str], what: str) -> Figure:
    """A figure from a raw value (`formatter` prints it; a missing value prints ND)."""
    return Figure(fmt.MISSING if sentences.missing(number) else formatter(number), what)


def _whats(figures: list[Figure], last: str = "et") -> str:
    """`le chiffre « A »`, `les chiffres « A » et « B »` (labels in one plural phrase, each once)."""
    figures = list({f.what: f for f in figures}.values())
    prefix = "le chiffre "
    if len(figures) > 1 and all(f.what.startswith(prefix) for f in figures):
        return "les chiffres " + sentences.join(f.what.removeprefix(prefix) for f in figures)
    return sentences.join((f.what for f in figures), last=last)


def not_published(year: int, figures: list[Figure], topic: str | None = None) -> str:
    """`Cafés parents : l'édition 2019 ne publie pas les chiffres « A » et « B » (ND).`; with
    published figures among them: `… publie le chiffre « A » (9 100 interventions) mais pas …`."""
    missing = [f for f in figures if not f.known]
    known = [f for f in figures if f.known]
    edition = f"l'édition {int(year)}"
    if not missing:
        body = f"{edition} publie " + sentences.join(f"{f.what} ({f.text})" for f in known)
    elif known:
        body = (
            f"{edition} publie "
            + sentences.join(f"{f.what} ({f.text})" for f in known)
            + f" mais pas {_whats(missing, 'ni')} ({fmt.MISSING})"
        )
    else:
        body = f"{edition} ne publie pas {_whats(missing, 'ni')} ({fmt.MISSING})"
    if topic:
        return f"{topic} : {body}."
    return body[:1].upper() + body[1:] + "."


def filled(template: str, year: int, topic: str | None = None, **figures: Figure) -> str:
    """`template` with each `{name}` replaced by its figure's text when every figure is
    published; otherwise the sentence of `not_published` (never a figure read as "ND")."""
    if all(f.known for f in figures.values()):
        return template.format(**{name: f.text for name, f in figures.items()})
    return not_published(year, list(figures.values()), topic)


def all_known(*figures: Figure) -> bool:
    return all(f.known for f in figures)


def carried_note(year: int, editions: list[int], what: str = "ces chiffres") -> str:
    """` L'édition 2019 ne les republie pas : ces chiffres sont ceux de l'édition 2018.` when the
    values shown come from earlier editions than `year` (a dated fact stays true: a project signed
    in 2018 stays signed); empty when they are all of edition `year`."""
    earlier = sorted({int(e) for e in editions if int(e) != int(year)})
    if not earlier:
        return ""
    which = (
        f"de l'édition {earlier[0]}" if len(earlier) == 1 else "des éditions " + sentences.join(str(e) for e in earlier)
    )
    return f" L'édition {int(year)} ne les republie pas : {what} sont ceux {which}."


def from_edition(year: int, editions: list[int]) -> str:
    """` (d'après l'édition 2018)` after values of an earlier edition than `year`; empty otherwise."""
    earlier = sorted({int(e) for e in editions if int(e) != int(year)})
    if not earlier:
        return ""
    which = (
        f"l'édition {earlier[0]}" if len(earlier) == 1 else "les éditions " + sentences.join(str(e) for e in earlier)
    )
    return f" (d'après {which})"
