"""Issue 13, typography a book designer would not send back: each defect read from the built PDF.

The words, lines and paragraphs come from ``pdftotext -bbox-layout`` through bench/typography.py,
the tool that also measures the reader's word spacing. Two builds:

- ``tests/projects/typography``, a reader made to provoke each defect: long web addresses in the
  text, the bibliography and the handouts; paragraphs full of proper names; paragraphs that
  WeasyPrint 70 broke off after one word; glossary definitions whose page list does not fit;
  straight quotes in every front-matter and BibTeX string; a sign-off;
- the IOM reader at the repository root, for the places the issue names (pp. 11 and 40, p. 20,
  the glossary, the sources).
"""

from __future__ import annotations

import importlib.util
import itertools
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from conftest import PROJECTS, REPO, load, run_build

from chapbook import htmltree
from chapbook.markup import is_roman
from chapbook.render import (
    _TITLE_NOUNS,
    editors_phrase,
    finds_names,
    greek_capitals,
    inline_markdown,
    print_fragment,
    print_typography,
    render_book_html,
    running_head,
    tie_end,
    url_breaks,
)

FIXTURE = PROJECTS / "typography"
URLS = ["https://migration-control.info/en/wiki/the-international-organization-for-migration-iom-profile/",
        "https://irr.org.uk/article/the-iom-and-the-culture-of-expulsion/",
        "https://www.redpepper.org.uk/the-international-organization-for-migration-and-the-culture-of-expulsion/",
        "www.noborder-network-against-migration-control.org/iom/index.php"]
INVISIBLE = ("\u200b", "\u2060", "\u00ad")


