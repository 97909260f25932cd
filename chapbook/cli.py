"""Command line: ``python build.py [TARGET ...]`` builds; five commands help editors.

    build.py [TARGET ...] [--project DIR] [--output DIR] [--strict] [--allow-remote] [-v] [-q]
    build.py check [--project DIR] [--format text|json] [--strict] [--allow-remote]
    build.py watch [TARGET ...] [--project DIR] [--output DIR] [--strict] [--allow-remote] [-v]
    build.py serve [--project DIR] [--output DIR] [--port PORT]
    build.py new DIR
    build.py import FILE... [--project DIR]

The first word that is not an option decides: one of the commands, or else
the targets (the names in :data:`chapbook.writers.WRITERS`, which never use a
command's name). Exit status: 0 built (or clean), 1 the content has errors
(nothing written), an output cannot be written or another build is writing
the output folder (the summary says what was written), 2 bad usage. Problems are printed as
``path:line:col: severity: message``; a traceback only with ``-v``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from pathlib import Path

from .diagnostics import ExitStatus, Interrupted

COMMANDS = {
    "check": "report every problem the build would, without building (fast: no typesetting)",
    "watch": "build, then rebuild the affected outputs on every saved change",
    "serve": "build the web edition and show it on http://127.0.0.1:PORT/, rebuilt and reloaded on save",
    "new": "scaffold a new reader in DIR that builds out of the box",
    "import": "turn raw .txt, .md, .markdown, .html, .htm, .xhtml or .xht copies into content/texts/NN-slug.md",
}
_VALUE_OPTIONS = {"--project", "--output", "--format"}  # options followed by a value

USAGE = """build.py [TARGET ...] [--project DIR] [--output DIR] [--strict] [--allow-remote] [-v] [-q]
       build.py check [--project DIR] [--format {text,json}] [--strict] [--allow-remote]
       build.py watch [TARGET ...] [--project DIR] [--output DIR] [--strict] [--allow-remote] [-v]
       build.py serve [--project DIR] [--output DIR] [--port PORT]
       build.py new DIR
       build.py import FILE... [--project DIR]"""


def _common(p: argparse.ArgumentParser, output: bool = True) -> None:
    p.add_argument("--project", type=Path, default=Path("."), metavar="DIR",
                   help="the reader project (default: the current directory)")
    if output:
        p.add_argument("--output", type=Path, default=None, metavar="DIR",
                       help="where to write the outputs (default: PROJECT/output)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--allow-remote", action="store_true",
                   help="let images and styles load http(s) resources (refused by default)")


def parser(targets: list[str]) -> argparse.ArgumentParser:
    commands = "\n".join(f"  {name:<8} {what}" for name, what in COMMANDS.items())
    p = argparse.ArgumentParser(
        prog="build.py", usage=USAGE, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Build a chapbook reader (PDF, EPUB, booklet, cover, handouts, web edition) from a folder "
                    "of texts.",
        epilog="targets (none: all of them):\n" + "\n".join(f"  {t}" for t in targets)
               + f"\n\ncommands (see build.py COMMAND --help):\n{commands}\n\n"
               "Exit status: 0 built, 1 content errors (nothing written) or an output could not be "
               "written (the summary says which were), 2 bad usage.")
    p.add_argument("targets", nargs="*", metavar="TARGET", help="output format(s) to build")
    _common(p)
    p.add_argument("-v", "--verbose", action="store_true", help="show WeasyPrint's messages and tracebacks")
    p.add_argument("-q", "--quiet", action="store_true", help="do not print the stage timings")
    return p


def command_parser(name: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=f"build.py {name}", description=COMMANDS[name],
                                epilog="Exit status: 0 ok, 1 content errors, 2 bad usage.")
    if name == "check":
        _common(p, output=False)
        p.add_argument("--format", choices=("text", "json"), default="text",
                       help="text: 'path:line:col: level: message [code]' lines; json: for tools and CI")
    elif name == "watch":
        p.add_argument("targets", nargs="*", metavar="TARGET", help="output format(s) to keep up to date")
        _common(p)
        p.add_argument("--debounce", type=float, default=0.3, metavar="SECONDS",
                       help="wait this long after the last change before rebuilding (default 0.3)")
        p.add_argument("-v", "--verbose", action="store_true", help="show WeasyPrint's messages and tracebacks")
        p.add_argument("-q", "--quiet", action="store_true", help="do not print the stage timings")
    elif name == "serve":
        _common(p)
        p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0: any free port)")
        p.add_argument("-v", "--verbose", action="store_true", help="show WeasyPrint's messages and tracebacks")
        p.add_argument("-q", "--quiet", action="store_true", help="do not print the stage timings")
    elif name == "new":
        p.add_argument("dir", type=Path, metavar="DIR", help="folder for the new reader (new or empty)")
        p.add_argument("--title", default="", help="the reader's title (default: from the folder name)")
    elif name == "import":
        p.add_argument("files", nargs="+", type=Path, metavar="FILE",
                       help=".txt, .md, .markdown, .html, .htm, .xhtml or .xht files (a book's endnotes.xhtml "
                       "given with its chapters goes into their footnotes, not a text of its own)")
        p.add_argument("--project", type=Path, default=Path("."), metavar="DIR",
                       help="the reader project to add the texts to (default: the current directory)")
    return p


def split_command(argv: list[str]) -> tuple[str | None, list[str]]:
    """('check', rest) when the first positional argument is a command, else (None, argv)."""
    skip = False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
            continue
        if arg in _VALUE_OPTIONS:
            skip = True
            continue
        if arg.startswith("-"):
            continue
        return (arg, argv[:i] + argv[i + 1:]) if arg in COMMANDS else (None, argv)
    return None, argv


def main(argv: list[str] | None = None, exits_after: bool = False) -> int:
    """``exits_after``: the process ends when this returns (``build.py``): a build may then run its
    writers with the long-lived heap frozen (:func:`chapbook.pipeline.long_lived_set_aside`)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command, rest = split_command(argv)
    if command is not None:
        return _guarded(lambda: _run_command(command, rest), verbose="-v" in rest or "--verbose" in rest)
    return _build(argv, exits_after)


