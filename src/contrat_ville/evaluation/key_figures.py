"""Key figures of the report as readable, period-aware indicators.

A key figure is published with a qualifier ("environ", "près de", "plus de", a range)
and a period of a given kind (one year, a cumulative total, a yearly average, a one-off
event, a situation). Both are data: they are rendered, never dropped ("environ 9 000
personnes par an", "2015-2018 (cumul)"), and figures of different period kinds are never
added together (`sum_figures` refuses).

This module also decides in which chapter of the book each key figure of
`data/raw/key_figures.csv` is shown (`assign_chapters`): the coverage page and every
chapter use the same function, so the two can never disagree."""

from __future__ import annotations

import pandas as pd

from contrat_ville.presentation import fmt

QUALIFIER_WORDS = {"exact": "", "environ": "environ", "pres_de": "près de", "plus_de": "plus de", "range": ""}

# singular forms for the units of key_figures.csv, used when the value is below 2
SINGULAR_UNITS = {
    "personnes": "personne",
    "actions": "action",
    "éducatrices": "éducatrice",
    "millions d'euros": "million d'euros",
    "jeunes": "jeune",
    "enfants": "enfant",
    "bénéficiaires": "bénéficiaire",
    "participants": "participant",
    "habitants": "habitant",
    "parents": "parent",
    "porteurs": "porteur",
    "interventions": "intervention",
    "quartiers": "quartier",
    "jardins": "jardin",
    "lieux": "lieu",
    "ateliers": "atelier",
    "événements": "événement",
    "stades": "stade",
    "établissements": "établissement",
    "référents": "référent",
    "heures": "heure",
    "écoles": "école",
    "licenciés": "licencié",
    "acteurs": "acteur",
    "sessions": "session",
    "axes": "axe",
    "communes": "commune",
    "logements": "logement",
    "salariés": "salarié",
    "entreprises": "entreprise",
    "vidéos": "vidéo",
    "démarches": "démarche",
    "sorties": "sortie",
    "séances": "séance",
    "jours": "jour",
    "tournois": "tournoi",
    "artistes": "artiste",
    "formations": "formation",
    "réunions": "réunion",
    "propositions": "proposition",
    "thèmes": "thème",
    "accueils": "accueil",
    "femmes": "femme",
    "partenaires": "partenaire",
    "professionnels": "professionnel",
    "journées": "journée",
    "cafés parents": "café parents",
    "conseils citoyens": "conseil citoyen",
    "spectateurs": "spectateur",
    "points clés": "point clé",
    "euros": "euro",
    "soirées": "soirée",
    "chantiers": "chantier",
}

PERIOD_KIND_LABELS = {
    "annual": "par an",
    "cumulative": "cumul",
    "annual_average": "moyenne annuelle",
    "one_off": "ponctuel",
    "stock": "situation",
}

# Figures of these kinds are totals over their period and can be added to one another
# when they cover the same period; annual values of distinct years add up to a cumulative.
ADDITIVE_UNITS_EXCLUDED = {"%", "fois"}


class IncompatibleFigures(ValueError):
    """Raised when figures cannot be added: different units, periods or period kinds."""


def _decimals(value) -> int:
    """Decimals as published: 0 for whole numbers, else 1 (the report never prints more)."""
    return 0 if float(value).is_integer() else 1


def number_text(value, unit: str) -> str:
    """A value in French without qualifier: `9 000`, `94,8 %`, `4 265 462 €`, `10,8`."""
    if fmt._missing(value):
        return fmt.MISSING
    if unit == "%":
        return fmt.percent(value, _decimals(value))
    if unit == "euros":
        return fmt.euros(value)
    return fmt.number(value, _decimals(value))


def unit_text(value, unit: str) -> str:
    """The unit as shown after the number (`%` and `€` are part of the number)."""
    if unit in ("%", "euros"):
        return ""
    if not fmt._missing(value) and float(value) < 2:
        return SINGULAR_UNITS.get(unit, unit)
    return unit


