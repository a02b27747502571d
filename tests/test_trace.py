"""From a number of the built controle page to the raw rows that reproduce it: numbers are
picked at random (fixed seed) from the audit tables, and each is followed through its links
only: the claim's trace row, the raw CSV files of the site, the computing cell and the row of
the published reconciliation.csv."""

import os
import random
import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from contrat_ville.data import raw
from contrat_ville.evaluation import claims, locate
from contrat_ville.presentation import fmt
from contrat_ville.presentation import reconciliation as audit_text

SAMPLE = 12
SPACES = re.compile(r"[\u00a0\u202f]")


def text(node) -> str:
    return SPACES.sub(" ", node.get_text(" ", strip=True))


def site_file(page, href: str) -> Path:
    """The file a relative link of the page points to (anchors stripped)."""
    return Path(os.path.normpath(page.parent / href.split("#")[0]))


@pytest.fixture(scope="module")
def page(built):
    path = built["site"] / "chapters" / "controle.html"
    return path, BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def audit_rows(soup):
    """(claim id, trace link, recomputed cell text) of every audit-table row with a recomputed number."""
    found = []
    for table in soup.select("table.cv-table"):
        headers = [text(th) for th in table.select("thead th")]
        if "Contrôle" not in headers or "Recalculé ou autre mention" not in headers:
            continue
        column = headers.index("Recalculé ou autre mention")
        for tr in table.select("tbody tr"):
            cells = tr.find_all("td")
            link = cells[0].find("a")
            shown = text(cells[column])
            if link is not None and re.search(r"\d", shown):
                found.append((text(link), link["href"], shown))
    return found


@pytest.mark.slow
def test_random_numbers_of_the_controle_page_trace_back_to_raw_rows(page):
    path, soup = page
    rows = audit_rows(soup)
    assert len(rows) > 50
    site_raw = site_file(path, "../_static/data/raw/x.csv").parent
    tables = raw.validate_all(site_raw)  # the copies the reader downloads, not data/raw
    published = None
    for claim_id, href, shown in random.Random(14).sample(rows, SAMPLE):
        # one click: the claim's trace
        assert href == f"#{audit_text.trace_anchor(claim_id)}"
        first = soup.find(id=href[1:])
        assert first is not None, f"{claim_id}: no trace row"
        trace_rows = [first] + [tr for tr in first.find_next_siblings("tr") if text(tr.find("td")) == claim_id]
        for tr in trace_rows:
            cells = tr.find_all("td")
            computing, raw_link, processed = cells[1].find("a"), cells[2].find("a"), cells[6].find("a")
            # the computing cell is on the page, the rule is a function of the package
            assert soup.find(id=computing["href"][1:]) is not None
            assert text(computing).rsplit(".", 1)[1] in claims.RULES
            # two clicks: the raw table, whose selected rows hold the printed value and report lines
            assert site_file(path, raw_link["href"]).is_file()
            table_name = text(raw_link).removesuffix(".csv")
            reference = text(cells[3])
            selector = reference[len(table_name) + 1 : reference.index("]")]
            column = reference.split("].", 1)[1] if "]." in reference else "value"
            address = locate.parse(f"{table_name}[{selector}]")
            selected = locate.select(tables[table_name], address, locate.primary_key(tables, table_name), 2018)
            assert len(selected) > 0, f"{claim_id}: {reference} selects nothing"
            value_text, lines_text = text(cells[4]), text(cells[5])
            if value_text.endswith("lignes"):
                assert value_text == f"{len(selected)} lignes"
            elif value_text != "ND":
                value = float(value_text.replace(" ", "").replace(",", "."))
                assert selected[column].astype(float).sum() == pytest.approx(value, rel=1e-4, abs=1e-4)
            if "report_line" in selected.columns and lines_text != "ND":
                assert {int(v) for v in selected["report_line"].dropna()} == {
                    int(v) for v in re.split(r"\s*[;,]\s*", lines_text)
                }
            # the published row of reconciliation.csv
            processed_file = site_file(path, processed["href"])
            assert processed_file.is_file() and text(processed).endswith(claim_id)
            published = pd.read_csv(processed_file) if published is None else published
        # the raw rows reproduce the number shown: re-evaluate the claim from the site's raw copies
        claim = tables["report_claims"].set_index("claim_id").loc[[claim_id]].reset_index()
        again = audit_text.reconciliation_table(claim, tables, 2018).iloc[0]
        label_row = _row(pd.Series({**again.to_dict(), "decimals": int(claim["decimals"].iloc[0])}))
        assert SPACES.sub(" ", audit_text.recomputed_label(label_row)) == shown
        stored = published.set_index("claim_id").loc[claim_id]
        assert stored["status"] == again["status"]
        if pd.notna(stored["recomputed_value"]):
            assert stored["recomputed_value"] == pytest.approx(float(again["recomputed_value"]), rel=1e-6)


