"""chapbook's own words (headings, labels, dates) follow the book's language; a project's words: over them."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from conftest import run_build
from pypdf import PdfReader

from chapbook.words import CATALOGUE, ENGLISH, fills, human_date, placeholders, words_for
from chapbook.writers.handouts import page_footer

ENGLISH_ONLY = ["Contents", "Glossary", "Edited by", "Sources of the texts", "Questions for discussion",
                "Original address", "Date unknown"]


def _set(project: Path, **settings: str) -> None:
    config = project / "content" / "publication.yml"
    text = config.read_text(encoding="utf-8")
    for key, value in settings.items():
        text = re.sub(rf"(?m)^{key}:.*$", f"{key}: {value}", text) if re.search(rf"(?m)^{key}:", text) \
            else text + f"\n{key}: {value}\n"
    config.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("language", sorted(CATALOGUE))
def test_every_catalogue_fills_in_what_its_english_word_does(language):
    words = CATALOGUE[language]
    assert set(words) <= set(ENGLISH), set(words) - set(ENGLISH)
    # what a catalogue may leave to the English entry: the same in its language
    assert set(ENGLISH) - set(words) <= {"download_epub", "first_day", "date_day", "date_month", "ref_day",
                                         "ref_day_month"}, language
    for key, text in words.items():
        assert placeholders(text) is not None and set(placeholders(text)) <= set(fills(key)), (key, text)
    assert len(words_for(language)["months"].split()) == 12
    assert len(words_for(language)["ref_seasons"].split()) == 4


def test_dates_are_written_as_the_language_writes_them():
    assert human_date("2019-05-03", ENGLISH) == "3 May 2019"
    assert human_date("2019-05-03", words_for("de")) == "3. Mai 2019"
    assert human_date("2019-05-01", words_for("fr")) == "1er mai 2019"
    assert human_date("2019-05-03", words_for("es-MX")) == "3 de mayo de 2019"
    assert human_date("2002-07", words_for("pt-BR")) == "julho de 2002"
    assert human_date("2002-07", words_for("nl")) == "juli 2002"
    assert human_date("Spring 1990", words_for("de")) == "Spring 1990"  # not a date: as written


def test_a_conversion_is_cached_per_verse_setting():
    """Toggling verse: reused the other conversion: a cached build differed from a clean one (a review)."""
    import dataclasses

    from chapbook.convcache import key
    from chapbook.diagnostics import Location
    from chapbook.model import Part

    part = Part(slug="a", kind="text", title="A", path=Path("a.md"), body="x\ny\n",
                body_location=Location(Path("a.md")))
    assert key(part, "s") != key(dataclasses.replace(part, verse=True), "s")


def test_a_handouts_page_footer_cannot_leave_its_css_string():
    css = page_footer(words_for("en", {"page_of_pages": 'p. {page} "}}</style><script>x</script> / {pages}'}))
    assert css.startswith('"p\\00002e " counter(page) " ')
    assert css.endswith('" counter(pages)')
    assert not {"<", "}", "\n"} & set(str(css)) and str(css).count('"') == 4
    assert str(page_footer(words_for("de"))) == '"Seite " counter(page) " von " counter(pages)'
    from chapbook.writers.handouts import css_string  # the one escaper, also offered to a project's templates

    assert css_string('  a "b" </style>  ') == '"a \\000022b\\000022 \\00003c\\00002fstyle\\00003e"'


def test_a_german_book_says_everything_of_its_own_in_german(project, tmp_path):
    """Every output of a `language: de` book: chapbook's headings, labels, dates and page words in
    German, none of the English ones (texts in English keep their own words)."""
    _set(project, language="de")
    text = project / "content" / "texts" / "02-second-text.md"
    text.write_text(text.read_text(encoding="utf-8").replace("lang: en", "lang: de")
                    .replace("source: irr2002\n", "").replace('date: "2002"', "date: 2002-05-01"),
                    encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("pdf", "epub", "handouts", "web", "--project", project, "--output", out)
    assert result.returncode == 0, result.stdout + result.stderr
    book = "\n".join(page.extract_text() for page in PdfReader(next(out.glob("*[a-z].pdf"))).pages)
    flat = " ".join(book.split())
    for german in ["Inhalt", "Glossar", "Herausgegeben von", "Quellen der Texte", "Fragen zur Diskussion",
                   "Literaturverzeichnis", "1. Mai 2002", "Ursprüngliche Adresse: unbekannt", "Siehe auch", "(S. ",
                   "Zuerst erschienen in example.org, 3. Mai 2019."]:
        assert german in flat, german
    for english in [*ENGLISH_ONLY, "First published", "(p. ", "unknown."]:
        assert english not in flat, english

    with zipfile.ZipFile(next(out.glob("*.epub"))) as epub:
        xhtml = " ".join(epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml"))
    assert ">Inhalt</h1>" in xhtml and ">Glossar</a>" in xhtml and "Seiten der Druckausgabe" in xhtml
    assert "Back to note" not in xhtml and "Zurück zu Anmerkung 1 im Text" in xhtml
    assert not [w for w in ["Contents", "Landmarks", "Title page", "Edited by"] if f">{w}<" in xhtml]
    with zipfile.ZipFile(next(out.glob("*.epub"))) as epub:  # the accessibility summary, in the package's language
        opf = epub.read("EPUB/package.opf").decode()
    assert 'xml:lang="de"' in opf and "Diese Publikation erfüllt die Anforderungen" in opf
    assert "This publication" not in opf

    handout = PdfReader(next((out / "handouts").glob("first-text.pdf")))
    first = " ".join(handout.pages[0].extract_text().split())
    assert "Seite 1 von" in first and "Im Reader" in first and "Datum" in first and "page 1 of" not in first
    assert "3. Mai 2019" in first

    search = (out / "web" / "search" / "index.html").read_text(encoding="utf-8")
    assert 'data-found-many="{count} Absätze enthalten „{query}“."' in search
    assert ">Suche</label>" in search and "Skip to the text" not in search
    index = json.loads((out / "web" / "search" / "index.js").read_text(encoding="utf-8")
                       .removeprefix("window.chapbookIndex = ").rstrip().rstrip(";"))
    places = {entry[2].split()[0] for entry in index if entry[2]}
    assert places <= {"¶", "Anm."}, places


def test_words_in_publication_yml_are_used_and_checked(project, tmp_path):
    """A project's words: override the catalogue's, are escaped, and a wrong one is an error at its line."""
    config = project / "content" / "publication.yml"
    config.write_text(config.read_text(encoding="utf-8") + "words:\n  contents: <b>What is in it</b>\n"
                      "  glossary: Words\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("epub", "--project", project, "--output", out)
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(next(out.glob("*.epub"))) as epub:
        nav = epub.read("EPUB/nav.xhtml").decode()
    assert "&lt;b&gt;What is in it&lt;/b&gt;</h1>" in nav and ">Words</a>" in nav

    lines = config.read_text(encoding="utf-8").count("\n")
    config.write_text(config.read_text(encoding="utf-8") + "  contnets: Inhalt\n  cover_of: '{title.__class__}'\n"
                      "  months: Jan Feb\n  search: [a, b]\n  note_back: '{label:>30000000}'\n"
                      "  title_page_of: '{title!r}'\n", encoding="utf-8")
    result = run_build("check", "--project", project)
    assert result.returncode == 1
    found = result.stdout
    assert f"publication.yml:{lines + 1}:1: error: unknown word 'words.contnets' (did you mean 'contents'?)" in found
    assert f"publication.yml:{lines + 2}:1: error: 'words.cover_of' may only use {{title}}" in found
    assert f"publication.yml:{lines + 3}:1: error: 'words.months' must name the twelve months" in found
    assert f"publication.yml:{lines + 4}:1: error: 'words.search' must be text" in found
    assert f"publication.yml:{lines + 5}:1: error: 'words.note_back' may only use {{label}}, as bare names" in found
    assert f"publication.yml:{lines + 6}:1: error: 'words.title_page_of' may only use {{title}}" in found
    assert "Traceback" not in result.stderr


def test_a_language_without_words_of_chapbooks_own_is_warned_about(project):
    _set(project, language="pl")
    result = run_build("check", "--project", project)
    assert "warning: chapbook has no words of its own in 'pl'" in result.stdout
    assert "[no-words]" in result.stdout
    config = project / "content" / "publication.yml"
    given = "".join(f"  {key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in ENGLISH.items())
    config.write_text(config.read_text(encoding="utf-8") + "words:\n" + given, encoding="utf-8")
    result = run_build("check", "--project", project)
    assert "no-words" not in result.stdout, result.stdout


def test_fill_fills_in_bare_names_only(project, tmp_path):
    """A project's template is untrusted: ``fill`` formats outside the sandbox, so a field that reaches
    an attribute is refused at the template's line, like the sandbox's own refusals."""
    (project / "templates").mkdir()
    book = (Path(__file__).parent.parent / "templates" / "book.html.j2").read_text(encoding="utf-8")
    (project / "templates" / "book.html.j2").write_text(book.replace(
        "<h1>{{ words.contents }}</h1>", '<h1>{{ "{c.__class__.__init__.__globals__}" | fill(c=config) }}</h1>'),
        encoding="utf-8")
    result = run_build("pdf", "--project", project, "--output", tmp_path / "out")
    assert result.returncode == 1
    line = next(n for n, text in enumerate(book.splitlines(), 1) if "<h1>{{ words.contents }}</h1>" in text)
    assert f"book.html.j2:{line}:" in result.stderr + result.stdout
    assert "'fill' fills in bare names such as {page}" in result.stderr + result.stdout
    assert "__builtins__" not in result.stderr + result.stdout and not (tmp_path / "out").exists()


def test_first_published_takes_the_projects_months(project):
    """The date after "First published in" is chapbook's own sentence: it follows words: too (a review:
    a Polish book with its own months printed "3 May 2019" there, and the handout the Polish date)."""
    from conftest import load

    from chapbook.render import render_book_html

    config = project / "content" / "publication.yml"
    months = "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en", "language: pl")
                      + f"words:\n  months: {months}\n  first_published_in: Pierwodruk w\n", encoding="utf-8")
    loaded = load(project)
    html = render_book_html(loaded.publication, list(loaded.converted.values()))
    assert "Pierwodruk w" in html and "3 maja 2019" in html and "3 May 2019" not in html


def test_words_are_printed_as_written_and_hold_no_reordering_characters(project, tmp_path):
    """An attack's findings: a heading could not hold a brace ("Contents {{draft}}" was printed as
    written), and U+202E in a word reversed the editors' names printed after it."""
    config = project / "content" / "publication.yml"
    base = config.read_text(encoding="utf-8")
    config.write_text(base + 'words:\n  contents: "Contents {draft}"\n  edited_by: "Edited\\u202e by"\n',
                      encoding="utf-8")
    result = run_build("check", "--project", project)
    assert result.returncode == 1
    assert "control character U+202E in 'words.edited_by' is not allowed" in result.stdout
    assert result.stdout.count("U+202E") == 1, result.stdout  # the YAML reader's error, not a second one
    config.write_text(base + 'words:\n  edited_by: "Edited\\u2067 by"\n', encoding="utf-8")
    result = run_build("check", "--project", project)
    assert result.returncode == 1
    assert "'words.edited_by' holds the character U+2067" in result.stdout  # an isolate no word closes
    config.write_text(base + 'words:\n  contents: "Contents {draft}"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("epub", "--project", project, "--output", out)
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(next(out.glob("*.epub"))) as epub:
        assert ">Contents {draft}</h1>" in epub.read("EPUB/nav.xhtml").decode()


# -- the house citation style's words --------------------------------------------------------------

REFERENCES = Path(__file__).parent / "fixtures" / "words" / "references.bib"
# What the house style adds to tests/fixtures/words/references.bib in each language: "edited by", the
# editors' and translator's words, "and", "et al.", an edition, "Accessed", "n.d.", a range and a season.
HOUSE_WORDS = {
    "en": ["In Das Buch, edited by Carla Weber, 33–45. 2nd ed.", "Klein, Dora, and Emil Groß, eds. 2015",
           "Translated by Frieda Lang. 3 vols.", "Bloch, and Paul Celan. n.d.", "Accessed 5 March 2020",
           "(Tagung, 19–25 May 1968)", "Zeitschrift, Spring 1968", "Adler, Otto, et al. 1968",
           "(Müller and Schmidt 2010; Arendt et al. n.d.; Adler et al. 1968)"],
    "de": ["In Das Buch, hg. von Carla Weber, 33–45. 2. Aufl.", "Klein, Dora und Emil Groß, Hg. 2015",
           "Übers. von Frieda Lang. 3 Bde.", "Bloch und Paul Celan. o. J.", "Abgerufen am 5. März 2020",
           "(Tagung, 19.–25. Mai 1968)", "Zeitschrift, Frühjahr 1968", "Adler, Otto, u. a. 1968",
           "(Müller und Schmidt 2010; Arendt u. a. o. J.; Adler u. a. 1968)", "Wien und Graz"],
    "fr": ["Dans Das Buch, sous la direction de Carla Weber, 33–45. 2e éd.", "Klein, Dora et Emil Groß, dir.",
           "Trad. par Frieda Lang. 3 vol.", "Bloch et Paul Celan. s. d.", "Consulté le 5 mars 2020",
           "(Tagung, 19–25 mai 1968)", "Zeitschrift, printemps 1968", "(Müller et Schmidt 2010; Arendt et al. s. d."],
    "es": ["En Das Buch, editado por Carla Weber, 33–45. 2.ª ed.", "Klein, Dora y Emil Groß, eds.",
           "Traducido por Frieda Lang.", "Bloch y Paul Celan. s. f.", "Consultado el 5 de marzo de 2020",
           "(Tagung, 19–25 de mayo de 1968)", "Zeitschrift, primavera de 1968"],
    "it": ["In Das Buch, a cura di Carla Weber, 33–45. 2ª ed.", "Klein, Dora e Emil Groß, curr.",
           "Traduzione di Frieda Lang. 3 voll.", "Bloch e Paul Celan. s.d.", "Consultato il 5 marzo 2020",
           "(Tagung, 19–25 maggio 1968)", "Zeitschrift, primavera 1968"],
    "nl": ["In Das Buch, onder redactie van Carla Weber, 33–45. 2e dr.", "Klein, Dora en Emil Groß, red.",
           "Vertaald door Frieda Lang. 3 dln.", "Bloch en Paul Celan. z.j.", "Geraadpleegd op 5 maart 2020",
           "(Tagung, 19–25 mei 1968)", "Zeitschrift, voorjaar 1968"],
    "pt": ["Em Das Buch, organizado por Carla Weber, 33–45. 2.ª ed.", "Klein, Dora e Emil Groß, orgs.",
           "Traduzido por Frieda Lang.", "Bloch e Paul Celan. s.d.", "Consultado em 5 de março de 2020",
           "(Tagung, 19–25 de maio de 1968)", "Zeitschrift, primavera de 1968"],
}
# The house style's English words: none may be left in a book in another language.
ENGLISH_REFERENCE_WORDS = [" and ", "n.d.", "Accessed", "edited by", "Edited by", "Translated by", "2nd ed.",
                           "May", "Spring", "March"]


def _references(language: str, own: dict | None = None) -> str:
    from pybtex.database import parse_string

    from chapbook.bibliography import Bibliography
    from chapbook.citations import find_citations

    bib = Bibliography(parse_string(REFERENCES.read_text(encoding="utf-8"), "bibtex"), language=language,
                       words=words_for(language, own))
    bib.use(bib.keys)
    citation = find_citations("[@mueller2010; @arendt; @adler1968]")[0][0]
    text = "\n".join([*(bib.entry_text(key) for key in sorted(bib.keys)), bib.cite_text(citation)])
    return text.replace("\u00a0", " ")


@pytest.mark.parametrize("language", sorted(CATALOGUE))
def test_the_house_style_writes_references_in_the_books_language(language):
    """The house citation style (Chicago author–date) said "Edited by", "Accessed", "n.d." and "19–25 May
    1968" in every book: its words are the book's now, in each catalogue's language."""
    text = _references(language)
    for expected in HOUSE_WORDS[language]:
        assert expected in text, (expected, text)
    if language != "en":
        assert not [w for w in ENGLISH_REFERENCE_WORDS if w in text], text


def test_the_projects_words_reach_the_house_style():
    text = _references("de", {"ref_no_date": "ohne Jahr", "ref_edited_by_lower": "herausgegeben von",
                              "ref_edition": "{number}., überarb. Aufl.", "ref_seasons": "Lenz Sommer Herbst Winter"})
    assert "herausgegeben von Carla Weber, 33–45. 2., überarb. Aufl." in text
    assert "Arendt u. a. ohne Jahr" in text and "Zeitschrift, Lenz 1968" in text


def test_a_german_book_writes_its_references_in_german(project, tmp_path):
    """A `language: de` book's reference list and citations, in the PDF and the EPUB: "hg. von", "o. J.",
    "Abgerufen am", "u. a.", and none of the house style's English words."""
    _set(project, language="de")
    bib = project / "bibliography.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + REFERENCES.read_text(encoding="utf-8"), encoding="utf-8")
    text = project / "content" / "texts" / "02-second-text.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nBelege: [@mueller2010; @klein2015; @rossi2001; "
                    "@arendt; @zeh1969; @adler1968].\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("pdf", "epub", "--project", project, "--output", out)
    assert result.returncode == 0, result.stdout + result.stderr
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(next(out.glob("*[a-z].pdf"))).pages]
    references = " ".join(p for p in pages if "Literaturverzeichnis" in p and "Abgerufen am" in p)
    references = references.replace("\u00a0", " ").replace("Ethnic and Migration", "")  # the minimal's own
    with zipfile.ZipFile(next(out.glob("*.epub"))) as epub:
        xhtml = epub.read("EPUB/bibliography.xhtml").decode().replace("\u00a0", " ")
        cites = epub.read("EPUB/part-second-text.xhtml").decode().replace("\u00a0", " ")
    ours = r'<li id="ref-(?:mueller2010|klein2015|rossi2001|arendt|zeh1969|adler1968)">.*?</li>'
    listed = "\n".join(re.sub(r"<[^>]+>", "", li) for li in re.findall(ours, xhtml))
    for shown in (references, listed):
        for german in ["hg. von Carla Weber", "2. Aufl.", "Klein, Dora und Emil Groß, Hg.", "Übers. von Frieda Lang",
                       "o. J.", "Abgerufen am 5. März 2020", "19.–25. Mai 1968", "Frühjahr 1968", "Adler, Otto, u. a."]:
            assert german in shown, (german, shown)
        assert not [w for w in [*ENGLISH_REFERENCE_WORDS, "et al.", "eds.", " vols."] if w in shown], shown
    assert "Arendt u. a. o. J." in re.sub(r"<[^>]+>", "", cites) and "Müller und Schmidt 2010" in cites


