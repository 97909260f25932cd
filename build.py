#!/usr/bin/env python3
"""Build the reader: see ``python build.py --help`` and the README."""

from chapbook.cli import leave, main

if __name__ == "__main__":
    leave(main(exits_after=True))
