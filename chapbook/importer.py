"""``build.py import FILE... [--project DIR]``: raw copies of articles → content files to edit.

Each file becomes ``content/texts/NN-slug.md`` (NN the next free number, the
slug from the guessed title) with front matter to fill in, and the file
itself is copied unchanged to ``content/originals/``, so the fidelity of the
edited text can always be checked against it.

- ``.md``: taken as it is (front matter, if any, is read for the title).
- ``.txt``: taken as it is, with ``<`` written ``&lt;`` (raw HTML is not allowed
  in content) and runs of blank lines collapsed.
- ``.html``/``.htm``: the article is extracted with **trafilatura** (maintained,
  widely used for exactly this, keeps headings, lists, emphasis, links and
  tables as Markdown, and reads title, author and date from the page's
  metadata), with ``include_comments`` on, so that comment sections are kept
  and flagged rather than dropped. Without trafilatura, a small converter
  on the standard library's ``html.parser`` is used (it drops only scripts,
  styles, navigation, headers, footers and forms).

Web leftovers are never removed silently: lines that look like a comment
section, "related articles", share buttons, "scroll to top", "min read",
a newsletter pitch and the like are printed as warnings with their line in
the new file, for the editor to confirm and delete (``check`` does not flag
them again).
"""

from __future__ import annotations

import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import yaml

from .diagnostics import ExitStatus, Location, Report
from .read import slugify

SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}

# (pattern, what it probably is). Matched case-insensitively against each line of the new text.
LEFTOVERS: list[tuple[str, str]] = [
    (r"^\W*(leave a (reply|comment)|post a comment|add a comment|join the discussion)\b", "a comment form"),
    (r"^\W*\d+\s+(comments?|responses?|replies)\W*$|^\W*comments?\s*(\(\d+\))?\W*$", "a comment section heading"),
    (r"\b(log ?in|sign ?in) to (reply|comment)\b|^\W*reply\W*$", "a comment section"),
    (r"^\W*(related|recommended|more|popular|latest) (articles?|posts?|stories|reading|news)\b", "related articles"),
    (r"^\W*(you (may|might) also like|read (more|next|also)|see also|further reading on this site)\b",
     "links to other articles"),
    (r"\bshare (this|on|via)\b|^\W*(share|tweet|pin it|email|print)\W*$|\b(facebook|twitter|whatsapp|linkedin|"
     r"reddit|telegram|pinterest)\b.*\b(facebook|twitter|whatsapp|linkedin|reddit|telegram|pinterest|email)\b",
     "share buttons"),
    (r"\b(scroll|back) to top\b|^\W*top\W*$|\bskip to (main )?content\b", "page navigation"),
    (r"\b\d+\s*min(ute)?s?\s+read\b", "a reading-time badge"),
    (r"\b(subscribe|sign up|newsletter|get our|donate|support (us|our)|become a (member|patron))\b",
     "a subscription or donation pitch"),
    (r"\b(cookies?|privacy policy|terms of (use|service)|all rights reserved|powered by)\b", "site boilerplate"),
    (r"^\W*(posted|filed) (in|under)\b|^\W*(tags?|categories|category)\s*:", "post metadata"),
    (r"^\W*(previous|next) (post|article)\b|^\W*(older|newer) posts?\b", "post navigation"),
    (r"^\W*(advertisement|sponsored( content)?)\W*$", "an advertisement"),
    (r"^\W*(photo|image)( credit)?\s*:", "a photo credit (keep it if the original printed it)"),
]
_LEFTOVER = [(re.compile(p, re.IGNORECASE), what) for p, what in LEFTOVERS]
_LONG_LINE = 160  # a leftover is a short line; a sentence of the text that mentions "newsletter" is not


def leftovers(body: str) -> list[tuple[int, str, str]]:
    """(0-based line in body, the line, what it looks like) for each likely web leftover."""
    found = []
    for i, line in enumerate(body.split("\n")):
        text = line.strip()
        if not text or len(text) > _LONG_LINE:
            continue
        for pattern, what in _LEFTOVER:
            if pattern.search(text):
                found.append((i, text, what))
                break
    return found


# ---- HTML -----------------------------------------------------------------------------------


