"""Greek is set in one face, never letter by letter in two.

Charis SIL, the shipped face, has a score of Greek letters for mathematics and phonetics (α β γ δ θ λ
μ π …) but not the Greek alphabet: a Greek text took those letters from Charis and the others from
the machine's fallback face, so most words mixed two typefaces ("λιμάνι": λ and μ from Charis, ι ά ν
from DejaVu Serif), and an author's name in small capitals kept a lower-case λ among the capitals.
Text in Greek (``lang: el``) is now set whole in the fallback serif face, in every format.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pypdf
from conftest import MINIMAL_PDF_NAME, run_build

GREEK = "Το λιμάνι της Θεσσαλονίκης δεν κοιμάται ποτέ. Ο παππούς μου ήρθε εδώ με ένα πλοίο από τη Σμύρνη."


def _greek_faces(pdf: Path) -> dict[str, str]:
    """The families the PDF draws Greek letters in ("DejaVu-Serif" for its italic and small capitals
    too), each with the letters it draws."""
    faces: dict[str, set[str]] = {}

    def visit(text, cm, tm, font, size):
        for ch in re.findall(r"[\u0370-\u03ff\u1f00-\u1fff]", text or ""):
            face = str(font.get("/BaseFont", "")).partition("+")[2]
            family = re.sub(r"(-(Bold|Italic|Oblique|Small-Caps|BoldItalic))+$", "", face)
            faces.setdefault(family, set()).add(ch)

    for page in pypdf.PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return {face: "".join(sorted(chars)) for face, chars in faces.items()}


def _greek_text(project: Path) -> None:
    text = project / "content" / "texts" / "02-second-text.md"
    head, _, _ = text.read_text(encoding="utf-8").rpartition("---\n")
    head = head.replace("lang: en", "lang: el").replace("authors: [Institute of Race Relations]",
                                                        "authors: [Νίκος Αλεξίου]").replace(
        "title: A Second Text", "title: Το λιμάνι")
    text.write_text(head + "---\n\n" + GREEK + "\n", encoding="utf-8")


def test_greek_letters_of_the_book_and_a_handout_come_from_one_face(project: Path, tmp_path: Path) -> None:
    _greek_text(project)
    result = run_build("pdf", "handouts", "--project", project, "--output", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    for pdf in (tmp_path / "out" / MINIMAL_PDF_NAME, tmp_path / "out" / "handouts" / "second-text.pdf"):
        faces = _greek_faces(pdf)
        assert set(GREEK) - set(" .") <= set("".join(faces.values())), pdf.name
        assert len(faces) == 1, (pdf.name, faces)


def test_a_heading_face_of_the_projects_own_is_kept_for_greek(project: Path, tmp_path: Path) -> None:
    _greek_text(project)
    (project / "styles").mkdir(exist_ok=True)
    (project / "styles" / "custom.css").write_text(
        '@font-face { font-family: "Press Sans"; src: url(fonts/DejaVuSans.ttf); }\n', encoding="utf-8")
    (project / "styles" / "fonts").mkdir()
    (project / "styles" / "fonts" / "DejaVuSans.ttf").write_bytes(
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").read_bytes())
    settings = project / "content" / "publication.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "typography:\n", "typography:\n  heading_font: Press Sans\n"), encoding="utf-8")
    result = run_build("pdf", "--project", project, "--output", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    faces = _greek_faces(tmp_path / "out" / MINIMAL_PDF_NAME)
    assert not any("Charis" in face for face in faces), faces
    assert "Press-Sans" in faces and set("Τολιμάνι") - {" "} <= set(faces["Press-Sans"]), faces  # the title


def test_the_epub_sets_greek_in_one_face(project: Path, tmp_path: Path) -> None:
    """The EPUB's chapter laid out with its own stylesheet (WeasyPrint standing in for a reading system)."""
    import weasyprint

    _greek_text(project)
    result = run_build("epub", "--project", project, "--output", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(next((tmp_path / "out").glob("*.epub"))) as epub:
        epub.extractall(tmp_path / "epub")
    weasyprint.HTML(filename=str(tmp_path / "epub" / "EPUB" / "part-second-text.xhtml")).write_pdf(tmp_path / "e.pdf")
    faces = _greek_faces(tmp_path / "e.pdf")
    assert len(faces) == 1 and not any("Charis" in face for face in faces), faces
