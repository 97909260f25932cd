"""WeasyPrint font configurations made by chapbook, and the temporary folders they leave behind.

WeasyPrint's ``FontConfiguration`` writes every ``@font-face`` font it loads into a folder of its
own (``tempfile.mkdtemp``) and removes that folder in ``__del__``. ``build.py`` ends with
``os._exit`` (:func:`chapbook.cli.leave`), which runs no ``__del__``: without :func:`release`, each
build would leave 3–5 MB of fonts in the temporary folder.
"""

from __future__ import annotations

import os
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
