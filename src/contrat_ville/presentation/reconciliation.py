"""The reconciliation of the report's figures in French: the statuses' labels, colours and
definitions, the computation of each check written out so that a reader can redo it by hand,
and the verdict with its reason. The computations themselves are in
contrat_ville.evaluation.claims, which returns data only."""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd
from IPython.display import HTML

from contrat_ville.evaluation import claims
from contrat_ville.evaluation.claims import Evaluation, Interval, Operand
from contrat_ville.presentation import display, fmt, vocabulary
from contrat_ville.presentation.fmt import MONTHS

# the vocabulary's labels, under the names the audit chapter uses
CHAPTERS = vocabulary.REPORT_CHAPTERS
STATUS_LABELS = vocabulary.CLAIM_STATUSES
# Colour-blind palette (seaborn "colorblind"); the colour is never the only cue: the label and
# the colour's name are printed beside it.
STATUS_COLOURS = {
    key: (status["colour"], status["colour_name"]) for key, status in vocabulary.CLAIM_STATUS_DETAILS.items()
}
STATUS_DEFINITIONS = {key: status["definition"] for key, status in vocabulary.CLAIM_STATUS_DETAILS.items()}
COMPARABILITY_LABELS = vocabulary.labels("comparability")
IMPACT_LABELS = vocabulary.labels("assumption_impacts")
MONTH_UNIT = "mois"  # dates of schedules are stored as yyyymm (201811 = novembre 2018)
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
STATUS_COLUMNS = ["rounding_rule", "explanation", "computation"]
COLUMNS = claims.DATA_COLUMNS[:11] + ["rounding_rule"] + claims.DATA_COLUMNS[11:] + ["explanation", "computation"]


def status_legend() -> pd.DataFrame:
    """The statuses with their French label, colour (hex and name) and definition."""
    return pd.DataFrame(
        {
            "status": list(claims.STATUSES),
            "label": [STATUS_LABELS[s] for s in claims.STATUSES],
            "colour": [STATUS_COLOURS[s][0] for s in claims.STATUSES],
            "colour_name": [STATUS_COLOURS[s][1] for s in claims.STATUSES],
            "definition": [STATUS_DEFINITIONS[s] for s in claims.STATUSES],
        }
    )


# --- numbers ----------------------------------------------------------------------------


