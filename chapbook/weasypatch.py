"""One of WeasyPrint's own functions compiled again with a few lines changed (issue 13, issue 11).

chapbook changes a decision deep inside a WeasyPrint function in two places
(:mod:`chapbook.footnotepages`, :mod:`chapbook.pdftags`). Copying those functions whole would mean
keeping long copies of WeasyPrint's code in step; replacing one line of its source and compiling it
again in WeasyPrint's own module keeps the rest as WeasyPrint wrote it. The change is made only on
the WeasyPrint version the lines were written against, and only if each line is found exactly once,
so that another version is left as it is; it is made once per process.
"""

from __future__ import annotations

import inspect
import textwrap

VERSION = "70"  # the WeasyPrint major version whose source the changed lines come from


def recompile(module, name: str, changes: tuple[tuple[str, str], ...], helpers: dict | None = None) -> bool:
    """Replace ``module.name`` by its source with each ``(old, new)`` of ``changes`` made, compiled in
    ``module``'s namespace (where ``helpers`` are put first, for the new lines to call). True if the
    function is (now or already) the changed one; False where the source does not match."""
    import weasyprint

    function = getattr(module, name)
    if getattr(function, "chapbook", False):
        return True
    if weasyprint.__version__.split(".")[0] != VERSION:
        return False
    source = textwrap.dedent(inspect.getsource(function))
    if any(source.count(old) != 1 for old, _ in changes):
        return False
    for old, new in changes:
        source = source.replace(old, new)
    for helper, value in (helpers or {}).items():
        setattr(module, helper, value)
    namespace: dict = {}
    exec(compile(source, module.__file__, "exec"), module.__dict__, namespace)
    patched = namespace[name]
    patched.chapbook = True
    patched.original = function
    setattr(module, name, patched)
    return True
