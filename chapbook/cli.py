"""Command line: ``python build.py [TARGET ...] [--project DIR] [--output DIR] [--strict] [-v]``.

Exit status: 0 built, 1 the content has errors (nothing written), 2 bad usage.
Problems are printed as ``path:line:col: severity: message``; a traceback
only with ``-v``.
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from pathlib import Path

from .diagnostics import ExitStatus


def parser(targets: list[str]) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build.py",
        description="Build a chapbook reader (PDF, EPUB, booklet, handouts) from a folder of texts.",
        epilog="Targets: " + "; ".join(targets) + ". Without a target, every format is built. "
               "Exit status: 0 built, 1 content errors (nothing written), 2 bad usage.")
    p.add_argument("targets", nargs="*", metavar="TARGET", help="output format(s) to build")
    p.add_argument("--project", type=Path, default=Path("."), metavar="DIR",
                   help="the reader project to build (default: the current directory)")
    p.add_argument("--output", type=Path, default=None, metavar="DIR",
                   help="where to write the outputs (default: PROJECT/output)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("-v", "--verbose", action="store_true", help="show WeasyPrint's messages and tracebacks")
    p.add_argument("-q", "--quiet", action="store_true", help="do not print the stage timings")
    return p


def main(argv: list[str] | None = None) -> int:
    from .pipeline import run
    from .writers import WRITERS

    args = parser([f"{name} ({what})" for name, (_, _, what) in WRITERS.items()]).parse_args(argv)
    unknown = [t for t in args.targets if t not in WRITERS]
    if unknown:
        print(f"build.py: error: unknown target {', '.join(map(repr, unknown))} "
              f"(choose from {', '.join(WRITERS)})", file=sys.stderr)
        return ExitStatus.USAGE
    if not args.project.is_dir():
        print(f"build.py: error: project folder {args.project} does not exist", file=sys.stderr)
        return ExitStatus.USAGE
    targets = list(dict.fromkeys(args.targets)) or list(WRITERS)
    output = args.output or args.project / "output"
    logging.getLogger("weasyprint").setLevel(logging.WARNING if args.verbose else logging.CRITICAL)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    try:
        status, _ = run(args.project, output, targets, strict=args.strict, quiet=args.quiet)
    except KeyboardInterrupt:
        print("interrupted; nothing was replaced", file=sys.stderr)
        return ExitStatus.CONTENT_ERROR
    except Exception as exc:  # an internal error: say so plainly, traceback only on request
        if args.verbose:
            traceback.print_exc()
        print(f"build.py: internal error: {type(exc).__name__}: {exc} "
              "(this is a bug in chapbook; run with -v for details)", file=sys.stderr)
        return ExitStatus.CONTENT_ERROR
    return int(status)