def number(value: float, decimals: int = 2, trim: bool = True) -> str:
    """French number with at most `decimals` decimals (trailing zeros dropped when `trim`)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return fmt.MISSING
    text = fmt.number(value, max(decimals, 0))
    if trim and "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def month(value: float) -> str:
    """201811 → `novembre 2018`."""
    year, index = divmod(int(round(value)), 100)
    return f"{MONTHS[index - 1]} {year}" if 1 <= index <= 12 else number(value, 0)


def interval_text(interval: Interval, decimals: int = 2, unit: str | None = None) -> str:
    """`[16,5 ; 17,5[`, `]1 000 ; +∞[` (French interval notation); months as `de … à …`."""
    if unit == MONTH_UNIT:
        first = math.ceil(interval.low) if interval.low_closed else math.floor(interval.low) + 1
        last = math.floor(interval.high) if interval.high_closed else math.ceil(interval.high) - 1
        return f"de {month(first)} à {month(last)}"

    def bound(v):
        return ("−∞" if v < 0 else "+∞") if math.isinf(v) else number(v, decimals)

    left = "[" if interval.low_closed and not math.isinf(interval.low) else "]"
    right = "]" if interval.high_closed and not math.isinf(interval.high) else "["
    return f"{left}{bound(interval.low)} ; {bound(interval.high)}{right}"


def published_label(
    value: float, unit: str, qualifier: str = "exact", decimals: int = 0, high: float | None = None
) -> str:
    """The figure as a reader would print it: `36 %`, `1,4 à 1,5 fois`, `près de 1 000 familles`."""
    d = max(int(decimals), 0)

    def one(v):
        return month(v) if unit == MONTH_UNIT else fmt.by_unit(v, unit, d, noun=True, short=True)

    if qualifier == "range":
        low = month(value) if unit == MONTH_UNIT else fmt.by_unit(value, unit, d, bare=True)
        return f"{low} à {one(high)}"
    return fmt.qualified(one(value), qualifier)


def claim_label(claim: Any) -> str:
    return published_label(claim.published_value, claim.unit, claim.qualifier, claim.decimals, claim.published_high)


def rounding_rule(claim: Any) -> str:
    """The acceptance rule of a claim in French, e.g. `arrondi à l'unité ; valeurs admises [16,5 ; 17,5[`."""
    interval = claims.claim_interval(claim)
    d = int(claim.decimals)
    if claim.unit == MONTH_UNIT:
        return f"mois publiés : {interval_text(interval, unit=MONTH_UNIT)}"
    precision = {
        0: "à l'unité",
        1: "au dixième",
        2: "au centième",
        -1: "à la dizaine",
        -2: "à la centaine",
        -3: "au millier",
    }.get(d, f"à {number(10.0**-d, 6)} près")
    kind = {
        "exact": f"arrondi {precision}",
        "environ": f"« environ », arrondi {precision}",
        "pres_de": f"« près de » : au plus la valeur, arrondi {precision}",
        "plus_de": "« plus de » : strictement au-dessus",
        "moins_de": "« moins de » : strictement en dessous",
        "range": f"fourchette aux bornes arrondies {precision}",
    }[claim.qualifier]
    return f"{kind} ; valeurs admises {interval_text(interval, max(d, 0) + 2)}"


# --- computations -----------------------------------------------------------------------


def _weighted(text: str, weight: float) -> str:
    """`10,8` with weight 1e6 → `(10,8 × 10⁶)`; weight -1 → `-10,8` (shown as a subtraction)."""
    if weight == 1:
        return text
    if weight == -1:
        return f"-{text}"
    exponent = math.log10(abs(weight))
    if exponent.is_integer():
        factor = f"10{str(int(exponent)).translate(SUPERSCRIPT)}"
        return f"{'-' if weight < 0 else ''}({text} × {factor})"
    return f"{number(weight, 6)} × {text}"


def operand_text(operand: Operand) -> str:
    """An operand as read: its raw value(s), weighted."""
    term = operand.term
    if term.constant is not None:
        return number(term.constant, 6)
    if operand.value is None:
        return fmt.MISSING
    if operand.rows > 3:
        shown = f"Σ {term.table}[{term.selector}] ({operand.rows} lignes : {number(operand.value / term.weight, 4)})"
    elif operand.rows > 1:
        shown = " + ".join(number(v, 4) for v in operand.raw_values)
        shown = f"({shown})" if term.weight != 1 else shown
    else:
        shown = number(operand.value / term.weight, 4)
    return _weighted(shown, term.weight)


def _joined(operands: list[Operand]) -> str:
    text = " + ".join(operand_text(o) for o in operands).replace("+ -", "− ")
    return f"({text})" if len(operands) > 1 else text


def show(value: float, claim: Any) -> str:
    """A recomputed value with at most one decimal more than the published figure (two below ten),
    without false precision (`fmt.significant`: no trailing zero)."""
    if claim.unit == MONTH_UNIT:
        return month(value)
    if float(value).is_integer():
        return number(value, 0)
    decimals = max(int(claim.decimals) + 1, 1 if abs(value) >= 10 else 2)
    return fmt.significant(value, decimals)


def _rows_text(operand: Operand) -> str:
    return f"{operand.term.table}[{operand.term.selector}]"


def computation(evaluation: Evaluation) -> str:
    """The check written out with its values, e.g. `100 × (3 563 915) / (10,8 × 10⁶) = 33,0 %`."""
    claim, outcome, rule = evaluation.claim, evaluation.outcome, evaluation.claim.rule
    if outcome is None:
        return ""
    nums, dens = evaluation.numerators, evaluation.denominators
    if rule == "sum_of":
        return " ; ".join(
            f"{' + '.join(operand_text(o) for o in group).replace('+ -', '− ')} = {show(value, claim)}"
            for group, value in zip(nums, outcome.values)
        )
    if rule in ("share_of", "ratio_of"):
        share = rule == "share_of"
        pairs = claims._broadcast(nums, dens)
        return " ; ".join(
            f"{'100 × ' if share else ''}{_joined(n)} / {_joined(d)} = {show(v, claim)}{' %' if share else ''}"
            for (n, d), v in zip(pairs, outcome.values)
        )
    if rule == "count_of":
        operand = nums[0][0]
        return f"nombre de lignes de {_rows_text(operand)} = {operand.rows}"
    if rule == "count_distinct_of":
        operand = nums[0][0]
        return (
            f"valeurs distinctes de {operand.term.column} dans {_rows_text(operand)} = {number(outcome.values[0], 0)}"
        )
    if rule == "duplicate_of":
        d = outcome.details
        where = f"ligne {d['line']}" if d["line"] is not None else nums[0][0].term.reference
        other = published_label(d["value"], claim.unit, d["qualifier"], claims.printed_decimals(d["value"]), d["high"])
        common = "intersection " + interval_text(d["common"]) if d["common"] is not None else "aucune valeur commune"
        return (
            f"{where} : « {other} » ⇒ {interval_text(d['other'])} ; "
            f"ici « {claim_label(claim)} » ⇒ {interval_text(evaluation.interval)} ; {common}"
        )
    if rule in ("at_least", "at_most"):
        holds = outcome.verdict == "agrees"
        sign = ("≥" if holds else "<") if rule == "at_least" else ("≤" if holds else ">")
        operands = _joined(nums[0])
        shown = show(outcome.values[0], claim)
        return f"{claim_label(claim)} {sign} {operands}" + ("" if operands == shown else f" = {shown}")
    if rule == "achievable_share_of":
        d = outcome.details
        return f"100 × {d['k']} / {_joined(nums[0])} = {number(outcome.values[0], int(claim.decimals) + 2)} %"
    if rule in ("parts_make_whole", "parts_within"):
        low, high = outcome.bounds
        parts = " + ".join(operand_text(o) for o in nums[0]).replace("+ -", "− ")
        whole = claim_label(claim)
        target = f"au plafond de {whole}" if rule == "parts_within" else f"à {whole}"
        return (
            f"{parts} = {show(outcome.values[0], claim)}, soit entre {number(low, 2)} et {number(high, 2)} "
            f"en tenant compte de l'arrondi de chaque part, à comparer {target}"
        )
    if rule == "not_before":
        decision = month(outcome.values[0])
        if outcome.verdict == "disagrees":
            relation = "se termine avant"
        elif outcome.verdict == "agrees":
            relation = "ne commence pas avant"
        else:
            relation = "peut commencer avant ou après"
        lines = evaluation.operand_lines
        where = f"{'ligne' if len(lines) == 1 else 'lignes'} {' et '.join(str(n) for n in lines)}"
        return f"« {claim_label(claim)} » {relation} la décision dont il dépend ({decision}, {where})"
    raise claims.ClaimError(f"{claim.claim_id}: no French wording for rule {rule!r}")


# --- verdicts ---------------------------------------------------------------------------


def _assumptions_text(ids: list[str], assumptions: pd.DataFrame | None) -> str:
    """`l'hypothèse h-12 (« … », impact faible)`, plural for several."""
    known = assumptions.set_index("assumption_id") if assumptions is not None else None

    def one(a):
        if known is None or a not in known.index:
            return a
        row = known.loc[a]
        return f"{a} (« {row['topic']} », {IMPACT_LABELS.get(row['impact'], row['impact'])})"

    named = [one(a) for a in ids]
    if len(named) == 1:
        return f"l'hypothèse {named[0]}"
    return f"les hypothèses {', '.join(named[:-1])} et {named[-1]}"


def explanation(evaluation: Evaluation, assumptions: pd.DataFrame | None = None) -> str:
    """The verdict, its reason and the computation, in French, followed by the claim's note."""
    claim, outcome, reason = evaluation.claim, evaluation.outcome, evaluation.reason
    note = claims._text(claim.note)
    label = STATUS_LABELS[evaluation.status].capitalize()
    comp = computation(evaluation)
    decimals = int(claim.decimals) + 2
    within = f"dans l'intervalle {interval_text(evaluation.interval, decimals, claim.unit)} que couvre « {claim_label(claim)} »"
    outside = within.replace("dans l'intervalle", "hors de l'intervalle")
    self_judged = outcome is not None and outcome.verdict is not None
    if reason == "no_rule":
        text = f"{label}."
    elif reason == "operand_missing":
        text = f"{label} : {evaluation.missing} est vide (ND) dans les données brutes."
    elif reason == "within_rounding":
        text = f"{label} : {comp}." if self_judged else f"{label} : {comp}, {within}."
    elif reason in ("outside_rounding", "outside_even_with_source_rounding"):
        text = f"{label} : {comp}." if self_judged else f"{label} : {comp}, {outside}."
        if reason == "outside_even_with_source_rounding" and claim.rule not in ("parts_make_whole", "parts_within"):
            low, high = outcome.bounds
            text += (
                " Même en tenant compte de l'arrondi des données sources, la valeur resterait "
                f"entre {show(low, claim)} et {show(high, claim)}."
            )
    elif reason == "source_rounding":
        low, high = outcome.bounds
        fine = int(claim.decimals) + 2
        text = (
            f"{label} : {comp} ; l'arrondi des données sources laisse la valeur exacte entre {number(low, fine)} et "
            f"{number(high, fine)}, ce qui recoupe l'intervalle {interval_text(evaluation.interval, decimals)} que "
            f"couvre « {claim_label(claim)} » sans s'y limiter : le chiffre est possible, pas établi."
        )
    elif reason == "bound_only":
        text = f"{label} : {comp} ; ce n'est qu'une borne, que toute valeur plausible respecte."
    elif reason in ("granularity_only", "granularity_vacuous"):
        text = (
            f"{label} : {comp} ; un nombre entier de personnes donne bien cette part, mais ce nombre n'est pas publié"
        )
        if reason == "granularity_vacuous":
            d = outcome.details
            text += (
                f" ; sur {number(d['base'], 0)}, chaque personne pèse {number(d['step'], 2)} point, moins que "
                "l'arrondi du chiffre publié : toute part serait atteignable et le test ne pouvait pas échouer"
            )
        text += "."
    elif reason == "vague_interval":
        spread = (evaluation.interval.high - evaluation.interval.low) / 2 / abs(claim.published_value) * 100
        text = (
            f"{label} : {comp}, {within}, soit ± {number(spread, 0)} % autour du chiffre : un intervalle "
            "aussi large ne permet pas d'établir le chiffre."
        )
    elif reason == "schedule_only":
        text = f"{label} : {comp} ; le calendrier publié ne contredit pas la date de la décision, mais le rapport ne permet pas de le vérifier."
    elif reason == "under_assumption":
        where = "" if self_judged else f", {within}"
        text = (
            f"{label} : {comp}{where}, seulement si l'on admet "
            f"{_assumptions_text(evaluation.deciding_assumptions, assumptions)} ; sans elle, le chiffre n'est pas établi."
        )
        if len(evaluation.deciding_assumptions) > 1:
            text = text.replace("sans elle,", "sans elles,")
    elif reason.startswith("different_"):
        what = COMPARABILITY_LABELS[reason.removeprefix("different_")]
        text = f"{label} ({what}) : {comp}, donné pour information ; l'écart éventuel ne prouve rien."
    else:
        raise claims.ClaimError(f"{claim.claim_id}: no French wording for reason {reason!r}")
    return f"{text} {note}".strip()


