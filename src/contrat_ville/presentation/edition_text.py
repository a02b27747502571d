"""French wording of the edition comparison and of the missing-data page.

Every sentence is built from the counts it states, with all its branches (none / one /
several, each status present or absent), so that it stays true for every edition."""

from __future__ import annotations

import re

import pandas as pd

from contrat_ville.data import editions as edition_model
from contrat_ville.presentation import fmt, sentences, vocabulary

# status -> (singular, plural) French wording after "N élément(s)", and its table label
STATUS_WORDS = vocabulary.EDITION_STATUS_COUNTS
STATUS_LABELS = vocabulary.EDITION_STATUSES
GAP_REASONS = {
    "absent": "Non mis à jour dans cette édition (affiché ND)",
    "published_nd": "Publié « ND » (non disponible)",
    "series_point_missing": "Point de l'année absent de la série (l'historique est conservé)",
}
ROWS_KIND = {
    "carried": "conservées : l'historique reste valable tant qu'il n'est pas révisé",
    "current": "affichées « ND » et listées dans « Données manquantes »",
    "own": "propres à chaque édition (ni reprises, ni comparées)",
}
PERIOD_KINDS = vocabulary.PERIOD_ADJECTIVES  # period_kind id -> adjective of "période"


def items(count: int) -> str:
    """`aucun élément`, `1 élément`, `12 éléments`."""
    if count == 0:
        return "aucun élément"
    return f"{fmt.number(count)} élément" + ("s" if count > 1 else "")


def status_phrase(status: str, count: int) -> str:
    singular, plural = STATUS_WORDS[status]
    return f"{items(count)} {singular if count <= 1 else plural}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]


def comparison_summary(summary: pd.DataFrame, year: int, previous: int) -> str:
    """The opening sentence of the comparison: the statuses present, real changes first."""
    counts = dict(zip(summary["status"], summary["items"]))
    compared = sum(counts.values())
    if compared == 0:
        return f"Aucun élément n'est commun aux éditions {previous} et {year} : il n'y a rien à comparer."
    present = [s for s in summary["status"] if counts[s]]
    changed = sum(counts[s] for s in ("up", "down", "revised"))
    head = f"Entre l'édition {previous} et l'édition {year}, {items(compared)} {'est' if compared == 1 else 'sont'} suivi{'s' if compared > 1 else ''} : "
    body = _join([status_phrase(s, counts[s]) for s in present]) + "."
    if changed == 0:
        tail = " Aucune valeur comparable n'a changé."
    else:
        tail = f" {'Une seule valeur comparable a' if changed == 1 else f'{fmt.number(changed)} valeurs comparables ont'} changé (hausse, baisse ou révision)."
    return head + body + tail


def reason(text: str) -> str:
    """A comparison's reason code, in French (`period_kind cumulative -> annual` → `période cumulée → annuelle`)."""
    if not isinstance(text, str) or not text:
        return ""
    match = re.match(r"^period_kind (\S+) -> (\S+)$", text)
    if match:
        before, after = (PERIOD_KINDS.get(k, k) for k in match.groups())
        return f"période {before} → {after}"
    match = re.match(r"^period (\S+) -> (\S+)$", text)
    if match:
        return f"période {match.group(1)} → {match.group(2)}"
    match = re.match(r"^unit (.+) -> (.+)$", text)
    if match:
        return f"unité {match.group(1)} → {match.group(2)}"
    match = re.match(r"^edition (\d+) not restated$", text)
    if match:
        return f"valeur de l'édition {match.group(1)}, non republiée"
    if text == "published after ND":
        return "publié après une édition « ND »"
    return text


def value(v: object) -> str:
    """A compared value: French number, text as is, ND when missing."""
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return fmt.MISSING
    if isinstance(v, str):
        return v
    return fmt.number(v, 0 if float(v).is_integer() else 1)


def with_period(v: object, period: str) -> str:
    shown = value(v)
    return f"{shown} ({period})" if period else shown


