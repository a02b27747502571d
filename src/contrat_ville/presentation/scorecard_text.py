"""French wording of the mid-term scorecard (contrat_ville.evaluation.scorecard computes,
this module says it): values, observed changes, statistical qualification, short motifs,
caveats and the rules table."""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from contrat_ville.evaluation import scorecard, trends
from contrat_ville.presentation import fmt, sentences, vocabulary

# the vocabulary's labels, under the names the scorecard notebook uses
PILLARS = vocabulary.PILLARS
SOURCE_REF_WORDS = vocabulary.SOURCE_REF_WORDS
SOURCE_REF_COLUMNS = ("source_ref", "change_ref", "source_rows")
DIRECTIONS = vocabulary.DIRECTIONS
CLASSES = vocabulary.INDICATOR_CLASSES
CLASSES_PLURAL = vocabulary.INDICATOR_CLASSES_PLURAL

CAVEATS = vocabulary.CAVEATS
assert set(CAVEATS) == set(scorecard.CAVEAT_CODES), "every caveat code needs its French text"

MOTIFS = vocabulary.VERDICT_MOTIFS
assert set(MOTIFS) == set(scorecard.MOTIFS), "every motif code needs its French text"

TREND_STATUS = vocabulary.TREND_STATUSES

VERDICTS = vocabulary.VERDICTS  # verdict id -> French label
assert set(VERDICTS) == set(scorecard.VERDICTS), "every verdict needs its French label"

# CSS class of a verdict cell (colour), keyed by the word the cell shows: the verdict word is
# always printed next to its colour
VERDICT_CLASS = {
    VERDICTS[scorecard.IMPROVEMENT]: "cv-verdict-up",
    VERDICTS[scorecard.STABLE]: "cv-verdict-stable",
    VERDICTS[scorecard.DETERIORATION]: "cv-verdict-down",
    VERDICTS[scorecard.NOT_ASSESSABLE]: "cv-verdict-na",
    VERDICTS[scorecard.NOT_APPLICABLE]: "cv-verdict-none",
}


# descriptions of the two verdict columns of a published CSV (with_verdict_labels)
VERDICT_COLUMNS = {
    "verdict": "verdict id: " + " / ".join(scorecard.VERDICTS),
    "verdict_label": "the verdict in French (" + " / ".join(VERDICTS[v] for v in scorecard.VERDICTS) + ")",
}
# descriptions of the verdict columns of scorecard_counts.csv (one column per verdict id)
VERDICT_COUNT_COLUMNS = {v: f"indicators with verdict '{v}' ({VERDICTS[v]})" for v in scorecard.VERDICTS}


def verdict(verdict_id: str) -> str:
    """The French label of a verdict id (`not_assessable` → `non évaluable`)."""
    return vocabulary.label("verdicts", verdict_id)