def format_value(
    value, unit: str, qualifier: str = "exact", value_high=None, period_kind: str | None = None, with_unit: bool = True
) -> str:
    """The figure as a reader should see it, qualifier and unit kept.

    `format_value(9000, "personnes", "environ", period_kind="annual_average")` →
    `environ 9 000 personnes par an`; a range → `1 500 à 2 000 participants`."""
    if fmt._missing(value):
        return fmt.MISSING
    if qualifier == "range":
        if fmt._missing(value_high):
            raise ValueError("a range needs value_high")
        low = fmt.number(value, _decimals(value)) if unit == "%" else number_text(value, unit)
        text = f"{low} à {number_text(value_high, unit)}"
        shown_unit = unit_text(value_high, unit)
    else:
        if qualifier not in QUALIFIER_WORDS:
            raise ValueError(f"unknown qualifier {qualifier!r}")
        text = number_text(value, unit)
        shown_unit = unit_text(value, unit)
        if QUALIFIER_WORDS[qualifier]:
            text = f"{QUALIFIER_WORDS[qualifier]} {text}"
    if with_unit and shown_unit:
        text = f"{text} {shown_unit}"
    if period_kind == "annual_average":
        text = f"{text} par an"
    return text


def period_label(start, end, kind: str) -> str:
    """`2015-2018 (cumul)`, `2018`, `2015-2018 (moyenne annuelle)`, `2018 (ponctuel)`."""
    start, end = int(start), int(end)
    if kind not in PERIOD_KIND_LABELS:
        raise ValueError(f"unknown period kind {kind!r}")
    span = str(start) if start == end else f"{start}-{end}"
    if kind == "annual" and start == end:
        return span
    return f"{span} ({PERIOD_KIND_LABELS[kind]})"


def render(row) -> str:
    """`format_value` applied to a key_figures row (a Series or a namedtuple)."""
    get = row.get if hasattr(row, "get") else lambda k, d=None: getattr(row, k, d)
    return format_value(get("value"), get("unit"), get("qualifier"), get("value_high"), get("period_kind"))


def sum_figures(figures: pd.DataFrame) -> dict:
    """Add figures that can be added, and say what the sum is.

    Allowed: the same unit (a count), and either the same period kind and period (e.g. two
    cumulative totals 2017-2018), or annual values of distinct years (their sum is a
    cumulative total over the span). An annual figure is never added to a cumulative one,
    a yearly average never to anything, a share never. Qualifiers carry over: one "environ"
    makes the sum "environ"; "plus de" stays "plus de" when the others are exact."""
    if figures.empty:
        raise IncompatibleFigures("nothing to add")
    units = set(figures["unit"])
    if len(units) != 1:
        raise IncompatibleFigures(f"different units cannot be added: {sorted(units)}")
    unit = units.pop()
    if unit in ADDITIVE_UNITS_EXCLUDED:
        raise IncompatibleFigures(f"figures in '{unit}' are not additive")
    if (figures["qualifier"] == "range").any():
        raise IncompatibleFigures("a range cannot be added")
    kinds = set(figures["period_kind"])
    if len(kinds) != 1:
        raise IncompatibleFigures(f"different period kinds cannot be added: {sorted(kinds)}")
    kind = kinds.pop()
    if kind in ("annual_average", "stock"):
        raise IncompatibleFigures(f"'{kind}' figures are not additive over time or across items")
    periods = set(zip(figures["period_start"], figures["period_end"]))
    if kind == "annual" and len(periods) > 1:
        years = [int(s) for s, _ in periods]
        if len(years) != len(figures) or any(s != e for s, e in periods):
            raise IncompatibleFigures("annual figures must be of distinct single years to be added")
        result_kind, start, end = "cumulative", min(years), max(years)
    else:
        if len(periods) != 1:
            raise IncompatibleFigures(f"figures of different periods cannot be added: {sorted(periods)}")
        (start, end), result_kind = periods.pop(), kind
    qualifiers = set(figures["qualifier"])
    if qualifiers <= {"exact"}:
        qualifier = "exact"
    elif qualifiers <= {"exact", "plus_de"}:
        qualifier = "plus_de"
    else:
        qualifier = "environ"
    return {
        "value": float(figures["value"].sum()),
        "unit": unit,
        "qualifier": qualifier,
        "period_kind": result_kind,
        "period_start": int(start),
        "period_end": int(end),
    }


