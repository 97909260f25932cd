"""Project templates run sandboxed, and only from the project's templates/ or chapbook's own.

A project may override any template (``templates/book.html.j2``, ``templates/epub/…``,
``templates/handout.html.j2``), and a project is written by strangers. A plain
``jinja2.Environment`` runs ``{{ cycler.__init__.__globals__.os.popen("id").read() }}``, and a
``FileSystemLoader`` follows a symlinked template anywhere on the machine. So:

- Every environment is an :class:`ProjectSandbox`, a
  :class:`jinja2.sandbox.ImmutableSandboxedEnvironment`. Immutable rather than the plain
  ``SandboxedEnvironment`` because templates decide layout, never content: the context
  (:func:`chapbook.render.book_context`) is shared by every document of a build — the EPUB
  renders each document twice, handouts render it once per text — so a template must not be
  able to ``append`` to, ``update`` or ``pop`` the lists and dicts another template will read.
  On top of Jinja's rules (no ``_names``, no internals of functions, frames or generators),
  :class:`ProjectSandbox` refuses ``pathlib`` paths and modules as values (the model keeps source
  paths for diagnostics: ``c.part.path.read_text()`` or ``.unlink()`` would otherwise work) and
  refuses calling file-system functions.
- The loader, :class:`ConfinedLoader`, searches the project's ``templates/`` then chapbook's own,
  refuses names with ``..`` or an absolute path, and refuses a template whose resolved path
  (symlinks followed) lies outside both folders — or the project's ``templates/`` itself when it
  resolves outside the project.
- Every failure while loading, compiling or rendering — a sandbox violation, a syntax error, an
  undefined variable, a refused or missing template — becomes a :class:`TemplateProblem` with
  the template's ``path:line:col``, which the pipeline reports as an error (exit status 1).
  :func:`template_problems` finds what can be found without rendering (syntax, ``_`` attributes,
  includes that escape), so ``build.py check`` refuses such a project before anything is written.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path, PurePath
from types import ModuleType, TracebackType

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from . import PACKAGE_ROOT
from .diagnostics import ContentProblem, Location
from .projectfiles import inside, read_regular

# Callables no template may call, even if one leaked into a context (they are not reachable today).
_FORBIDDEN_MODULES = {"os", "posix", "nt", "io", "_io", "pathlib", "shutil", "subprocess", "socket", "importlib"}
_FORBIDDEN_BUILTINS = {open, eval, exec, compile, __import__, getattr, setattr, delattr, globals, locals, vars,
                       input, breakpoint, io.open, os.system}


class TemplateProblem(ContentProblem):
    """A project template that is refused or fails; ``location`` is its ``path:line:col``."""

    def __init__(self, location: Location | None, message: str, code: str = "template") -> None:
        super().__init__(location, message, code)


class ConfinedLoader(jinja2.BaseLoader):
    """Templates from ``PROJECT/templates`` first, then chapbook's own; nothing that resolves elsewhere."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self.searchpath = [project / "templates", PACKAGE_ROOT / "templates"]
        # The folders a template may resolve into; the project's only if it is itself inside the project.
        self.roots = [r for r in (inside(project / "templates", project), (PACKAGE_ROOT / "templates").resolve())
                      if r is not None]
        self.filenames: set[str] = set()  # every template file served: how tracebacks are mapped back

    def get_source(self, environment, template: str):
        pieces = template.replace("\\", "/").split("/")
        if template.startswith(("/", "\\")) or ".." in pieces or re.match(r"^[A-Za-z]:", template):
            raise TemplateProblem(None, f"template '{template}' is outside templates/: a template may only "
                                  "include, import or extend templates in the project's templates/ folder "
                                  "(or chapbook's own); refused", "unsafe-template")
        parts = [p for p in pieces if p not in ("", ".")]
        for folder in self.searchpath:
            path = folder.joinpath(*parts)
            if not path.is_symlink() and (path.is_dir() or not path.exists()):
                continue  # not here (a FIFO or a device is: refused below, not passed over for ours)
            try:
                resolved = path.resolve()
            except (OSError, RuntimeError):
                resolved = None
            if resolved is not None and resolved.exists() and not resolved.is_file() and not resolved.is_dir() \
                    and any(resolved.is_relative_to(r) for r in self.roots):
                raise TemplateProblem(Location(path, 1, 1), f"template '{template}' is not a regular file (a "
                                      "device or pipe cannot be read); refused", "unsafe-template")
            if resolved is None or not resolved.is_file() or not any(resolved.is_relative_to(r) for r in self.roots):
                link = " (a symbolic link pointing outside)" if path.is_symlink() else ""
                raise TemplateProblem(Location(path, 1, 1), f"template '{template}' resolves outside the "
                                      f"project's templates/ folder{link}; refused", "unsafe-template")
            try:
                source = read_regular(resolved).decode("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise TemplateProblem(Location(path, 1, 1), f"cannot read template '{template}' ({exc})") from None
            mtime = resolved.stat().st_mtime
            self.filenames.add(str(path))

            def uptodate(resolved: Path = resolved, mtime: float = mtime) -> bool:
                try:
                    return resolved.stat().st_mtime == mtime
                except OSError:
                    return False

            return source, str(path), uptodate
        raise jinja2.TemplateNotFound(template)


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in this process, for the next environment made for the same file.

    Every build makes a new environment (:func:`chapbook.render.template_env`), which compiled
    book.html.j2 again: 0.03-0.05 s of each rebuild in ``build.py watch``. Jinja keys a template's
    code by its name and file and checks the digest of its source, so an edited template is
    compiled again. Only for environments made with the same settings; never on disk (compiled
    code read from a folder anyone could write to would run).
    """

    LIMIT = 64

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        data = self.code.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket) -> None:
        self.code.pop(bucket.key, None)
        self.code[bucket.key] = bucket.bytecode_to_string()
        while len(self.code) > self.LIMIT:
            del self.code[next(iter(self.code))]


def _holds_place(value, depth: int = 3) -> bool:
    """Whether a list, tuple, set or dict holds (within ``depth`` levels) a path or a source's
    :class:`~chapbook.diagnostics.Location`, whose text is the project's absolute path."""
    if isinstance(value, PurePath | Location):
        return True
    if depth == 0 or isinstance(value, str | bytes) or not isinstance(value, list | tuple | set | frozenset | dict):
        return False
    items = value.values() if isinstance(value, dict) else value
    return any(_holds_place(item, depth - 1) for item in items) or (
        isinstance(value, dict) and any(_holds_place(key, depth - 1) for key in value))


class ProjectSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, minus paths and file-system calls, with located errors."""

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        if isinstance(obj, PurePath | ModuleType | Location) or isinstance(value, PurePath | ModuleType | Location):
            return False  # a source's place is for diagnostics: its path says where the project lives
        if _holds_place(value):  # part.field_locations, c.citations: places inside a dict or tuple (a review)
            return False
        return super().is_safe_attribute(obj, attr, value)

    def is_safe_callable(self, obj) -> bool:
        if isinstance(getattr(obj, "__self__", None), PurePath):  # path.read_text, path.unlink …
            return False
        try:
            if obj in _FORBIDDEN_BUILTINS:
                return False
        except TypeError:  # unhashable callables
            pass
        module = (getattr(obj, "__module__", None) or "").split(".")[0]
        if module in _FORBIDDEN_MODULES or (isinstance(obj, type) and issubclass(obj, PurePath)):
            return False
        return super().is_safe_callable(obj)

    def handle_exception(self, source: str | None = None):
        """Every error raised from template code as a :class:`TemplateProblem` at its template line."""
        try:
            super().handle_exception(source)
        except TemplateProblem as exc:
            if exc.location is None:
                exc.location = self._where(exc.__traceback__, exc)
            raise
        except jinja2.TemplateSyntaxError as exc:
            if not exc.filename:
                raise
            path = Path(exc.filename)
            problem = TemplateProblem(Location(path, exc.lineno, column(path, exc.lineno, str(exc.message))),
                                      f"template syntax error: {exc.message}")
            raise problem from exc
        except Exception as exc:
            where = self._where(exc.__traceback__, exc)
            if where is None:
                raise
            raise TemplateProblem(where, _describe(exc), "unsafe-template" if isinstance(exc, SecurityError)
                                  else "template") from exc

    def _where(self, tb: TracebackType | None, exc: BaseException) -> Location | None:
        """The innermost template line in a (rewritten) traceback."""
        found = None
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename in self.loader.filenames:
                found = (filename, tb.tb_lineno)
            tb = tb.tb_next
        if found is None:
            return None
        path = Path(found[0])
        return Location(path, found[1], column(path, found[1], str(exc)))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, SecurityError):
        return f"not allowed in a template: {exc}"
    if isinstance(exc, jinja2.TemplateNotFound):
        return (f"template '{exc.name}' not found (looked in the project's templates/ and chapbook's own)")
    if isinstance(exc, jinja2.UndefinedError):
        return f"{exc} (a template may only use the variables chapbook gives it)"
    if isinstance(exc, RecursionError):
        return "templates include or extend each other without end"
    return f"the template failed: {type(exc).__name__}: {exc}"


def column(path: Path, line: int, message: str) -> int:
    """Where on ``line`` the problem probably is: a name quoted in the message, else the first tag."""
    try:
        text = path.read_text(encoding="utf-8").splitlines()[line - 1]
    except (OSError, UnicodeDecodeError, IndexError):
        return 1
    for quoted in re.findall(r"'([^'\s]+)'", message):
        for word in (quoted, quoted.split(".")[-1]):
            at = text.find(word)
            if at >= 0:
                return at + 1
    tags = [i for i in (text.find("{{"), text.find("{%")) if i >= 0]
    if tags:
        return min(tags) + 1
    return len(text) - len(text.lstrip()) + 1


# ---- The check stage: what can be found without rendering --------------------------------------

_INCLUDES = (nodes.Include, nodes.Extends, nodes.Import, nodes.FromImport)


def template_problems(project: Path, env: jinja2.Environment) -> list[TemplateProblem]:
    """Problems of the project's own templates: compiled (not rendered) under the sandbox.

    Every file under ``templates/`` that resolves outside it is refused; every ``*.j2`` is compiled
    (syntax, unknown filters) and scanned for ``_`` attributes — which the sandbox refuses
    anyway — and for ``include``/``import``/``extends`` of a fixed name that escapes or is missing.
    """
    folder = project / "templates"
    if not (folder.is_dir() or folder.is_symlink()):
        return []
    if inside(folder, project) is None:
        return [TemplateProblem(Location(folder), "the templates/ folder resolves outside the project (a symbolic "
                                "link?); a project may only use files inside its own folder", "unsafe-template")]
    problems: list[TemplateProblem] = []
    for directory, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files) + [d for d in dirs if (Path(directory) / d).is_symlink()]:
            path = Path(directory) / name
            template = path.relative_to(folder).as_posix()
            if not path.name.endswith(".j2") and inside(path, folder) is not None:
                continue
            try:
                source, filename, _ = env.loader.get_source(env, template)
                tree = env.parse(source, template, filename)
                env.compile(tree, template, filename)
            except TemplateProblem as exc:
                exc.location = exc.location or Location(path, 1, 1)
                problems.append(exc)
                continue
            except jinja2.TemplateNotFound:  # a folder symlinked from elsewhere
                problems.append(TemplateProblem(Location(path, 1, 1), f"'{template}' resolves outside the "
                                                "project's templates/ folder; refused", "unsafe-template"))
                continue
            problems += _scan(env, tree, path)
    return problems


def _scan(env: jinja2.Environment, tree: nodes.Template, path: Path) -> list[TemplateProblem]:
    found = []

    def refuse(node: nodes.Node, name: str) -> None:
        found.append(TemplateProblem(
            Location(path, node.lineno, column(path, node.lineno, f"'{name}'")),
            f"not allowed in a template: attribute '{name}' is unsafe (names starting with '_' reach "
            "Python's internals)", "unsafe-template"))

    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            refuse(node, node.attr)
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) \
                and isinstance(node.arg.value, str) and node.arg.value.startswith("_"):
            refuse(node, node.arg.value)
        elif isinstance(node, nodes.Filter) and node.name == "attr" and node.args \
                and isinstance(node.args[0], nodes.Const) and str(node.args[0].value).startswith("_"):
            refuse(node, str(node.args[0].value))
    for node in tree.find_all(_INCLUDES):
        target = node.template
        names = [target.value] if isinstance(target, nodes.Const) else []
        names = [n for v in names for n in (v if isinstance(v, list | tuple) else [v]) if isinstance(n, str)]
        for name in names:
            try:
                env.loader.get_source(env, name)
            except TemplateProblem as exc:
                if exc.location is None:
                    exc.location = Location(path, node.lineno, column(path, node.lineno, f"'{name}'"))
                found.append(exc)
            except jinja2.TemplateNotFound:
                if not getattr(node, "ignore_missing", False):
                    found.append(TemplateProblem(Location(path, node.lineno, column(path, node.lineno, f"'{name}'")),
                                                 _describe(jinja2.TemplateNotFound(name))))
    return found
