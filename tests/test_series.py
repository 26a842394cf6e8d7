from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import bilateral_trade as bt
from bilateral_trade import DataValidationError, InsufficientDataError
from conftest import make_series


def per(text: str, freq: str = "Y") -> pd.Period:
    return pd.Period(text, freq=freq)


class TestFlowAndFrequency:
    @pytest.mark.parametrize(
        ("text", "flow"),
        [
            ("X", bt.Flow.EXPORTS),
            ("exports", bt.Flow.EXPORTS),
            ("Export", bt.Flow.EXPORTS),
            ("M", bt.Flow.IMPORTS),
            ("imports", bt.Flow.IMPORTS),
            ("total", bt.Flow.TOTAL),
        ],
    )
    def test_flow_aliases(self, text: str, flow: bt.Flow) -> None:
        assert bt.Flow.parse(text) is flow

    def test_comtrade_codes(self) -> None:
        assert bt.Flow.EXPORTS.comtrade_code == "X"
        assert bt.Flow.IMPORTS.comtrade_code == "M"
        assert bt.Flow.TOTAL.comtrade_code is None

    @pytest.mark.parametrize("bad", ["Q", "sideways", "DX"])
    def test_unknown_flow(self, bad: str) -> None:
        with pytest.raises(DataValidationError, match=rf"flow: '{bad}' is not a trade flow"):
            bt.Flow.parse(bad)

    def test_reexports_kept_apart(self) -> None:
        assert bt.Flow.parse("RX") is bt.Flow.RE_EXPORTS
        assert bt.Flow.parse("RM") is bt.Flow.RE_IMPORTS
        assert bt.Flow.RE_EXPORTS.comtrade_code == "RX"

    @pytest.mark.parametrize(
        ("text", "freq"),
        [("A", "A"), ("Y-DEC", "A"), ("annual", "A"), ("QE-DEC", "Q"), ("ME", "M"), ("M", "M")],
    )
    def test_frequency_aliases(self, text: str, freq: str) -> None:
        assert bt.Frequency.parse(text) is bt.Frequency(freq)

    def test_fiscal_year_refused(self) -> None:
        with pytest.raises(DataValidationError, match="frequency: 'Y-JUN'"):
            bt.Frequency.parse("Y-JUN")


class TestConstruction:
    def test_metadata_and_values(self, annual: bt.TradeSeries) -> None:
        assert annual.reporter == "CHN"
        assert annual.partner == "PRK"
        assert annual.flow is bt.Flow.TOTAL
        assert annual.unit == "USD"
        assert annual.product == "TOTAL"
        assert annual.frequency is bt.Frequency.ANNUAL
        assert annual.values.dtype == np.float64
        assert isinstance(annual.index, pd.PeriodIndex)
        assert annual.values.tolist() == [100.0, 110.0, 121.0, 60.5, 90.0]
        assert len(annual) == 5
        assert (annual.start, annual.end) == (per("2015"), per("2019"))

    def test_lowercase_country_normalised(self) -> None:
        s = bt.TradeSeries({2019: 1.0}, reporter="chn", partner="prk", flow="X")
        assert (s.reporter, s.partner) == ("CHN", "PRK")

    def test_world_partner(self) -> None:
        s = bt.TradeSeries({2019: 1.0}, reporter="CHN", partner="WLD", flow="X")
        assert s.partner == "WLD"

    def test_mapping_and_string_periods(self) -> None:
        s = bt.TradeSeries(
            {"2019-11": 1.0, "2019-12": 2.0, "2020-01": 3.0},
            reporter="CHN",
            partner="PRK",
            flow="M",
        )
        assert s.frequency is bt.Frequency.MONTHLY
        assert list(map(str, s.index)) == ["2019-11", "2019-12", "2020-01"]

    def test_quarterly_labels(self) -> None:
        s = bt.TradeSeries({"2019Q4": 1.0, "2020Q1": 2.0}, reporter="CHN", partner="PRK", flow="M")
        assert s.frequency is bt.Frequency.QUARTERLY

    def test_datetime_index(self) -> None:
        idx = pd.date_range("2019-01-31", periods=4, freq="ME")
        s = bt.TradeSeries(
            pd.Series([1.0, 2, 3, 4], index=idx), reporter="CHN", partner="PRK", flow="X"
        )
        assert s.index[0] == per("2019-01", "M")

    def test_hs_product(self) -> None:
        s = bt.TradeSeries({2019: 1.0}, reporter="CHN", partner="PRK", flow="M", product="6704")
        assert s.product == "6704"

    def test_immutable(self, annual: bt.TradeSeries) -> None:
        with pytest.raises(AttributeError):
            annual.reporter = "KOR"  # type: ignore[misc]
        values = annual.values
        values.iloc[0] = -1.0
        assert annual.values.iloc[0] == 100.0

    def test_flags_and_notes(self) -> None:
        s = make_series(
            [1.0, 2.0, 3.0],
            flags={2011: "uncertain;derived", 2012: ["preliminary"]},
            notes={2011: "derived from growth"},
        )
        assert s.flags == {per("2011"): ("derived", "uncertain"), per("2012"): ("preliminary",)}
        assert s.notes == {per("2011"): "derived from growth"}
        assert s.flags_at(2010) == ()
        assert list(s.flagged("uncertain")) == [per("2011")]
        assert list(s.flagged()) == [per("2011"), per("2012")]

    def test_repr(self, annual: bt.TradeSeries) -> None:
        text = repr(annual)
        assert "CHN→PRK" in text and "annual 2015–2019" in text and "n=5" in text

    def test_gaps_keep_declares_missing(self) -> None:
        s = bt.TradeSeries(
            {2019: 1.0, 2021: 3.0, 2022: float("nan")},
            reporter="CHN",
            partner="PRK",
            flow="X",
            gaps="keep",
        )
        assert list(map(str, s.index)) == ["2019", "2020", "2021", "2022"]
        assert np.isnan(s.values.iloc[1]) and np.isnan(s.values.iloc[3])
        assert s.flags == {per("2020"): ("missing",), per("2022"): ("missing",)}

    def test_nan_flagged_missing_accepted(self) -> None:
        s = make_series([1.0, np.nan, 3.0], flags={2011: "missing"})
        assert np.isnan(s.values.iloc[1])

    def test_equality_and_hash(self, annual: bt.TradeSeries) -> None:
        twin = make_series([100.0, 110.0, 121.0, 60.5, 90.0], start="2015")
        assert annual == twin and hash(annual) == hash(twin)
        assert annual != make_series([100.0, 110.0, 121.0, 60.5, 91.0], start="2015")


