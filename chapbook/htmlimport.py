"""A saved web page or XHTML chapter as Markdown, element by element.

Every element of the page is walked with lxml, so that every piece of visible text ends up in the
Markdown chapbook renders: an article extractor (trafilatura, used before) silently dropped
``<time>`` and ``<footer>`` and flattened the structure of ``<blockquote>``. Quotations become
``>`` blockquotes, a letter's signature a ``{: .signature}`` paragraph, verse lines keep hard line
breaks, tables stay tables, notes become footnotes (also from a book's ``endnotes.xhtml`` next to
the chapter), definition lists ``**term**: definition``. Only page chrome is left out —
navigation, scripts, forms, frames, images, the site's own header and footer — and each such
part is reported with its line in the original, for the editor to confirm. Title, author, date
and language come from what the page declares only: a date is never guessed from an address.

XHTML (a book's chapters: Standard Ebooks and other EPUB sources) is read as XML, as HTML if it
is not well-formed.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .charclasses import LINE_SEPARATOR, NOT_IN_A_BOOK
from .fieldcheck import LANGUAGE_TAG
from .projectfiles import inside

_XML_NS = "{http://www.w3.org/XML/1998/namespace}"
_EPUB_NS = "{http://www.idpf.org/2007/ops}"
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
    "hr", "html", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul"})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_EMPHASIS = frozenset({"em", "i", "cite", "dfn", "var"})
_STRONG = frozenset({"strong", "b"})
_CODE = frozenset({"code", "kbd", "samp", "tt"})
# Code, not text: dropped, and reported once per kind (a saved news page has dozens of scripts).
_PROGRAM = frozenset({"script", "style", "template", "link", "meta", "base"})
_DROP = {"nav": "navigation", "form": "a form", "button": "a button", "input": "a form field",
         "select": "a form field", "textarea": "a form field", "iframe": "an embedded frame",
         "object": "an embedded object", "embed": "an embedded object", "video": "a video", "audio": "a sound",
         "canvas": "a drawing surface", "svg": "an inline drawing", "math": "a formula", "map": "an image map",
         "noscript": "a no-script fallback", "dialog": "a dialog"}
_CONTROLS = frozenset({"input", "select", "textarea", "button"})
# What a file that is no text starts with (a PDF or a Word file saved with an .html name).
_MAGIC = {b"%PDF": "a PDF file", b"PK\x03\x04": "a ZIP archive (an EPUB, a Word .docx or an .odt)",
          b"\xd0\xcf\x11\xe0": "an old Word or Excel file", b"{\\rtf": "an RTF file", b"\x89PNG": "a PNG image",
          b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"\x1f\x8b": "a gzip archive"}
# Byte-order marks, the longer first (UTF-32 LE's begins like UTF-16 LE's).
_BOMS = ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\xef\xbb\xbf", "utf-8"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# Between a page's title and its site's name ('… - Wikipedia', 'Site | …'); a colon is the title's own.
_SITE_SEPARATOR = re.compile(r"\s+(?:[|\-–—·•»«/~]|::)\s+")
_ORDINAL = re.compile(r"^(?:\w+\s+)?(?:\d+|[ivxlcdm]+)$", re.IGNORECASE)  # 'Chapter 3', 'Part IV', '12'
_CHROME = {"header": "the site's header", "footer": "the site's footer", "aside": "a sidebar"}
_CHROME_ROLES = {"banner": "the site's header", "contentinfo": "the site's footer", "complementary": "a sidebar",
                 "navigation": "navigation", "search": "a search form"}
# An element inside one of these belongs to the text (an article's own header, a letter's footer).
_CONTENT = frozenset({"article", "main", "section", "blockquote", "figure", "li", "td", "th", "dd", "details"})
# A note's way back to where it is called ("^", "↩", Wikipedia's "a b" of a reference used twice): never a call.
_BACKLINK = frozenset({"backlink", "doc-backlink", "footnote-backref", "mw-cite-backlink"})
# Wikipedia's inline maintenance tags ("[citation needed]"): kept as plain text, flagged as leftovers.
_WIKI_TAG = frozenset({"inline-template", "template-fact"})
# More notes than this whose element sits among the text's paragraphs: the import is suspect.
_NOTES_IN_FLOW = 2
_SALUTATION = re.compile(r"^\W*(dear|my dear|dearest|sir|madam|gentlemen)\b", re.IGNORECASE)
_ESCAPES = str.maketrans({"\\": "\\\\", "*": "\\*", "_": "\\_", "|": "\\|", "`": "&#96;", "&": "&amp;",
                          "<": "&lt;", "[": "&#91;", "]": "&#93;", "{": "&#123;", "}": "&#125;"})
_LINE_START = re.compile(r"^(#|>|[-+](?=\s|$)|-+$|(?=\d+\.(\s|$))|=+$)")


def _name(el) -> str:
    """Lowercase local name of an element; '' for comments, processing instructions and entities."""
    return el.tag.rsplit("}", 1)[-1].lower() if isinstance(el.tag, str) else ""


def _attr(el, name: str) -> str:
    """An attribute whether the page was read as XML (namespaced) or as HTML (a literal 'epub:type')."""
    if name == "epub:type":
        return el.get(_EPUB_NS + "type") or el.get("epub:type") or ""
    if name == "lang":
        return el.get(_XML_NS + "lang") or el.get("xml:lang") or el.get("lang") or ""
    return el.get(name) or ""


def _marks(el) -> set[str]:
    """epub:type, role and class tokens of an element, lowercased: how books and pages say what a part is."""
    return set(f"{_attr(el, 'epub:type')} {_attr(el, 'role')} {_attr(el, 'class')}".lower().split())


def _escape(text: str) -> str:
    """Text as Markdown that shows it literally: no emphasis, links, citations, HTML or corrections."""
    text = LINE_SEPARATOR.sub(" ", text)  # a web page's line separators: spaces, as a browser lays them out
    text = NOT_IN_A_BOOK.sub("", text)  # what a text may not hold (a form feed was kept, then refused)
    return re.sub(r"(?<!\w)@", "&#64;", text.translate(_ESCAPES))


def _collapse(text: str) -> str:
    """HTML whitespace (not no-break spaces) as single spaces."""
    return re.sub(r"[ \t\n\r\f]+", " ", text)


def _text_of(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _text_without(el, names: frozenset[str]) -> str:
    """The text of ``el`` without that of its descendants named ``names`` (their tails kept): a form's
    words outside its controls (a search box's button label is no text)."""
    out = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and _name(child) not in names:
            out.append(_text_without(child, names))
        out.append(child.tail or "")
    return "".join(out)


def _after_number(note: str) -> str:
    """A note's text without what its number (a back link, left out) left before it: EPUBs write
    ``<a href="#nref1">1</a>. Voir…``, Google Docs ``[1]&nbsp;A travel…``."""
    return re.sub(r"^[.:)\]]\s+", "", note.lstrip()).lstrip()


def _real_address(href: str) -> str:
    """The address behind a Google redirect (``https://www.google.com/url?q=REAL&sa=D…``, as Google Docs
    exports every link), else ``href``: the reader's link should not go through Google."""
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(href)
    if re.fullmatch(r"(www\.)?google\.[a-z.]+", parts.netloc.lower()) and parts.path == "/url":
        query = parse_qs(parts.query)
        real = (query.get("q") or query.get("url") or [""])[0]
        if re.match(r"^https?://\S+$", real, re.IGNORECASE):
            return real
    return href


def _wrap(content: str, mark: str) -> str:
    """``content`` between emphasis marks, with its outer spaces outside them (``* x *`` is not emphasis)."""
    m = re.match(r"^(\s*)(.*?)(\s*)$", content, re.DOTALL)
    return f"{m.group(1)}{mark}{m.group(2)}{mark}{m.group(3)}" if m.group(2) else content


def _indent(block: str, prefix: str, first: str | None = None) -> str:
    """Every line of ``block`` prefixed (the first with ``first`` if given); empty lines stay bare."""
    lines = block.split("\n")
    out = [(first if first is not None else prefix) + lines[0]]
    out += [(prefix + line) if line.strip() else prefix.rstrip() for line in lines[1:]]
    return "\n".join(out)


def date_of(value: str) -> str:
    """YYYY-MM-DD, YYYY-MM or YYYY from the start of a metadata value; '' if it is not a real date."""
    m = re.match(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value or "")
    if not m:
        return ""
    parts = [p for p in m.groups() if p]
    try:
        datetime.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        return ""
    return "-".join(parts)


def not_text(data: bytes) -> str:
    """What ``data`` is if it is no text ('' if it is text): a PDF or an image saved under a text's name,
    or anything with NUL bytes that is not UTF-16 or UTF-32 (which start with a byte-order mark)."""
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            return what
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return "binary data, not text"
    return ""


def decode(data: bytes) -> tuple[str, str]:
    """The text and a note on its encoding (web copies are not always UTF-8; .txt and .md use it too).

    A byte-order mark decides first: Windows Notepad saves "Unicode" as UTF-16 with one, which
    decodes as cp1252 without an error, every other byte a NUL and the title starting 'ÿþ'."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(encoding, "replace")
            bad = " (some bytes could not be read: compare with the original)" if "\ufffd" in text else ""
            said = f"read as {encoding.upper()}, as its byte-order mark says{bad}"
            return text, "" if encoding == "utf-8" and not bad else said
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), "" if encoding == "utf-8-sig" else f"read as {encoding}, not UTF-8"
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "read as latin-1, not UTF-8"


def parse_page(data: bytes, xml: bool) -> tuple[Any, list[str], list[tuple[int, str]]]:
    """(root element, notes, (line, what was not read)): XHTML as XML (no DTD, entities or network),
    else — or if it is not well-formed — as HTML, which lxml reads as browsers do.

    lxml stops reading at 256 levels of nesting (more is not a real page, and the walk below
    recurses); what it could not read is reported, not lost silently.
    """
    from lxml import etree, html

    notes: list[str] = []
    if xml:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        try:
            return etree.fromstring(data, parser), [], []
        except etree.XMLSyntaxError as exc:
            notes.append(f"not well-formed XML ({exc.msg}); read as HTML instead, compare with the original")
    text, encoding_note = decode(data)
    notes += [encoding_note] if encoding_note else []
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    parser = html.HTMLParser(no_network=True)
    try:
        root = html.document_fromstring(text or "<html></html>", parser=parser)
    except etree.ParserError:
        root = html.document_fromstring("<html></html>")
    lost = [(e.line, f"the page could not be read from here on ({e.message}): the rest of it is missing "
             "from the imported text; compare with the original") for e in parser.error_log
            if e.level_name == "FATAL"]
    return root, notes, lost[:1]


def _ids(root) -> dict[str, Any]:
    """Elements by id, and old pages' anchors by name (``<a name="fn1">``): what ``href="#…"`` reaches."""
    ids = {}
    for el in root.iter():
        if isinstance(el.tag, str):
            key = el.get("id") or (el.get("name") if _name(el) == "a" else None)
            if key:
                ids.setdefault(key, el)
    return ids


def _child(root, name: str):
    return next((el for el in root.iter() if _name(el) == name), None)


def page_metadata(root, source: str) -> dict[str, str]:
    """Title, author, date, URL and language from what the page declares — never guessed.

    The date comes only from date metadata or a ``<time datetime>`` in the page's or article's
    header: an article extractor guessed 2007-01-01 for every EPUB chapter from the namespace
    ``http://www.idpf.org/2007/ops``.
    """
    metas: dict[str, str] = {}
    for el in root.iter():
        if _name(el) == "meta":
            key = (el.get("name") or el.get("property") or el.get("itemprop") or el.get("http-equiv") or "").lower()
            if key and el.get("content") and key not in metas:
                metas[key] = " ".join(el.get("content").split())

    def pick(*keys: str) -> str:
        return next((metas[k] for k in keys if metas.get(k)), "")

    linked = _json_ld(root)
    head_title, title_paragraph = _child(root, "title"), _title_paragraph(root)
    info = {
        "title": pick("og:title", "dcterms.title", "dc.title", "twitter:title")
        or (_text_of(head_title) if head_title is not None else "") or linked.get("title", "")
        or (_text_of(title_paragraph) if title_paragraph is not None else ""),
        "author": next((a for a in (pick("author", "dcterms.creator", "dc.creator", "article:author", "book:author"),
                                    linked.get("author", ""), _office_author(source))
                        if a and not re.match(r"^https?://", a)), ""),
        "date": date_of(pick("dcterms.date", "date", "article:published_time", "dc.date", "dcterms.issued",
                           "dcterms.created", "datepublished", "publish-date", "pubdate"))
        or date_of(linked.get("date", "")) or _header_date(root),
        "url": next((u for u in (_canonical(root), pick("og:url"), _saved_from(source))
                     if re.match(r"^https?://\S+$", u)), ""),
        "lang": _page_lang(root, pick("content-language", "dc.language", "dcterms.language")),
    }
    return {k: v for k, v in info.items() if v}


def _json_ld(root) -> dict[str, str]:
    """headline, author and datePublished from the page's schema.org JSON-LD, if any."""
    import json

    for el in root.iter():
        if _name(el) != "script" or "ld+json" not in (el.get("type") or ""):
            continue
        try:
            data = json.loads(el.text or "")
        except ValueError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for item in items:
            if isinstance(item, dict) and (item.get("headline") or item.get("datePublished")):
                author = item.get("author")
                author = author[0] if isinstance(author, list) and author else author
                name = author.get("name", "") if isinstance(author, dict) else author if isinstance(author, str) else ""
                return {"title": str(item.get("headline") or ""), "author": str(name or ""),
                        "date": str(item.get("datePublished") or "")}
    return {}


def _header_date(root) -> str:
    """The ``<time datetime>`` in the page's or the article's header (not in a letter's or a section's)."""
    for el in root.iter():
        if _name(el) == "time" and el.get("datetime"):
            header = next((a for a in el.iterancestors() if _name(a) == "header"), None)
            if header is not None and all(_name(a) in ("body", "html", "main", "article", "div")
                                          for a in header.iterancestors()):
                return date_of(el.get("datetime"))
    return ""


def _office_author(source: str) -> str:
    """The author Word writes into a page it saves, in XML in a conditional comment in its head:
    ``<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>…`` (an HTML parser sees a comment)."""
    m = re.search(r"<o:Author>([^<]{1,200})</o:Author>", source[:50000])
    return " ".join(m.group(1).split()) if m else ""


def _canonical(root) -> str:
    for el in root.iter():
        if _name(el) == "link" and "canonical" in (el.get("rel") or "").lower().split():
            return el.get("href") or ""
    return ""


def _saved_from(source: str) -> str:
    """The address browsers write into a saved page: ``<!-- saved from url=(0042)https://… -->``."""
    m = re.search(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", source[:2000])
    return m.group(1) if m else ""


def _page_lang(root, declared: str) -> str:
    """The full language tag the page gives (en-GB stays en-GB), or ''."""
    body = _child(root, "body")
    for value in (_attr(root, "lang"), _attr(body, "lang") if body is not None else "", declared):
        value = (value or "").strip().replace("_", "-")
        if LANGUAGE_TAG.match(value):
            return value
    return ""


def _same_title(heading: str, title: str) -> bool:
    """Whether a heading is the title: the same words, or the title without a site's name after or
    before it ('… - Ministry of Interior', 'Site | …') or an ordinal before it ('Chapter 3: …').
    Any run of the title's words used to do, and a section 'The evidence' took the place of the
    title 'Frontex in Libya: the evidence'."""
    return bool(_words(heading)) and _words(heading) in {_words(t) for t in _title_forms(title)}


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _title_forms(title: str) -> list[str]:
    """The title, and the title without the part a site or a book adds before or after it."""
    forms = [title]
    parts = _SITE_SEPARATOR.split(title)
    if len(parts) > 1:
        forms += [" ".join(parts[:-1]), " ".join(parts[1:])]
    m = re.match(r"^([^:.]+)[:.]\s+(.+)$", title)
    if m and _ORDINAL.match(m.group(1).strip()):
        forms.append(m.group(2))
    return forms


def _title_paragraph(root):
    """A word processor's title paragraph (Google Docs: ``<p class="title">``), its title when the page has none."""
    return next((el for el in root.iter() if _name(el) == "p" and "title" in _attr(el, "class").split()
                 and _text_of(el)), None)


@dataclass
class PageImport:
    """What :func:`html_to_markdown` made of a page."""

    body: str
    meta: dict[str, str]
    notes: list[str] = field(default_factory=list)
    dropped: list[tuple[int, str]] = field(default_factory=list)  # (line in the original, warning)
    # Other files whose notes became this page's footnotes (resolved paths), and whether the page is
    # itself a book's endnotes: given with a chapter that cites it, it is not a text of its own.
    notes_from: list[Path] = field(default_factory=list)
    endnotes: bool = False
    # (line in the original, warning): what the import did but may have done wrongly (text made notes).
    doubts: list[tuple[int, str]] = field(default_factory=list)


def is_endnotes(root, path: Path) -> bool:
    """Whether the page is a book's endnotes document, as Standard Ebooks make them: named
    ``endnotes.xhtml``, or ``epub:type="endnotes"`` (``role="doc-endnotes"``) on its body or on a
    section of it. Only a whole document counts, not a web page that ends in a notes section."""
    if path.stem.lower() == "endnotes":
        return True
    body = _child(root, "body")
    if body is None:
        return False
    for el in (body, *(c for c in body if _name(c) == "section")):
        if {"endnotes", "doc-endnotes"} & set(f"{_attr(el, 'epub:type')} {_attr(el, 'role')}".lower().split()):
            return True
    return False


def html_to_markdown(data: bytes, path: Path, xml: bool = False) -> PageImport:
    """Markdown for a saved page or an XHTML chapter at ``path``; the title heading goes to ``meta``."""
    root, notes, lost = parse_page(data, xml)
    meta = page_metadata(root, decode(data)[0])
    page = _Page(root, path)
    heading = page.title_heading(meta.get("title", ""))
    if heading is not None:
        meta["title"] = page.heading_text(heading)
        meta["title_from"] = "the document's title paragraph" if _name(heading) == "p" else "the first heading"
    body = page.markdown()
    return PageImport(body, meta, notes + page.notes, lost + page.dropped, notes_from=list(page.other_pages),
                      endnotes=is_endnotes(root, path), doubts=page.doubts)


def _word_lists(body) -> None:
    """Word's "Save as Web Page" lists as lists: its items are ``<p class="MsoListParagraph…">`` that
    begin with the bullet or number in a ``<span style="mso-list:Ignore">``. Runs of them become an
    ``<ul>`` or ``<ol>`` of ``<li>`` (flat: Word's levels are not kept), the bullet spans removed."""
    run: list = []
    for p in list(body.iter()):
        if _name(p) != "p" or not any(m.startswith("msolistparagraph") for m in _marks(p)):
            continue
        bullet = next((s for s in p.iter() if "mso-list:ignore" in _style(s)), None)
        if bullet is None:
            continue
        if run and run[-1][0].getnext() is not p:
            _make_list(run)
            run = []
        run.append((p, _text_of(bullet)))
        _remove_keeping_tail(bullet)
    if run:
        _make_list(run)


def _style(el) -> str:
    """``el``'s inline style, lowercased, without spaces: what Word's markers are found in."""
    return (el.get("style") or "").lower().replace(" ", "")


def _remove_keeping_tail(el) -> None:
    """Take ``el`` out of the tree, the text after it (its tail) kept in its place."""
    parent, previous = el.getparent(), el.getprevious()
    if el.tail and previous is not None:
        previous.tail = (previous.tail or "") + el.tail
    elif el.tail:
        parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _make_list(run: list) -> None:
    """``<p>``s (with their bullets' text) → one list in their place; numbers make it an ``<ol>``."""
    first = run[0][0]
    numbered = all(re.fullmatch(r"\(?(\d+|[a-z]|[ivx]+)[.)]", b, re.IGNORECASE) for _, b in run)
    lst = first.makeelement("ol" if numbered else "ul", {})
    lst.sourceline = first.sourceline
    first.addprevious(lst)
    lst.tail = None
    for p, _ in run:
        tail, p.tail = p.tail, None
        p.tag = "li"
        lst.append(p)
        lst.tail = tail


class _Page:
    """One page being turned into Markdown: the walk, its footnotes and what it left out."""

    def __init__(self, root, path: Path) -> None:
        self.root, self.path = root, path
        self.body = _child(root, "body")
        if self.body is None:
            self.body = root
        _word_lists(self.body)
        self.ids = _ids(root)
        self.has_main = any(_name(el) in ("article", "main") or "main" in _attr(el, "role").split()
                            for el in self.body.iter())
        self.skip: set = set()  # elements written elsewhere: the title heading, notes
        self.notes: list[str] = []
        self.dropped: list[tuple[int, str]] = []
        self.doubts: list[tuple[int, str]] = []
        self._counted: dict[tuple[str, str], list[int]] = {}  # (element, why) → lines: reported once per kind
        self._dropped_memo: dict[Any, bool] = {}
        self._labels: dict[Any, str] = {}  # note element → its footnote label, in the order called
        self._calls: dict[Any, Any] = {}  # note reference <a> → note element
        self._ref_ids: set[str] = set()
        self._order: dict[Any, int] = {}  # element → its place in the page (see _position)
        self.other_pages: dict[Path, Any] = {}  # sibling files read for notes → their elements by id
        self._open = {"*": 0, "**": 0}
        self._quotes = self._signature = 0
        self._in_note = False
        self._shift = 0

    # -- what is left out -------------------------------------------------------------------

    def drop_reason(self, el) -> str:
        """Why ``el`` is not part of the text ('' if it is)."""
        name = _name(el)
        if name in _PROGRAM:
            return "code"
        if name == "form" and _text_without(el, _CONTROLS | _PROGRAM).strip():  # a page in one (ASP.NET)
            return ""
        if name in _DROP:
            return _DROP[name]
        if "mw-editsection" in _marks(el):
            return "a wiki's [edit] link"
        roles = _attr(el, "role").split()
        for role in roles:
            if role in _CHROME_ROLES and not (role == "complementary" and self._inside_content(el)):
                return _CHROME_ROLES[role]
        if name in _CHROME and self.has_main and not self._inside_content(el):
            return _CHROME[name]
        if el.get("hidden") is not None or re.search(r"display\s*:\s*none", el.get("style") or ""):
            return "hidden on the page"
        return ""

    def _inside_content(self, el) -> bool:
        return any(_name(a) in _CONTENT for a in el.iterancestors())

    def _dropped_here(self, el) -> bool:
        """Whether ``el`` or an ancestor is left out (remembered: every link and heading asks)."""
        if el not in self._dropped_memo:
            parent = el.getparent()
            self._dropped_memo[el] = bool(self.drop_reason(el)) or (parent is not None and self._dropped_here(parent))
        return self._dropped_memo[el]

    def _drop(self, el, reason: str) -> None:
        """Record a dropped part for the warnings (programs and a wiki's [edit] links, dozens on a page,
        are counted and reported once per kind)."""
        name, line = _name(el), el.sourceline or 0
        if reason in ("code", "a wiki's [edit] link"):
            self._counted.setdefault((name, "code, not text" if reason == "code" else reason), []).append(line)
            return
        words = _text_of(el)
        count = len(words.split())
        said = f", {count} word{'s' * (count != 1)}: '{words[:50]}{'…' if len(words) > 50 else ''}'" if words else ""
        self.dropped.append((line, f"dropped <{name}> ({reason}{said}); it is not in the imported text: "
                                   "copy it by hand if it belongs to the text"))

    def _counted_dropped(self) -> None:
        for (name, reason), lines in self._counted.items():
            shown = ", ".join(map(str, lines[:12])) + (" …" if len(lines) > 12 else "")
            self.dropped.append((lines[0], f"dropped {len(lines)} <{name}> element{'s' * (len(lines) != 1)} "
                                           f"({reason}) at line{'s' * (len(lines) != 1)} {shown}"))

    # -- title ---------------------------------------------------------------------------------

    def title_heading(self, title: str):
        """The first heading (or a word processor's title paragraph) if it is the title: it goes to the
        front matter. A page without a title gives its first heading only if no text comes before it."""
        paragraph = _title_paragraph(self.body)
        for el in self.body.iter():
            titled = _name(el) in (*_HEADINGS, "hgroup") or el is paragraph
            if titled and not self._dropped_here(el):
                if _same_title(self.heading_text(el), title) if title else not self._text_before(el):
                    self.skip.add(el)
                    return el
                return None
        return None

    def _text_before(self, el) -> bool:
        """Whether any of the text (page chrome left out) comes before ``el``."""
        for text in el.xpath("preceding::text()"):
            owner = text.getparent()
            owner = owner.getparent() if text.is_tail else owner
            if text.strip() and owner is not None and (owner is self.body or self.body in owner.iterancestors()) \
                    and not self._dropped_here(owner):
                return True
        return False

    def heading_text(self, el) -> str:
        """A heading's text; an <hgroup>'s parts joined ('I: A Scandal in Bohemia')."""
        if _name(el) == "hgroup":
            return ": ".join(t for t in (_text_of(c) for c in el if isinstance(c.tag, str)) if t)
        return _text_of(el)

    # -- the walk --------------------------------------------------------------------------------

    def markdown(self) -> str:
        """The whole body as Markdown, footnotes last."""
        self._find_notes()
        self._doubt_notes()
        levels = [int(_name(el)[1]) for el in self.body.iter() if _name(el) in _HEADINGS
                  and el not in self.skip and not self._in_skipped(el) and not self._dropped_here(el)]
        self._shift = 2 - min(levels) if levels else 0  # a text's sections are ## (its title is the book's)
        blocks = self.blocks(self.body)
        blocks += self._footnotes()
        self._counted_dropped()
        return "\n\n".join(b for b in blocks if b.strip()) + "\n"

    def _silent(self, el) -> bool:
        """Whether ``el`` is left out without a word: written elsewhere (the title heading, a note), or
        a note's way back to its call ("^ a b"), which has no place in a footnote."""
        return el in self.skip or (self._in_note and bool(_marks(el) & _BACKLINK))

    def _in_skipped(self, el) -> bool:
        return any(a in self.skip for a in el.iterancestors())

    def blocks(self, el) -> list[str]:
        """Markdown blocks for the content of ``el``; loose text and inline elements become paragraphs."""
        out: list[str] = []
        run: list[str] = []
        for item in self._content(el):
            if isinstance(item, str):
                run.append(_escape(_collapse(item)))
                continue
            if self._silent(item):
                continue
            reason = self.drop_reason(item)
            if reason:
                self._drop(item, reason)
            elif _name(item) in _BLOCK:
                out += self.paragraphs("".join(run))
                run = []
                out += self.block(item)
            else:
                run.append(self.inline(item))
        return out + self.paragraphs("".join(run))

    def _content(self, el):
        """Text and child elements of ``el`` in order (comments left out, their tails kept)."""
        if el.text and _name(el):
            yield el.text
        for child in el:
            if isinstance(child.tag, str):
                yield child
            elif type(child).__name__ == "_Entity":  # an entity XHTML declared but was not resolved
                yield child.text or ""
            if child.tail:
                yield child.tail

    def block(self, el) -> list[str]:
        name = _name(el)
        if name in _HEADINGS or name == "hgroup":
            return self._heading(el)
        if name == "p":
            return self.paragraphs(self._inline_content(el), signature=self._is_signature(el))
        if name == "blockquote":
            inner = self.blocks(el)
            return [_indent("\n\n".join(inner), "> ")] if inner else []
        if name in ("ul", "ol"):
            return self._list(el)
        if name == "dl":
            return self._definitions(el)
        if name == "table":
            return self._table(el)
        if name == "pre":
            code = "".join(el.itertext()).strip("\n")
            return [_indent(code, "    ")] if code.strip() else []
        if name == "hr":
            return ["* * *"]
        if name == "footer" and self._is_letter(el):
            self._signature += 1
            try:
                return self.blocks(el)
            finally:
                self._signature -= 1
        return self.blocks(el)

    def paragraphs(self, inline: str, signature: bool = False) -> list[str]:
        """Paragraphs from inline Markdown in which ``\\n`` is a <br>: lines of verse keep a hard line
        break (two trailing spaces, which Python-Markdown turns into <br>); an empty line, from
        <br><br>, starts a new paragraph (a stanza)."""
        out: list[str] = []
        lines: list[str] = []
        for line in [*inline.split("\n"), ""]:
            line = re.sub(r" {2,}", " ", line).strip(" ")
            if line:
                lines.append(self._line_start(line))
            elif lines:
                out.append("  \n".join(lines))
                lines = []
        if out and (signature or self._signature):
            out = [p + "\n{: .signature}" for p in out]
        return out

    @staticmethod
    def _line_start(line: str) -> str:
        """Escape what would make a line of text a heading, a quote, a list item or a rule."""
        m = _LINE_START.match(line)
        if not m:
            return line
        if m.group(0).startswith("="):
            return "&#61;" + line[1:]
        if not m.group(0):  # 1. → 1\.
            dot = line.index(".")
            return line[:dot] + "\\" + line[dot:]
        return "\\" + line

    def _heading(self, el) -> list[str]:
        name = _name(el)
        if name == "hgroup":
            levels = [int(_name(c)[1]) for c in el if _name(c) in _HEADINGS] or [2]
            parts = [self._inline_content(c).replace("\n", " ").strip() for c in el if isinstance(c.tag, str)]
            text, level = ": ".join(p for p in parts if p), min(levels)
        else:
            text, level = self._inline_content(el).replace("\n", " ").strip(), int(name[1])
        text = re.sub(r" {2,}", " ", text)
        if not text:
            return []
        if text.endswith("#"):  # Markdown would take it for a closing mark
            text = text[:-1] + "\\#"
        return [f"{'#' * max(2, min(6, level + self._shift))} {text}"]

    def _is_signature(self, el) -> bool:
        marks = _marks(el)
        return bool(marks & {"z3998:signature", "signature", "doc-signature"})

    def _is_letter(self, footer) -> bool:
        """A footer that signs a letter: in something marked as a letter, or after 'Dear …'."""
        for a in footer.iterancestors():
            if any(re.match(r"^(z3998:)?letter\b", m) for m in _marks(a)):  # not a "newsletter" box
                return True
            if _name(a) in ("blockquote", "article", "section", "body"):
                first = next((c for c in a.iter() if _name(c) == "p"), None)
                return first is not None and bool(_SALUTATION.match(_text_of(first)))
        return False

    # -- inline ----------------------------------------------------------------------------------

    def _inline_content(self, el) -> str:
        parts = []
        for item in self._content(el):
            if isinstance(item, str):
                parts.append(_escape(_collapse(item)))
            elif not self._silent(item):
                reason = self.drop_reason(item)
                if reason:
                    self._drop(item, reason)
                else:
                    parts.append(self.inline(item))
        return "".join(parts)

    def inline(self, el) -> str:
        """Inline Markdown for ``el``; a <br> is ``\\n`` (see :meth:`paragraphs`)."""
        name = _name(el)
        if name == "br":
            return "\n"
        if name == "img":
            self._image(el)
            return ""
        if name == "a":
            return self._link(el)
        if _marks(el) & _WIKI_TAG:  # "[citation needed]": plain, for the leftover check to flag
            return _escape(_collapse("".join(el.itertext())).strip())
        if name in _CODE:
            code = _collapse("".join(el.itertext()))
            fence = "`" * (max((len(r) for r in re.findall(r"`+", code)), default=0) + 1)
            return f"{fence} {code} {fence}" if code.strip() else code
        if name in _EMPHASIS or name in _STRONG:
            mark = "*" if name in _EMPHASIS else "**"
            nested = self._open[mark]  # italics in italics (a title in an italic phrase) cannot nest
            self._open[mark] += 1
            try:
                content = self._inline_content(el)
            finally:
                self._open[mark] -= 1
            return content if nested else _wrap(content, mark)
        if name == "q":
            self._quotes += 1
            try:
                content = self._inline_content(el)
            finally:
                self._quotes -= 1
            return ("‘" + content + "’") if self._quotes else ("“" + content + "”")
        content = self._inline_content(el)
        if name in _BLOCK:  # a block inside a line (a table cell's paragraphs, a <div> in a link)
            return f" {content} "
        return content

    def _link(self, a) -> str:
        target = self._calls.get(a)
        if target is not None:
            return f"[^{self._labels[target]}]"
        href = (a.get("href") or "").strip()
        if self._in_note and (_marks(a) & _BACKLINK or ("#" in href and href.split("#")[-1] in self._ref_ids)):
            return ""
        content = self._inline_content(a)
        if self._is_noteref(a) and "#" in href and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", href):
            self.dropped.append((a.sourceline or 0, f"note reference '{_text_of(a)}' points to '{href}', which "
                                 "is not at hand (import the file with the notes from the same folder); the "
                                 "number is kept as text"))
            return f"&#91;{content.strip()}&#93;"
        href = _real_address(href)
        if re.match(r"^(https?://|mailto:)", href, re.IGNORECASE) and content.strip():
            url = re.sub(r"[ ()<>]", lambda m: f"%{ord(m.group()):02X}", href)
            return f"[{content}]({url})"
        return content

    def _image(self, el) -> None:
        src, alt = el.get("src") or "", " ".join((el.get("alt") or "").split())
        self.dropped.append((el.sourceline or 0, f"image '{src[:80]}'{f' ({alt[:60]})' if alt else ''} not "
                             "imported: copy the file into the project and write ![…](images/…) by hand"))

    # -- notes -----------------------------------------------------------------------------------

    def _is_noteref(self, a) -> bool:
        marks = _marks(a) | {m for p in (a.getparent(),) if p is not None for m in _marks(p)}
        parent_sup = a.getparent() is not None and _name(a.getparent()) == "sup"
        has_sup = any(_name(c) == "sup" for c in a)
        word = "mso-footnote-id" in (a.get("style") or "") or any("msofootnotereference" in _marks(c) for c in a)
        return bool(marks & {"noteref", "doc-noteref", "footnote-ref", "fnref"}) or parent_sup or has_sup or word

    def _note_of(self, a):
        """The note element a note reference calls, or None (not a note reference, or not found)."""
        href = a.get("href") or ""
        if "#" not in href or not self._is_noteref(a) or self._is_backlink(a):
            return None
        where, fragment = href.split("#", 1)
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", where):  # a note on another site is a link
            return None
        target = self.ids.get(fragment) if not where else self._other_page(where, fragment)
        while target is not None and _name(target) in ("a", "span", "sup") and target.getparent() is not None:
            if self._calls_from(target):  # the place a note is called from is the text, not a note
                return None
            target = target.getparent()  # an anchor in the note: the note is its paragraph or item
        if target is None or _name(target) in ("body", "html") or target in a.iterancestors():
            return None
        word = next((x for x in target.iterancestors() if "mso-element:footnote" in _style(x)
                     and "footnote-list" not in _style(x)), None)
        return word if word is not None else target  # Word's note is all its paragraphs

    def _calls_from(self, anchor) -> bool:
        """Whether the inline ``anchor`` (an ``<a>``, ``<sup>`` or ``<span>`` a link points to) is or holds a
        note reference: Wikipedia's ``<sup id="cite_ref-…"><a href="#cite_note-…">``, which its references'
        back links point to. The paragraph around it is the text's, and must not become a note."""
        return any(_name(x) == "a" and "#" in (x.get("href") or "") and self._is_noteref(x)
                   and not self._is_backlink(x) for x in anchor.iter())

    def _is_backlink(self, a) -> bool:
        """Whether ``a`` leads from a note back to its call: marked so, or pointing back at an earlier
        link that points to the note ``a`` is in (Wikipedia's ``^ a b`` before a reference used twice,
        whose letters are in a ``<sup>`` like a call's number). A call and its note's back link point at
        each other; the call is the one that comes first."""
        if any(_marks(x) & _BACKLINK for x in (a, *a.iterancestors())):
            return True
        href = a.get("href") or ""
        target = self.ids.get(href[1:]) if href.startswith("#") else None
        if target is None or self._position(target) > self._position(a):
            return False
        around = {a, *a.iterancestors()}
        links = [x for x in (*target.iter(), *target.iterancestors()) if _name(x) == "a"]
        return any(self.ids.get(h[1:]) in around for h in (x.get("href") or "" for x in links)
                   if h.startswith("#") and len(h) > 1)

    def _position(self, el) -> int:
        """``el``'s place in the page, in document order."""
        if not self._order:
            self._order = {x: i for i, x in enumerate(self.root.iter())}
        return self._order.get(el, -1)

    def _other_page(self, where: str, fragment: str):
        """The element ``fragment`` of a sibling file (a book's endnotes.xhtml), read once: in the page's
        own folder, or anywhere in the unpacked EPUB it is a chapter of (``Text/ch1.xhtml`` and
        ``notes.xhtml`` below the folder holding ``META-INF/container.xml``). A page saved from the web
        reaches no further: ``href="../Documents/x.html#id"`` in one saved to Downloads took that
        element from a file of the user's (an attack)."""
        folder = self.path.parent.resolve()
        book = next((f for f in (folder, folder.parent, folder.parent.parent)
                     if (f / "META-INF" / "container.xml").is_file()), folder)
        path = inside(self.path.parent / where.split("?")[0], book)  # outside, or a loop: None
        if path is None or path.suffix.lower() not in (".xhtml", ".xht", ".html", ".htm") or not path.is_file():
            return None
        if path not in self.other_pages:
            root, _, _ = parse_page(path.read_bytes(), path.suffix.lower() in (".xhtml", ".xht"))
            self.other_pages[path] = _ids(root)
            self.notes.append(f"notes taken from {path.name}")
        return self.other_pages[path].get(fragment)

    def _find_notes(self) -> None:
        """Number the notes in the order they are called; they are written as Markdown footnotes."""
        used: set[str] = set()
        for a in list(self.body.iter()):
            if _name(a) != "a" or self._dropped_here(a):
                continue
            target = self._note_of(a)
            if target is None:
                continue
            if target not in self._labels:
                text = _text_of(a).strip("[]() ")
                label = text if re.fullmatch(r"\w+", text) and not text.lower().startswith("ed") else ""
                number = len(self._labels) + 1
                while not label or label in used:  # ed… labels are editors' notes in chapbook
                    label, number = f"n{number}", number + 1
                self._labels[target] = label
                used.add(label)
                self.skip.add(target)
            self._calls[a] = target
            for ref in (a, a.getparent()):
                for key in ("id", "name"):  # Word's calls are <a name="_ftnref1">
                    if ref is not None and ref.get(key):
                        self._ref_ids.add(ref.get(key))

    def _doubt_notes(self) -> None:
        """Report notes that look like the text itself: a note called only from other notes (a loop
        of links taken for calls), or more than a few notes among the text's own paragraphs. Either
        means text left the body for the footnotes, which no word count would notice."""
        notes = set(self._labels)
        for target in self._labels:
            calls = [a for a, t in self._calls.items() if t is target]
            if calls and all(any(x in notes and x is not target for x in a.iterancestors()) for a in calls):
                self.doubts.append((target.sourceline or 0, f"the note [^{self._labels[target]}] is only called "
                                    "from other notes: it may be a paragraph of the text taken for a note; "
                                    "compare with the original"))
        paragraphs = [p for p in self.body.iter() if _name(p) == "p" and p not in notes and _text_of(p)
                      and not any(x in notes for x in p.iterancestors()) and not self._dropped_here(p)]
        last = max((self._position(p) for p in paragraphs), default=-1)
        in_flow = [t for t in notes if _name(t) == "p" and 0 <= self._position(t) < last]
        if len(in_flow) > _NOTES_IN_FLOW:
            in_flow.sort(key=self._position)
            lines = ", ".join(str(t.sourceline or 0) for t in in_flow[:12])
            self.doubts.append((in_flow[0].sourceline or 0, f"{len(in_flow)} paragraphs among the text's own "
                                f"(lines {lines}) became footnotes: links to them were taken for note calls; "
                                "compare with the original"))

    def _footnotes(self) -> list[str]:
        out = []
        self._in_note = True
        try:
            for target, label in self._labels.items():
                blocks = self.blocks(target) or [""]
                first, *rest = blocks
                first = _after_number(first)
                text = _indent(first, "    ", f"[^{label}]: ")
                out.append("\n\n".join([text, *(_indent(b, "    ") for b in rest)]))
        finally:
            self._in_note = False
        return out

    # -- lists, definitions, tables ----------------------------------------------------------

    def _list(self, el) -> list[str]:
        number = int(el.get("start")) if _name(el) == "ol" and (el.get("start") or "").isdigit() else 1
        items: list[str] = []
        loose = False  # a list whose items hold several paragraphs; a nested list keeps it tight
        for item in self._content(el):
            if isinstance(item, str):
                if item.strip():
                    items.append("- " + _escape(_collapse(item)).strip())
                continue
            if self._silent(item):
                continue
            reason = self.drop_reason(item)
            if reason:
                self._drop(item, reason)
                continue
            blocks = self.blocks(item) if _name(item) in _BLOCK else self.paragraphs(self.inline(item))
            if not blocks:
                continue
            marker = f"{number}. " if _name(el) == "ol" else "- "
            number += 1
            text = _indent(blocks[0], "    ", marker)
            for b in blocks[1:]:
                nested = re.match(r"^(- |\d+\. )", b) is not None
                loose = loose or not nested
                text += ("\n" if nested else "\n\n") + _indent(b, "    ")
            items.append(text)
        return [("\n\n" if loose else "\n").join(items)] if items else []

    def _definitions(self, el) -> list[str]:
        """'**term**: definition' paragraphs (chapbook's Markdown has no definition-list extension)."""
        out: list[str] = []
        terms: list[str] = []
        children = [c for c in el if isinstance(c.tag, str)]
        flat = [g for c in children for g in ([x for x in c if isinstance(x.tag, str)] if _name(c) == "div" else [c])]
        for child in flat:
            reason = self.drop_reason(child)
            if reason:
                self._drop(child, reason)
            elif _name(child) == "dt":
                term = self._inline_content(child).replace("\n", " ").strip()
                if term:
                    terms.append(term if "**" in term else f"**{term}**")
            else:
                blocks = self.blocks(child)
                if terms:
                    lead = ", ".join(terms)
                    terms = []
                    if blocks and not re.match(r"^(#|>|- |\d+\. |    |\|)", blocks[0]):
                        blocks[0] = f"{lead}: {blocks[0]}"
                    else:
                        blocks.insert(0, lead)
                out += blocks
        if terms:
            out.append(", ".join(terms))
        return out

    def _table(self, el) -> list[str]:
        rows = [r for r in el.iter() if _name(r) == "tr"
                and next(a for a in r.iterancestors() if _name(a) == "table") is el]
        cells = [[c for c in r if _name(c) in ("td", "th")] for r in rows]
        blocky = {"p", "div", "table", "ul", "ol", "dl", "blockquote", "pre", *_HEADINGS}
        caption = next((c for c in el if _name(c) == "caption"), None)
        out = self.blocks(caption) if caption is not None else []
        if "presentation" in _attr(el, "role") or any(_name(d) in blocky for r in cells for c in r for d in c.iter()
                                                      if d is not c):
            for row in cells:  # a table used for layout: its cells are the text's blocks
                for cell in row:
                    out += self.blocks(cell)
            return out
        matrix = []
        for row in cells:
            line = []
            for cell in row:
                text = re.sub(r"\s*\n\s*", " ", self._inline_content(cell)).strip()
                line.append(re.sub(r" {2,}", " ", text))
                span = int(cell.get("colspan")) if (cell.get("colspan") or "").isdigit() else 1
                line += [""] * (min(span, 50) - 1)
            matrix.append(line)
        if not matrix:
            return out
        width = max(len(r) for r in matrix)
        matrix = [r + [""] * (width - len(r)) for r in matrix]
        first_is_head = all(_name(c) == "th" for c in cells[0]) or _name(rows[0].getparent()) == "thead"
        head, body = (matrix[0], matrix[1:]) if first_is_head else ([""] * width, matrix)
        table = ["| " + " | ".join(head) + " |", "|" + "---|" * width]
        table += ["| " + " | ".join(r) + " |" for r in body]
        return [*out, "\n".join(table)]