def _row(series: pd.Series):
    """A Series as the namedtuple that recomputed_label reads."""
    return next(pd.DataFrame([series]).itertuples(index=False))


# --------------------------------------------------------------- beyond controle: the scorecard's values

REF = re.compile(r"^(?P<table>\w+)\.csv (?P<keys>(?:\w+=\S+ ?)*?)(?: ligne (?P<line>\d+) du rapport)?$")


def value_rows(soup):
    """(raw link, row text, value text, calcul link, processed link) of the scorecard's located values."""
    for table in soup.select("table.cv-table"):
        headers = [text(th) for th in table.select("thead th")]
        if headers[:2] == ["Indicateur", "Ligne brute"] and "Table produite" in headers:
            found = []
            for tr in table.select("tbody tr"):
                cells = tr.find_all("td")
                found.append(
                    (cells[1].find("a"), text(cells[1]), text(cells[3]), cells[4].find("a"), cells[5].find("a"))
                )
            return found
    return []


@pytest.mark.slow
def test_random_values_of_the_scorecard_trace_back_to_raw_rows(built):
    from contrat_ville.presentation import scorecard_text

    path = built["site"] / "chapters" / "tableau_de_bord.html"
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    rows = [r for r in value_rows(soup) if REF.match(r[1]) and re.search(r"\d", r[2])]
    assert len(rows) > 30
    tables = raw.validate_all(site_file(path, "../_static/data/raw/x.csv").parent)
    units = tables["indicators"].set_index("indicator_id")["unit"]
    published = None
    for raw_link, reference, shown, computing, processed in random.Random(14).sample(rows, SAMPLE):
        # the cell that computed it: the anchor on the page, followed by the call
        assert computing["href"] == "#tdb-valeurs-calcul" and text(computing).endswith("located_values")
        cell = soup.find(id="tdb-valeurs-calcul").find_next("div", class_="cell")
        assert "scorecard.located_values(" in cell.get_text()
        # the row of the published scorecard_values.csv
        processed_file = site_file(path, processed["href"])
        published = pd.read_csv(processed_file, dtype=str) if published is None else published
        row = published.iloc[int(text(processed).rsplit(" ", 1)[1]) - 1]
        assert row["source_ref"] == reference
        value = scorecard_text.format_value(
            float(row["value_low"]), float(row["value_high"]), row["qualifier"], units[row["indicator_id"]]
        )
        assert SPACES.sub(" ", value) == shown
        # the raw table, and in it the row named by the reference, on the report line it cites
        match = REF.match(reference)
        assert site_file(path, raw_link["href"]) == site_file(path, f"../_static/data/raw/{match['table']}.csv")
        locator = locate.parse(row["locator"])
        selected = tables[match["table"]]
        for column, values in locator.filters:
            selected = selected[selected[column].astype("string").isin(values)]
        for key, wanted in (pair.split("=", 1) for pair in match["keys"].split()):
            selected = selected[selected[key].astype("string").str.removesuffix(".0") == wanted]
        selected = selected[selected["edition"] <= 2018].sort_values("edition") if "edition" in selected else selected
        assert len(selected) >= 1, reference
        chosen = selected.iloc[-1]  # a value restated by a later edition replaces the earlier one
        if match["line"]:
            assert int(chosen["report_line"]) == int(match["line"])
        assert float(chosen[locator.column]) == pytest.approx(float(row["value_low"]))


# --------------------------------------------------------------- the portrait's comparisons

OPERAND = re.compile(r"(\w+)\[([\w-]+)\]")
RAW_ROW = re.compile(
    r"^identity_card\.csv territory_id=(?P<territory>\S+) indicator_id=(?P<indicator>\w+)(?: ligne (?P<line>\d+) du rapport)?$"
)