# ---------------------------------------------------------------------------------------
# Where each key figure is shown in the book

BOOK_CHAPTERS = {
    "portrait": "Portrait des quartiers",
    "cadre_de_vie": "Cadre de vie et renouvellement urbain",
    "quartiers_veille": "Quartiers en veille active",
    "emploi": "Emploi et développement économique",
    "cohesion_sociale": "Cohésion sociale",
    "numerique": "Numérique",
    "financements": "Financements du contrat",
    "perspectives": "Perspectives et suivi des recommandations",
    "couverture": "Couverture du rapport",
}

# report chapter (key_figures.chapter) → book chapter; 'synthese' is handled below
REPORT_TO_BOOK = {
    "portrait": "portrait",
    "cadre_de_vie": "cadre_de_vie",
    "qva": "quartiers_veille",
    "emploi": "emploi",
    "reussite_educative": "cohesion_sociale",
    "culture_sport": "cohesion_sociale",
    "citoyennete": "cohesion_sociale",
    "prevention_sante": "cohesion_sociale",
    "numerique": "numerique",
    "financements": "financements",
}

# sections of the Cohésion sociale chapter: the report's four chapters of the pillar
COHESION_SECTIONS = {
    "reussite_educative": "Réussite éducative et parentalité",
    "culture_sport": "Culture et sport",
    "citoyennete": "Citoyenneté et lien social",
    "prevention_sante": "Prévention de la délinquance et santé",
}

# summary figures ('synthese') with no later mention: by theme first, then by pillar
SYNTHESIS_THEME_TO_BOOK = {
    "financement": "financements",
    "renouvellement_urbain": "cadre_de_vie",
    "education_aux_medias": "numerique",
    "inclusion_numerique": "numerique",
}
SYNTHESIS_PILLAR_TO_BOOK = {
    "emploi_developpement_economique": "emploi",
    "cohesion_sociale": "cohesion_sociale",
    "cadre_de_vie_renouvellement_urbain": "cadre_de_vie",
    "transversal": "cohesion_sociale",
}
# report chapter of a cohesion-sociale summary figure, by theme
SYNTHESIS_THEME_TO_SECTION = {
    "reussite_educative": "reussite_educative",
    "parentalite": "reussite_educative",
    "sport": "culture_sport",
    "culture": "culture_sport",
    "chantiers_jeunes": "prevention_sante",
    "mediation": "prevention_sante",
    "prevention_jeunesse": "prevention_sante",
    "sante": "prevention_sante",
}
DEFAULT_COHESION_SECTION = "citoyennete"


def _home_of_summary_row(row: pd.Series, figures: pd.DataFrame) -> pd.Series | None:
    """The later mention a summary figure follows (same measure first), if any."""
    later = figures[figures["duplicate_of"] == row["figure_id"]]
    if later.empty:
        return None
    same = later[later["measure"] == row["measure"]]
    return (same if not same.empty else later).iloc[0]