def leave(status: int | None) -> None:
    """End the process with ``status`` once what it printed is flushed, without tearing its heap down.

    At exit Python frees every object one by one: after a build, the joined book's pikepdf objects,
    WeasyPrint's layouts and caches, the modules. That took 0.19–0.22 s after ``build.py pdf`` had
    rebuilt the reader at 10× (2.1 s in all), time spent after the work was done. Every output is
    written, closed and moved into place before :func:`main` returns and the workers are gone; the
    one thing left to a finaliser, WeasyPrint's temporary font folders, is removed here
    (:mod:`chapbook.fontfolders`). As Python does at exit, a report that could not be written
    (a full disk) makes the status 120; a reader that closed the pipe after the last line does not
    change it.
    Under ``python -i``, a profiler or a tracer (coverage), the usual exit, which they need.
    """
    monitoring = getattr(sys, "monitoring", None)  # Python 3.12's tools (coverage's sysmon core)
    if (sys.flags.inspect or sys.getprofile() is not None or sys.gettrace() is not None
            or (monitoring is not None and any(monitoring.get_tool(tool) for tool in range(6)))):
        sys.exit(status)
    from . import fontfolders

    fontfolders.release()
    for stream in (sys.stdout, sys.stderr):
        if stream is None or stream.closed:  # started without it, or closed on purpose
            continue
        try:
            stream.flush()
        except BrokenPipeError:  # its reader has gone: nothing more can reach it
            pass
        except (OSError, ValueError):
            status = 120
    os._exit(int(status or 0))


def _usage_error(message: str) -> int:
    print(f"build.py: error: {message}", file=sys.stderr)
    return ExitStatus.USAGE


def _quiet_libraries(verbose: bool) -> None:
    """WeasyPrint's own messages only with -v; what matters to users is reported as diagnostics.

    WeasyPrint's logger carries only a do-nothing handler, so -v adds one that prints to stderr.
    """
    weasy = logging.getLogger("weasyprint")
    weasy.setLevel(logging.WARNING if verbose else logging.CRITICAL)
    if verbose and not any(getattr(h, "_chapbook", False) for h in weasy.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("weasyprint: %(levelname)s: %(message)s"))
        handler._chapbook = True  # type: ignore[attr-defined]
        weasy.addHandler(handler)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def _targets(requested: list[str]) -> list[str] | str:
    """The targets to build, or the usage error message."""
    from .writers import WRITERS

    unknown = [t for t in requested if t not in WRITERS]
    if unknown:
        return f"unknown target {', '.join(map(repr, unknown))} (choose from {', '.join(WRITERS)})"
    return list(dict.fromkeys(requested)) or list(WRITERS)