def row(evaluation: Evaluation, assumptions: pd.DataFrame | None = None) -> dict:
    """One evaluation as a full row of the published reconciliation table (data and French)."""
    return {
        **claims.record(evaluation),
        "rounding_rule": rounding_rule(evaluation.claim),
        "explanation": explanation(evaluation, assumptions),
        "computation": computation(evaluation),
    }


def evaluate(claim: Any, tables: dict[str, pd.DataFrame]) -> dict:
    """One claim → one row of the reconciliation table, French included."""
    return row(claims.evaluate(claim, tables), tables.get("assumptions"))


def reconciliation_table(
    claims_table: pd.DataFrame, tables: dict[str, pd.DataFrame], edition: int | None = None
) -> pd.DataFrame:
    """Every claim evaluated, with its computation and verdict in French (reconciliation.csv)."""
    evaluations = claims.evaluate_all(claims_table, tables, edition)
    return claims.frame([row(e, tables.get("assumptions")) for e in evaluations], COLUMNS)


# --- display ----------------------------------------------------------------------------


def recomputed_label(r: Any) -> str:
    """The recomputed value in the claim's unit, one decimal finer than the published figure."""
    if pd.isna(r.recomputed_value):
        return fmt.MISSING
    decimals = int(r.decimals) + 1 if "decimals" in r._fields else 1

    # one decimal finer than published; amounts in k€ / M€, multipliers and ETP to the hundredth at least
    finer = max(decimals, 2)
    precision = {"%": max(decimals, 1), "eur": 0, "meur": finer, "keur": finer, "fois": finer, "ETP": finer}

    def one(v):
        v = float(v)
        if r.unit == MONTH_UNIT:
            return month(v)
        if r.unit in precision:
            return fmt.by_unit(v, r.unit, precision[r.unit], noun=r.unit == "ETP", trim=True)
        return number(v, 0 if v.is_integer() else 1)  # a count: its trailing zeros dropped

    if pd.notna(r.recomputed_high):
        return f"{one(r.recomputed_value)} à {one(r.recomputed_high)}"
    return one(r.recomputed_value)