def test_reference_words_are_checked_like_the_others(project):
    config = project / "content" / "publication.yml"
    lines = config.read_text(encoding="utf-8").count("\n")
    config.write_text(config.read_text(encoding="utf-8") + "words:\n  ref_acessed: Abgerufen am\n"
                      "  ref_edition: '{year}. Aufl.'\n  ref_seasons: Frühjahr Sommer\n"
                      "  ref_day_month: '{day}. {month}'\n  ref_edition_x: '{number}'\n", encoding="utf-8")
    result = run_build("check", "--project", project)
    assert result.returncode == 1
    found = result.stdout
    assert (f"publication.yml:{lines + 2}:1: error: unknown word 'words.ref_acessed' (did you mean "
            "'ref_accessed'?)") in found
    assert f"publication.yml:{lines + 3}:1: error: 'words.ref_edition' may only use {{ordinal}}, {{number}}" in found
    assert f"publication.yml:{lines + 4}:1: error: 'words.ref_seasons' must name the four seasons" in found
    assert f"publication.yml:{lines + 5}:" not in found


def test_the_books_words_are_a_required_argument(tmp_path):
    """A function that took ``words=ENGLISH`` or ``note_word="note"`` printed English in a German book
    for a caller that forgot the book's words; every one of them requires them now, and a template
    environment that was not given the book's language refuses to write a date."""
    import inspect

    from chapbook import render
    from chapbook.bibstyle import ChicagoAuthorDate
    from chapbook.documents import part_fragment
    from chapbook.model import Converted
    from chapbook.templating import TemplateProblem
    from chapbook.webindex import paragraph_entries
    from chapbook.writers.handouts import page_range

    for function, name in [(Converted.place, "note_word"), (paragraph_entries, "note_word"),
                           (render.correction_rows, "words"), (render.byline, "words"), (page_range, "words"),
                           (part_fragment, "words"), (human_date, "words"), (ChicagoAuthorDate, "words")]:
        assert inspect.signature(function).parameters[name].default is inspect.Parameter.empty, function
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "date.j2").write_text("{{ '2019-05-03' | human_date }}", encoding="utf-8")
    with pytest.raises(TemplateProblem, match="human_date needs the book's words"):
        render.template_env(tmp_path).get_template("date.j2").render()
    (tmp_path / "templates" / "word.j2").write_text("{{ words.contents }}", encoding="utf-8")
    with pytest.raises(TemplateProblem, match="'words' is undefined"):  # StrictUndefined
        render.template_env(tmp_path).get_template("word.j2").render()