def trace_rows(soup, first_headers: list[str]):
    """The cells of every row of the trace table whose headers start with `first_headers`."""
    for table in soup.select("table.cv-table"):
        headers = [text(th) for th in table.select("thead th")]
        if headers[: len(first_headers)] == first_headers:
            return [tr.find_all("td") for tr in table.select("tbody tr")]
    return []


def french_number(shown: str) -> float:
    return float(shown.replace(" ", "").replace("%", "").replace(",", ".").replace("−", "-"))


@pytest.mark.slow
def test_random_comparisons_of_the_portrait_trace_back_to_raw_rows(built):
    """Each sampled share, ratio or gap of the portrait: its computing cell, its row of the published
    portrait_comparisons.csv, and the identity_card rows (site copy) that give it again by its formula."""
    path = built["site"] / "chapters" / "portrait.html"
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    rows = [r for r in trace_rows(soup, ["Formule", "Valeur", "Lignes brutes"]) if re.search(r"\d", text(r[1]))]
    assert len(rows) > 25  # 50 comparisons, those of an ND operand show ND
    card = raw.validate_all(site_file(path, "../_static/data/raw/x.csv").parent)["identity_card"]
    card = card[card["edition"] <= 2018]
    published = None
    for formula_cell, shown_cell, raw_cell, computing_cell, processed_cell in random.Random(14).sample(rows, SAMPLE):
        formula, shown = text(formula_cell), text(shown_cell)
        # the cell that computed it: the anchor above it, followed by the cell that saves the table
        computing = computing_cell.find("a")
        assert computing["href"] == "#portrait-comparaisons-calcul"
        cell = soup.find(id="portrait-comparaisons-calcul").find_next("div", class_="cell")
        assert 'chapter.save(comparisons, "portrait_comparisons"' in cell.get_text()
        # the row of the published portrait_comparisons.csv
        processed = processed_cell.find("a")
        processed_file = site_file(path, processed["href"])
        published = pd.read_csv(processed_file, dtype={"reference_id": str}) if published is None else published
        row = published.iloc[int(text(processed).rsplit(" ", 1)[1]) - 1]
        assert row["formula"] == formula
        # the raw table, and in it the rows of each operand (a group adds its quartiers' rows)
        assert site_file(path, raw_cell.find("a")["href"]) == site_file(path, "../_static/data/raw/identity_card.csv")
        operands = OPERAND.findall(formula)
        groups = text(raw_cell).split(" ; ")
        assert len(groups) == len(operands), formula
        values = {}
        for (indicator, territory), group in zip(operands, groups):
            total = 0.0
            for ref in group.split(" + "):
                match = RAW_ROW.match(ref)
                assert match and match["indicator"] == indicator, ref
                chosen = card[(card["territory_id"] == match["territory"]) & (card["indicator_id"] == indicator)]
                chosen = chosen.sort_values("edition").iloc[-1]
                if match["line"]:
                    assert int(chosen["report_line"]) == int(match["line"])
                total += float(chosen["value"])
            values[f"{indicator}[{territory}]"] = total
        expression = formula  # `100 * a / b`, `a / b` or `a - b`, with the operands' raw values
        for operand, value in values.items():
            expression = expression.replace(operand, repr(value))
        again = eval(expression, {"__builtins__": {}})
        assert float(row["value"]) == pytest.approx(round(again, 4), abs=1e-4)
        decimals = len(shown.split(",")[1].split()[0]) if "," in shown else 0
        assert french_number(shown) == pytest.approx(again, abs=0.51 * 10**-decimals)


# --------------------------------------------------------------- cadre de vie: fonds de concours and renewal

FDC_ROW = re.compile(r"^fonds_de_concours\.csv operation_id=(?P<operation>\S+)(?: ligne (?P<line>\d+) du rapport)?$")
RENEWAL_ROW = re.compile(
    r"^urban_renewal\.csv project_id=(?P<project>\S+) measure_id=(?P<measure>\w+)(?: ligne (?P<line>\d+) du rapport)?$"
)


def euros(shown: str) -> float:
    return french_number(shown.removesuffix("€").strip())