def display_frame(table: pd.DataFrame, claims_table: pd.DataFrame) -> pd.DataFrame:
    """Reconciliation rows as French display strings (the book's audit tables)."""
    decimals = claims_table.set_index("claim_id")["decimals"]
    rows = table.assign(decimals=table["claim_id"].map(decimals).fillna(0).astype(int))
    return pd.DataFrame(
        {
            "Ligne": rows["report_line"].map(lambda v: fmt.number(v)),
            "Chapitre du rapport": rows["chapter"].map(CHAPTERS),
            "Citation du rapport": rows["quote"].map(lambda q: f"« {q} »"),
            "Publié": [
                published_label(r.published_value, r.unit, r.qualifier, r.decimals, r.published_high)
                for r in rows.itertuples()
            ],
            "Recalculé ou autre mention": [recomputed_label(r) for r in rows.itertuples()],
            "Statut": rows["status"].map(STATUS_LABELS),
            "Calcul et explication": rows["explanation"],
        }
    )


PLURALS = vocabulary.CLAIM_STATUS_COUNTS


def status_count_text(status: str, count: int) -> str:
    """`1 vérifié`, `12 contredits`, `aucun contredit`."""
    singular, plural = PLURALS[status]
    if count == 0:
        return f"aucun {singular}"
    return f"{fmt.number(count)} {singular if count == 1 else plural}"


