"""XLSX copies of the processed tables, written with openpyxl, for French spreadsheet software:
numbers are stored as numbers (the software shows them with its own decimal comma), identifiers
and text stay text, a missing value is an empty cell (never zero), and the header row is French.
A second sheet, "Colonnes", gives each column's name in the CSV, its French header and its
description from the table's sidecar."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from contrat_ville.data.files import SAFE_LOADER  # libyaml's loader: the sidecars are read for every workbook
from contrat_ville.presentation import vocabulary

XLSX_SUFFIX = ".xlsx"
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
# columns holding codes: kept as text even when every value is made of digits (INSEE codes)
_TEXT_COLUMNS = re.compile(r"(?:^|_)(?:id|ids|code|insee|siren|key)$|^figure_ids$|^report_lines?$")

# French headers of the columns most tables share; any other column takes the French title of a
# raw column of the same name (data/raw sidecars), else keeps its name
FRENCH_HEADERS = {
    "territory_id": "Territoire (code)",
    "territory_label": "Territoire (libellé de la source)",
    "indicator_id": "Indicateur (code)",
    "reference_id": "Territoire de référence (code)",
    "series_id": "Série (code)",
    "figure_id": "Chiffre (code)",
    "value": "Valeur",
    "value_low": "Valeur basse",
    "value_high": "Valeur haute",
    "value_status": "Statut de la valeur",
    "unit": "Unité",
    "year": "Année",
    "edition": "Édition",
    "vintage": "Millésime",
    "label": "Libellé",
    "title": "Titre",
    "name": "Nom",
    "note": "Note",
    "source": "Source",
    "source_id": "Source (code)",
    "source_table": "Table source",
    "report_line": "Ligne du rapport",
    "report_lines": "Lignes du rapport",
    "section": "Section",
    "book_chapter": "Chapitre du livre",
    "chapter": "Chapitre",
    "pillar": "Pilier",
    "theme": "Thème",
    "action": "Action",
    "operator": "Opérateur",
    "measure": "Mesure",
    "qualifier": "Précision",
    "period_start": "Début de période",
    "period_end": "Fin de période",
    "period_kind": "Type de période",
    "period_label": "Période",
    "display_value": "Valeur affichée",
    "status": "Statut",
    "reason": "Motif",
    "kind": "Nature",
    "model": "Modèle",
    "n_points": "Nombre de points",
    "first_year": "Première année",
    "last_year": "Dernière année",
    "annual_change_pct": "Variation annuelle (%)",
    "ci_low_pct": "IC 95 %, borne basse (% par an)",
    "ci_high_pct": "IC 95 %, borne haute (% par an)",
    "p_value": "p-valeur",
    "total_change_pct": "Variation totale (%)",
    "verdict": "Verdict (code)",
    "verdict_label": "Verdict",
    "coverage": "Couverture (code)",
    "coverage_label": "Couverture",
    "reason_label": "Motif (en clair)",
    "amount_eur": "Montant (euros)",
    "amount_keur": "Montant (milliers d'euros)",
    "cost_ht_eur": "Coût HT (euros)",
    "share_published_pct": "Part publiée (%)",
    "population": "Population",
    "ratio": "Rapport",
    "gap": "Écart",
    "formula": "Formule",
    "category": "Catégorie",
}

# columns named by a verdict id (scorecard_counts.csv: indicators per verdict) take its French label
FRENCH_HEADERS.update({verdict: f"Verdict : {label}" for verdict, label in vocabulary.VERDICTS.items()})


def raw_field_titles(raw_dir: Path) -> dict[str, str]:
    """Column name -> French title, from the `schema.fields` of every raw sidecar (first wins)."""
    titles: dict[str, str] = {}
    for meta_file in sorted(Path(raw_dir).glob("*.meta.yaml")) if raw_dir else []:
        meta = yaml.load(meta_file.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
        for field in (meta.get("schema") or {}).get("fields", []):
            if field.get("name") and field.get("title"):
                titles.setdefault(field["name"], str(field["title"]))
    return titles


def french_header(column: str, titles: dict[str, str] | None = None) -> str:
    return FRENCH_HEADERS.get(column) or (titles or {}).get(column) or column


def _numeric_columns(header: list[str], rows: list[list[str]]) -> set[int]:
    """Columns whose every non-empty cell is a plain number, code columns excepted."""
    numeric = set()
    for index, column in enumerate(header):
        if _TEXT_COLUMNS.search(column):
            continue
        cells = [row[index] for row in rows if index < len(row) and row[index] != ""]
        if cells and all(_NUMBER.match(cell) for cell in cells):
            numeric.add(index)
    return numeric


def _number(cell: str):
    return int(cell) if re.fullmatch(r"-?\d+", cell) else float(cell)


def workbook(
    csv_text: str, descriptions: dict[str, str] | None = None, titles: dict[str, str] | None = None
) -> Workbook:
    """The workbook of one CSV table: sheet "Données" (French header, typed cells) and sheet
    "Colonnes" (name in the CSV, French header, description)."""
    header, *rows = list(csv.reader(io.StringIO(csv_text))) or [[]]
    numeric = _numeric_columns(header, rows)
    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    sheet.append([french_header(c, titles) for c in header])
    for row in rows:
        sheet.append([None if cell == "" else _number(cell) if i in numeric else cell for i, cell in enumerate(row)])
    sheet.freeze_panes = "A2"
    columns = book.create_sheet("Colonnes")
    columns.append(["Colonne du fichier CSV", "Intitulé", "Description (métadonnées)"])
    for column in header:
        columns.append([column, french_header(column, titles), (descriptions or {}).get(column, "")])
    return book


def write_xlsx(csv_file: Path, target: Path, titles: dict[str, str] | None = None) -> Path:
    """The XLSX copy of `csv_file` (its sidecar, if any, gives the column descriptions). The
    archive's bytes stay stable: the workbook's dates are fixed."""
    meta_file = csv_file.with_name(csv_file.name[: -len(".csv")] + ".meta.yaml")
    meta = yaml.load(meta_file.read_text(encoding="utf-8"), Loader=SAFE_LOADER) if meta_file.exists() else {}
    columns = (meta or {}).get("columns") or []
    if isinstance(columns, dict):
        descriptions = {str(k): str(v) for k, v in columns.items()}
    else:
        descriptions = {str(c.get("name")): str(c.get("description", "")) for c in columns if isinstance(c, dict)}
    book = workbook(csv_file.read_text(encoding="utf-8"), descriptions, titles)
    fixed = datetime.datetime(2000, 1, 1)  # noqa: DTZ001 (a fixed stamp, not a time)
    book.properties.created = book.properties.modified = fixed
    book.properties.creator = "contrat_ville"
    buffer = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps the file with the clock
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    # openpyxl dates each zip entry with the clock: rewritten with a fixed date, same data, same bytes
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, source.read(item.filename))
    return target
