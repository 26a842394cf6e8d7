from __future__ import annotations

import subprocess
import sys

import bilateral_trade as bt


def test_import_does_not_load_matplotlib() -> None:
    code = "import sys, bilateral_trade; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_public_names() -> None:
    for name in bt.__all__:
        assert hasattr(bt, name), name
    assert issubclass(bt.DataValidationError, ValueError)
    assert issubclass(bt.DataValidationError, bt.BilateralTradeError)
    assert issubclass(bt.InsufficientDataError, bt.BilateralTradeError)
    assert issubclass(bt.UnknownEventError, KeyError)
    assert issubclass(bt.DataQualityWarning, bt.BilateralTradeWarning)


def test_ships_py_typed() -> None:
    from importlib.resources import files

    assert (files("bilateral_trade") / "py.typed").is_file()