def test_a_german_booklet_says_how_to_print_and_fold_it_in_german(project, tmp_path):
    """The booklet's page on printing and folding was English in every book: it follows the book's words."""
    _set(project, language="de")
    out = tmp_path / "out"
    result = run_build("booklet", "--project", project, "--output", out)
    assert result.returncode == 0, result.stdout + result.stderr
    reader = PdfReader(next(out.glob("*-booklet-instructions.pdf")))
    said = " ".join(reader.pages[0].extract_text().split())
    for german in ["So drucken und falten Sie diese Broschüre", "an der KURZEN Kante wenden", "Mit dem ersten Bogen",
                   "Falten Sie jeden Bogen", "Heften Sie zweimal", "Bogen 1 (Seiten", "zweite Seite", "Papier A4 quer",
                   "bis zu 0,5 mm"]:
        assert german in said, (german, said)
    for english in ["How to print", "flip on the SHORT edge", "Fold", "Staple", "sheet", "pages"]:
        assert english not in said, (english, said)
    assert reader.metadata.title.endswith("— die Broschüre drucken und falten")


@pytest.mark.parametrize(("language", "quoted", "question"), [
    ("en", "“Ein Aufsatz.”", "“Was tun?” Z."), ("de", "„Ein Aufsatz“.", "„Was tun?“ Z."),
    ("fr", "«\u202fEin Aufsatz\u202f».", "«\u202fWas tun?\u202f» Z."), ("es", "«Ein Aufsatz».", "«Was tun?» Z."),
    ("de-CH", "«Ein Aufsatz».", "«Was tun?» Z.")])