class TestBadInput:
    def test_duplicate_periods(self) -> None:
        values = pd.Series(
            [1.0, 2.0, 3.0], index=pd.PeriodIndex(["2018", "2019", "2019"], freq="Y")
        )
        with pytest.raises(DataValidationError, match="index: duplicate periods 2019"):
            bt.TradeSeries(values, reporter="CHN", partner="PRK", flow="X")

    def test_unsorted(self) -> None:
        values = pd.Series(
            [1.0, 2.0, 3.0], index=pd.PeriodIndex(["2018", "2020", "2019"], freq="Y")
        )
        with pytest.raises(DataValidationError, match="not sorted: 2020 comes before 2019"):
            bt.TradeSeries(values, reporter="CHN", partner="PRK", flow="X")

    def test_irregular(self) -> None:
        with pytest.raises(DataValidationError, match=r"periods 2020 are absent.*gaps='keep'"):
            bt.TradeSeries({2019: 1.0, 2021: 2.0}, reporter="CHN", partner="PRK", flow="X")

    def test_mixed_frequency(self) -> None:
        with pytest.raises(
            DataValidationError,
            match=r"mixed frequencies: '2019' \(annual\) at row 1 and '2019-02' \(monthly\) "
            r"at row 2",
        ):
            bt.TradeSeries({"2019": 1.0, "2019-02": 2.0}, reporter="CHN", partner="PRK", flow="X")

    def test_irregular_datetime_index(self) -> None:
        idx = pd.DatetimeIndex(["2019-01-31", "2019-02-28", "2019-05-31", "2019-09-30"])
        with pytest.raises(DataValidationError, match="cannot infer a regular frequency"):
            bt.TradeSeries(
                pd.Series([1.0, 2, 3, 4], index=idx), reporter="CHN", partner="PRK", flow="X"
            )

    def test_unparseable_period_with_row(self) -> None:
        with pytest.raises(
            DataValidationError, match=r"cannot parse '2019-13' at row 2: month 13 .* not in 1–12"
        ):
            bt.TradeSeries(
                {"2019-12": 1.0, "2019-13": 2.0}, reporter="CHN", partner="PRK", flow="X"
            )

    def test_negative(self) -> None:
        with pytest.raises(
            DataValidationError, match=r"values: negative values at 2011 \(e.g. -2.0"
        ):
            make_series([1.0, -2.0])

    def test_infinite(self) -> None:
        with pytest.raises(DataValidationError, match="values: infinite values at 2011"):
            make_series([1.0, np.inf])

    def test_undeclared_nan(self) -> None:
        with pytest.raises(
            DataValidationError, match="values: NaN at 2011 where no gap was declared"
        ):
            make_series([1.0, np.nan, 2.0])

    def test_missing_flag_on_value(self) -> None:
        with pytest.raises(DataValidationError, match="flagged 'missing' but have values"):
            make_series([1.0, 2.0], flags={2011: "missing"})

    def test_unknown_iso(self) -> None:
        with pytest.raises(
            DataValidationError,
            match=r"partner: 'PRKX' is not an ISO 3166-1 alpha-3 .*did you mean PRK",
        ):
            bt.TradeSeries({2019: 1.0}, reporter="CHN", partner="PRKX", flow="X")

    def test_same_reporter_and_partner(self) -> None:
        with pytest.raises(DataValidationError, match="reporter and partner are both 'CHN'"):
            bt.TradeSeries({2019: 1.0}, reporter="CHN", partner="CHN", flow="X")

    @pytest.mark.parametrize("bad", ["67O4", "670", "6704000", ""])
    def test_malformed_hs(self, bad: str) -> None:
        with pytest.raises(
            DataValidationError, match=f"product: '{bad}' is not 'TOTAL' or an HS code"
        ):
            bt.TradeSeries({2019: 1.0}, reporter="CHN", partner="PRK", flow="X", product=bad)

    def test_integer_hs_refused(self) -> None:
        with pytest.raises(DataValidationError, match="give HS codes as strings"):
            bt.TradeSeries({2019: 1.0}, reporter="CHN", partner="PRK", flow="X", product=301)  # type: ignore[arg-type]

    def test_unknown_flow(self) -> None:
        with pytest.raises(DataValidationError, match="flow: 'sideways' is not a trade flow"):
            bt.TradeSeries({2019: 1.0}, reporter="CHN", partner="PRK", flow="sideways")

    def test_unit_in_millions_refused(self) -> None:
        with pytest.raises(
            DataValidationError, match=r"unit: 'USD mn' is not an ISO 4217.*scale=1e6"
        ):
            bt.TradeSeries({2019: 1.0}, reporter="CHN", partner="PRK", flow="X", unit="USD mn")

    def test_empty(self) -> None:
        with pytest.raises(InsufficientDataError, match="values: the series is empty"):
            bt.TradeSeries(
                pd.Series([], dtype=float, index=pd.PeriodIndex([], freq="Y")),
                reporter="CHN",
                partner="PRK",
                flow="X",
            )

    def test_text_value(self) -> None:
        with pytest.raises(DataValidationError, match="values: '1,234' at 2020 is not a number"):
            bt.TradeSeries({2019: 1.0, 2020: "1,234"}, reporter="CHN", partner="PRK", flow="X")

    def test_flag_for_absent_period(self) -> None:
        with pytest.raises(DataValidationError, match="flags: period 2030 is not in the series"):
            make_series([1.0], flags={2030: "uncertain"})

    def test_bad_flag_word(self) -> None:
        with pytest.raises(DataValidationError, match="flags: 'Very Bad' at 2010 is not a flag"):
            make_series([1.0], flags={2010: "Very Bad"})


