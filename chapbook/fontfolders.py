"""WeasyPrint font configurations made by chapbook, and the temporary folders they leave behind.

WeasyPrint's ``FontConfiguration`` writes every ``@font-face`` font it loads into a folder of its
own (``tempfile.mkdtemp``) and removes that folder in ``__del__``. ``build.py`` ends with
``os._exit`` (:func:`chapbook.cli.leave`), which runs no ``__del__``: without :func:`release`, each
build would leave 3–5 MB of fonts in the temporary folder. A forked worker inherits the build's
configurations; one that had no folder yet at the fork gets a folder of the worker's own when the
worker loads a font, and a worker ends with ``os._exit`` too: :func:`forked` removes those.
"""

from __future__ import annotations

import os
import shutil
import weakref

_MADE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # configuration → the pid that made it


def new():
    """A new ``FontConfiguration``, recorded so that :func:`release` can remove its folder."""
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    _MADE[fonts] = os.getpid()
    return fonts


def release() -> None:
    """Remove the folders of the configurations this process made and still holds; a forked worker
    holds its parent's too, and must leave those alone (it never calls this, and the pid says so)."""
    pid = os.getpid()
    for fonts, maker in list(_MADE.items()):
        if maker == pid:
            fonts.__del__()  # WeasyPrint's own clean-up: it removes the folder, if one was made


def forked() -> None:
    """In a new worker: at its end, remove the folders its configurations got in it, not the ones they
    had at the fork (its parent's, still in use). Run by ``multiprocessing`` as the worker exits
    normally (a worker stopped by a signal keeps its folder, as before)."""
    from multiprocessing.util import Finalize

    inherited = {id(fonts): getattr(fonts, "_folder", None) for fonts in _MADE}

    def made_here() -> None:
        for fonts in list(_MADE):
            folder = getattr(fonts, "_folder", None)  # WeasyPrint's; None until a font is loaded
            if folder and folder != inherited.get(id(fonts)):
                shutil.rmtree(folder, ignore_errors=True)

    Finalize(None, made_here, exitpriority=0)