def status_counts_sentence(counts: dict[str, int]) -> str:
    """Every status with its count, in review order, e.g. `12 contredits, …, et 52 vérifiés`;
    statuses with no claim are left out unless none has any."""
    parts = [status_count_text(s, int(counts.get(s, 0))) for s in claims.REVIEW_ORDER if counts.get(s, 0)]
    if not parts:
        return "aucun chiffre contrôlé"
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} et {parts[-1]}"


def legend_frame(counts: dict[str, int] | None = None) -> pd.DataFrame:
    """The statuses for readers: label, colour named in words, definition (and count, if given)."""
    shown = pd.DataFrame(
        {
            "Statut": [STATUS_LABELS[s].capitalize() for s in claims.REVIEW_ORDER],
            "Couleur des graphiques": [STATUS_COLOURS[s][1] for s in claims.REVIEW_ORDER],
            "Définition": [STATUS_DEFINITIONS[s].capitalize() for s in claims.REVIEW_ORDER],
        }
    )
    if counts is not None:
        shown["Chiffres"] = [fmt.number(int(counts.get(s, 0))) for s in claims.REVIEW_ORDER]
    return shown


def identified_sentence(published: list[float], identified: int, named: int | None = None) -> str:
    """How the study's own list compares with the counts the report announces (several, possibly
    different), e.g. `11 puis 10 quartiers … alors que l'étude n'en identifie que 9`; `named`: how
    many of them the report names (the others are known only by their commune)."""
    announced = " puis ".join(fmt.number(v) for v in published)
    noun = "quartier en veille active" if published and max(published) <= 1 else "quartiers en veille active"
    if not published:
        return f"l'étude identifie {fmt.number(identified)} quartiers en veille active"
    if identified < min(published):
        tail = f"alors que l'étude n'en identifie que {fmt.number(identified)} dans ses pages"
    elif identified > max(published):
        tail = f"alors que l'étude en identifie davantage ({fmt.number(identified)}) dans ses pages"
    else:
        tail = f"et l'étude en identifie {fmt.number(identified)} dans ses pages"
    if named is not None and named != identified:
        unnamed = identified - named
        tail += (
            f", dont {fmt.number(named)} {'nommé' if named < 2 else 'nommés'} par le rapport "
            f"({fmt.number(unnamed)} {'autre' if unnamed < 2 else 'autres'} seulement par {'sa' if unnamed < 2 else 'leur'} commune)"
        )
    verb = "annonce" if len(published) == 1 else "annonce successivement"
    return f"le rapport {verb} {announced} {noun}, {tail}"