class TestSerialisation:
    def test_json_round_trip(self) -> None:
        s = make_series(
            [1.5e9, np.nan, 0.1 + 0.2],
            flags={2010: "uncertain", 2011: "missing"},
            notes={2012: "sum of months; 'quoted' — ünïcode"},
            source="GACC",
            product="6704",
            flow="M",
        )
        again = bt.TradeSeries.from_json(s.to_json())
        assert again == s
        assert again.values.iloc[2] == 0.1 + 0.2

    def test_frame_round_trip(self, annual: bt.TradeSeries) -> None:
        frame = annual.to_frame()
        assert list(frame.columns) == [
            "reporter", "partner", "flow", "product", "unit",
            "period", "value", "flags", "note", "source",
        ]  # fmt: skip
        assert bt.TradeSeries.from_frame(frame) == annual

    def test_from_frame_several_series(self, annual: bt.TradeSeries) -> None:
        frame = annual.to_frame()
        frame.loc[2, "partner"] = "KOR"
        with pytest.raises(DataValidationError, match="partner: the frame holds several series"):
            bt.TradeSeries.from_frame(frame)

    def test_from_frame_missing_column(self) -> None:
        frame = pd.DataFrame({"year": [2019], "value": [1.0]})
        with pytest.raises(
            DataValidationError, match="period: no column 'period'; columns found: year, value"
        ):
            bt.TradeSeries.from_frame(frame)

    def test_from_json_wrong_format(self) -> None:
        with pytest.raises(DataValidationError, match="format: expected"):
            bt.TradeSeries.from_json('{"format": "other"}')