def html_to_markdown(source: str) -> tuple[str, dict[str, str], str]:
    """(Markdown body, metadata {'title', 'author', 'date', 'url'}, name of the extractor used)."""
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - trafilatura is in requirements.txt
        trafilatura = None
    if trafilatura is not None:
        body = trafilatura.extract(source, output_format="markdown", include_comments=True, include_tables=True,
                                   include_links=True, include_formatting=True, favor_recall=True,
                                   with_metadata=False)
        if body and body.strip():
            meta = trafilatura.extract_metadata(source)
            info = {}
            if meta is not None:
                info = {"title": meta.title or "", "author": meta.author or "", "date": meta.date or "",
                        "url": meta.url or ""}
            return body, info, "trafilatura"
    parser = _SimpleHTML()
    parser.feed(source)
    parser.close()
    return parser.markdown(), {"title": parser.title}, "html.parser"


class _SimpleHTML(HTMLParser):
    """A plain HTML → Markdown converter: paragraphs, headings, lists, emphasis, links."""

    SKIP = frozenset({"script", "style", "nav", "header", "footer", "form", "noscript", "svg", "iframe",
                      "button", "aside"})
    BLOCK = frozenset({"p", "div", "section", "article", "blockquote", "li", "h1", "h2", "h3", "h4", "h5", "h6",
                       "br", "tr", "pre", "figure", "figcaption", "main", "ul", "ol", "table"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.title = ""
        self._in_title = False
        self._href: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        if self.skip:
            return
        if tag == "title":
            self._in_title = True
        elif tag in self.BLOCK:
            self.out.append("\n\n")
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.out.append("#" * int(tag[1]) + " ")
            elif tag == "li":
                self.out.append("- ")
            elif tag == "blockquote":
                self.out.append("> ")
        elif tag in ("em", "i"):
            self.out.append("*")
        elif tag in ("strong", "b"):
            self.out.append("**")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self._href.append(href if re.match(r"^(https?://|mailto:)", href) else "")
            if self._href[-1]:
                self.out.append("[")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag == "title":
            self._in_title = False
        elif tag in self.BLOCK:
            self.out.append("\n\n")
        elif tag in ("em", "i"):
            self.out.append("*")
        elif tag in ("strong", "b"):
            self.out.append("**")
        elif tag == "a" and self._href:
            href = self._href.pop()
            if href:
                self.out.append(f"]({href})")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self.skip:
            self.out.append(re.sub(r"\s+", " ", data))

    def markdown(self) -> str:
        text = "".join(self.out)
        lines = [line.strip() for line in text.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


# ---- Text and Markdown ---------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    """The text and a note on its encoding (web copies are not always UTF-8)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), "" if encoding == "utf-8-sig" else f"read as {encoding}, not UTF-8"
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "read as latin-1, not UTF-8"


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _guess_title(body: str) -> tuple[str, str]:
    """(title, where it came from) from the first heading or the first short line."""
    for line in body.split("\n"):
        m = re.match(r"^#{1,3}\s+(.+?)\s*#*$", line)
        if m:
            return m.group(1).strip(), "the first heading"
    for line in body.split("\n"):
        text = line.strip()
        if text:
            if len(text) <= 120 and not text.endswith((".", ",", ";", ":")):
                return text.strip("*_# "), "the first line"
            break
    return "", ""


def convert_file(path: Path) -> tuple[str, dict[str, str], list[str]]:
    """(Markdown body, metadata, notes for the editor) for one raw file."""
    kind = SUFFIXES[path.suffix.lower()]
    text, encoding_note = _decode(path.read_bytes())
    notes = [encoding_note] if encoding_note else []
    meta: dict[str, str] = {}
    if kind == "html":
        body, meta, extractor = html_to_markdown(text)
        notes.append(f"article text extracted with {extractor}; compare with the original for anything missing")
    elif kind == "markdown":
        body = text
        m = re.match(r"^---\n(.*?)\n(---|\.\.\.)\n", text.replace("\r\n", "\n"), re.DOTALL)
        if m:
            try:
                front = yaml.safe_load(m.group(1))
            except yaml.YAMLError:
                front = None
            if isinstance(front, dict):
                meta = {k: str(v) for k, v in front.items() if k in ("title", "author", "date") and v}
                body = text.replace("\r\n", "\n")[m.end():]
    else:
        body = text.replace("<", "&lt;")
    body = _clean(body)
    if kind == "markdown" and re.search(r"<[A-Za-z/!]", body):
        notes.append("the Markdown contains HTML tags: 'build.py check' shows where; rewrite them as Markdown")
    return body, meta, notes


def front_matter(title: str, meta: dict[str, str], title_note: str) -> str:
    def q(value: str) -> str:
        return yaml.safe_dump(value, allow_unicode=True, width=1000).strip().removesuffix("...").strip()

    author = meta.get("author") or "unknown"
    date = meta.get("date") or "unknown"
    url = meta.get("url") or "unknown"
    return "\n".join([
        "---",
        f"title: {q(title)}   # {title_note}: check it",
        f"author: {q(author)}   # or authors: [A, B]; 'unknown' if unknown",
        f"date: {q(date)}   # as precisely as known: 2008-12-11, 2002-07, 2002, or unknown",
        "# source: key2024   # the bibliography key of the original publication",
        f"original_url: {q(url)}",
        "lang: en",
        "summary: ''   # two sentences about the text",
        "questions: []   # discussion questions for classroom use",
        "---",
        "",
        "",
    ])


def _next_number(folder: Path) -> int:
    numbers = [int(m.group(1)) for p in folder.glob("*.md") if (m := re.match(r"^(\d+)[-_]", p.name))]
    return max(numbers, default=0) + 1


def _keep_original(path: Path, originals: Path) -> Path:
    """Copy ``path`` into originals/ unchanged (never overwriting a different file)."""
    originals.mkdir(parents=True, exist_ok=True)
    target = originals / path.name
    n = 2
    while target.exists() and target.read_bytes() != path.read_bytes():
        target = originals / f"{path.stem}-{n}{path.suffix}"
        n += 1
    if not target.exists():
        shutil.copyfile(path, target)
    return target


def import_files(files: list[Path], project: Path, stream=sys.stdout) -> int:
    """Import each file; print what was made and the leftovers to confirm. Exit 2 on bad files."""
    bad = [f for f in files if not f.is_file() or f.suffix.lower() not in SUFFIXES]
    for f in bad:
        reason = "does not exist" if not f.is_file() else f"is not {', '.join(SUFFIXES)}"
        print(f"build.py: error: {f} {reason}", file=sys.stderr)
    if bad:
        return ExitStatus.USAGE
    texts = project / "content" / "texts"
    texts.mkdir(parents=True, exist_ok=True)
    report = Report()
    made = []
    for path in files:
        body, meta, notes = convert_file(path)
        guessed, where = _guess_title(body)
        title = (meta.get("title") or "").strip() or guessed or path.stem.replace("-", " ").replace("_", " ")
        title_note = ("from the page's metadata" if meta.get("title") else f"guessed from {where}" if guessed
                      else "guessed from the file name")
        number = _next_number(texts)
        slug = slugify(title)[:50].rstrip("-") or "text"
        target = texts / f"{number:02d}-{slug}.md"
        head = front_matter(title, meta, title_note)
        target.write_text(head + body, encoding="utf-8")
        original = _keep_original(path, project / "content" / "originals")
        first_body_line = head.count("\n") + 1
        for offset, line, what in leftovers(body):
            report.warning(Location(target, first_body_line + offset, 1),
                           f"possible web leftover ({what}): '{line[:60]}'; confirm against the original "
                           "and delete it if it is not part of the text", "web-leftover")
        made.append(slug)
        print(f"imported {path} → {target} (original kept as {original})", file=stream)
        for note in notes:
            print(f"  note: {note}", file=stream)
    for line in report.lines(root=Path.cwd().resolve() if project.resolve().is_relative_to(Path.cwd().resolve())
                             else None, with_code=True):
        print(line, file=stream)
    print(f"imported {len(files)} file{'s' * (len(files) != 1)}, {len(report.warnings)} possible leftover"
          f"{'s' * (len(report.warnings) != 1)} to confirm; fill in the front matter, add "
          f"{', '.join(made)} to 'texts:' in content/publication.yml if it lists the texts, "
          "then run 'build.py check'", file=stream)
    return ExitStatus.OK