def assign_chapters(figures: pd.DataFrame) -> pd.DataFrame:
    """`figures` (key_figures rows) with `book_chapter`, `section` and `assignment_rule`.

    Rules, in order:
    1. a figure of a report chapter goes to the book chapter covering it
       (REPORT_TO_BOOK); in Cohésion sociale its section is its report chapter;
    2. a summary figure ('synthese') repeated later goes where its later mention is
       (the mention with the same measure first);
    3. a summary figure printed in the same sentence (same report line) as such a figure
       follows it;
    4. otherwise by theme (SYNTHESIS_THEME_TO_BOOK), then by pillar."""
    out = figures.copy()
    chapters, sections, rules = {}, {}, {}
    for _, row in out.iterrows():
        if row["chapter"] != "synthese":
            if row["chapter"] not in REPORT_TO_BOOK:
                raise ValueError(f"{row['figure_id']}: report chapter {row['chapter']!r} has no book chapter")
            chapters[row["figure_id"]] = REPORT_TO_BOOK[row["chapter"]]
            sections[row["figure_id"]] = row["chapter"] if row["chapter"] in COHESION_SECTIONS else ""
            rules[row["figure_id"]] = "chapitre du rapport"
    summary = out[out["chapter"] == "synthese"]
    for _, row in summary.iterrows():
        home = _home_of_summary_row(row, out)
        if home is not None:
            chapters[row["figure_id"]] = chapters[home["figure_id"]]
            sections[row["figure_id"]] = sections[home["figure_id"]]
            rules[row["figure_id"]] = f"suit sa reprise {home['figure_id']}"
    for _, row in summary.iterrows():
        if row["figure_id"] in chapters:
            continue
        same_line = summary[
            (summary["report_line"] == row["report_line"])
            & summary["figure_id"].isin([f for f, r in rules.items() if r.startswith("suit sa reprise")])
        ]
        if not same_line.empty:
            lead = same_line.iloc[0]["figure_id"]
            chapters[row["figure_id"]], sections[row["figure_id"]] = chapters[lead], sections[lead]
            rules[row["figure_id"]] = f"même phrase que {lead}"
            continue
        book = SYNTHESIS_THEME_TO_BOOK.get(row["theme"]) or SYNTHESIS_PILLAR_TO_BOOK[row["pillar"]]
        chapters[row["figure_id"]] = book
        sections[row["figure_id"]] = (
            SYNTHESIS_THEME_TO_SECTION.get(row["theme"], DEFAULT_COHESION_SECTION) if book == "cohesion_sociale" else ""
        )
        rules[row["figure_id"]] = "thème de la synthèse"
    out["book_chapter"] = out["figure_id"].map(chapters)
    out["section"] = out["figure_id"].map(sections)
    out["assignment_rule"] = out["figure_id"].map(rules)
    return out


def for_chapter(figures: pd.DataFrame, book_chapter: str, section: str | None = None) -> pd.DataFrame:
    """The key figures shown in `book_chapter` (and `section`), in report order."""
    assigned = assign_chapters(figures)
    chosen = assigned[assigned["book_chapter"] == book_chapter]
    if section is not None:
        chosen = chosen[chosen["section"] == section]
    return chosen.sort_values(["report_line", "figure_id"]).reset_index(drop=True)


def annotate(figures: pd.DataFrame) -> pd.DataFrame:
    """A copy of key_figures rows with the value and the period as the book shows them."""
    out = figures.copy()
    out["display_value"] = [render(r) for _, r in out.iterrows()]
    out["period_label"] = [period_label(r.period_start, r.period_end, r.period_kind) for r in out.itertuples()]
    return out


def report_lines(table: pd.DataFrame) -> list[int]:
    """Every report line an indicator table cites (its `report_lines` column, '27, 345')."""
    return [int(line) for cell in table["report_lines"] for line in str(cell).split(", ") if line]