def _build(argv: list[str], exits_after: bool = False) -> int:
    from .writers import WRITERS

    args = parser([f"{name:<8} {what}" for name, (_, _, what) in WRITERS.items()]).parse_args(argv)
    targets = _targets(args.targets)
    if isinstance(targets, str):
        return _usage_error(targets)
    if not args.project.is_dir():
        return _usage_error(f"project folder {args.project} does not exist")
    output = args.output or args.project / "output"
    problem = _output_problem(output)
    if problem:
        return _usage_error(problem)
    _quiet_libraries(args.verbose)

    def build() -> int:
        from .pipeline import run

        status, _ = run(args.project, output, targets, strict=args.strict, quiet=args.quiet,
                        allow_remote=args.allow_remote, exits_after=exits_after)
        return int(status)

    return _guarded(build, args.verbose)


def _output_problem(output: Path, project: Path | None = None) -> str:
    """Why ``--output`` cannot be an output folder (a file, or under one; with ``project``, for ``watch``
    and ``serve``, which resolve it: a link where chapbook writes, :func:`outfiles.output_links`); '' if it may be.

    Whether the folder can be written is only known by writing: that is reported by the build
    (``error: cannot write OUTPUT/...: Read-only file system``).
    """
    if output.exists() and not output.is_dir():
        return f"--output {output} is a file, not a folder"
    for parent in output.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                return f"--output {output}: {parent} is a file, not a folder"
            break
    if project is not None:  # a build checks this in its check stage, with the other problems
        from .outfiles import link_message, output_links

        return "; ".join(f"{link}: {link_message(link)}" for link in output_links(output, project))
    return ""


def _guarded(action, verbose: bool) -> int:
    """Run a command; Ctrl-C and internal errors become one line each (a traceback only with -v)."""
    try:
        return action()
    except KeyboardInterrupt as exc:  # Interrupted (pipeline) knows which outputs were replaced
        print(exc.message if isinstance(exc, Interrupted) else "interrupted; nothing was replaced",
              file=sys.stderr)
        return ExitStatus.CONTENT_ERROR
    except Exception as exc:  # an internal error: say so plainly, traceback only on request
        if verbose:
            traceback.print_exc()
        print(f"build.py: internal error: {type(exc).__name__}: {exc} "
              "(this is a bug in chapbook; run with -v for details)", file=sys.stderr)
        return ExitStatus.CONTENT_ERROR


def _run_command(name: str, argv: list[str]) -> int:
    args = command_parser(name).parse_args(argv)
    if name == "new":
        from .scaffold import new_project

        return new_project(args.dir, title=args.title)
    if not args.project.is_dir():
        return _usage_error(f"project folder {args.project} does not exist")
    if name == "import":
        from .importer import import_files

        return import_files(args.files, args.project)
    if name == "check":
        return check_command(args.project, args.format, args.strict, args.allow_remote)
    if name == "serve":
        problem = _output_problem(args.output or args.project / "output", args.project)
        if problem:
            return _usage_error(problem)
        _quiet_libraries(args.verbose)
        from .serve import serve

        return serve(args.project, args.output or args.project / "output", port=args.port, strict=args.strict,
                     quiet=args.quiet)
    targets = _targets(args.targets)
    if isinstance(targets, str):
        return _usage_error(targets)
    problem = _output_problem(args.output or args.project / "output", args.project)
    if problem:
        return _usage_error(problem)
    _quiet_libraries(args.verbose)
    from .watch import watch

    return watch(args.project, args.output or args.project / "output", targets, strict=args.strict,
                 allow_remote=args.allow_remote, debounce=args.debounce, quiet=args.quiet)


def check_command(project: Path, fmt: str = "text", strict: bool = False, allow_remote: bool = False) -> int:
    """``build.py check``: read → convert → check, then the diagnostics with their codes."""
    from .pipeline import _display_root, check_only

    report = check_only(project, strict=strict, allow_remote=allow_remote)
    root = _display_root(project)
    if fmt == "json":
        print(report.to_json(root))
    else:
        for line in report.lines(root, with_code=True):
            print(line)
        n_err, n_warn = len(report.errors), len(report.warnings)
        if strict:
            n_err, n_warn = n_err + n_warn, 0
        verdict = "check failed" if report.failed else "check passed"
        print(f"{verdict}: {n_err} error{'s' * (n_err != 1)}, {n_warn} warning{'s' * (n_warn != 1)}",
              file=sys.stderr)
    return int(report.exit_status())
