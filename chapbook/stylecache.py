"""chapbook's stylesheets parsed once per process, not once per document (issue 11).

WeasyPrint parses every ``<link rel="stylesheet">`` of every document it lays out: tokenised,
its selectors compiled, its declarations validated. A full build lays out some thirty
documents that link ``print.css`` (each part of the book, the probe, the folios' skeleton, the
cover, every handout): about 15 ms each, half a second of the build's CPU spent parsing the same
file. :func:`install` makes WeasyPrint's ``CSS`` keep what a ``chapbook-style:`` stylesheet
parses to (its selector matcher and its ``@page`` rules) under the digest of the bytes fetched,
for the same font configuration, and hand it to the next document that links the same bytes.

The stylesheet is still fetched for every document (so the files a part's layout loaded, which
its cache entry is checked against, are the same), and its ``@font-face`` rules are still given
to the font configuration (which fetches a face only the first time, and so still refuses a
face from outside the project, :mod:`chapbook.fetcher`). Stylesheets with rules that act on the
document beyond their own selectors and pages (``@import``, ``@layer``, ``@counter-style``,
``@color-profile``) are parsed as before; so are inline ``<style>`` elements and extra CSS.
A document laid out with a kept parse is the same as one laid out with a fresh one
(tests/test_stylecache.py).
"""

from __future__ import annotations

import hashlib
import weakref
from collections import OrderedDict
from typing import Any

KEPT = 8  # parsed stylesheets kept (a project's print.css, custom.css, handout.css, across watch's rebuilds)
_CACHE: OrderedDict[tuple, tuple] = OrderedDict()  # key → (font_config, weakly: its folder goes with it;
# matcher, page rules, @font-face rules)
_KEEPABLE = frozenset({"media", "page", "font-face", "footnote"} | {  # the at-rules a kept parse may hold
    f"{side}-{place}" for side, places in (("top", "left-corner left center right right-corner"),
                                           ("bottom", "left-corner left center right right-corner"),
                                           ("left", "top middle bottom"), ("right", "top middle bottom"))
    for place in places.split()})
_ORIGINAL: Any = None
PARSED = 0  # stylesheets parsed by this module (tests count them)
REUSED = 0  # and handed out again


def install() -> None:
    """Make WeasyPrint's ``CSS`` keep its parses of chapbook's stylesheets (idempotent)."""
    global _ORIGINAL
    import weasyprint

    if _ORIGINAL is None and weasyprint.__version__.split(".")[0] == "70":  # the constructor copied below
        _ORIGINAL = weasyprint.CSS.__init__
        weasyprint.CSS.__init__ = _init


def clear() -> None:
    _CACHE.clear()


class _Faces:
    """The font configuration as ``preprocess_stylesheet`` sees it, noting each ``@font-face`` it adds."""

    def __init__(self, font_config) -> None:
        self.font_config, self.faces = font_config, []

    def add_font_face(self, rule_descriptors, url_fetcher) -> None:
        self.faces.append(rule_descriptors)
        self.font_config.add_font_face(rule_descriptors, url_fetcher)


def _keepable(nodes) -> bool:
    """Whether parsed CSS holds no at-rule but those of :data:`_KEEPABLE`, at any depth (the tokens of
    every prelude, block and function too; the tokenizer has resolved escapes already)."""
    for node in nodes or ():
        if node.type == "at-rule" and node.lower_at_keyword not in _KEEPABLE:
            return False
        if node.type == "at-keyword" and node.lower_value not in _KEEPABLE:
            return False
        for inner in ("prelude", "content", "arguments"):
            value = getattr(node, inner, None)
            if isinstance(value, list) and not _keepable(value):
                return False
    return True


def _init(self, guess=None, filename=None, url=None, file_obj=None, string=None, encoding=None, base_url=None,
          url_fetcher=None, _check_mime_type=False, media_type="print", font_config=None, counter_style=None,
          color_profiles=None, matcher=None, page_rules=None, layers=None, layer=None) -> None:
    """WeasyPrint 70's ``CSS.__init__``, keeping the parse of a ``chapbook-style:`` URL's bytes."""
    if (url is None or not str(url).startswith("chapbook-style:") or font_config is None or matcher is not None
            or layer is not None or page_rules is None or url_fetcher is None):
        return _ORIGINAL(self, guess, filename, url, file_obj, string, encoding, base_url, url_fetcher,
                         _check_mime_type, media_type, font_config, counter_style, color_profiles, matcher,
                         page_rules, layers, layer)
    import cssselect2
    import tinycss2
    from weasyprint.css import preprocess_stylesheet
    from weasyprint.logger import PROGRESS_LOGGER
    from weasyprint.urls import select_source

    PROGRESS_LOGGER.info("Step 2 - Fetching and parsing CSS - %s", url)
    result = select_source(guess, filename, url, file_obj, string, base_url=base_url, url_fetcher=url_fetcher,
                           check_css_mime_type=_check_mime_type)
    with result as (file_obj, base_url, protocol_encoding, _mime_type):
        css = file_obj.read()
    data = css.encode("utf-8") if isinstance(css, str) else css
    key = (str(url), base_url, media_type, encoding, protocol_encoding, isinstance(css, str),
           hashlib.sha256(data).hexdigest(), id(font_config))
    self.base_url = base_url
    self.page_rules = page_rules
    self.layers = [] if layers is None else layers
    kept = _CACHE.get(key)
    if kept is not None and kept[0]() is font_config:
        global REUSED
        _CACHE.move_to_end(key)
        _, self.matcher, rules, faces = kept
        page_rules.extend(rules)
        for descriptors in faces:  # known to the configuration already: a look-up, or a refusal again
            font_config.add_font_face(descriptors, url_fetcher)
        REUSED += 1
        return None
    if isinstance(css, str):
        stylesheet = tinycss2.parse_stylesheet(css)
    else:
        stylesheet, _ = tinycss2.parse_stylesheet_bytes(css, environment_encoding=encoding,
                                                        protocol_encoding=protocol_encoding)
    self.matcher = cssselect2.Matcher()
    rules: list = []
    faces = _Faces(font_config)
    preprocess_stylesheet(media_type, base_url, stylesheet, url_fetcher, self.matcher, rules, self.layers, faces,
                          {} if counter_style is None else counter_style,
                          {} if color_profiles is None else color_profiles)
    page_rules.extend(rules)
    global PARSED
    PARSED += 1
    if _keepable(stylesheet):  # nothing but selectors, declarations, @page and its boxes, @media, @font-face
        _CACHE[key] = (weakref.ref(font_config), self.matcher, rules, faces.faces)
        while len(_CACHE) > KEPT:
            _CACHE.popitem(last=False)
    return None