def indicator_table(figures: pd.DataFrame, territory_names: pd.Series | None = None) -> pd.DataFrame:
    """One line per distinct figure, ready to save (tidy) and to show.

    Mentions of the same figure (linked by duplicate_of) that read the same (value,
    qualifier, unit, period and territory) are folded into one line listing every
    figure_id and report line; mentions that differ stay on their own line, pointing to the
    other mention, so the discrepancy stays visible."""
    rows = annotate(figures)
    rows["root_id"] = rows["duplicate_of"].fillna(rows["figure_id"])
    key = ["root_id", "display_value", "period_label", "territory_id"]
    lines = []
    for _, group in rows.groupby(key, sort=False, dropna=False):
        first = group.iloc[0]
        line = first.to_dict()
        line["figure_ids"] = ", ".join(group["figure_id"])
        line["report_lines"] = ", ".join(str(int(x)) for x in group["report_line"].dropna())
        others = rows[(rows["root_id"] == first["root_id"]) & ~rows["figure_id"].isin(group["figure_id"])]
        line["other_mentions"] = ", ".join(
            f"{r.figure_id} (l. {'ND' if pd.isna(r.report_line) else int(r.report_line)} : {r.display_value})"
            for r in others.itertuples()
        )
        lines.append(line)
    table = pd.DataFrame(lines)
    if territory_names is not None:
        names = {**territory_names.to_dict(), **TERRITORY_SHORT_NAMES}
        table["territory_name"] = table["territory_id"].map(names).fillna(table["territory_id"])
    return table.sort_values(["report_line", "figure_id"]).reset_index(drop=True)


# short names for the territory column of the key-figure tables (the others keep territories.csv names)
TERRITORY_SHORT_NAMES = {"qpv-ensemble": "Les deux QPV", "qva-ensemble": "Ensemble des QVA"}


def action_label(row) -> str:
    """`Action — opérateur`, or whichever of the two is printed."""
    action = row.get("action") if hasattr(row, "get") else row.action
    operator = row.get("operator") if hasattr(row, "get") else row.operator
    parts = [p for p in (action, operator) if isinstance(p, str) and p.strip()]
    if len(parts) == 2 and parts[0].strip().lower() == parts[1].strip().lower():
        parts = parts[:1]
    return " — ".join(parts)


def display_frame(
    table: pd.DataFrame, with_theme: bool = False, theme_labels: dict | None = None, main_pillar: str | None = None
) -> pd.DataFrame:
    """French display columns of an `indicator_table`, for display.table.

    With `with_theme`, a first column names the theme; a figure whose pillar is not
    `main_pillar` gets its pillar in brackets (e.g. "Insertion (enjeux transversaux)")."""
    shown = pd.DataFrame(
        {
            "Action — opérateur": [action_label(r) or "—" for _, r in table.iterrows()],
            "Indicateur": table["measure"],
            "Chiffre publié": table["display_value"],
            "Période": table["period_label"],
            "Territoire": table.get("territory_name", table["territory_id"]),
            "Réf.": [_reference(r) for _, r in table.iterrows()],
        }
    )
    if (shown["Action — opérateur"] == "—").all():
        shown = shown.drop(columns="Action — opérateur")  # context figures (e.g. the portrait's) have no action
    if with_theme:
        labels = theme_labels or THEME_LABELS
        themes = table["theme"].map(labels).fillna(table["theme"])
        if main_pillar is not None:
            other = table["pillar"] != main_pillar
            themes = themes.where(
                ~other, themes + " (" + table["pillar"].map(PILLAR_LABELS).fillna(table["pillar"]).str.lower() + ")"
            )
        shown.insert(0, "Thème", themes.values)
    return shown


def _reference(row) -> str:
    text = f"l.\u00a0{row['report_lines']}"  # no line break between "l." and the number
    if row.get("other_mentions"):
        text += f" ; autre mention : {row['other_mentions']}"
    return text


