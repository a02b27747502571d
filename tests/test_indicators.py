"""Indicator functions against values computed by hand from the report's identity card."""

import pandas as pd
import pytest

from contrat_ville.evaluation import indicators

QPV_POPULATION = 6270 + 3578  # the two QPV, carte d'identité


def test_share_qpv_population_of_city():
    # 9 848 / 59 183 = 16.64 %: the report's "17 %"
    assert indicators.share(QPV_POPULATION, 59183) == pytest.approx(16.640, abs=1e-3)


def test_share_qpv_population_of_agglomeration():
    assert indicators.share(QPV_POPULATION, 133638) == pytest.approx(7.369, abs=1e-3)


def test_ratio_city_income_to_qpv():
    assert indicators.ratio(19729, 13397) == pytest.approx(1.4726, abs=1e-4)
    assert indicators.ratio(19729, 14438) == pytest.approx(1.3665, abs=1e-4)


def test_gap_points():
    assert indicators.gap_points(41.4, 18) == pytest.approx(23.4)


def test_per_thousand():
    assert indicators.per_thousand(422, 6270) == pytest.approx(67.305, abs=1e-3)


def test_missing_input_gives_missing_output():
    assert pd.isna(indicators.share(pd.NA, 10))


def test_wide_and_aggregate():
    long = pd.DataFrame(
        {
            "territory_id": ["a", "a", "b", "b"],
            "indicator_id": ["pop", "rate", "pop", "rate"],
            "value": [10.0, 5.0, 30.0, 7.0],
        }
    )
    table = indicators.wide(long)
    grouped = indicators.aggregate(table, ["a", "b"], "ab", ["pop"])
    assert grouped.loc["ab", "pop"] == 40
    assert pd.isna(grouped.loc["ab", "rate"])  # a rate cannot be summed


def test_aggregate_with_missing_member_is_missing():
    table = pd.DataFrame({"pop": [10.0, None]}, index=pd.Index(["a", "b"], name="territory_id"))
    assert pd.isna(indicators.aggregate(table, ["a", "b"], "ab", ["pop"]).loc["ab", "pop"])


def test_scalar_missing_gives_missing_even_beside_a_series():
    result = indicators.share(pd.Series([1.0, 2.0]), None)
    assert result.isna().all() and len(result) == 2
    assert pd.isna(indicators.ratio(None, 3)) and pd.isna(indicators.per_thousand(pd.NA, 10))


def test_same_value_rounded_and_number_or_na():
    assert indicators.same_value(10, 10) is True and indicators.same_value(10, 11) is False
    assert indicators.same_value(pd.NA, 10) is None
    assert indicators.rounded(1.23456, 2) == 1.23 and pd.isna(indicators.rounded(pd.NA))
    assert indicators.number_or_na(3) == 3.0 and pd.isna(indicators.number_or_na(None))
