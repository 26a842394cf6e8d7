"""TradePanel, the UN Comtrade and BACI readers, and mirror statistics (files built here)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bilateral_trade as bt
from bilateral_trade import DataValidationError, InsufficientDataError
from bilateral_trade.io import read_baci, read_comtrade

Y = lambda year: pd.Period(year=year, freq="Y")  # noqa: E731


def panel_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "reporter": ["CHN"] * 4 + ["KOR"] * 2,
            "partner": ["PRK"] * 6,
            "flow": ["X", "X", "M", "M", "exports", "exports"],
            "product": ["670411", "670419", "270111", "270119", "670411", "670411"],
            "period": ["2018", "2018", "2019", "2019", "2018", "2019"],
            "value": [1.5, 2.0, 3.0, 0.1 + 0.2, 5.0, 6e17 / 7],
            "net_weight": [1.0, 2.0, 3.0, np.nan, 5.0, 6.0],
        }
    )


class TestPanel:
    def test_construction_and_access(self) -> None:
        p = bt.TradePanel(panel_frame(), source="test")
        assert len(p) == 6 and p.frequency is bt.Frequency.ANNUAL and p.unit == "USD"
        assert p.keys()[0] == ("CHN", "PRK", "exports", "670411")
        s = p.series(reporter="KOR")
        assert isinstance(s, bt.TradeSeries) and s.values.tolist() == [5.0, 6e17 / 7]
        assert len(p.select(flow="imports")) == 2
        assert len(p.select(product=["670411", "670419"])) == 4

    def test_series_ambiguous(self) -> None:
        p = bt.TradePanel(panel_frame())
        with pytest.raises(DataValidationError, match="matches 3 series"):
            p.series(flow="exports")

    def test_rollup(self) -> None:
        p = bt.TradePanel(panel_frame()).select(reporter="CHN")
        chapters = p.rollup(2).to_frame()
        assert chapters["product"].tolist() == ["67", "27"]
        np.testing.assert_allclose(chapters["value"], [3.5, 3.3], rtol=1e-15)
        assert chapters["net_weight"].tolist() == [3.0, 3.0]

    def test_rollup_mixed_lengths(self) -> None:
        frame = panel_frame()
        frame.loc[1, "product"] = "6704"
        with pytest.raises(
            DataValidationError, match="HS codes of lengths 4, 6 cannot be rolled up"
        ):
            bt.TradePanel(frame).rollup(2)

    @pytest.mark.parametrize("fmt", ["csv", "parquet"])
    def test_round_trip(self, fmt: str, tmp_path: Path) -> None:
        p = bt.TradePanel(panel_frame(), source="round trip", published="2026-11-01")
        path = tmp_path / f"p.{fmt}"
        getattr(p, f"to_{fmt}")(path)
        again = getattr(bt.TradePanel, f"read_{fmt}")(path)
        assert again == p
        assert again.to_frame()["value"].iloc[3] == 0.1 + 0.2

    def test_bad_input(self) -> None:
        frame = panel_frame()
        with pytest.raises(DataValidationError, match="rows share a key and period"):
            bt.TradePanel(pd.concat([frame, frame.iloc[[0]]]))
        mixed = frame.assign(period=["2018", "2018-01", "2019", "2019", "2018", "2019"])
        with pytest.raises(DataValidationError, match="mixed frequencies"):
            bt.TradePanel(mixed)
        with pytest.raises(DataValidationError, match="column\\(s\\) value missing"):
            bt.TradePanel(frame.drop(columns="value"))
        with pytest.raises(DataValidationError, match="not a finite non-negative trade value"):
            bt.TradePanel(frame.assign(value=[1.0, -2.0, 3, 4, 5, 6]))
        with pytest.raises(DataValidationError, match="unit: 'USD m'"):
            bt.TradePanel(frame, unit="USD m")
        with pytest.raises(
            DataValidationError, match="unit: the frame's unit column holds CNY, USD"
        ):
            bt.TradePanel(frame.assign(unit=["USD", "CNY", "USD", "USD", "USD", "USD"]))
        with pytest.raises(InsufficientDataError, match="the panel is empty"):
            bt.TradePanel(frame.iloc[:0])


NEW_HEADER = "typeCode,freqCode,refYear,refMonth,period,reporterCode,reporterISO,flowCode,partnerCode,partnerISO,cmdCode,aggrLevel,motCode,customsCode,partner2Code,qtyUnitAbbr,qty,netWgt,primaryValue"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


class TestComtrade:
    def test_current_layout_annual(self, tmp_path: Path) -> None:
        path = write(
            tmp_path,
            "comtrade.csv",
            NEW_HEADER + "\nC,A,2017,52,2017,156,CHN,X,408,PRK,TOTAL,0,0,C00,0,,,,3245000000"
            "\nC,A,2017,52,2017,156,CHN,M,408,PRK,TOTAL,0,0,C00,0,,,,1731000000"
            "\nC,A,2017,52,2017,156,CHN,RX,408,PRK,TOTAL,0,0,C00,0,,,,1000"
            "\nC,A,2017,52,2017,156,CHN,M,408,PRK,301,4,0,C00,0,kg,10,12,5000"
            "\nC,A,2017,52,2017,156,CHN,X,0,W00,TOTAL,0,0,C00,0,,,,2263000000000\n",
        )
        p = read_comtrade(path, published="2026-11-01")
        frame = p.to_frame()
        assert set(frame["flow"]) == {"exports", "imports", "re-exports"}
        assert "0301" in set(frame["product"])
        fish = frame[frame["product"] == "0301"].iloc[0]
        assert (fish["quantity"], fish["quantity_unit"], fish["net_weight"], fish["value"]) == (
            10.0,
            "kg",
            12.0,
            5000.0,
        )
        assert fish["flow"] == "imports" and fish["period"] == pd.Period("2017", "Y")
        assert "WLD" in set(frame["partner"])
        assert p.source.startswith("comtrade.csv") and p.published == "2026-11-01"
        total = p.series(reporter="CHN", partner="PRK", flow="X", product="TOTAL")
        assert total.values.tolist() == [3245000000.0]
        folded = read_comtrade(path, fold_reexports=True)
        assert folded.series(partner="PRK", flow="exports", product="TOTAL").values.tolist() == [
            3245001000.0
        ]

    def test_monthly_period_and_m49(self, tmp_path: Path) -> None:
        path = write(
            tmp_path,
            "m.csv",
            NEW_HEADER.replace("reporterISO,", "").replace("partnerISO,", "")
            + "\nC,M,2017,12,201712,156,X,408,TOTAL,0,0,C00,0,,,,257730000"
            "\nC,M,2018,1,201801,156,X,408,TOTAL,0,0,C00,0,,,,168880000\n",
        )
        s = read_comtrade(path).series()
        assert (s.reporter, s.partner, str(s.start), s.frequency) == (
            "CHN",
            "PRK",
            "2017-12",
            bt.Frequency.MONTHLY,
        )

    def test_mixed_frequencies_refused(self, tmp_path: Path) -> None:
        path = write(
            tmp_path,
            "mix.csv",
            NEW_HEADER + "\nC,A,2017,52,2017,156,CHN,X,408,PRK,TOTAL,0,0,C00,0,,,,1"
            "\nC,M,2017,12,201712,156,CHN,X,408,PRK,TOTAL,0,0,C00,0,,,,1\n",
        )
        with pytest.raises(DataValidationError, match="freqCode: the file mixes frequencies A, M"):
            read_comtrade(path)

    def test_breakdowns_and_codes_refused(self, tmp_path: Path) -> None:
        path = write(
            tmp_path,
            "mot.csv",
            NEW_HEADER + "\nC,A,2017,52,2017,156,CHN,X,408,PRK,TOTAL,0,1000,C00,0,,,,1\n",
        )
        with pytest.raises(DataValidationError, match="motCode: rows broken down by motCode"):
            read_comtrade(path)
        path = write(
            tmp_path,
            "nes.csv",
            NEW_HEADER.replace("partnerISO,", "")
            + "\nC,A,2017,52,2017,156,CHN,X,899,TOTAL,0,0,C00,0,,,,1\n".replace(
                "899,TOTAL", "899,TOTAL"
            ),
        )
        with pytest.raises(
            DataValidationError, match="partner: codes 899 have no ISO 3166-1 alpha-3"
        ):
            read_comtrade(path)
        path = write(
            tmp_path,
            "dx.csv",
            NEW_HEADER + "\nC,A,2017,52,2017,156,CHN,DX,408,PRK,TOTAL,0,0,C00,0,,,,1\n",
        )
        with pytest.raises(DataValidationError, match="flows DX are not exports"):
            read_comtrade(path)

    def test_special_codes(self) -> None:
        frame = pd.DataFrame(
            {
                "freqCode": ["A"],
                "period": ["2019"],
                "reporterCode": ["842"],
                "partnerCode": ["490"],
                "flowCode": ["X"],
                "cmdCode": ["TOTAL"],
                "primaryValue": ["1"],
            }
        )
        s = read_comtrade(frame).series()
        assert (s.reporter, s.partner) == ("USA", "TWN")

    def test_legacy_layout(self, tmp_path: Path) -> None:
        header = (
            "Classification,Year,Period,Period Desc.,Aggregate Level,Is Leaf Code,Trade Flow Code,Trade Flow,"
            "Reporter Code,Reporter,Reporter ISO,Partner Code,Partner,Partner ISO,Commodity Code,Commodity,"
            "Trade Value (US$)"
        )
        path = write(
            tmp_path,
            "legacy.csv",
            header
            + "\nH4,2016,2016,2016,2,0,1,Import,156,China,CHN,408,North Korea,PRK,27,Mineral fuels,1188000000"
            "\nH4,2016,2016,2016,2,0,2,Export,156,China,CHN,408,North Korea,PRK,3,Fish,10"
            "\nH4,2016,2016,2016,2,0,3,Re-Export,156,China,CHN,408,North Korea,PRK,27,Mineral fuels,5\n",
        )
        frame = read_comtrade(path).to_frame()
        assert frame["flow"].tolist() == ["imports", "exports", "re-exports"]
        assert frame["product"].tolist() == ["27", "03", "27"]

    def test_wrong_layout(self, tmp_path: Path) -> None:
        path = write(tmp_path, "x.csv", "a,b\n1,2\n")
        with pytest.raises(
            DataValidationError, match=r"not a UN Comtrade layout.*columns found: a, b"
        ):
            read_comtrade(path)
        path = write(tmp_path, "y.csv", "flowCode,primaryValue\nX,1\n")
        with pytest.raises(
            DataValidationError,
            match="the UN Comtrade \\(current\\) layout needs cmdCode, reporterCode, partnerCode",
        ):
            read_comtrade(path)


class TestBaci:
    def test_read_with_country_codes(self, tmp_path: Path) -> None:
        data = write(
            tmp_path,
            "BACI_HS17_Y2019_V202301.csv",
            "t,i,j,k,v,q\n2019,156,408,670419,166737.894,120.5\n2019,156,408,30111,1.5,NA\n2019,842,156,870323,10,2\n",
        )
        codes = write(
            tmp_path,
            "country_codes_V202301.csv",
            "country_code,country_name_abbreviation,country_name_full,iso_2digit_alpha,iso_3digit_alpha\n156,China,China,CN,CHN\n408,Dem. People's Rep. of Korea,Dem. People's Rep. of Korea,KP,PRK\n842,USA,USA,US,USA\n",
        )
        p = read_baci(data, country_codes=codes, countries=["PRK"])
        frame = p.to_frame()
        assert len(frame) == 2
        assert frame["product"].tolist() == ["670419", "030111"]
        assert frame["value"].tolist() == [166737894.0, 1500.0]
        assert (
            frame["flow"].unique().tolist() == ["exports"] and frame["quantity_unit"].iloc[0] == "t"
        )
        assert np.isnan(frame["quantity"].iloc[1])
        p2 = read_baci(data, products=["6704"])
        assert p2.to_frame()["product"].tolist() == ["670419"]

    def test_bad(self, tmp_path: Path) -> None:
        data = write(tmp_path, "b.csv", "t,i,j,k\n2019,156,408,670419\n")
        with pytest.raises(DataValidationError, match=r"needs t, i, j, k, v .*missing v"):
            read_baci(data)
        data = write(tmp_path, "c.csv", "t,i,j,k,v\n2019,156,408,670419,1\n")
        with pytest.raises(InsufficientDataError, match=r"no row of c\.csv matches"):
            read_baci(data, products=["01"])


class TestMirror:
    @pytest.fixture
    def panel(self) -> bt.TradePanel:
        return bt.TradePanel(
            pd.DataFrame(
                {
                    "reporter": ["CHN", "CHN", "CHN", "RUS", "RUS"],
                    "partner": ["RUS", "RUS", "RUS", "CHN", "CHN"],
                    "flow": ["exports"] * 3 + ["imports"] * 2,
                    "product": ["TOTAL"] * 5,
                    "period": ["2019", "2020", "2021", "2019", "2021"],
                    "value": [100.0, 90.0, 120.0, 106.0, 132.5],
                }
            )
        )

    def test_table(self, panel: bt.TradePanel) -> None:
        r = bt.mirror(panel, "CHN", "RUS", cif_fob=1.06)
        t = r.to_frame()
        assert list(t.columns) == ["reported", "mirror", "ratio", "difference"]
        np.testing.assert_allclose(
            t.loc[Y(2019), ["mirror", "ratio"]].tolist(), [100.0, 1.0], rtol=1e-12
        )
        assert np.isnan(t.loc[Y(2020), "mirror"])
        np.testing.assert_allclose(t.loc[Y(2021), "difference"], 132.5 / 1.06 - 120.0, rtol=1e-12)
        assert "median ratio" in r.summary()

    def test_no_silent_switch(self, panel: bt.TradePanel) -> None:
        r = bt.mirror(panel, "CHN", "RUS")
        with pytest.raises(
            DataValidationError, match="the mirror side has no value at 2020; pass switch=True"
        ):
            r.combined("mirror")
        s = r.combined("mirror", switch=True)
        assert s.flags == {Y(2020): ("reported",)}
        assert s.values.tolist() == [106.0, 90.0, 132.5]
        assert r.combined("reporter").flags == {}

    def test_neither_side(self, panel: bt.TradePanel) -> None:
        with pytest.raises(InsufficientDataError, match=r"neither CHN .* nor PRK"):
            bt.mirror(panel, "CHN", "PRK")
        with pytest.raises(
            DataValidationError, match="flow: mirror statistics compare exports or imports"
        ):
            bt.mirror(panel, "CHN", "RUS", flow="total")
