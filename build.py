#!/usr/bin/env python3
"""Build the reader: see ``python build.py --help`` and the README."""

import sys

from chapbook.cli import leave, main

if __name__ == "__main__":
    if sys.flags.inspect:  # python -i build.py: stay for the prompt
        sys.exit(main())
    leave(main())
