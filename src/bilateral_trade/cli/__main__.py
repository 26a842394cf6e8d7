"""``python -m bilateral_trade.cli``: the ``bilateral-trade`` command."""

import sys

from .app import main

sys.exit(main())