# --- traces -----------------------------------------------------------------------------

TRACE_PREFIX = "trace-"  # anchor of a claim's first row in the trace table: #trace-cl-016
_TRACE_ROW = re.compile(r"<tr>(\s*<td>)(cl-\d{3})</td>")


def trace_anchor(claim_id: str) -> str:
    return f"{TRACE_PREFIX}{claim_id}"


def _with_row_anchors(rendered: str) -> str:
    """The first row of each claim in a rendered trace table carries the claim's anchor."""
    seen = set()

    def anchor(match):
        claim_id = match.group(2)
        if claim_id in seen:
            return match.group(0)
        seen.add(claim_id)
        return f'<tr id="{trace_anchor(claim_id)}">{match.group(1)}{claim_id}</td>'

    return _TRACE_ROW.sub(anchor, rendered)


def trace_table(
    trace: pd.DataFrame, processed_href: str, raw_href: str, cell_href: str, title: str, source: str
) -> HTML:
    """The trace of every check: the raw rows it reads (table, selector, value, report lines, each
    table linked to its CSV), the function and the notebook cell that computed it, and the row of
    the published reconciliation table. `raw_href` is a folder (…/raw/), `cell_href` an anchor."""
    shown = pd.DataFrame(
        {
            "Contrôle": trace["claim_id"],
            "Calcul": [
                f"contrat_ville.evaluation.claims.{rule if rule in claims.RULES else 'evaluate (aucune règle)'}"
                for rule in trace["rule"]
            ],
            "_cell": cell_href,
            "Table brute": [f"{table}.csv" for table in trace["table"]],
            "_raw": [f"{raw_href}{table}.csv" for table in trace["table"]],
            "Lignes lues": [
                f"{t}[{s}]" + ("" if c == "value" else f".{c}")
                for t, s, c in zip(trace["table"], trace["selector"], trace["column"])
            ],
            "Valeur brute": [
                fmt.MISSING
                if pd.isna(v)
                else (f"{number(v, 0)} lignes" if rule in claims.COUNTS_ROWS else number(v, 4))
                for v, rule in zip(trace["raw_value"], trace["rule"])
            ],
            "Lignes du rapport": [
                # "63 ; 64 ; 97", not "63, 64, 97": a cell of digits and commas is a figure, which never wraps
                lines if lines else fmt.MISSING
                for lines in trace["report_lines"]
            ],
            "Table produite": [f"reconciliation.csv, {c}" for c in trace["claim_id"]],
            "_processed": processed_href,
        }
    )
    rendered = display.table(
        shown,
        title,
        source,
        note="Chaque table brute se télécharge par son lien ; la colonne report_line de ses lignes renvoie à la "
        "ligne du rapport. La fonction de calcul est appelée par la cellule liée.",
        links={"Calcul": "_cell", "Table brute": "_raw", "Table produite": "_processed"},
    )
    return HTML(_with_row_anchors(rendered.data).replace("cv-table", "cv-table cv-text cv-trace", 1))


def audit_table(shown: pd.DataFrame, title: str, source: str, note: str | None = None) -> HTML:
    """An audit table whose claim column links to the claim's trace (`#trace-cl-…`)."""
    shown = shown.copy()
    shown["_trace"] = [f"#{trace_anchor(c)}" for c in shown["Contrôle"]]
    rendered = display.table(
        shown, title, source, note=note, links={"Contrôle": "_trace"}, quotes=["Citation du rapport"]
    )
    return HTML(rendered.data.replace("cv-table", "cv-table cv-text", 1))