def test_the_house_style_quotes_titles_as_the_books_language_does(language, quoted, question):
    """A German reader's references said “Ein Kapitel.” in English quotation marks, the period inside
    them, where its texts said „…“: a title takes the book's marks, and the period follows them but
    where the title ends a sentence itself (American usage keeps it inside)."""
    from pybtex.database import parse_string

    from chapbook.bibliography import Bibliography

    assert quoted in _references(language)
    bib = Bibliography(parse_string("@article{q, author = {Frage, Fritz}, title = {Was tun?}, journal = {Z}, "
                                    "year = {2021}}", "bibtex"), language=language, words=words_for(language))
    bib.use(["q"])
    assert question in bib.entry_text("q")


def test_an_empty_word_is_an_error_at_its_line(project):
    """'words: {contents: ""}' passed check and made an EPUB with an empty <title>, an empty heading and
    empty links in its navigation (six EPUBCheck errors), and a book with a blank heading."""
    config = project / "content" / "publication.yml"
    lines = config.read_text(encoding="utf-8").count("\n")
    config.write_text(config.read_text(encoding="utf-8") + 'words:\n  contents: ""\n  glossary: "  "\n',
                      encoding="utf-8")
    result = run_build("check", "--project", project)
    assert result.returncode == 1
    assert (f"publication.yml:{lines + 2}:1: error: 'words.contents' is empty: give the word (such as 'Contents'), "
            "or leave it out for chapbook's own [bad-value]") in result.stdout
    assert f"publication.yml:{lines + 3}:1: error: 'words.glossary' is empty" in result.stdout
