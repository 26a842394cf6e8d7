from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bilateral_trade as bt
from bilateral_trade import DataValidationError


def write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_two_column_file_in_millions(tmp_path: Path) -> None:
    path = write(tmp_path, 'year,usd_m\n2019,"2,789.02"\n2020,539.06\n')
    s = bt.read_csv(
        path,
        period="year",
        value="usd_m",
        reporter="CHN",
        partner="PRK",
        flow="total",
        scale=1e6,
        thousands=",",
    )
    assert isinstance(s, bt.TradeSeries)
    np.testing.assert_allclose(s.values.to_numpy(), [2_789_020_000.0, 539_060_000.0], rtol=1e-15)
    assert s.source == "data.csv (values × 1e+06 on reading)"


def test_thousands_separator_must_be_asked_for(tmp_path: Path) -> None:
    path = write(tmp_path, 'period,value\n2019,"2,789,020,000"\n')
    with pytest.raises(
        DataValidationError,
        match=r"value: '2,789,020,000' at line 2 is not a number.*thousands=','",
    ):
        bt.read_csv(path, reporter="CHN", partner="PRK", flow="total")


def test_tidy_file_gives_one_series_per_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "reporter,partner,flow,product,period,value,flags,note\n"
        "CHN,PRK,X,TOTAL,2019,10,,\n"
        "CHN,PRK,X,TOTAL,2020,5,uncertain,rough\n"
        "CHN,PRK,M,TOTAL,2019,1,,\n"
        "CHN,PRK,M,TOTAL,2020,2,,\n"
        "CHN,PRK,M,6704,2019,0.5,,\n",
    )
    out = bt.read_csv(path)
    assert isinstance(out, dict)
    assert list(out) == [
        ("CHN", "PRK", "exports", "TOTAL"),
        ("CHN", "PRK", "imports", "TOTAL"),
        ("CHN", "PRK", "imports", "6704"),
    ]
    x = out[("CHN", "PRK", "exports", "TOTAL")]
    assert x.flags == {pd.Period("2020", "Y"): ("uncertain",)}
    assert x.notes == {pd.Period("2020", "Y"): "rough"}
    one = bt.read_csv(path, flow="exports", product="TOTAL")
    assert one == x


def test_selection_matching_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "reporter,partner,flow,period,value\nCHN,PRK,X,2019,1\n")
    with pytest.raises(
        DataValidationError, match="partner: no row has partner 'KOR'; the file has PRK"
    ):
        bt.read_csv(path, partner="KOR")


def test_round_trip_through_to_frame(tmp_path: Path) -> None:
    s = bt.datasets.china_dprk_trade()
    path = tmp_path / "s.csv"
    s.to_frame().to_csv(path, index=False)
    again = bt.read_csv(path)
    assert again == s


def test_monthly_compact_periods(tmp_path: Path) -> None:
    path = write(tmp_path, "period,value\n201711,1\n201712,2\n201801,3\n")
    s = bt.read_csv(path, reporter="CHN", partner="PRK", flow="M")
    assert isinstance(s, bt.TradeSeries) and str(s.start) == "2017-11"


def test_column_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "Year,Trade Value (US$)\n2019,5\n2020,6\n")
    s = bt.read_csv(
        path,
        columns={"period": "Year", "value": "Trade Value (US$)"},
        reporter="CHN",
        partner="PRK",
        flow="X",
    )
    assert isinstance(s, bt.TradeSeries) and s.values.tolist() == [5.0, 6.0]


def test_missing_column_names_columns_found(tmp_path: Path) -> None:
    path = write(tmp_path, "year,usd\n2019,1\n")
    with pytest.raises(
        DataValidationError,
        match=r"period: no column 'period' in data\.csv; columns found: year, usd",
    ):
        bt.read_csv(path, reporter="CHN", partner="PRK", flow="X")


def test_missing_key_column(tmp_path: Path) -> None:
    path = write(tmp_path, "period,value\n2019,1\n")
    with pytest.raises(
        DataValidationError,
        match="reporter: the file has no 'reporter' column and no reporter= was given",
    ):
        bt.read_csv(path, partner="PRK", flow="X")


def test_unparseable_period_names_line(tmp_path: Path) -> None:
    path = write(tmp_path, "period,value\n2019-11,1\n2019-12,2\n2019-13,3\n")
    with pytest.raises(DataValidationError, match="period: cannot parse '2019-13' at line 4"):
        bt.read_csv(path, reporter="CHN", partner="PRK", flow="X")


def test_empty_cell_needs_gaps(tmp_path: Path) -> None:
    path = write(tmp_path, "period,value\n2019,1\n2020,\n2021,3\n")
    with pytest.raises(DataValidationError, match="NaN at 2020 where no gap was declared"):
        bt.read_csv(path, reporter="CHN", partner="PRK", flow="X")
    s = bt.read_csv(path, reporter="CHN", partner="PRK", flow="X", gaps="keep")
    assert isinstance(s, bt.TradeSeries) and s.flagged("missing").tolist() == [
        pd.Period("2020", "Y")
    ]


def test_unsorted_file_refused_not_reordered(tmp_path: Path) -> None:
    path = write(tmp_path, "period,value\n2020,1\n2019,2\n")
    with pytest.raises(DataValidationError, match="not sorted: 2020 comes before 2019"):
        bt.read_csv(path, reporter="CHN", partner="PRK", flow="X")


def test_mixed_units_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "reporter,partner,flow,unit,period,value\nCHN,PRK,X,USD,2019,1\nCHN,PRK,X,CNY,2020,2\n",
    )
    with pytest.raises(DataValidationError, match=r"unit: the series .* mixes units CNY, USD"):
        bt.read_csv(path)


def test_bad_scale(tmp_path: Path) -> None:
    path = write(tmp_path, "period,value\n2019,1\n")
    with pytest.raises(DataValidationError, match="scale: 0 is not a positive number"):
        bt.read_csv(path, reporter="CHN", partner="PRK", flow="X", scale=0)