def follow_to_processed(soup, path, computing_cell, processed_cell, anchor, saved, published):
    """The computing cell (the anchor above the cell that saves the table) and the row of the
    published CSV that a trace row links to."""
    computing = computing_cell.find("a")
    assert computing["href"] == f"#{anchor}"
    cell = soup.find(id=anchor).find_next("div", class_="cell")
    assert saved in cell.get_text()
    processed = processed_cell.find("a")
    processed_file = site_file(path, processed["href"])
    if processed_file not in published:
        published[processed_file] = pd.read_csv(processed_file, dtype=str, keep_default_na=False)
    return published[processed_file].iloc[int(text(processed).rsplit(" ", 1)[1]) - 1]


@pytest.mark.slow
def test_random_sums_and_measures_of_cadre_de_vie_trace_back_to_raw_rows(built):
    """Each sampled sum of the fonds de concours (by zone, quartier, commune, theme) is given again by
    the raw rows its trace names; each sampled measure of the renewal projects is its raw row."""
    path = built["site"] / "chapters" / "cadre_de_vie.html"
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    tables = raw.validate_all(site_file(path, "../_static/data/raw/x.csv").parent)
    operations = tables["fonds_de_concours"]
    operations = operations[operations["edition"] <= 2018].set_index("operation_id")
    published = {}

    sums = trace_rows(soup, ["Regroupement", "Groupe", "Montant HT", "Participation", "Lignes brutes"])
    assert len(sums) > 20  # 4 zones, quartiers, communes and themes, each with its total
    for grouping, group, cost, contribution, raw_cell, computing, processed in random.Random(14).sample(sums, SAMPLE):
        row = follow_to_processed(
            soup,
            path,
            computing,
            processed,
            "cadre-de-vie-fdc-calcul",
            'chapter.save(groups, "cadre_de_vie_fdc_groups"',
            published,
        )
        assert text(grouping) == {"theme": "thème"}.get(row["grouping"], row["grouping"])
        assert SPACES.sub(" ", fmt.euros(float(row["cost_ht_eur"]))) == text(cost)
        assert SPACES.sub(" ", fmt.euros(float(row["grand_chambery_eur"]))) == text(contribution)
        assert site_file(path, raw_cell.find("a")["href"]) == site_file(
            path, "../_static/data/raw/fonds_de_concours.csv"
        )
        refs = text(raw_cell).split(" + ")
        assert len(refs) == int(row["operations"]), text(group)
        chosen = []
        for ref in refs:
            match = FDC_ROW.match(ref)
            assert match, ref
            operation = operations.loc[match["operation"]]
            if match["line"]:
                assert int(operation["report_line"]) == int(match["line"])
            chosen.append(operation)
        chosen = pd.DataFrame(chosen)
        # the raw rows give the sums again, and the rate from them
        assert chosen["cost_ht_eur"].astype(float).sum() == pytest.approx(euros(text(cost)))
        assert chosen["grand_chambery_eur"].astype(float).sum() == pytest.approx(euros(text(contribution)))
        rate = 100 * chosen["grand_chambery_eur"].astype(float).sum() / chosen["cost_ht_eur"].astype(float).sum()
        assert float(row["participation_rate_pct"]) == pytest.approx(rate, abs=1e-4)

    renewal = tables["urban_renewal"]
    renewal = renewal[renewal["edition"] <= 2018]
    measures = trace_rows(soup, ["Mesure", "Valeur", "Ligne brute"])
    assert len(measures) > 20
    for label, shown, raw_cell, computing, processed in random.Random(14).sample(measures, SAMPLE):
        row = follow_to_processed(
            soup,
            path,
            computing,
            processed,
            "cadre-de-vie-renouvellement-calcul",
            'chapter.save(renewal_out, "cadre_de_vie_urban_renewal"',
            published,
        )
        assert row["measure_label"] == text(label)
        assert (SPACES.sub(" ", row["display_value"]) or "ND") == text(shown)
        assert site_file(path, raw_cell.find("a")["href"]) == site_file(path, "../_static/data/raw/urban_renewal.csv")
        match = RENEWAL_ROW.match(text(raw_cell))
        assert match, text(raw_cell)
        chosen = renewal[(renewal["project_id"] == match["project"]) & (renewal["measure_id"] == match["measure"])]
        chosen = chosen.sort_values("edition").iloc[-1]
        assert (match["project"], match["measure"]) == (row["project_id"], row["measure_id"])
        if match["line"]:
            assert int(chosen["report_line"]) == int(match["line"]) == int(float(row["report_line"]))
        if pd.notna(chosen["value"]):
            assert float(chosen["value"]) == pytest.approx(float(row["value"]))