def _bench():
    spec = importlib.util.spec_from_file_location("bench_typography", REPO / "bench" / "typography.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


T = _bench()


def _build(out: Path, *project: str) -> Path:
    result = run_build("pdf", "epub", "handouts", *project, "--output", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def fixture_out(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("typography"), "--project", str(FIXTURE.relative_to(REPO)))


@pytest.fixture(scope="module")
def reader_out(tmp_path_factory) -> Path:
    """The IOM reader (the project at the repository root), as `build.py pdf epub handouts` makes it."""
    return _build(tmp_path_factory.mktemp("reader"))


def book(out: Path) -> Path:
    return next(p for p in out.glob("*.pdf") if not p.stem.endswith(("-booklet", "-print")))


def handouts(out: Path) -> list[Path]:
    return [p for p in (out / "handouts").glob("*.pdf") if not p.stem.endswith("class-pack")]


def pdfs(out: Path) -> list[Path]:
    return [book(out), *handouts(out)]


def text_of(pdf: Path, *pages: int) -> str:
    args = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def page_of(pdf: Path, needle: str) -> int:
    lines = T.pdf_lines(pdf)
    return next(ln.page for ln in lines if needle in ln.text)


def epub_texts(out: Path) -> dict[str, str]:
    with zipfile.ZipFile(next(out.glob("*.epub"))) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xhtml", ".opf"))}


# ---- 1. Hyphenation: web addresses and names ----------------------------------------------------


@pytest.mark.parametrize("which", ["fixture", "reader"])
def test_no_web_address_is_hyphenated_or_broken_at_a_hyphen(which, fixture_out, reader_out):
    """A line never ends in a hyphen inside a URL: not an added one ("migration-con-trol.info"),
    and not the address's own (a reader could not tell the two apart): book and handouts."""
    for pdf in pdfs(fixture_out if which == "fixture" else reader_out):
        lines = T.pdf_lines(pdf)
        assert T.hyphenated_inside_urls(lines) == [], pdf.name
        assert T.broken_urls(lines) == [], pdf.name


def test_web_addresses_do_break_and_stay_whole_in_the_text(fixture_out):
    """The fixture's addresses are broken across lines (so the test above means something), after a
    slash or before a dot or hyphen; the PDF's text holds no invisible break characters, so each
    address is found whole once the lines are joined."""
    text = text_of(book(fixture_out))
    breaks = []
    for url in URLS:
        found = re.search("\n?".join(map(re.escape, url)), text)
        assert found, url
        shown = found.group()
        breaks += [(shown[:i], shown[i + 1:]) for i, ch in enumerate(shown) if ch == "\n"]
    assert len(breaks) >= 4, breaks
    for before, after in breaks:
        assert before.endswith("/") or after.startswith(("-", ".")), (before, after)
    for pdf in pdfs(fixture_out):
        assert not any(ch in text_of(pdf) for ch in INVISIBLE), pdf.name


def test_epub_keeps_addresses_as_written(fixture_out):
    """The EPUB marks addresses (never hyphenated) but adds no break characters, in text or href."""
    texts = epub_texts(fixture_out)
    everything = "".join(texts.values())
    assert not any(ch in everything for ch in INVISIBLE)
    for url in URLS[:3]:
        assert f'href="{url}"' in everything, url
    assert 'class="url"' in everything


def test_url_breaks():
    assert url_breaks("https://irr.org.uk/the-iom/") == \
        "https://\u200birr\u200b.org\u200b.uk/\u200bthe\u200b-\u2060iom/"


@pytest.mark.parametrize("which", ["fixture", "reader"])
def test_proper_names_are_not_hyphenated(which, fixture_out, reader_out):
    """No hyphenated line end starts a name ("Bar-tels", "Colom-bia", "Octo-ber"): a capitalised word
    the document never writes in lower case (and no noun naming a body, "Commissioner"), within a
    sentence, or at the start of one if the
    document also capitalises it within a sentence (chapbook.render._vocabulary). A common word
    capitalised in a title ("Interna-tional Organization") or at a sentence's start ("Academ-ics")
    may be hyphenated like any other. The fixture's paragraphs of names were hyphenated four times
    without the rule; the reader had "Bar-tels" at the start of a sentence."""
    ends = re.compile(r"[.!?][”’\"')\]]*$")
    for pdf in pdfs(fixture_out if which == "fixture" else reader_out):
        lines = T.pdf_lines(pdf)
        words = []  # the document's words, a hyphenated one joined again
        for w in [w.text for ln in lines for w in ln.words]:
            if words and words[-1].endswith(T.AUTO_HYPHEN):
                words[-1] = words[-1][:-1] + w
            else:
                words.append(w)
        common = {w for w in re.findall(r"[^\W\d_]+", " ".join(words)) if w.islower()} | _TITLE_NOUNS
        named = {re.match(r"\W*([^\W\d_]*)", w).group(1) for prev, w in itertools.pairwise(words)
                 if not ends.search(prev) and re.match(r"\W*[A-Z]", w)}
        names = []
        for a, b in itertools.pairwise(lines):
            end = a.words[-1].text
            if not end.endswith(T.AUTO_HYPHEN):
                continue
            word = re.match(r"[^\W\d_]*", re.sub(r"^\W+", "", end.split("-")[-1])[:-1] + b.words[0].text).group()
            initial = len(a.words) == 1 or bool(ends.search(a.words[-2].text))
            if word[:1].isupper() and word.lower() not in common and (not initial or word in named):
                names.append(f"p. {a.page}: {end}{b.words[0].text}")
        assert names == [], pdf.name


@pytest.mark.parametrize("which", ["fixture", "reader"])
def test_a_paragraphs_last_word_is_whole(which, fixture_out, reader_out):
    """A paragraph's last line never starts with the rest of a hyphenated word ("paign.")."""
    for pdf in pdfs(fixture_out if which == "fixture" else reader_out):
        found = T.paragraphs(T.pdf_lines(pdf))
        split = [f"p. {para.page}: {para.lines[-2].text[-30:]} / {para.lines[-1].text}" for para, col in found
                 if len(para.lines) > 1 and para.lines[-1].x1 < col.right - 3 and len(para.lines[-1].words) == 1
                 and para.lines[-2].words[-1].text.endswith(T.AUTO_HYPHEN)]
        assert split == [], pdf.name


# ---- 2. Line breaking -----------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["fixture", "reader"])
def test_no_paragraph_breaks_off_after_a_word(which, fixture_out, reader_out):
    """No line inside a justified paragraph is shorter than a third of the measure unless it is the
    paragraph's last ("…of Greater / Manchester's / Immigration Aid Unit", "framed by a / new /")."""
    for pdf in pdfs(fixture_out if which == "fixture" else reader_out):
        short = T.short_lines(T.paragraphs(T.pdf_lines(pdf)))
        assert [f"p. {ln.page}: {ln.text}" for ln in short] == [], pdf.name


@pytest.mark.parametrize("which", ["fixture", "reader"])
def test_no_number_range_is_broken_at_its_dash(which, fixture_out, reader_out):
    """A range ("11–13 October", "1990–1995", "pp. 12–14") never ends a line at its dash: the reader's
    p. 49 read "11– / 13 October"."""
    for pdf in pdfs(fixture_out if which == "fixture" else reader_out):
        broken = [f"p. {a.page}: {a.words[-1].text} / {b.words[0].text}"
                  for a, b in itertools.pairwise(T.pdf_lines(pdf))
                  if re.search(r"\d[–—]$", a.words[-1].text) and re.match(r"\d", b.words[0].text)]
        assert broken == [], pdf.name


def test_a_range_of_days_keeps_its_dash_but_may_leave_its_month():
    """The range is joined at its dash (a word joiner); a single day is tied to its month by a no-break
    space, a range is not: "11–13 October" as one unit left a line at 2.16× (the reader's p. 24)."""
    root = htmltree.parse_fragment("<p>On 13 October, 11–13 October and 11-13 October, pp. 12–14, "
                                   "1990–1995 – a decade – and 4 – 5 people.</p>")
    print_typography(root)
    text = "".join(root.itertext())
    assert "On 13\u00a0October, 11–\u206013 October and 11-13 October, pp.\u00a012–\u206014, 1990–\u20601995" in text
    assert "\u00a0– a decade\u00a0– and 4\u00a0– 5" in text


UNPATCHED = """
import sys
import chapbook.linebreak as L
import chapbook.render as R
L.install = lambda: None  # chapbook's paragraph breaker off too: it would mend some of these lines
R.fix_weasyprint_line_breaks()
from weasyprint.layout import inline
inline.split_first_line = inline.split_first_line.original
R.fix_weasyprint_line_breaks = lambda: None
from chapbook.cli import main
sys.exit(main(["pdf", "--project", sys.argv[1], "--output", sys.argv[2], "-q"]))
"""


def test_the_fixture_still_provokes_weasyprints_line_breaking(tmp_path):
    """Without chapbook's fix (chapbook.render.fix_weasyprint_line_breaks) the fixture's first text
    does break off after one word: if this fails, WeasyPrint has changed and the paragraphs of
    tests/projects/typography no longer test the fix (find new ones as its text explains)."""
    result = subprocess.run([sys.executable, "-c", UNPATCHED, str(FIXTURE), str(tmp_path)], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    short = T.short_lines(T.paragraphs(T.pdf_lines(book(tmp_path))))
    assert len(short) >= 4, [ln.text for ln in short]


# ---- Loose lines, hyphen runs and page turns (chapbook.linebreak) ---------------------------------

LOOSE_PARAGRAPHS = ("q28", "q32", "q40", "q44")  # tests/projects/typography/content/texts/03-spaces-and-hyphens.md


def _paragraph_ratios(pdf: Path) -> dict[str, float]:
    """The worst word-space ratio of each of the fixture's marked paragraphs ("q7 …"), over its pages."""
    worst: dict[str, float] = {}
    current = None
    for para, col in T.paragraphs(T.pdf_lines(pdf)):
        first = para.lines[0].words[0].text
        if re.fullmatch(r"q\d+", first):
            current = first
        if current is None:
            continue
        just = T.justified_lines([(para, col)])
        worst[current] = max([worst.get(current, 0.0), *map(T.line_ratio, just)])
    return worst


def test_fixture_loose_paragraphs_are_set_without_loose_lines(fixture_out):
    """The fixture's paragraphs whose lines WeasyPrint stretches beyond 1.8× (the next word a name it
    may not hyphenate) are broken again: no justified line there stretches its spaces beyond 1.8×."""
    ratios = _paragraph_ratios(book(fixture_out))
    assert {p: round(ratios[p], 2) for p in LOOSE_PARAGRAPHS if ratios[p] >= 1.8} == {}


def test_reader_has_fewer_loose_lines(reader_out):
    """The IOM reader: WeasyPrint alone left 78 lines beyond 1.8× (worst 3.43×); the breaker and its
    hundredth-of-an-em tracking left 27 (worst 2.47×); its last resort (a wider window, spaces down to
    0.75×) 23 (worst 2.38×), 22 after the ties and ranges. Then: 14 once the British patterns take
    the American points too and capitalised common words may be hyphenated (chapbook.hyphenation,
    render._vocabulary); 5 (worst 1.99×) once a window's better breaks that do not meet WeasyPrint's
    again are run out and compared, and tight lines may close up their letters by 1 %; 4 once the
    last resort's lines after the loose one may give a word (p. 26); 3 once the last resort (from
    1.77×) may hyphenate a common word in a title; 1 (worst 1.93×) once the nouns that name bodies
    ("High Commissioner", "Intergovernmental Committee") count as common words; none (worst 1.78×)
    once a day tied to its month's name goes into the name's span ("… between 11 and / 13 October":
    WeasyPrint hyphenated an earlier word rather than break before the tied "13"). The issue's goal,
    the worst line below 1.8×, is met (see bench/results-typography.md)."""
    ratios = [T.line_ratio(ln) for ln in T.justified_lines(T.paragraphs(T.pdf_lines(book(reader_out))))]
    assert max(ratios) < 1.8


@pytest.mark.parametrize("which", ["fixture", "reader"])
def test_no_more_than_two_hyphenated_lines_in_a_row(which, fixture_out, reader_out):
    """At most two consecutive lines of a paragraph end in a hyphen (the CSS default of
    --chapbook-hyphenate-limit-lines), in the book and the handouts."""
    for pdf in pdfs(fixture_out if which == "fixture" else reader_out):
        runs = T.hyphen_runs(T.paragraphs(T.pdf_lines(pdf)))
        assert max(runs, default=0) <= 2, pdf.name


@pytest.mark.parametrize("which", ["fixture", "reader"])
def test_no_hyphenated_word_across_a_page_turn(which, fixture_out, reader_out):
    """No page's last line of body text ends in a hyphenated word (book and handouts)."""
    for pdf in pdfs(fixture_out if which == "fixture" else reader_out):
        turns = T.page_turn_hyphens(T.paragraphs(T.pdf_lines(pdf)))
        assert [f"p. {ln.page}: {ln.text}" for ln in turns] == [], pdf.name


WITHOUT_BREAKER = """
import sys
import chapbook.linebreak as L
L.install = lambda: None
from chapbook.cli import main
sys.exit(main(["pdf", "--project", sys.argv[1], "--output", sys.argv[2], "-q"]))
"""


def test_the_fixture_provokes_the_paragraph_breaker(tmp_path):
    """Without chapbook.linebreak the fixture's text 3 has the defects the three tests above look
    for: loose lines in q28, q32, q40 and q44, runs of three or more hyphenated lines, and hyphenated
    words carried over page turns. If this fails, the fixture no longer tests the breaker."""
    result = subprocess.run([sys.executable, "-c", WITHOUT_BREAKER, str(FIXTURE), str(tmp_path)], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    pdf = book(tmp_path)
    ratios = _paragraph_ratios(pdf)
    assert all(ratios[p] > 1.85 for p in LOOSE_PARAGRAPHS), ratios
    found = T.paragraphs(T.pdf_lines(pdf))
    assert max(T.hyphen_runs(found)) >= 3
    assert len(T.page_turn_hyphens(found)) >= 1


def test_hyphenate_limit_lines_is_read_from_css(tmp_path):
    """``--chapbook-hyphenate-limit-lines: 1`` allows no two hyphenated lines in a row (WeasyPrint
    laid out through chapbook.linebreak, as chapbook's layout does); ``no-limit`` lets them run."""
    from weasyprint import HTML

    from chapbook import linebreak

    linebreak.install()
    words = ("internationalisation accountability intergovernmental documentation representatives "
             "interdependence externalisation transportation humanitarianism ") * 12
    runs = {}
    for limit in ("1", "no-limit"):
        html = (f"<html lang=en style='--chapbook-hyphenate-limit-lines: {limit}'><body style='width: 60mm; "
                f"font-size: 10pt'><p style='text-align: justify; hyphens: auto'>{words}</p></body></html>")
        pdf = tmp_path / f"limit-{limit}.pdf"
        HTML(string=html).write_pdf(pdf)
        runs[limit] = max(T.hyphen_runs([(T.Paragraph(1, T.pdf_lines(pdf)), None)]))
    assert runs["1"] == 1 and runs["no-limit"] >= 3, runs


# ---- Handouts: the last page (chapbook.lastpage) ----------------------------------------------------


@pytest.mark.parametrize("which", ["fixture", "reader"])
def test_no_handouts_last_page_is_under_a_third_full(which, fixture_out, reader_out):
    """A handout's last page holds at least a third of a page (text, questions and their ruled lines,
    measured in ink): the spies and action-days handouts ended on one question (¼ page), the fixture's
    names handout on its questions' heading and one question."""
    fills = {pdf.stem: round(T.last_page_fill(pdf), 2) for pdf in handouts(fixture_out if which == "fixture"
                                                                           else reader_out)}
    assert {name: f for name, f in fills.items() if f < 1 / 3} == {}, fills


_FILLER = ("the organisation of migration across borders is a matter for states and their agencies which report "
           "to no parliament and answer to their funders alone")


def _short_document(minimum: float, paragraphs: int, words: int):
    """An A6 document of ``words`` words in ``paragraphs`` paragraphs, laid out through chapbook.lastpage."""
    from weasyprint import HTML

    from chapbook import lastpage

    lastpage.install()
    filler = _FILLER.split()
    text = [filler[i % len(filler)] for i in range(words)]
    per = max(1, words // paragraphs)
    body = "".join(f"<p>{' '.join(text[i:i + per])}</p>" for i in range(0, words, per))
    return HTML(string=f"<html lang=en style='--chapbook-last-page-min: {minimum}'><head><style>"
                       "@page { size: A6; margin: 10mm } p { margin: 0 0 2mm; font-size: 10pt; line-height: 1.4 }"
                       f"</style></head><body>{body}</body></html>").render()


@pytest.mark.parametrize("paragraphs", [1, 6])
def test_last_page_minimum_moves_blocks_or_lines(paragraphs):
    """``--chapbook-last-page-min`` for any content: the first text length whose natural break leaves
    the second page under a fifth full gets a last page of at least a third, on as many pages, from
    several paragraphs (a break before one) or from one long paragraph (more of its lines, by widows)."""
    from chapbook.lastpage import fill

    words = next(n for n in range(150, 400, 4) if len((doc := _short_document(0, paragraphs, n)).pages) == 2
                 and fill(doc.pages[-1]._page_box) < 0.2)
    mended = _short_document(0.34, paragraphs, words)
    assert len(mended.pages) == 2
    assert fill(mended.pages[-1]._page_box) >= 0.34


WITHOUT_LAST_PAGE = """
import sys
import chapbook.lastpage as L
L.install = lambda: None
from chapbook.cli import main
sys.exit(main(["handouts", "--project", sys.argv[1], "--output", sys.argv[2], "-q"]))
"""


def _words(pdf: Path) -> list[str]:
    """The handout's words, page furniture left out, hyphenated words joined."""
    text = re.sub(r"page \d+ of \d+|From: .*", "", text_of(pdf))
    return re.sub(f"{T.AUTO_HYPHEN}\\s+", "", text).split()


def test_the_fixture_provokes_a_short_last_page(tmp_path, fixture_out):
    """Without chapbook.lastpage the fixture's names handout ends on a page under a third full (the
    test above would fail); with it, the same words (margin numbers are read in another order), on as
    many pages."""
    result = subprocess.run([sys.executable, "-c", WITHOUT_LAST_PAGE, str(FIXTURE), str(tmp_path)], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    before = tmp_path / "handouts" / "names-and-addresses.pdf"
    after = fixture_out / "handouts" / "names-and-addresses.pdf"
    assert T.last_page_fill(before) < 1 / 3
    assert sorted(_words(before)) == sorted(_words(after))
    assert len(T.ink_extents(before)) == len(T.ink_extents(after))


# ---- 3. Glossary ----------------------------------------------------------------------------------

PAGE_LIST = re.compile(r"— pp?\. \d")


@pytest.mark.parametrize("which", ["fixture", "reader"])
def test_glossary_page_list_never_leaves_a_stretched_last_line(which, fixture_out, reader_out):
    """The page list is tied to the definition's last word: it never stands alone on a line (which
    left the definition's last line justified across the measure), and the line it ends is set
    with natural word spaces."""
    pdf = book(fixture_out if which == "fixture" else reader_out)
    start = page_of(pdf, "In the texts, a term explained here")
    lines = [ln for ln in T.pdf_lines(pdf) if ln.page >= start and PAGE_LIST.search(ln.text)]
    assert lines
    alone = [ln.text for ln in lines if ln.text.startswith("—")]
    assert alone == []
    stretched = [ln.text for ln in lines if ln.gaps() and max(ln.gaps()) > 1.3]
    assert stretched == []
    if which == "fixture":  # a last word came down with its page list
        assert any(len(ln.text.split("—")[0].split()) == 1 for ln in lines), [ln.text for ln in lines]


# ---- 4. Characters and consistency --------------------------------------------------------------


def test_straight_quotes_are_curled_in_every_string(fixture_out):
    """Front matter and BibTeX are typed with straight quotes (D'Cruz, Migrants', IOM's): the contents,
    openers, running heads, citations, bibliography, handouts and EPUB show typographic ones."""
    for pdf in pdfs(fixture_out):
        text = text_of(pdf)
        assert "'" not in text and '"' not in text, pdf.name
    text = text_of(book(fixture_out))
    for shown in ("D’Cruz", "Migrants’", "IOM’s", "The Editors’ Typography", "“report”"):
        assert shown in text, shown
    for name, xhtml in epub_texts(fixture_out).items():
        root = ET.fromstring(xhtml.encode())
        if name.endswith(".opf"):  # what a reading system shows as the book's title and names
            root = [el for el in root.iter() if el.tag.split("}")[-1] in {"title", "creator", "contributor"}]
        words = "".join(t for el in (root if isinstance(root, list) else [root]) for t in el.itertext())
        assert "'" not in words and '"' not in words, name


def test_running_heads_and_citations_use_the_curly_apostrophe(fixture_out):
    pdf = book(fixture_out)
    opener = page_of(pdf, "Where the IOM’s lines break")
    heads = [ln.text for ln in T.pdf_lines(pdf) if ln.page > opener and ln.y0 < 40]
    assert any("D’Cruz" in h for h in heads), heads
    assert "D’Cruz (2008)" in text_of(pdf)


def test_edited_by_reads_naturally(fixture_out):
    """"Edited by the fixture editors", never "Edited by The fixture editors"."""
    assert editors_phrase(["The chapbook editors"]) == "the chapbook editors"
    assert editors_phrase(["Ada Editor", "Ben Editor"]) == "Ada\u00a0Editor, Ben\u00a0Editor"  # never broken in a name
    # (the EPUB's cover image and its alt text are drawn by chapbook/writers/epub.py, not a template)
    texts = [text_of(p) for p in pdfs(fixture_out)]
    texts += [x for n, x in epub_texts(fixture_out).items() if "cover" not in n]
    joined = " ".join(" ".join(t.split()) for t in texts)
    assert "dited by the fixture editors" in joined
    assert "by The fixture" not in joined


def _size_ratio(line, word: str) -> float:
    """The box height of ``word`` on ``line`` against the line's tallest word (the body size)."""
    tallest = max(w.y1 - w.y0 for w in line.words)
    return min(w.y1 - w.y0 for w in line.words if w.text.strip("(),.;’") == word) / tallest


@pytest.mark.parametrize("marker", ["Summary.", "Where does the", "Days of protest against the"])
def test_acronyms_are_reduced_capitals_and_roman_numerals_are_not(fixture_out, marker):
    """Acronyms are set in reduced capitals in summaries, questions and the glossary too; II and XIV
    keep full capitals."""
    pdf = book(fixture_out)
    line = next(ln for ln in T.pdf_lines(pdf) if marker in ln.text and "IOM" in ln.text)
    assert _size_ratio(line, "IOM") < 0.93, line.text
    if marker == "Summary.":
        assert _size_ratio(line, "II") > 0.97, line.text


@pytest.mark.parametrize("which", ["fixture", "reader"])
def test_running_heads_set_acronyms_in_small_capitals(which, fixture_out, reader_out):
    """Running heads are small capitals, and an acronym in them is too, as in the body: ``string()``
    carries no markup, so the head's acronyms are given in lower case (render.running_head). In the
    PDF's text a small capital reads as its lower-case letter; a capital there is a full capital ("The
    IOM and the culture of expulsion", "CARF (Campaign …)" before). Roman numerals keep capitals."""
    pdf = book(fixture_out if which == "fixture" else reader_out)
    heads = [ln for ln in T.pdf_lines(pdf) if ln.y0 < 40 and ln.page > 4 and not ln.text.isdigit()]
    assert len(heads) > 3
    capitals = [f"p. {ln.page}: {ln.text}" for ln in heads
                if any(not is_roman(w) for w in re.findall(r"\b[A-Z][A-Z0-9&]*[A-Z]\b", ln.text))]
    assert capitals == []
    if which == "reader":  # (the fixture's heads name no acronym)
        assert any(re.search(r"\biom\b", ln.text) for ln in heads)


def test_running_head_text():
    assert running_head("The IOM's record in World War II, UNHCR and www.IOM.int") == \
        "The iom’s record in World War II, unhcr and www.IOM.int"


def test_acronym_markup():
    html = inline_markdown("The IOM and the UNHCR in Part II and Part XIV, by www.noborder.org.")
    assert html.count('<abbr class="caps">') == 2
    assert "<abbr class=\"caps\">II" not in html and "XIV</abbr>" not in html
    assert '<span class="url">www.noborder.org</span>' in html
    assert [w for w in ("II", "IV", "XIV", "CD", "CV", "IOM", "EU") if is_roman(w)] == ["II", "IV", "XIV"]


def test_signature_is_flush_right_and_unnumbered(fixture_out):
    """``{: .signature}``: the sign-off ends at the right margin and has no ¶ number, in the book and
    the handout; in the EPUB it is a ``p.signature`` without a number."""
    for pdf in [book(fixture_out), *[p for p in handouts(fixture_out) if "names" in p.stem]]:
        lines = T.pdf_lines(pdf)
        sign = next(ln for ln in lines if ln.text == "the fixture collective")
        found = T.paragraphs([ln for ln in lines if ln.page == sign.page])
        col = found[0][1]
        assert abs(sign.x1 - col.right) < 3 and sign.x0 > col.left + col.measure / 2, pdf.name
        margin = [ln.text for ln in lines if ln.page == sign.page and ln.x1 < col.left and abs(ln.y0 - sign.y0) < 3]
        assert margin == [], pdf.name
    xhtml = next(x for x in epub_texts(fixture_out).values() if "the fixture collective" in x)
    assert re.search(r'<p class="signature"[^>]*>the fixture collective</p>', xhtml)
    assert not re.search(r'<p class="signature"[^>]*data-para', xhtml)


# ---- The IOM reader: the places the issue names --------------------------------------------------


def test_reader_names_and_imprint(reader_out):
    text = " ".join(text_of(book(reader_out)).split())
    for straight in ("D'Cruz", "Migrants'", "IOM's"):
        assert straight not in text, straight
    assert "D’Cruz" in text and "Edited by the chapbook editors" in text


def test_reader_signature_on_the_first_text(reader_out):
    pdf = book(reader_out)
    lines = T.pdf_lines(pdf)
    sign = next(ln for ln in lines if ln.text == "the noborder network" and ln.x0 > 150)
    col = T.column([ln for ln in lines if ln.page == sign.page])
    assert abs(sign.x1 - col.right) < 3


def test_reader_sets_red_pepper_in_italic():
    """A magazine's title is italic wherever the editors name it (it was roman on pp. 11 and 49)."""
    loaded = load(REPO)
    html = render_book_html(loaded.publication, list(loaded.converted.values()))
    roman = [m.start() for m in re.finditer("Red Pepper", html)
             if not re.search(r"<(em|i)>[^<]*$", html[max(0, m.start() - 40):m.start()])]
    assert roman == []


def test_a_template_without_data_head_keeps_the_left_running_head_of_its_parts(tmp_path: Path) -> None:
    """print.css's fallback for a template whose part titles carry no data-head sets the right head from
    the title and must still set the left one from data-left (it replaced both)."""
    import shutil

    from conftest import MINIMAL
    from pypdf import PdfReader

    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    (root / "templates").mkdir(exist_ok=True)
    source = (REPO / "templates" / "book.html.j2").read_text(encoding="utf-8")
    (root / "templates" / "book.html.j2").write_text(re.sub(r' data-head="[^"]*"', "", source), encoding="utf-8")
    intro = root / "content" / "introduction.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "".join(
        f"\n\nParagraph {n} of a long introduction, long enough to run onto a left-hand page of its own, "
        "with words enough to fill the measure of the line several times over." for n in range(40)),
        encoding="utf-8")
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "pdf", "--project", str(root), "--output",
                           str(tmp_path / "out")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    pages = [(page.extract_text() or "").strip() for page in PdfReader(next((tmp_path / "out").glob("*.pdf"))).pages]
    first = next(i for i, text in enumerate(pages) if text.startswith("Introduction"))
    left = pages[first + 1]  # the introduction's second page, a left-hand page
    assert "Paragraph" in left and "A Minimal Reader" in left, left  # the head (pypdf reads it last)


# ---- Break points: dictionaries, names, tight lines (chapbook.hyphenation, render, linebreak) --------


def test_english_is_hyphenated_by_the_american_patterns():
    """``lang="en"`` took pyphen's British patterns: no point in "asylum" or "seekers", only
    "headquar-ters", and "bey-ond", "art-icle", "inform-ation", "lis-ted". chapbook's hyphenator
    takes the American patterns for English (they split British spellings too); other languages
    keep their own patterns."""
    from chapbook.hyphenation import hyphenator

    english = hyphenator("en", 2, 3)
    assert [english.inserted(w) for w in ("asylum", "seekers", "beyond", "article", "information", "listed")] == \
        ["asy-lum", "seek-ers", "be-yond", "ar-ti-cle", "in-for-ma-tion", "listed"]
    assert english.inserted("organisation") == "or-gan-i-sa-tion"
    assert hyphenator("en_GB", 2, 3).inserted("headquarters") == "head-quar-ters"
    assert hyphenator("de", 2, 3).inserted("Migrationspolitik") == "Mi-gra-ti-ons-po-li-tik"


def test_weasyprint_lays_out_with_chapbooks_hyphenator(tmp_path):
    """In a column narrower than the word, WeasyPrint hyphenates "asylum" (British patterns: no point)."""
    from weasyprint import HTML

    from chapbook import hyphenation

    hyphenation.install()
    pdf = tmp_path / "narrow.pdf"
    HTML(string="<html lang=en><body style='width: 9mm; font-size: 10pt'><p style='hyphens: auto'>"
                "asylum asylum</p></body></html>").write_pdf(pdf)
    assert "asy\u2010" in text_of(pdf)


def test_capitalised_common_words_may_be_hyphenated_names_not():
    """A capitalised word the text also writes in lower case ("International") is a common word in a
    title; a word it never writes in lower case ("Bartels", "Colombia") is a name, kept whole at the
    start of a sentence too if the text capitalises it within one; a sentence's first word the text
    never capitalises elsewhere ("Academics") is not. A fragment is too short to tell: there every
    capitalised word it never writes in lower case is a name."""
    root = htmltree.parse_fragment(
        "<div><p>Bartels writes on international politics and on the International Organization for "
        "Migration. Academics read Bartels in Colombia.</p></div>")
    print_typography(root)
    names = [el.text for el in root.iter("span") if "name" in el.get("class", "")]
    assert names == ["Bartels", "Migration", "Bartels", "Colombia"]
    titles = [el.text for el in root.iter("span") if "title-word" in el.get("class", "")]
    assert titles == ["International Organization"]  # hyphenated only as a last resort
    fragment = print_fragment("Academics read the report.")
    assert '<span class="name">Academics</span>' in fragment


def test_a_text_in_a_language_that_capitalises_nouns_has_no_names_kept_whole(convert_body):
    """German capitalises every noun: taking each one for a name (a capitalised word never written in
    lower case) kept "Zimmerleute" and "Gesellen" whole and left loose lines around them (a new
    user's German reader, p. 12). A text whose language (its own ``lang``, else the book's) is
    German is hyphenated by its dictionary throughout; an English text still keeps its names whole."""
    german = ("Die Brücke wurde im Frühjahr von den Zimmerleuten der Stadt gebaut. Am Ende stellte die Zunft "
              "der Zimmerleute allein vierzig Gesellen, und Bartels schrieb später über die Kosten.\n")
    english = ("The bridge was built in spring by the carpenters of the town. In the end the guild sent forty "
               "journeymen, and the builder Bartels later wrote about the timber from Colombia.\n")

    def names(body: str, lang: str) -> list[str]:
        head = f"---\ntitle: Die Brücke\nauthor: Jürgen Weiss\ndate: 1850\nlang: {lang}\n---\n\n"
        loaded = convert_body(body, head=head)
        html = render_book_html(loaded.publication, list(loaded.converted.values()))
        text = html[html.index('id="part-first-text"'):]
        text = text[:text.index("</section>")]
        return re.findall(r'<span class="name">([^<]*)</span>', text)

    assert names(german, "de") == [] and names(german, "de-CH") == []
    assert names(english, "en") == ["Bartels", "Colombia"]
    assert finds_names("en-GB") and finds_names("fr") and not finds_names("de_AT") and not finds_names("lb")


def test_one_letter_words_are_tied_to_the_next_in_polish_czech_and_slovak(convert_body):
    """A Polish text ended lines with "w" and "z" ("nosimy w / sobie": a new user's anthology, its sources
    page), which Polish, Czech and Slovak typesetters never leave at a line's end. In a text in those
    languages (its ``lang``, else the book's) the space after a one-letter word does not break; an
    English text's "a" and "I" still may."""
    def body(text: str, lang: str) -> str:
        head = f"---\ntitle: Tytuł\nauthor: Anna Nowak\ndate: 2020\nlang: {lang}\n---\n\n"
        loaded = convert_body(text, head=head)
        html = render_book_html(loaded.publication, list(loaded.converted.values()))
        section = html[html.index('id="part-first-text"'):]
        return section[:section.index("</section>")]

    polish = body("Nosimy w sobie pamięć, a ona *z nami* zostaje i o niej mówimy.\n", "pl")
    for tied in ("w\u00a0sobie", "a\u00a0ona", "z\u00a0nami", "i\u00a0o\u00a0niej"):
        assert tied in polish, (tied, polish)
    czech = body("Byl v lese a k nim šel s nimi.\n", "cs")
    assert all(t in czech for t in ("v\u00a0lese", "a\u00a0k\u00a0nim", "s\u00a0nimi"))
    english = body("I read a book on a train, and I slept.\n", "en")
    assert "\u00a0" not in english.split("<p", 2)[-1]


def test_greek_in_small_capitals_drops_its_accents(convert_body):
    """A Greek text's author line and running head, in small capitals, read "ΝΊΚΟΣ ΑΛΕΞΊΟΥ": WeasyPrint's
    small capitals are Python's upper case, which keeps the accents Greek drops in capitals. The print
    book's small-capital lines lose them (the diaeresis stays); the text itself keeps them."""
    head = "---\ntitle: Το λιμάνι\nauthor: Νίκος Αλεξίου\ndate: 2020\nlang: el\n---\n\n"
    loaded = convert_body("Το λιμάνι της Θεσσαλονίκης δεν κοιμάται ποτέ.\n", head=head)
    html = render_book_html(loaded.publication, list(loaded.converted.values()))
    author = re.search(r'<p class="text-author" data-left="([^"]*)">([^<]*)</p>', html)
    assert author.groups() == ("Νικος Αλεξιου", "Νικος Αλεξιου")
    assert "Θεσσαλονίκης" in html and "Το λιμάνι" in html  # the text and its title keep their accents
    assert greek_capitals("Προϊόν Café") == "Προϊον Café"
    assert greek_capitals("Μάιος είναι") == "Μαϊος ειναι"  # ΜΑΪΟΣ: the accent kept α and ι apart, a diaeresis does


def test_a_link_ending_a_paragraph_is_not_hyphenated():
    """A paragraph's last word inside a link of several words ("… the Global Compact for Safe, Orderly
    and Regular Migration") is kept whole: the link as a whole is set without hyphenation."""
    root = htmltree.parse_fragment("<div><p>the regular migration of the <a href='#g'>Global Compact for "
                                   "Safe, Orderly and Regular Migration</a>.</p></div>")
    print_typography(root)
    whole = [el for el in root.iter() if "last-word" in el.get("class", "").split()]
    assert len(whole) == 1 and "".join(whole[0].itertext()).endswith("Regular Migration")


def test_tight_and_loose_lines_change_letter_spacing_by_one_percent_at_most():
    """A loose line's letters may take a hundredth of an em of its slack, and a tight line's may close
    up by as much so that it takes a syllable its spaces alone cannot make room for; never more (the
    issue allows ±1 %). The fixture's paragraphs of names need both."""
    from weasyprint import HTML

    from chapbook import hyphenation, linebreak

    linebreak.install()
    hyphenation.install()
    source = (FIXTURE / "content" / "texts" / "03-spaces-and-hyphens.md").read_text(encoding="utf-8")
    paragraphs = [p for p in source.split("\n\n") if re.match(r"q\d+ ", p)][:30]
    style = "text-align: justify; hyphens: auto; hyphenate-limit-chars: 6 2 3; margin: 0"
    document = HTML(string="<html lang=en><body style='width: 105mm; font-size: 10pt; line-height: 1.4'>"
                           + "".join(f"<p style='{style}'>{p}</p>" for p in paragraphs)
                           + "</body></html>").render()

    def texts(box):
        if getattr(box, "text", None):
            yield box
        for child in getattr(box, "children", ()):
            yield from texts(child)

    spacing = [(0.0 if t.style["letter_spacing"] == "normal" else t.style["letter_spacing"]) / t.style["font_size"]
               for page in document.pages for t in texts(page._page_box)]
    assert max(map(abs, spacing)) <= 0.01 + 1e-9
    assert min(spacing) < 0 < max(spacing)


def test_names_in_a_long_paragraph_are_found_in_linear_time():
    """Whether a capitalised word starts a sentence is judged from the few characters before it: a
    regex searching the whole text before each word made a long paragraph quadratic (a 300,000-
    character paragraph of names took minutes)."""
    text = "Bartels met Colombia in Strasbourg, writes Bartels. " * 6000
    root = htmltree.parse_fragment(f"<div><p>{text}</p></div>")
    print_typography(root)
    names = [el.text for el in root.iter("span") if "name" in el.get("class", "")]
    assert len(names) == 4 * 6000 and set(names) == {"Bartels", "Colombia", "Strasbourg"}


def test_epub_links_are_styled_as_the_print_book(reader_out):
    """Citation and glossary links underlined the whole introduction: in the EPUB's stylesheet a
    term is underlined dotted, a citation not at all (but when hovered or focused), as in print."""
    import tinycss2

    with zipfile.ZipFile(next(reader_out.glob("*.epub"))) as z:
        css = next(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".css"))
    rules = {}
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule":
            selector = tinycss2.serialize(rule.prelude).strip()
            rules[selector] = {d.lower_name: tinycss2.serialize(d.value).strip()
                               for d in tinycss2.parse_declaration_list(rule.content, True, True)
                               if d.type == "declaration"}
    assert rules["a.cite"]["text-decoration"] == "none"
    assert rules["a.glossref"]["text-decoration-style"] == "dotted"
    assert rules["a.cite:hover, a.cite:focus"]["text-decoration"] == "underline"


def test_title_words_are_hyphenated_only_as_a_last_resort(tmp_path):
    """A common word capitalised in a title (span.title-word) is set like a name (``hyphens: manual``)
    but marked ``--chapbook-last-resort-hyphens: auto``: the paragraph breaker hyphenates it only in
    its last resort, for a line that would otherwise stay loose; a name is never hyphenated."""
    from weasyprint import HTML

    from chapbook import hyphenation, linebreak

    linebreak.install()
    hyphenation.install()
    css = (REPO / "styles" / "print.css").read_text(encoding="utf-8")
    rules = "\n".join(line for line in css.splitlines() if line.startswith((".title-word", ".name, .last-word")))
    html = (f"<html lang=en><head><style>{rules}</style></head><body style='width: 22mm; font-size: 10pt'>"
            "<p style='hyphens: auto'>x <span class='title-word'>Internationalisation</span> "
            "<span class='name'>Internationalisation</span></p></body></html>")

    def pdf_text(last_resort: bool) -> str:
        pdf = tmp_path / f"title-{last_resort}.pdf"
        linebreak.MODE.last_resort = last_resort
        try:
            HTML(string=html).write_pdf(pdf)
        finally:
            linebreak.MODE.last_resort = False
        return text_of(pdf)

    assert "\u2010" not in pdf_text(False)
    hyphenated = pdf_text(True)
    assert hyphenated.startswith("x Interna\u2010")  # the title word
    assert "\nInternationalisation\n" in hyphenated  # the name, whole on its line


# ---- Footnotes stay on their call's page (chapbook.footnotepages) ------------------------------------


def _footnote_document(filler_words: int):
    """An A6 document: a paragraph with a footnote call at the top, a paragraph of filler, and a
    paragraph (orphans: 3) that starts near the foot of the first page."""
    from weasyprint import HTML

    filler = _FILLER.split()
    words = " ".join(filler[i % len(filler)] for i in range(filler_words))
    return HTML(string="<html lang=en><head><style>@page { size: A6; margin: 10mm } body { font-size: 10pt; "
                       "line-height: 1.4 } p { margin: 0 0 2mm; orphans: 3; widows: 2 } .fn { float: footnote }"
                       f"</style></head><body><p>A call here<span class=fn>The note.</span> and more.</p>"
                       f"<p>{words}</p><p>{_FILLER} {_FILLER}</p></body></html>").render()


def _note_page(document) -> int | None:
    def boxes(box):
        yield box
        for child in getattr(box, "children", ()):
            yield from boxes(child)

    return next((n for n, page in enumerate(document.pages) for box in boxes(page._page_box)
                 if getattr(box, "text", None) == "The note."), None)


def test_a_footnote_is_not_moved_off_its_calls_page():
    """WeasyPrint 70 moved a page's footnotes to the next page to fit one more line of a paragraph
    that could not be broken before it (orphans): the iom-profile handout's p. 8 note was printed on
    p. 9. With chapbook.footnotepages the paragraph moves instead. The filler lengths where
    WeasyPrint alone moves the note are found first, so the test cannot pass by missing the case."""
    from weasyprint.layout import block

    from chapbook import footnotepages

    footnotepages.install()
    patched = block._linebox_layout
    provoked = []
    try:
        block._linebox_layout = patched.original
        provoked = [n for n in range(100, 200, 2) if _note_page(_footnote_document(n)) == 1]
    finally:
        block._linebox_layout = patched
    assert provoked, "no filler length makes WeasyPrint move the note: the test no longer tests the fix"
    assert [n for n in provoked if _note_page(_footnote_document(n)) != 0] == []


def test_a_hyphen_of_the_text_counts_in_a_run_of_hyphens(tmp_path, monkeypatch):
    """A line broken after a hyphen of the text ("cross-/border") ends in a hyphen as much as a
    hyphenated one: no more than ``--chapbook-hyphenate-limit-lines`` (2) in a row of either kind.
    Counting only added hyphens let four and six lines in a row end in one."""
    from weasyprint import HTML

    from chapbook import hyphenation, linebreak

    linebreak.install()
    hyphenation.install()
    words = ("internationalisation state-led accountability cross-border intergovernmental well-known "
             "documentation north-south representatives interdependence self-presentation externalisation ") * 10

    def longest_run(width: int) -> int:
        pdf = tmp_path / f"runs-{width}.pdf"
        HTML(string=f"<html lang=en style='--chapbook-hyphenate-limit-lines: 2'><body style='width: {width}mm; "
                    f"font-size: 10pt'><p style='text-align: justify; hyphens: auto'>{words}</p></body></html>"
             ).write_pdf(pdf)
        return max(T.hyphen_runs([(T.Paragraph(1, T.pdf_lines(pdf)), None)]))

    assert [longest_run(w) for w in (65, 70)] == [2, 2]
    monkeypatch.setattr(linebreak, "ends_in_hyphen", linebreak.is_hyphenated)  # added hyphens only
    assert max(longest_run(w) for w in (65, 70)) > 2


def test_a_titles_last_line_is_never_one_short_word(reader_out):
    """"The International Organization for Migration / (IOM)": a title's last two words are kept on
    one line (span.tie), in the book and the handouts; the bookmarks keep plain spaces."""
    assert tie_end("The International Organization for Migration (IOM)") == \
        'The International Organization for <span class="tie">Migration (IOM)</span>'
    for pdf in pdfs(reader_out):
        alone = [f"p. {ln.page}" for ln in T.pdf_lines(pdf) if ln.text == "(IOM)"]
        assert alone == [], pdf.name


def test_a_path_longer_than_the_paragraph_is_run_out(project, tmp_path):
    """The breaker's run-out took the position of each new line from WeasyPrint's own line at that
    index; a path that took more lines than the paragraph had (a word given to the next line in the
    last resort) read past the end: `IndexError`, an internal error. A review's fuzzer found this
    paragraph on a 112 × 200 mm page."""
    config = project / "content" / "publication.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("paper: A5", "paper: '112mm 200mm'"),
                      encoding="utf-8")
    text = project / "content" / "texts" / "01-first-text.md"
    head = text.read_text(encoding="utf-8").split("\n---\n", 1)[0] + "\n---\n\n"
    text.write_text(head + (
        "Some Colombia Geneva administrative people Management management international Migration Organization "
        "headquarters Geneva x asylum an organization Colombia cooperation x Migration headquarters "
        "accountability responsibilities incomprehensibilities humanitarian Organization Bartels "
        "incomprehensibilities displacement commitments mechanisms to management displacement Colombia asylum "
        "administrative displacement Migration on migration migration transnational to.\n"), encoding="utf-8")
    result = run_build("pdf", "--project", project, "--output", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "internal error" not in result.stderr


def test_only_short_inline_endings_are_kept_whole():
    """A paragraph set entirely in italics (or as one link) is hyphenated like any text: only an
    inline element of a few words ending a block is kept whole; a review found a 50-word italic
    paragraph set without a hyphen, its spaces stretched."""
    root = htmltree.parse_fragment("<div><p><em>An entire paragraph set in italics about international "
                                   "migration governance and organisational representatives</em></p></div>")
    print_typography(root)
    assert "last-word" not in root.find(".//em").get("class", "")


def test_tie_end_ties_only_short_plain_words():
    """Two long words tied together ran past the margin (a German title, 23 mm); markup is left as it
    is (a tag whose attribute holds spaces was split); spaces are counted as words are."""
    from markupsafe import Markup

    long_title = "Über die Verantwortungsübertragung Internationalisierungsprozesse"
    assert tie_end(long_title) == long_title
    marked = Markup('Title <img alt="one two three">')
    assert tie_end(marked) == marked
    assert tie_end("One  two") == "One  two"
    assert tie_end("A & B <c> d") == 'A &amp; B <span class="tie">&lt;c&gt; d</span>'


def test_a_day_tied_to_its_month_goes_into_the_names_span():
    """"between 11 and 13 October": the no-break space tying "13" to "October" ended a text just
    before the name's span, and WeasyPrint 70 would not break before the "13" there: it hyphenated
    an earlier word and left a line at 1.93× (p. 19). The day now goes into the span."""
    root = htmltree.parse_fragment("<div><p>action days between 11 and 13 October, and on 4 May.</p></div>")
    print_typography(root)
    assert [el.text for el in root.iter("span") if "name" in el.get("class", "")] == ["13\u00a0October"]


def test_a_compound_breaks_at_its_hyphen_and_a_citation_not_at_all():
    """"self-presen-tation", "ethno-national-istic": a compound is set so that it breaks at its own
    hyphen (span.compound; inside a word only by the breaker's last resort); and a citation is never
    hyphenated ("(Cam-paign Against Racism …)"): a review found both in the book."""
    root = htmltree.parse_fragment("<div><p>on 11-13 October, the self-presentation of a migration-hostile "
                                   "Colombia-based state for its well-being.</p></div>")
    print_typography(root)
    compounds = [(el.text, el.get("class")) for el in root.iter("span") if "-" in (el.text or "")]
    assert compounds == [("self-presentation", "compound"), ("migration-hostile", "compound"),
                         ("Colombia-based", "name"), ("well-being", "compound last-word")]
    css = (REPO / "styles" / "print.css").read_text(encoding="utf-8")
    assert ".cite, .cite * { hyphens: manual; --chapbook-last-resort-hyphens: none; }" in css


def test_no_citation_is_hyphenated_in_the_reader(reader_out):
    """No line of the reader's book or handouts ends, hyphenated, inside a citation that begins on
    it: "(Campaign Against Racism and Fascism 2002)" was set "(Cam-" / "paign …"."""
    for pdf in pdfs(reader_out):
        split = [f"p. {ln.page}: {ln.text[-40:]}" for ln in T.pdf_lines(pdf)
                 if re.search(r"\(\[?[A-Z][^()]*\u2010$", ln.text)]
        assert split == [], pdf.name


def test_a_short_see_also_term_is_not_split_across_lines(reader_out):
    """"See also Cold / War.": a cross-reference of up to 24 characters is kept on one line in the
    glossary of the book and of each handout."""
    import yaml

    entries = yaml.safe_load((REPO / "content" / "glossary.yml").read_text(encoding="utf-8"))
    terms = {t for e in entries for t in e.get("see_also", []) if len(t) <= 24 and " " in t}
    assert terms, "the reader's glossary has no short cross-reference of two words or more"
    for pdf in pdfs(reader_out):
        lines = [ln.text for ln in T.pdf_lines(pdf)]
        split = [f"{a} / {b}" for a, b in itertools.pairwise(lines) for t in terms if "See also" in a
                 and any(a.endswith(" " + t[:i].rstrip()) and re.match(re.escape(t[i:].lstrip()) + "[,.]", b)
                        for i in range(1, len(t)) if t[i - 1] == " " or t[i] == " ")]
        assert split == [], pdf.name


def _wide_image(project: Path) -> None:
    """content/images/wide.png: 600 × 300 px, as wide as the text block at the book's resolution."""
    from PIL import Image

    (project / "content" / "images").mkdir(exist_ok=True)
    Image.new("RGB", (600, 300), (40, 90, 160)).save(project / "content" / "images" / "wide.png")


def test_an_image_paragraph_has_no_indent_and_a_table_keeps_its_alignment(project, tmp_path):
    """A new user's first image, as wide as the text block, in a paragraph of its own: print.css's
    first-line indent pushed it 4.2 mm past the right margin (a warning, and a cut image at the
    trim). And a table's ``|--:|`` columns were left-aligned in print (``th, td { text-align: left }``)
    while the EPUB and web edition right-aligned them."""
    from pypdf import PdfReader

    _wide_image(project)
    text = project / "content" / "texts" / "01-first-text.md"
    head = text.read_text(encoding="utf-8").split("\n---\n", 1)[0] + "\n---\n\n"
    text.write_text(head + "A paragraph before the image.\n\n![A wide blue image](../images/wide.png)\n\n"
                    "| Item | Cost |\n|:--|--:|\n| Stone | 12 400 |\n| Wood | 6 300 |\n\n"
                    "An image ![a small one](../images/wide.png) inside a sentence.\n",
                    encoding="utf-8")
    loaded = load(project)
    html = loaded.converted["first-text"].html
    assert html.count('class="image"') == 1  # the image alone in its paragraph, not the one in a sentence
    result = run_build("pdf", "--project", project, "--output", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "past the right margin" not in result.stderr
    starts: dict[str, float] = {}
    for page in PdfReader(next((tmp_path / "out").glob("*.pdf"))).pages:
        page.extract_text(visitor_text=lambda t, cm, tm, fd, fs: starts.setdefault(t.strip(), tm[4] * cm[0] + cm[4])
                          if t.strip() in ("12 400", "6 300", "Stone") else None)
    assert starts["6 300"] > starts["12 400"] > starts["Stone"]  # right-aligned: shorter starts further right


def test_an_unknown_author_and_date_read_as_such(convert_body, tmp_path):
    """``author: unknown`` and ``date: unknown`` (what the project asks an editor to write rather than
    invent one) were printed as they stand: "unknown." under "Author unknown" on the text's first
    page, and "unknown. unknown." in the sources list of the book and the EPUB."""
    head = "---\ntitle: A Text of Unknown Origin\nauthor: unknown\ndate: unknown\nlang: en\n---\n\n"
    loaded = convert_body("A paragraph of the text.\n", head=head)
    html = render_book_html(loaded.publication, list(loaded.converted.values()))
    assert "unknown. unknown." not in html and ">unknown.<" not in html
    assert "Author unknown. Date unknown." in html
    assert '<p class="first-published">Date unknown.</p>' in html
    result = run_build("epub", "--project", loaded.root, "--output", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(next((tmp_path / "out").glob("*.epub"))) as epub:
        xhtml = " ".join(epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith(".xhtml"))
    assert "unknown. unknown." not in xhtml and ">unknown.<" not in xhtml  # the EPUB too (a review)
    assert "Author unknown. Date unknown." in xhtml and ">Date unknown.</p>" in xhtml


def test_double_quotes_follow_the_language(convert_body, project, tmp_path):
    """Straight double quotes became English “…” whatever the language: „…“ in German, « … » in French
    (narrow no-break spaces inside), as a new user's German and French readers expected. Single quotes
    and apostrophes stay ’ (German's closing ‘ would turn every apostrophe). Bodies follow their
    text's language; titles, names and the .bib's strings the book's."""
    from chapbook.markup import double_quotes

    def body_html(lang: str) -> str:
        head = f"---\ntitle: A Text\nauthor: Ada\ndate: 2020\nlang: {lang}\n---\n\n"
        return convert_body('Er fragte: "Warum?" und ging\'s an.\n', head=head).converted["first-text"].html

    assert "„Warum?“" in body_html("de") and "ging’s" in body_html("de")
    assert "«\u202fWarum?\u202f»" in body_html("fr") and "«Warum?»" in body_html("de-CH")
    assert "“Warum?”" in body_html("en") and "“Warum?”" in body_html("nl")
    assert double_quotes("de_AT") == ("„", "“") and double_quotes(None) == ("“", "”")
    config = project / "content" / "publication.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en", "language: de"), encoding="utf-8")
    text = project / "content" / "texts" / "01-first-text.md"  # convert_body wrote it: a German text again
    text.write_text('---\ntitle: Die "erste" Brücke\nauthor: Ada\ndate: 2020\nlang: de\n---\n\nEin "Text".\n',
                    encoding="utf-8")
    result = run_build("epub", "--project", project, "--output", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(next((tmp_path / "out").glob("*.epub"))) as epub:
        xhtml = " ".join(epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith(".xhtml"))
    assert "Die „erste“ Brücke" in xhtml and "“erste”" not in xhtml and "Ein „Text“." in xhtml


def test_german_and_french_quotes_end_web_addresses_and_sentences():
    """With „…“ and «…» curled before web addresses are marked, the closing “ or » became part of the
    address; and after « Il partit. » the next sentence's first word was taken for a name (a review)."""
    from chapbook.markup import URL
    from chapbook.render import _starts_sentence

    for text in ("Siehe „https://example.org/x“.", "Vgl. «https://example.org/x».", "See “https://example.org/x”."):
        assert [m.group() for m in URL.finditer(text)] == ["https://example.org/x"], text
    french = "«\u202fIl partit.\u202f» Lorsque"
    assert _starts_sentence(french, french.index("Lorsque"))
    assert not _starts_sentence("Il rencontra Bartels", len("Il rencontra "))


def test_an_image_past_the_margin_is_reported_at_its_markdown_line(project, tmp_path):
    """The overflow warning for an image named publication.yml without a line: the image's name
    ("[image content/images/wide.png]") is in no source (a new user's first wide image)."""
    _wide_image(project)
    text = project / "content" / "texts" / "01-first-text.md"
    text.write_text(text.read_text(encoding="utf-8") + "\n![A wide image](../images/wide.png) and then some words "
                    "after it in the same paragraph.\n", encoding="utf-8")
    line = len(text.read_text(encoding="utf-8").splitlines())
    result = run_build("pdf", "--project", project, "--output", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert re.search(rf"01-first-text\.md:{line}:\d+: warning: on page \d+ of the book, "
                     r"'\[image content/images/wide\.png\]' runs", result.stderr), result.stderr