THEME_LABELS = {
    "acces_aux_droits": "Accès aux droits",
    "cadre_de_vie": "Cadre de vie",
    "chantiers_jeunes": "Chantiers jeunes",
    "citoyennete_laicite": "Citoyenneté et laïcité",
    "communication": "Communication",
    "culture": "Culture",
    "education_aux_medias": "Éducation aux médias",
    "emploi": "Emploi",
    "entrepreneuriat": "Entrepreneuriat",
    "equipements": "Équipements",
    "financement": "Financement",
    "inclusion_numerique": "Inclusion numérique",
    "information_jeunesse": "Information jeunesse",
    "insertion": "Insertion",
    "lien_social": "Lien social",
    "logement": "Logement",
    "mediation": "Médiation",
    "mobilite": "Mobilité",
    "parentalite": "Parentalité",
    "participation": "Participation des habitants",
    "population": "Population",
    "prevention_jeunesse": "Prévention jeunesse",
    "renouvellement_urbain": "Renouvellement urbain",
    "reussite_educative": "Réussite éducative",
    "revenus": "Revenus",
    "sante": "Santé",
    "savoirs_de_base": "Savoirs de base",
    "sport": "Sport",
    "territoire": "Territoire",
    "tissu_economique": "Tissu économique",
    "violences_faites_aux_femmes": "Violences faites aux femmes",
}

PILLAR_LABELS = {
    "cohesion_sociale": "Cohésion sociale",
    "cadre_de_vie_renouvellement_urbain": "Cadre de vie et renouvellement urbain",
    "emploi_developpement_economique": "Emploi et développement économique",
    "transversal": "Enjeux transversaux",
}


def tidy(table: pd.DataFrame, book_chapter: str) -> pd.DataFrame:
    """The columns of an indicator table worth saving to data/processed."""
    columns = [
        "figure_ids",
        "root_id",
        "pillar",
        "theme",
        "section",
        "action",
        "operator",
        "measure",
        "value",
        "value_high",
        "qualifier",
        "unit",
        "period_start",
        "period_end",
        "period_kind",
        "period_label",
        "display_value",
        "territory_id",
        "report_lines",
        "other_mentions",
    ]
    out = table.reindex(columns=columns).copy()
    out.insert(0, "book_chapter", book_chapter)
    return out


TIDY_COLUMNS = {
    "book_chapter": "chapter of the book showing the line",
    "figure_ids": "key_figures.csv rows folded into this line (same figure, same reading)",
    "root_id": "first mention of the figure in the report",
    "pillar": "pillar of the contract",
    "theme": "theme",
    "section": "section of the chapter (report chapter), if any",
    "action": "scheme or action as printed",
    "operator": "operator as printed",
    "measure": "what is counted",
    "value": "published value (low end of a range)",
    "value_high": "high end of a range",
    "qualifier": "exact, environ, pres_de, plus_de or range",
    "unit": "unit as published",
    "period_start": "first year",
    "period_end": "last year",
    "period_kind": "annual, cumulative, annual_average, one_off, stock",
    "period_label": "period as shown in the book",
    "display_value": "value as shown in the book (qualifier and unit kept)",
    "territory_id": "territory",
    "report_lines": "lines of the report where the figure is printed",
    "other_mentions": "other mentions of the same figure that read differently",
}


TERRITORY_NOTE = "Territoire « Grand Chambéry » : l'agglomération, ou un périmètre que le rapport ne précise pas."


def shown_records(book_chapter: str, figure_ids, raw_tables, section_of: dict | None = None) -> pd.DataFrame:
    """What a chapter shows, as saved in `<chapter>_shown.csv` and joined by the coverage page."""
    rows = [
        {
            "book_chapter": book_chapter,
            "item_kind": "key_figure",
            "item_id": f,
            "section": (section_of or {}).get(f, ""),
        }
        for f in figure_ids
    ]
    rows += [{"book_chapter": book_chapter, "item_kind": "raw_table", "item_id": t, "section": ""} for t in raw_tables]
    return pd.DataFrame(rows, columns=["book_chapter", "item_kind", "item_id", "section"])


SHOWN_COLUMNS = {
    "book_chapter": "chapter of the book",
    "item_kind": "key_figure (a key_figures.csv row) or raw_table (a data/raw table)",
    "item_id": "figure_id or raw table name",
    "section": "section of the chapter, if any",
}