def gaps_summary(gaps: pd.DataFrame, year: int) -> str:
    """The opening sentence of the missing-data page, per reason."""
    if gaps.empty:
        return f"L'édition {year} ne manque d'aucune valeur : toutes les valeurs des éditions précédentes sont mises à jour ou conservées."
    counts = gaps["reason"].value_counts()
    parts = []
    if counts.get("absent", 0):
        n = int(counts["absent"])
        parts.append(f"{items(n)} d'une édition précédente {'n’est pas mis' if n == 1 else 'ne sont pas mis'} à jour")
    if counts.get("published_nd", 0):
        n = int(counts["published_nd"])
        parts.append(f"{fmt.number(n)} valeur{'s' if n > 1 else ''} publiée{'s' if n > 1 else ''} « ND »")
    if counts.get("series_point_missing", 0):
        n = int(counts["series_point_missing"])
        parts.append(f"{fmt.number(n)} série{'s' if n > 1 else ''} sans point pour {year}")
    tables = gaps["table"].nunique()
    where = "une table" if tables == 1 else f"{fmt.number(tables)} tables"
    return f"Dans l'édition {year}, sur {where} : " + _join(parts) + "."


def _online(source: pd.Series) -> str | None:
    url = source.get("url")
    return url.strip() if isinstance(url, str) and url.strip() else None


def edition_source(cited: pd.Series, sources: pd.DataFrame, year: int, earlier: list[int]) -> dict[str, str]:
    """The home page's naming of the edition's source document(s), from the rows of the edition
    (`cited`: rows per source_id, data.editions.edition_sources) and sources.csv (indexed by
    source_id): `title` (after "d'après") and `sentence`. When the rows cite the edition's annual
    report (`rapport-annuel-<year>`, the document of their report lines) it is the one named;
    otherwise every source the rows cite (a source missing from sources.csv by its id); none at
    all reads ND. `earlier`: editions whose values the edition keeps where it has no update."""
    annual = f"rapport-annuel-{year}"
    ids = [annual] if annual in cited.index and annual in sources.index else list(cited.index)
    known = [sources.loc[s] for s in ids if s in sources.index]
    unknown = [s for s in ids if s not in sources.index]
    titles = [str(source["title"]) for source in known] + unknown
    if not titles:
        title = f"{fmt.MISSING} (source de l'édition non renseignée)"
        sentence = (
            f"La source de l'édition {year} n'est pas renseignée ({fmt.MISSING}) : aucune de ses lignes ne la nomme."
        )
    elif ids == [annual]:
        source = known[0]
        title = titles[0]
        url = _online(source)
        sentence = f"Le rapport de l'édition {year} : {title}, publié par {source['producer']} ; " + (
            f"il est en ligne : {url}." if url else "il n'est pas en ligne."
        )
    else:
        title = _join(titles)
        named = [
            f"{source['title']} ({source['producer']}"
            + (f", en ligne : {_online(source)})" if _online(source) else ")")
            for source in known
        ] + [f"{s} (absente de sources.csv)" for s in unknown]
        offline = not any(_online(source) for source in known)
        if len(named) == 1:
            sentence = f"La source de l'édition {year} : {named[0]}" + (
                " ; elle n'est pas en ligne." if offline else "."
            )
        else:
            sentence = (
                f"Les sources de l'édition {year} : " + _join(named) + (" ; aucune n'est en ligne." if offline else ".")
            )
    if earlier:
        years = sorted(set(earlier))
        which = f"de l'édition {years[0]}" if len(years) == 1 else "des éditions " + _join([str(y) for y in years])
        sentence += f" Les valeurs que l'édition {year} ne met pas à jour restent celles {which}."
    return {"title": title, "sentence": sentence}


def as_of(years: list[int], editions: list[int], year: int) -> str:
    """When a dated status holds and which edition published it: `à fin 2018` when edition
    `year` published it; `à fin 2018, d'après l'édition 2018` when it is an earlier edition's
    status that `year` does not revise (still true: a dated status stays valid); `ND` without a
    date."""
    years, editions = sorted({int(y) for y in years}), sorted({int(e) for e in editions})
    if not years:
        return fmt.MISSING
    when = f"à fin {_join([str(y) for y in years]).replace(' et ', ' ou ')}"
    if not editions or editions == [year]:
        return when
    which = f"l'édition {editions[0]}" if len(editions) == 1 else "les éditions " + _join([str(e) for e in editions])
    return f"{when}, d'après {which}"


def status_cards(
    counts: dict[str, int], labels: dict[str, tuple[str, str]], n_nd: int, when: str, nd_labels: tuple[str, str]
) -> list[tuple[str, str]]:
    """Key-figure cards of items by status: one per status (`labels`: singular, plural), dated by
    `when` (as_of), and one counting the items without any published status (`nd_labels`). When
    no item has a status, only that card: an ND status is never counted as zero of a status."""
    known = sum(counts.values())
    cards = [] if known == 0 else [(fmt.number(n), f"{n_word(n, labels[s])} {when}") for s, n in counts.items()]
    if n_nd:
        cards.append((fmt.number(n_nd), n_word(n_nd, nd_labels)))
    return cards


