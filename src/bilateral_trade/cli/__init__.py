"""The ``bilateral-trade`` command line: one module per command."""

from .app import main

__all__ = ["main"]
