"""Glossary terms are linked from the chapters' text: every `{term}` role names an entry of the
glossary (book/glossaire.md), and each reader chapter links every glossary term its prose uses
(Sphinx glossary terms, so a reader can look a word up where it occurs)."""

import json
import re
from pathlib import Path

import pytest

from contrat_ville.data import runplan

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "book" / "glossaire.md"
# the reader's chapters: the mid-term evaluation and the report's chapters (runplan.yaml `part`)
READER_CHAPTERS = runplan.chapter_ids("evaluation", "report")
REQUIRED_ENTRIES = ["Taux de pauvreté", "Unité de consommation", "Millésime", "Intervalle de confiance"]

# how each glossary term is written in running text (the forms a reader would look up)
FORMS = {
    "ANRU, NPNRU": r"\b(?:ANRU|NPNRU)\b",
    "ASL (ateliers socio-linguistiques)": r"\bateliers socio-?linguistiques\b",
    "CitésLab": r"\bCitésLab\b",
    "Clauses sociales": r"\b[Cc]lauses sociales\b",
    "CLSPD, CISPD": r"\b(?:CLSPD|CISPD)\b",
    "Conseil citoyen": r"\b[Cc]onseils? citoyens?\b",
    "Contrat de Ville": r"\b[Cc]ontrat de [Vv]ille\b",
    "Crédits spécifiques": r"\b[Cc]rédits spécifiques\b",
    "DEFM ABC": r"\bDEFM\b",
    "Droit commun": r"\b[Dd]roit commun\b",
    "EPCI": r"\bEPCI\b",
    "ETP (équivalent temps plein)": r"\bETP\b|\béquivalents? temps plein\b",
    "Filosofi": r"\bFilosofi\b",
    "Fonds de concours": r"\b[Ff]onds de concours\b",
    "Gestion urbaine de proximité (GUP)": r"\b[Gg]estion urbaine de proximité\b|\bGUP\b",
    "IRIS": r"\bIRIS\b",
    "Mission locale jeunes": r"\bMission locale(?: jeunes)?\b",
    "PLIE": r"\bPLIE\b",
    "Quartier en veille active (QVA)": r"\bquartiers? en veille active\b|\bQVA\b",
    "Quartier prioritaire (QPV)": r"\bquartiers? prioritaires?\b|\bQPV\b",
    "Quartier vécu": r"\bquartier vécu\b",
    "Réussite éducative (DIRED)": r"\b[Rr]éussite éducative\b",
    "Résidentialisation": r"\b[Rr]ésidentialisation\b",
    "RPLS": r"\bRPLS\b",
    "SIRENE": r"\bSIRENE\b",
    "Taux de participation": r"\b[Tt]aux de participation\b",
    "ZUS, ex-ZUS": r"\b(?:ex-)?ZUS\b",
    "Intervalle de confiance": r"\b[Ii]ntervalles? de confiance\b",
    "Millésime": r"\b[Mm]illésimes?\b",
    "Taux de pauvreté": r"\b[Tt]aux de pauvreté\b",
    "Unité de consommation": r"\b[Uu]nités? de consommation\b",
}
# text that is not running prose: code, roles, quotes of the report, links, HTML, headings, fences
PROTECTED = re.compile(
    r"^```[\s\S]*?^```|\{[\w:-]+\}`[^`]*`|`[^`]*`|«[^»]*»|\[[^\]]*\]\([^)]*\)|<[^>\n]+>|^#[^\n]*|^:[^\n]*",
    re.M,
)
TERM_ROLE = re.compile(r"\{term\}`(?:[^`<]*<)?([^`>]+?)>?`")


def glossary_terms() -> set[str]:
    text = GLOSSARY.read_text(encoding="utf-8")
    block = text.split("```{glossary}", 1)[1].split("```", 1)[0]
    return {line.strip() for line in block.splitlines() if line and not line[0].isspace() and not line.startswith(":")}


def markdown_of(chapter: str) -> str:
    cells = json.loads((ROOT / "notebooks" / f"{chapter}.ipynb").read_text(encoding="utf-8"))["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def all_sources():
    for page in sorted((ROOT / "book").glob("*.md")):
        yield page.name, page.read_text(encoding="utf-8")
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        yield notebook.name, markdown_of(notebook.stem)


def test_the_glossary_has_the_entries_readers_need():
    terms = {t.lower() for t in glossary_terms()}
    assert {t.lower() for t in REQUIRED_ENTRIES} <= terms
    assert set(FORMS) <= glossary_terms() | {"HT, TTC"}


@pytest.mark.parametrize(
    ("name", "text"), list(all_sources()), ids=lambda v: v if isinstance(v, str) and len(v) < 40 else ""
)
def test_every_term_role_names_a_glossary_entry(name, text):
    terms = {t.lower() for t in glossary_terms()}
    unknown = [t for t in TERM_ROLE.findall(text) if t.strip().lower() not in terms]
    assert not unknown, f"{name}: {{term}} roles without a glossary entry: {unknown}"


@pytest.mark.parametrize("chapter", READER_CHAPTERS)
def test_each_chapter_links_the_glossary_terms_it_uses(chapter):
    text = markdown_of(chapter)
    linked = {t.strip().lower() for t in TERM_ROLE.findall(text)}
    prose = PROTECTED.sub(" ", text)
    missing = [term for term, form in FORMS.items() if re.search(form, prose) and term.lower() not in linked]
    assert not missing, f"{chapter}: glossary terms used but never linked: {missing}"
    assert linked, f"{chapter}: no glossary term linked"