def n_word(n: int, forms: tuple[str, str]) -> str:
    """The label agreeing with a count (French: singular for 0 and 1)."""
    return forms[0] if n <= 1 else forms[1]


def _tracks(n: int) -> str:
    return "aucune piste" if n == 0 else f"{fmt.number(n)} piste" + ("s" if n > 1 else "")


def tracks_summary(
    shown: pd.DataFrame, year: int, first_edition: int, first_as_of: int, verbs: dict[str, tuple[str, str]]
) -> dict[str, str]:
    """The perspectives chapter's sentences on the tracks' statuses, from `shown` (one row per
    track: track_title, status, status_as_of, edition of the status; status empty when no edition
    published one): `bilan` (which report(s) the statuses come from) and `summary` (the count per
    status, in the order of `verbs`: status -> (singular verb, plural verb)). Branches: no status
    published (ND), statuses of this edition, of an earlier one it does not revise, of several;
    tracks without a status counted apart, never as a status."""
    known = shown[shown["status"].notna()]
    n_nd = len(shown) - len(known)
    if known.empty:
        return {
            "bilan": f"Aucun rapport annuel jusqu'à l'édition {year} ne publie l'état de leur mise en œuvre ({fmt.MISSING}).",
            "summary": f"Aucune édition jusqu'à {year} ne publie l'état des pistes : {_tracks(n_nd)} sans état publié ({fmt.MISSING}).",
        }
    status_editions = sorted({int(e) for e in known["edition"]})
    reports = (
        f"le rapport annuel {status_editions[0]}"
        if len(status_editions) == 1
        else "les rapports annuels " + _join([str(e) for e in status_editions])
    )
    bilan = reports[:1].upper() + reports[1:] + (" fait" if len(status_editions) == 1 else " font")
    bilan += " le point sur leur mise en œuvre."
    if year not in status_editions:
        note = f"L'édition {year} ne publie pas de nouveau bilan des pistes : chacune garde son dernier état publié. "
    elif (known["edition"] < year).any():
        note = f"L'édition {year} ne met pas à jour l'état de toutes les pistes : les autres gardent leur dernier état publié. "
    else:
        note = ""
    # the quote is that of the first edition's report (line 806), the one transcribed
    if status_editions == [first_edition]:
        lead = (
            f"Selon le rapport annuel {first_edition}, « une grande partie des propositions » était mise en œuvre "
            f"à fin {first_as_of}. Le détail, piste par piste, est plus nuancé : "
        )
    else:
        lead = f"Selon {reports}, {as_of(list(known['status_as_of']), [year], year)}, "
    if len(known) == 1:  # "1 sur 1", "aucune des 1": one track is named, not counted
        row = known.iloc[0]
        title = row["track_title"][:1].lower() + row["track_title"][1:]
        body = f"la seule piste dont l'état est publié ({title}) {verbs[row['status']][0]}"
        if n_nd:
            body += f" ; {_tracks(n_nd)} sans état publié ({fmt.MISSING})"
        return {"bilan": bilan, "summary": note + lead + body + "."}
    parts = []
    for status, (singular, plural) in verbs.items():
        titles = [t[:1].lower() + t[1:] for t in known.loc[known["status"] == status, "track_title"]]
        n = int((known["status"] == status).sum())
        part = sentences.of_total(n, len(known), singular, plural)
        parts.append(f"{part} ({sentences.join(titles)})" if titles else part)
    body = _join(parts)
    if n_nd:
        body = f"parmi les {_tracks(len(known))} dont l'état est publié, {body} ; {_tracks(n_nd)} sans état publié ({fmt.MISSING})"
    return {"bilan": bilan, "summary": note + lead + body + "."}


def checklist_with_words(checklist: pd.DataFrame) -> pd.DataFrame:
    """The update checklist (data.editions.checklist) as published: a measure whose unit is in
    its description reads `(voir description)`."""
    out = checklist.copy()
    if "measures" in out:
        marker = f"({edition_model.UNIT_IN_DESCRIPTION})"
        words = f"({vocabulary.CHECKLIST_UNITS[edition_model.UNIT_IN_DESCRIPTION]})"
        out["measures"] = out["measures"].map(lambda m: m.replace(marker, words) if isinstance(m, str) else m)
    return out