def with_verdict_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with `verdict_label`, the French label, right after its `verdict` id: the
    published CSVs carry both, the id for programs and the word for readers."""
    out = frame.copy()
    out.insert(out.columns.get_loc("verdict") + 1, "verdict_label", out["verdict"].map(verdict))
    return out


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """`1 indicateur`, `2 indicateurs`, `0 indicateur` (French: 0 and 1 take the singular)."""
    word = singular if abs(n) < 2 else (plural_form or singular + "s")
    return f"{fmt.number(n)} {word}"


def format_value(low: object, high: object, qualifier: str, unit: str, year: object = None, dated: bool = False) -> str:
    """A scorecard value in French: `41,4 %`, `24 à 26 %`, `environ 40`, `plus de 2 000`, `ND`;
    `dated`, with its year: `440 (2015)`, or `(non daté)`."""
    if fmt.is_missing(low):
        return fmt.MISSING
    if not fmt.is_missing(high) and high != low:
        text = f"{fmt.by_unit(low, unit, bare=True)} à {fmt.by_unit(high, unit, short=True)}"
    else:
        text = fmt.qualified(fmt.by_unit(low, unit, short=True), qualifier)
    if not dated:
        return text
    return f"{text} ({'non daté' if fmt.is_missing(year) else int(year)})"


def format_dated(low: object, high: object, qualifier: str, unit: str, year: object) -> str:
    """`440 (2015)`; an undated value says so."""
    return format_value(low, high, qualifier, unit, year, dated=True)


def _points(value: float) -> str:
    sign = "" if value < 0 else "+"
    return f"{sign}{fmt.number(value, 1)} point{'s' if abs(value) >= 2 else ''}"


def format_change(row: pd.Series) -> str:
    """The observed change, first to last value: `-25,0 % de 2015 à 2018`, `+0,0 point de 2012
    à 2017`, `-7 % de 2015 à 2018 (publiée)`; `—` where fewer than two comparable values exist."""
    kind, value = row.get("change_kind", ""), row.get("change_value")
    if not kind or fmt.is_missing(value):
        return "—"
    start, end = row.get("change_from_year"), row.get("change_to_year")
    if fmt.is_missing(start):
        span = ""
    elif fmt.is_missing(end):
        span = f" depuis {int(start)}"
    else:
        span = f" de {int(start)} à {int(end)}"
    if kind == "published_pct":
        return f"{fmt.signed_percent(value, 0)}{span} (évolution publiée)"
    if kind == "points":
        return f"{_points(value)}{span}"
    if kind == "ratio_difference":
        return f"{'+' if value >= 0 else ''}{fmt.number(value, 2)}{span}"
    return f"{fmt.signed_percent(value)}{span}"


def format_trend(row: pd.Series) -> str:
    """The statistical qualification: `tendance non établie : -8,4 % par an, IC 95 % [-18,2 % ; +2,5 %]`."""
    status = TREND_STATUS[row["trend_status"]]
    if not row.get("trend_model"):
        return status
    return (
        f"{status} : {fmt.signed_percent(row['annual_change_pct'])} par an, "
        f"IC 95 % {fmt.interval(row['ci_low_pct'], row['ci_high_pct'])}"
    )


def motif(row: pd.Series) -> str:
    """Short motif of the verdict, with what makes this row different (year, class)."""
    code = row["motif"]
    text = MOTIFS[code]
    if code == "no_direction":
        return CLASSES[row["indicator_class"]].lower() if row["indicator_class"] != "outcome" else text
    if code == "single_point" and not fmt.is_missing(row.get("latest_year")):
        return f"{text} ({int(row['latest_year'])})"
    if code in ("observed_beyond_margin", "observed_within_margin") and not fmt.is_missing(
        row.get("observed_annual_pct")
    ):
        return f"{text} ({fmt.signed_percent(row['observed_annual_pct'])} par an)"
    return text


def reason(row: pd.Series) -> str:
    """The full French reason of the verdict (rule and what the data showed)."""
    margin = fmt.percent(row["margin_pct"], 1)
    code = row["motif"]
    interval = (
        ""
        if fmt.is_missing(row.get("ci_low_pct"))
        else f"intervalle {fmt.interval(row['ci_low_pct'], row['ci_high_pct'])} par an"
    )
    texts = {
        "no_direction": "volume d'activité ou indicateur de contexte : l'évolution est décrite, sans être jugée",
        "no_value": MOTIFS["no_value"],
        "undated": "valeur sans année de référence : aucune évolution mesurable",
        "single_point": "un seul millésime : le niveau est connu, pas son évolution",
        "definition_changed": "définition ou périmètre modifié entre les valeurs : évolution non interprétable",
        "bounded": "valeurs en fourchette ou en borne : le sens de l'évolution n'est pas certain",
        "observed_beyond_margin": f"comptage exhaustif : l'évolution observée dépasse la marge de {margin} par an",
        "observed_within_margin": f"comptage exhaustif : l'évolution observée reste dans la marge de {margin} par an",
        "estimate_two_points": "estimation à deux points : la variation est donnée, sans intervalle de confiance",
        "estimate_approximate": "valeurs arrondies par la source : la variation est donnée, aucune tendance n'est ajustée",
        "trend_established": f"tendance établie : l'{interval} exclut zéro",
        "stability_established": f"stabilité établie : l'{interval} reste dans la marge de {margin}",
        "interval_too_wide": f"{interval} trop large : ni évolution ni stabilité démontrées",
        "no_fit": "tendance non estimable sur ces valeurs",
    }
    return f"{row['rule']} : {texts[code]}"


def caveats(codes: str) -> str:
    return " ; ".join(CAVEATS[c] for c in str(codes or "").split(";") if c)


def source_label(source: pd.Series) -> str:
    """Short French name of a source of sources.csv: the title before its first ' — ' or ' ('."""
    title = str(source["title"])
    short = re.split(r" — | \(", title, maxsplit=1)[0].strip()
    return short or str(source["source_id"])


def rules_table(margin_pct: float = scorecard.DEFAULT_MARGIN_PCT, confidence: float | None = None) -> pd.DataFrame:
    """The rules of `scorecard.verdict`, in the order they are examined, as a French table
    (Règle, Situation, Verdict); the stability margin and the confidence level are formatted in."""
    level = fmt.percent(100 * (trends.CONFIDENCE if confidence is None else confidence), 0)
    margin = fmt.percent(margin_pct, 1)
    words = {
        "margin": margin,
        "level": level,
        "both": f"{VERDICTS[scorecard.IMPROVEMENT]} ou {VERDICTS[scorecard.DETERIORATION]} selon le sens souhaité",
        **{v: VERDICTS[v] for v in (scorecard.STABLE, scorecard.NOT_ASSESSABLE, scorecard.NOT_APPLICABLE)},
    }
    rows = [
        (rule, text["situation"].format(**words), text["verdict"].format(**words))
        for rule, text in vocabulary.VERDICT_RULES.items()
    ]
    return pd.DataFrame(rows, columns=["Règle", "Situation", "Verdict"])


# --------------------------------------------------------------------------- generated sentences


def _are(n: int, singular: str, plural_form: str) -> str:
    return singular if abs(n) < 2 else plural_form


def headline(counts: dict) -> str:
    """What the evaluation can say, from `scorecard.headline_counts`: every branch (zero, one,
    several) reads as French."""
    n = counts["indicators"]
    changed, established = counts["observed_change"], counts["established_trend"]
    level, without = counts["level_only"], counts["without_data"]
    parts = [
        f"Sur {plural(n, 'indicateur')} suivis" if n > 1 else f"Sur {plural(n, 'indicateur')} suivi",
    ]
    if changed:
        parts.append(
            f"{plural(changed, 'indicateur')} {_are(changed, 'dispose', 'disposent')} de deux valeurs comparables "
            f"ou plus, donc d'une évolution observée"
        )
    else:
        parts.append("aucun ne dispose encore de deux valeurs comparables, donc d'une évolution observée")
    if established:
        parts.append(
            f"{plural(established, 'tendance')} {_are(established, 'est établie', 'sont établies')} statistiquement"
        )
    else:
        parts.append("aucune tendance n'est établie statistiquement")
    sentence = parts[0] + ", " + " ; ".join(parts[1:]) + "."
    rest = []
    if level:
        rest.append(f"{plural(level, 'indicateur')} n'{_are(level, 'a', 'ont')} qu'une valeur datée")
    if without:
        rest.append(
            f"{plural(without, 'indicateur')} {_are(without, 'est', 'sont')} sans donnée utilisable (valeur absente ou non datée)"
        )
    if rest:
        sentence += " " + (" et ".join(rest))[0].upper() + (" et ".join(rest))[1:] + "."
    return sentence


def verdicts_sentence(counts: dict) -> str:
    """`1 amélioration, 0 dégradation, ...` as a French sentence with agreement."""
    # real changes first, then what the rule could not or need not judge
    order = (
        scorecard.IMPROVEMENT,
        scorecard.DETERIORATION,
        scorecard.STABLE,
        scorecard.NOT_ASSESSABLE,
        scorecard.NOT_APPLICABLE,
    )
    words = [(counts["verdict_" + v], *vocabulary.VERDICT_COUNTS[v]) for v in order]
    items = [plural(n, s, p) for n, s, p in words]
    return "Verdicts : " + ", ".join(items[:-1]) + " et " + items[-1] + "."


def gap_sentence(row: pd.Series) -> str:
    """The QPV-versus-reference gap: its level where one point exists, its change where two do."""
    unit, kind, label = row["unit"], row["kind"], row["label"]
    if fmt.is_missing(row["latest_value"]):
        return f"{label} : non publié (ND)."
    latest = format_value(row["latest_value"], row["latest_value_high"], row["latest_qualifier"], unit)
    if row["observation"] != "change":
        when = (
            "année non précisée par la source" if fmt.is_missing(row["latest_year"]) else str(int(row["latest_year"]))
        )
        return f"{label} : {latest} ({when}) ; une seule mesure existe, son évolution n'est donc pas mesurable."
    first = format_value(row["baseline_value"], row["baseline_value_high"], row["baseline_qualifier"], unit)
    target = 0.0 if kind == "gap" else 1.0  # the contract aims at no gap: a difference of zero, a ratio of one
    before, after = abs(row["baseline_value"] - target), abs(row["latest_value"] - target)
    trend = (
        "l'écart se réduit" if after < before else "l'écart se creuse" if after > before else "l'écart ne change pas"
    )
    return f"{label} : de {first} en {int(row['baseline_year'])} à {latest} en {int(row['latest_year'])} ; {trend}."


# place names used with an article in French ("aux Hauts-de-Chambéry", not "à Hauts-de-Chambéry")
ARTICLE = {"Hauts-de-Chambéry": "les Hauts-de-Chambéry"}


def at_place(name: str) -> str:
    """`à Chambéry`, `aux Hauts-de-Chambéry` (à + les contracts), `au Biollay`."""
    name = ARTICLE.get(name, name)
    for article, contracted in (("les ", "aux "), ("le ", "au ")):
        if name.lower().startswith(article):
            return contracted + name[len(article) :]
    return "à " + name


def _rate(value) -> str:
    return fmt.percent(value, 0 if float(value).is_integer() else 1)


def poverty_sentence(quarters: list[tuple[str, float]], city: float, agglomeration: float) -> str:
    """The QPV-versus-city poverty gap in one sentence; missing values say ND, never a guess."""
    known = [(name, rate) for name, rate in quarters if not fmt.is_missing(rate)]
    if not known:
        return "Le taux de pauvreté des quartiers prioritaires n'est pas publié (ND)."
    listed = " et ".join(f"{_rate(rate)} {at_place(name)}" for name, rate in known)
    sentence = f"Le taux de pauvreté atteint {listed}"
    if fmt.is_missing(city):
        return sentence + " ; celui de la ville n'est pas publié (ND)."
    sentence += f", contre {_rate(city)} à Chambéry"
    if not fmt.is_missing(agglomeration):
        sentence += f" et {_rate(agglomeration)} dans l'agglomération"
    low, high = min(r for _, r in known), max(r for _, r in known)
    if city > 0 and low > city:
        factor = (
            f"{fmt.number(low / city, 1)} à {fmt.number(high / city, 1)}"
            if len(known) > 1
            else fmt.number(high / city, 1)
        )
        if factor.split(" à ")[0] == factor.split(" à ")[-1]:
            factor = factor.split(" à ")[0]
        sentence += (
            f" : de {factor} fois celui de la ville" if " à " in factor else f" : {factor} fois celui de la ville"
        )
    elif high < city:
        sentence += " : les quartiers prioritaires sont sous le taux de la ville"
    elif low <= city <= high:
        sentence += " : selon le quartier, au-dessus ou au niveau du taux de la ville"
    return sentence + "."


def vintage_change(
    status: str,
    reason: str,
    before: tuple | None,
    after: tuple,
    edition: int,
    revised: float | None = None,
    formatter: Callable[[object], str] = fmt.number,
    change_formatter: Callable[[object], str] | None = None,
) -> str:
    """The scorecard's change since the previous edition, for a table cell, naming the edition
    each value comes from: `318 en 2019, contre 330 en 2018 dans l'édition 2018 (en baisse de 12)`;
    when this edition revises the earlier year's value, it says so with the revised value:
    `… ; chiffre de 2018 révisé à 335 par l'édition 2019, soit 5 de plus`. The change itself is
    the one with the previous edition's value, by design (evaluation.vintages.scorecard_changes).

    `status`, `reason` and `revised` (this edition's value for the earlier year, when it differs
    from the previous edition's) are those of evaluation.vintages.scorecard_changes; `before` is
    (year, value, edition) of the previous edition's value (None without one), `after` is
    (year, value) in `edition`; `change_formatter` formats the size of a change (points for a
    rate), `formatter` by default."""
    change_formatter = change_formatter or formatter
    after_year, after_value = after
    before_year, before_value, before_edition = before if before is not None else (None, None, None)
    from_edition = "" if sentences.missing(before_edition) else f" dans l'édition {int(before_edition)}"
    if status in ("up", "down", "equal"):
        now = f"{formatter(after_value)} en {after_year}"
        if status == "equal":
            text = f"{now}, comme en {before_year}{from_edition}"
        else:
            moved = "en hausse" if status == "up" else "en baisse"
            gap = change_formatter(abs(float(after_value) - float(before_value)))
            text = f"{now}, contre {formatter(before_value)} en {before_year}{from_edition} ({moved} de {gap})"
        return text + _revision(before_year, before_value, revised, edition, formatter, change_formatter)
    if status == "revised":
        return (
            f"révisé par l'édition {int(edition)} : {formatter(after_value)} pour {after_year}, "
            f"au lieu de {formatter(before_value)}{from_edition}"
        )
    if status == "new":
        when = f" en {after_year}" if not sentences.missing(after_year) else ""
        return f"nouveau : {formatter(after_value)}{when}"
    return sentences.not_comparable(reason) or fmt.MISSING


def _revision(year, value, revised, edition, formatter, change_formatter) -> str:
    """`; chiffre de 2018 révisé à 335 par l'édition 2019, soit 5 de plus`, or nothing when
    this edition does not revise the earlier year's value."""
    if sentences.missing(revised) or sentences.missing(value) or float(revised) == float(value):
        return ""
    more = "de plus" if float(revised) > float(value) else "de moins"
    gap = change_formatter(abs(float(revised) - float(value)))
    return f" ; chiffre de {year} révisé à {formatter(revised)} par l'édition {int(edition)}, soit {gap} {more}"


def source_words(ref: object) -> object:
    """A raw-row reference of the scorecard in French: `series.csv series_id=s year=2017
    report_line=13 ; reference: ...` → `... ligne 13 du rapport ; référence : ...` (and
    ` | évolution : ` before a published change's row); a missing reference stays missing."""
    if not isinstance(ref, str):
        return ref
    text = re.sub(r"\breport_line=(\d+)", lambda m: SOURCE_REF_WORDS["report_line"].format(line=m.group(1)), ref)
    text = text.replace(scorecard.REFERENCE_SEPARATOR, SOURCE_REF_WORDS["reference"])
    return text.replace(scorecard.CHANGE_SEPARATOR, SOURCE_REF_WORDS["change"])


def with_source_words(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a scorecard frame whose raw-row references (SOURCE_REF_COLUMNS) are in French,
    in place: the published CSVs and the tables of the page read them so."""
    out = frame.copy()
    for column in SOURCE_REF_COLUMNS:
        if column in out:
            out[column] = out[column].map(source_words)
    return out
