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
    assert set(ENGLISH) - set(words) <= {"download_epub", "first_day", "date_day", "date_month"}, language
    for key, text in words.items():
        assert placeholders(text) is not None and set(placeholders(text)) <= set(fills(key)), (key, text)
    assert len(words_for(language)["months"].split()) == 12


def test_dates_are_written_as_the_language_writes_them():
    assert human_date("2019-05-03") == "3 May 2019"
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