class TestOperations:
    def test_slice(self, annual: bt.TradeSeries) -> None:
        part = annual.slice(2016, 2018)
        assert part.values.tolist() == [110.0, 121.0, 60.5]

    def test_slice_year_of_monthly(self, monthly: bt.TradeSeries) -> None:
        part = monthly.slice(2019)
        assert (str(part.start), str(part.end), len(part)) == ("2019-01", "2019-12", 12)

    def test_slice_keeps_flags(self) -> None:
        s = make_series([1.0, 2.0, 3.0], flags={2011: "uncertain"}, notes={2012: "n"})
        part = s.slice(2011)
        assert part.flags == {per("2011"): ("uncertain",)} and part.notes == {per("2012"): "n"}

    def test_slice_empty(self, annual: bt.TradeSeries) -> None:
        with pytest.raises(InsufficientDataError, match="no observation between 2030 and 2031"):
            annual.slice(2030, 2031)

    def test_aggregate_annual(self, monthly: bt.TradeSeries) -> None:
        yearly = monthly.aggregate("A")
        assert yearly.frequency is bt.Frequency.ANNUAL
        assert yearly.values.tolist() == [sum(range(1, 13)), sum(range(13, 25))]

    def test_aggregate_quarterly(self, monthly: bt.TradeSeries) -> None:
        q = monthly.aggregate("Q")
        assert q.values.tolist()[:2] == [6.0, 15.0]

    def test_aggregate_refuses_incomplete(self) -> None:
        s = make_series(np.ones(14), start="2018-01", freq="M")
        with pytest.raises(
            DataValidationError, match="annual periods 2019 lack some monthly values"
        ):
            s.aggregate("A")

    def test_aggregate_incomplete_missing(self) -> None:
        s = make_series(np.ones(38), start="2018-01", freq="M", flags={"2019-03": "uncertain"})
        s = s._replace(values=s.values.where(s.index != pd.Period("2019-05", "M")), gaps="keep")
        yearly = s.aggregate("A", incomplete="missing")
        assert yearly.values.iloc[[0, 2]].tolist() == [12.0, 12.0]
        assert np.isnan(yearly.values.iloc[1])
        assert yearly.flags == {per("2019"): ("missing",)}
        assert len(yearly) == 3  # 2021 (two months) is dropped at the end

    def test_aggregate_not_coarser(self, annual: bt.TradeSeries) -> None:
        with pytest.raises(DataValidationError, match="must be coarser"):
            annual.aggregate("M")

    def test_add_exports_imports(self) -> None:
        x = make_series([1.0, 2.0], flow="X", flags={2011: "derived"})
        m = make_series([3.0, 5.0], flow="M", flags={2011: "uncertain"})
        total = x + m
        assert total.flow is bt.Flow.TOTAL
        assert total.values.tolist() == [4.0, 7.0]
        assert total.flags == {per("2011"): ("derived", "uncertain")}

    def test_add_different_units(self) -> None:
        x = make_series([1.0, 2.0], flow="X")
        m = make_series([3.0, 5.0], flow="M", unit="CNY")
        with pytest.raises(
            DataValidationError,
            match=r"unit: cannot add series with different units \('USD' and 'CNY'\)",
        ):
            x + m

    def test_add_different_partners(self) -> None:
        x = make_series([1.0, 2.0], flow="X")
        m = make_series([3.0, 5.0], flow="M", partner="KOR")
        with pytest.raises(
            DataValidationError, match="partner: cannot add series with different partners"
        ):
            x + m

    def test_add_same_flow(self) -> None:
        x = make_series([1.0, 2.0], flow="X")
        with pytest.raises(DataValidationError, match="only exports \\+ imports make a total"):
            x + x

    def test_add_different_periods(self) -> None:
        x = make_series([1.0, 2.0], flow="X")
        m = make_series([3.0, 5.0], flow="M", start="2011")
        with pytest.raises(DataValidationError, match="cover different periods"):
            x + m


@pytest.mark.parametrize(
    "values",
    [
        pd.Series(
            [1.0, 2.0, 3.0], index=pd.to_datetime(["2003-01-01", "2003-02-01", "2004-01-01"])
        ),
        {"2003-01-01": 1.0, "2003-02-01": 2.0, "2004-01-01": 3.0},
    ],
    ids=["DatetimeIndex", "labels"],
)
def test_dates_finer_than_the_frequency_are_not_called_duplicates(values: object) -> None:
    """Issue 18 item 23: monthly dates for annual data were 'duplicate periods 2003'."""
    with pytest.raises(DataValidationError, match="both fall in 2003") as info:
        bt.TradeSeries(
            values,
            reporter="CHN",
            partner="PRK",
            flow="total",
            frequency="A",  # type: ignore[arg-type]
        )
    message = str(info.value)
    assert "2003-01-01" in message and "2003-02-01" in message
    assert "finer than annual" in message and "duplicate" not in message
    # real duplicates are still called so
    dup = pd.Series([1.0, 2.0], index=pd.to_datetime(["2003-01-01", "2003-01-01"]))
    with pytest.raises(DataValidationError, match="duplicate periods 2003"):
        bt.TradeSeries(dup, reporter="CHN", partner="PRK", flow="total", frequency="A")
