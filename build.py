#!/usr/bin/env python3
"""Build the reader: see ``python build.py --help`` and the README."""

import sys

from chapbook.cli import main

if __name__ == "__main__":
    sys.exit(main())
