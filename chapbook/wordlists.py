"""chapbook's own words in each language it has a catalogue for: the data :mod:`chapbook.words` serves.

One dictionary per language, by name (``"contents"``, ``"ref_edited_by"``); :data:`ENGLISH` has every
name and is what the others fall back on, and what a project's ``words:`` is checked against. A
value's ``{name}`` fields are those of its English entry (checked by tests/test_words.py), filled in
by the template or the reference style that prints it.
"""

from __future__ import annotations

__all__ = ["CATALOGUE", "ENGLISH"]

ENGLISH: dict[str, str] = {
    # headings, landmarks and page titles
    "contents": "Contents",
    "glossary": "Glossary",
    "bibliography": "Bibliography",
    "sources": "Sources of the texts",
    "questions": "Questions for discussion",
    "references": "References",
    "corrections": "List of corrections",
    "landmarks": "Landmarks",
    "cover": "Cover",
    "title_page": "Title page",
    "imprint": "Imprint",
    "print_pages": "Pages of the print edition",
    "about": "About this edition",
    "search": "Search",
    "download": "Download",
    # labels
    "summary": "Summary.",
    "edited_by": "Edited by",
    "edited_by_lower": "edited by",
    "published_by": "Published by",
    "first_published_in": "First published in",
    "first_published_form": "First published:",  # before a form such as "Pamphlet" (howpublished)
    "first_published_by": "First published by",
    "first_published_by_the": "First published by the",  # before a name such as "Institute of Race Relations"
    "first_published": "First published",
    "author_unknown": "Author unknown",
    "date_unknown": "Date unknown",
    "unknown": "unknown",
    "unknown_sentence": "Unknown.",
    "original_address": "Original address:",
    "see_also": "See also",
    "page": "p.",
    "pages": "pp.",
    "note": "note",
    "heading": "heading",
    "deleted": "(deleted)",
    "notes": "notes",
    "glossary_in": "In",
    "date": "Date",
    "from": "From:",
    "in_the_reader": "In the reader",
    "contents_in_sentence": "contents",
    # sentences
    "no_corrections": "The editors made no corrections to the texts.",
    "reproduced_print": "The texts are reproduced from the sources listed on page {page}; editorial changes are "
                        "described in the {notes}.",
    "reproduced_epub": "The texts are reproduced from the sources listed in {sources}; editorial changes are "
                       "described in the {notes}.",
    "colophon_charis": "Set in Charis SIL, an open-source typeface by SIL International derived from "
                       "Bitstream Charter.",
    "colophon_font": "Set in {font}.",
    "colophon_headings": "Headings in {font}.",  # after colophon_font or _charis, when the headings differ
    "typeset_with": "Typeset with chapbook {version} and WeasyPrint.",
    "colophon_epub": "Set in Charis SIL, an open-source typeface by SIL International derived from Bitstream "
                     "Charter, licensed under the SIL Open Font License 1.1. EPUB edition made with chapbook "
                     "{version}; its page numbers are those of the print edition.",
    "glossary_intro_print": "In the texts, a term explained here is marked with a dotted underline where it "
                            "first occurs. The page numbers after each entry lead to those places.",
    "glossary_intro_epub": "In the texts, a term explained here is linked where it first occurs. The links "
                           "after each entry lead back to those places (with the page of the print edition).",
    "note_back": "Back to note {label} in the text",
    "cover_of": "Cover: {title}",
    "title_page_of": "Title page: {title}",
    "pages_in": "{pages} of {book}",
    "page_of_pages": "page {page} of {pages}",
    # the web edition
    "skip": "Skip to the text",
    "site": "Site",
    "go": "Go",
    "search_help": "Type words in the search box above: every paragraph that has all of them is listed, "
                   "with its place (¶ or note).",
    "search_needs_js": "Search needs JavaScript; the {contents} and the glossary work without it.",
    "previous_next": "Previous and next",
    "previous": "Previous",
    "next": "Next",
    "web_foot": "Page numbers in the margin, {marker}, are those of the print edition; ¶ numbers are the same "
                "in every edition.",
    "found_one": "1 paragraph has “{query}”.",
    "found_many": "{count} paragraphs have “{query}”.",
    "found_none": "Nothing found for “{query}”.",
    "download_pdf": "Book (PDF)",
    "download_epub": "EPUB",
    "download_booklet": "Booklet for folding (PDF)",
    "download_handout": "Handout: {title} (PDF)",
    # dates: "11 December 2008", "December 2008"
    "months": "January February March April May June July August September October November December",
    "date_day": "{day} {month} {year}",
    "date_month": "{month} {year}",
    "first_day": "1",
    # the house citation style (Chicago author–date): its reference list, citation labels and dates
    "ref_accessed": "Accessed",  # before a date: "Accessed 3 May 2019"
    "ref_no_date": "n.d.",
    "ref_edited_by": "Edited by",
    "ref_edited_by_lower": "edited by",  # "In <Book>, edited by …"
    "ref_translated_by": "Translated by",
    "ref_by": "by",  # "In <Book>, by its author"
    "ref_and": "and",  # "Smith and Jones"; "Smith, Jones, and Brown"
    "ref_serial_comma": ",",  # before the last "and" of three or more ('' for none)
    "ref_et_al": "et al.",
    "ref_in": "In",
    "ref_in_lower": "in",
    "ref_ed": "ed",  # after an editor who stands in the author's place: "Smith, Jane, ed."
    "ref_eds": "eds",
    "ref_trans": "trans",
    "ref_edition": "{ordinal} ed.",  # {ordinal}: 2nd (1re in French); {number}: 2
    "ref_volume": "Vol.",
    "ref_volume_lower": "vol.",
    "ref_volumes": "vols.",  # "3 vols."
    "ref_part": "pt.",
    "ref_of": "of",  # "Vol. 2 of <Work>"
    "ref_chapter": "chap.",
    "ref_number": "No.",
    "ref_number_lower": "no.",
    "ref_special_issue": "Special issue",
    "ref_originally_published_as": "Originally published as",
    "ref_first_published": "First published",
    "ref_version": "Version",
    "ref_circa": "ca.",  # "ca. 1850"
    "ref_seasons": "Spring Summer Autumn Winter",
    "ref_day_month": "{day} {month}",  # the first date of a range: "19 May–2 June 1968"
    "ref_day": "{day}",  # the first day of a range: "19–25 May 1968"
    # the EPUB's accessibility summary (schema:accessibilitySummary in its package document)
    "accessibility_summary": "This publication meets the requirements of EPUB Accessibility 1.1 and WCAG 2.2 Level "
                             "AA. It is reflowable text with a structured table of contents, landmarks and headings, "
                             "and a logical reading order. Page-break markers and a page list give the page numbers "
                             "of the print edition. Footnotes are marked as notes and link back to the text; "
                             "citations link to the bibliography, and glossary terms to the glossary, whose entries "
                             "link back to where each term is used.",
    "accessibility_images_none": "The cover is an image with a text alternative; there are no other images that carry"
                                 " meaning, no audio, video or hazards.",
    "accessibility_images_described": "The cover and every picture in the texts are images with a text alternative; "
                                      "there is no audio, video or hazard.",
    "accessibility_images_undescribed": "The cover is an image with a text alternative; some of the pictures in the "
                                        "texts have none. There is no audio, video or hazard.",
    # the booklet's page on how to print and fold it
    "booklet_heading": "How to print and fold this booklet",
    "booklet_document_title": "How to print and fold: {title}",
    "booklet_pdf_title": "{title} — how to print and fold the booklet",
    "booklet_lead": "{title}: {plan} of {sheet} paper.",
    "booklet_blank_added": "{pages} pages → {padded}: {blanks} blank page added {where}",
    "booklet_blanks_added": "{pages} pages → {padded}: {blanks} blank pages added {where}",
    "booklet_before_back_cover": "before the back cover",
    "booklet_end_of_back_matter": "at the end of the back matter",
    "booklet_no_blanks": "{pages} pages, no blank pages needed",
    "booklet_one_sheet": "1 sheet",
    "booklet_sheets": "{sheets} sheets",
    "booklet_in_gatherings": "in {count} gatherings of {sizes} pages",
    "booklet_print": "Print double-sided, flip on the SHORT edge",
    "booklet_print_text": "(also called “short-edge binding” or “flip up”), at actual size (100\u00a0%, no “fit to "
                          "page”), on {sheet} paper.",
    "booklet_print_only": "Print only pages 1–{last} of the PDF; this last page is just for reading.",
    "booklet_test": "Test with the first sheet",
    "booklet_test_text": "(PDF pages 1 and 2): page 2 of the book must be printed behind page 1, upright. If it is "
                         "upside down, your printer needs “flip on the long edge” instead.",
    "booklet_fold": "Fold",
    "booklet_fold_text": "every sheet in half {fold}, with its first printed side outside.",
    "booklet_fold_marked": "along the short middle line, marked by the dashed fold marks at its top and bottom",
    "booklet_fold_unmarked": "along the short middle line, between its two pages",
    "booklet_gather": "Gather.",
    "booklet_nest": "Nest the folded sheets in the order they were printed: sheet 1 (pages {last} and 1) on the "
                    "outside, the last sheet in the middle.",
    "booklet_gatherings": "The booklet is made of {count} gatherings ({sizes} pages). Fold and nest the sheets of "
                          "each gathering on its own, the first sheet of each gathering outside; then stack the "
                          "gatherings in order, gathering 1 on top.",
    "booklet_bind": "Bind.",
    "booklet_staple": "Staple twice through the fold from the outside, about a quarter of the height from the top "
                      "and from the bottom (saddle stitch).",
    "booklet_reach": "The staples lie along the fold, {mm} mm from the sheet’s side edges, beyond an ordinary "
                     "stapler’s reach: use a long-reach (long-arm) stapler.",
    "booklet_sew": "Sew each gathering through its fold, or glue the stacked gatherings at the spine.",
    "booklet_trim": "Trim",
    "booklet_trim_text": "the fore-edge: the pages of the inner sheets were moved toward the fold by up to {mm} mm, "
                         "so the outer margins come out even after trimming.",
    "booklet_creep": "Creep.",
    "booklet_creep_text": "Nested, the inner sheets stick out at the fore-edge by up to {mm} mm (one paper "
                          "thickness, about {paper} mm, per sheet): trim the fore-edge for a flush edge, or set "
                          "“creep: true” under “booklet:” in publication.yml to move the inner pages toward the "
                          "fold.",
    "booklet_creep_small": "Creep",
    "booklet_creep_small_text": "is under half a millimetre ({mm} mm at the innermost sheet): no trimming needed.",
    "booklet_sheet": "sheet",
    "booklet_gathering": "gathering",
    "booklet_first_side": "first side (left | right)",
    "booklet_second_side": "second side",
    "booklet_blank": "blank",
    "booklet_landscape": "{sheet} landscape",  # a sheet on its side: "A4 landscape"
    "decimal_point": ".",  # in measurements: "0.5 mm"
}

# Narrow and ordinary no-break spaces of French punctuation (« … », « : », « ; »).
_NNBSP, _NBSP = "\u202f", "\u00a0"

GERMAN: dict[str, str] = {
    "contents": "Inhalt",
    "glossary": "Glossar",
    "bibliography": "Literaturverzeichnis",
    "sources": "Quellen der Texte",
    "questions": "Fragen zur Diskussion",
    "references": "Literatur",
    "corrections": "Verzeichnis der Korrekturen",
    "landmarks": "Orientierungspunkte",
    "cover": "Umschlag",
    "title_page": "Titelseite",
    "imprint": "Impressum",
    "print_pages": "Seiten der Druckausgabe",
    "about": "Über diese Ausgabe",
    "search": "Suche",
    "download": "Herunterladen",
    "summary": "Zusammenfassung.",
    "edited_by": "Herausgegeben von",
    "edited_by_lower": "herausgegeben von",
    "published_by": "Erschienen bei",
    "first_published_in": "Zuerst erschienen in",
    "first_published_form": "Zuerst erschienen:",
    "first_published_by": "Zuerst erschienen bei",
    "first_published_by_the": "Zuerst erschienen bei",
    "first_published": "Erstveröffentlichung",
    "author_unknown": "Verfasser unbekannt",
    "date_unknown": "Datum unbekannt",
    "unknown": "unbekannt",
    "unknown_sentence": "Unbekannt.",
    "original_address": "Ursprüngliche Adresse:",
    "see_also": "Siehe auch",
    "page": "S.",
    "pages": "S.",
    "note": "Anm.",
    "heading": "Überschrift",
    "deleted": "(gestrichen)",
    "notes": "Anmerkungen",
    "glossary_in": "In",
    "date": "Datum",
    "from": "Aus:",
    "in_the_reader": "Im Reader",
    "contents_in_sentence": "Inhaltsverzeichnis",
    "no_corrections": "An den Texten wurde nichts korrigiert.",
    "reproduced_print": "Die Texte folgen den auf Seite {page} genannten Quellen; redaktionelle Änderungen sind "
                        "unter „{notes_title}“ beschrieben.",
    "reproduced_epub": "Die Texte folgen den unter „{sources}“ genannten Quellen; redaktionelle Änderungen sind "
                       "unter „{notes_title}“ beschrieben.",
    "colophon_charis": "Gesetzt aus der Charis SIL, einer freien Schrift von SIL International, abgeleitet von "
                       "der Bitstream Charter.",
    "colophon_font": "Gesetzt aus der {font}.",
    "colophon_headings": "Überschriften aus der {font}.",
    "typeset_with": "Satz mit chapbook {version} und WeasyPrint.",
    "colophon_epub": "Gesetzt aus der Charis SIL, einer freien Schrift von SIL International, abgeleitet von der "
                     "Bitstream Charter, lizenziert unter der SIL Open Font License 1.1. EPUB-Ausgabe erstellt mit "
                     "chapbook {version}; ihre Seitenzahlen sind die der Druckausgabe.",
    "glossary_intro_print": "Ein hier erklärter Begriff ist in den Texten dort, wo er zuerst vorkommt, gepunktet "
                            "unterstrichen. Die Seitenzahlen nach jedem Eintrag führen zu diesen Stellen.",
    "glossary_intro_epub": "Ein hier erklärter Begriff ist in den Texten dort, wo er zuerst vorkommt, verlinkt. "
                           "Die Links nach jedem Eintrag führen zu diesen Stellen zurück (mit der Seite der "
                           "Druckausgabe).",
    "note_back": "Zurück zu Anmerkung {label} im Text",
    "cover_of": "Umschlag: {title}",
    "title_page_of": "Titelseite: {title}",
    "pages_in": "{pages} in {book}",
    "page_of_pages": "Seite {page} von {pages}",
    "skip": "Zum Text springen",
    "site": "Website",
    "go": "Los",
    "search_help": "Geben Sie Wörter in das Suchfeld oben ein: Jeder Absatz, der sie alle enthält, wird mit "
                   "seiner Stelle (¶ oder Anm.) aufgeführt.",
    "search_needs_js": "Die Suche braucht JavaScript; das {contents} und das Glossar funktionieren auch ohne.",
    "previous_next": "Vorheriger und nächster Teil",
    "previous": "Zurück",
    "next": "Weiter",
    "web_foot": "Die Seitenzahlen am Rand, {marker}, sind die der Druckausgabe; die ¶-Nummern sind in jeder "
                "Ausgabe gleich.",
    "found_one": "1 Absatz enthält „{query}“.",
    "found_many": "{count} Absätze enthalten „{query}“.",
    "found_none": "Nichts gefunden für „{query}“.",
    "download_pdf": "Buch (PDF)",
    "download_booklet": "Broschüre zum Falten (PDF)",
    "download_handout": "Handout: {title} (PDF)",
    "months": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "date_day": "{day}. {month} {year}",
    "ref_accessed": "Abgerufen am",
    "ref_no_date": f"o.{_NBSP}J.",
    "ref_edited_by": "Hg. von",
    "ref_edited_by_lower": "hg. von",
    "ref_translated_by": "Übers. von",
    "ref_by": "von",
    "ref_and": "und",
    "ref_serial_comma": "",
    "ref_et_al": f"u.{_NBSP}a.",
    "ref_in": "In",
    "ref_in_lower": "in",
    "ref_ed": "Hg.",
    "ref_eds": "Hg.",
    "ref_trans": "Übers.",
    "ref_edition": "{number}. Aufl.",
    "ref_volume": "Bd.",
    "ref_volume_lower": "Bd.",
    "ref_volumes": "Bde.",
    "ref_part": "Tl.",
    "ref_of": "von",
    "ref_chapter": "Kap.",
    "ref_number": "Nr.",
    "ref_number_lower": "Nr.",
    "ref_special_issue": "Sonderheft",
    "ref_originally_published_as": "Zuerst erschienen als",
    "ref_first_published": "Zuerst erschienen",
    "ref_version": "Version",
    "ref_circa": "ca.",
    "ref_seasons": "Frühjahr Sommer Herbst Winter",
    "ref_day_month": "{day}. {month}",
    "ref_day": "{day}.",
    "accessibility_summary": "Diese Publikation erfüllt die Anforderungen von EPUB Accessibility 1.1 und WCAG 2.2, "
                             "Stufe AA. Sie besteht aus umfließendem Text mit einem gegliederten Inhaltsverzeichnis, "
                             "Orientierungspunkten und Überschriften sowie einer logischen Lesereihenfolge. "
                             "Seitenumbruchmarken und eine Seitenliste geben die Seitenzahlen der Druckausgabe an. "
                             "Fußnoten sind als Anmerkungen ausgezeichnet und führen zum Text zurück; "
                             "Literaturangaben verweisen auf das Literaturverzeichnis und Glossarbegriffe auf das "
                             "Glossar, dessen Einträge zu den Stellen zurückführen, an denen ein Begriff vorkommt.",
    "accessibility_images_none": "Der Umschlag ist ein Bild mit Textalternative; es gibt keine weiteren "
                                 "bedeutungstragenden Bilder, kein Audio, kein Video und keine Gefahren.",
    "accessibility_images_described": "Der Umschlag und alle Bilder in den Texten haben eine Textalternative; es gibt"
                                      " kein Audio, kein Video und keine Gefahren.",
    "accessibility_images_undescribed": "Der Umschlag ist ein Bild mit Textalternative; einige Bilder in den Texten "
                                        "haben keine. Es gibt kein Audio, kein Video und keine Gefahren.",
    "booklet_heading": "So drucken und falten Sie diese Broschüre",
    "booklet_document_title": "Drucken und falten: {title}",
    "booklet_pdf_title": "{title} — die Broschüre drucken und falten",
    "booklet_lead": "{title}: {plan}, Papier {sheet}.",
    "booklet_blank_added": "{pages} Seiten → {padded}: 1 leere Seite {where} eingefügt",
    "booklet_blanks_added": "{pages} Seiten → {padded}: {blanks} leere Seiten {where} eingefügt",
    "booklet_before_back_cover": "vor der hinteren Umschlagseite",
    "booklet_end_of_back_matter": "am Ende des Anhangs",
    "booklet_no_blanks": "{pages} Seiten, keine leeren Seiten nötig",
    "booklet_one_sheet": "1 Bogen",
    "booklet_sheets": "{sheets} Bogen",
    "booklet_in_gatherings": "in {count} Lagen zu {sizes} Seiten",
    "booklet_print": "Beidseitig drucken, an der KURZEN Kante wenden",
    "booklet_print_text": "(auch „Bindung an der kurzen Kante“ oder „nach oben spiegeln“), in Originalgröße "
                          f"(100{_NBSP}%, nicht „an Seite anpassen“), auf Papier {{sheet}}.",
    "booklet_print_only": "Drucken Sie nur die Seiten 1–{last} des PDFs; diese letzte Seite ist nur zum Lesen.",
    "booklet_test": "Mit dem ersten Bogen testen",
    "booklet_test_text": "(PDF-Seiten 1 und 2): Seite 2 des Buchs muss aufrecht auf der Rückseite von Seite 1 "
                         "stehen. Steht sie auf dem Kopf, braucht Ihr Drucker stattdessen „an der langen Kante "
                         "wenden“.",
    "booklet_fold": "Falten",
    "booklet_fold_text": "Sie jeden Bogen in der Mitte {fold}, die zuerst bedruckte Seite außen.",
    "booklet_fold_marked": "entlang der kurzen Mittellinie, die die gestrichelten Falzmarken oben und unten zeigen",
    "booklet_fold_unmarked": "entlang der kurzen Mittellinie zwischen seinen beiden Seiten",
    "booklet_gather": "Zusammenlegen.",
    "booklet_nest": "Legen Sie die gefalteten Bogen in der Reihenfolge ineinander, in der sie gedruckt wurden: Bogen "
                    "1 (Seiten {last} und 1) außen, den letzten Bogen in der Mitte.",
    "booklet_gatherings": "Die Broschüre besteht aus {count} Lagen ({sizes} Seiten). Falten Sie die Bogen jeder Lage "
                          "für sich und legen Sie sie ineinander, den ersten Bogen jeder Lage außen; stapeln Sie "
                          "dann die Lagen der Reihe nach, Lage 1 oben.",
    "booklet_bind": "Binden.",
    "booklet_staple": "Heften Sie zweimal von außen durch den Falz, etwa ein Viertel der Höhe von oben und von unten "
                      "(Rückstichheftung).",
    "booklet_reach": "Die Klammern sitzen im Falz, {mm} mm von den Seitenkanten des Bogens, außer Reichweite eines "
                     "gewöhnlichen Hefters: Nehmen Sie einen Langarmhefter.",
    "booklet_sew": "Nähen Sie jede Lage durch ihren Falz, oder kleben Sie die gestapelten Lagen am Rücken.",
    "booklet_trim": "Beschneiden",
    "booklet_trim_text": "Sie den Vorderschnitt: Die Seiten der inneren Bogen wurden um bis zu {mm} mm zum Falz hin "
                         "verschoben, damit die äußeren Ränder nach dem Beschnitt gleich breit sind.",
    "booklet_creep": "Verdrängung.",
    "booklet_creep_text": "Ineinandergelegt stehen die inneren Bogen am Vorderschnitt um bis zu {mm} mm vor (eine "
                          "Papierstärke, etwa {paper} mm, je Bogen): Beschneiden Sie den Vorderschnitt für eine "
                          "bündige Kante, oder setzen Sie „creep: true“ unter „booklet:“ in publication.yml, um die "
                          "inneren Seiten zum Falz hin zu verschieben.",
    "booklet_creep_small": "Die Verdrängung",
    "booklet_creep_small_text": "beträgt weniger als einen halben Millimeter ({mm} mm beim innersten Bogen): kein "
                                "Beschnitt nötig.",
    "booklet_sheet": "Bogen",
    "booklet_gathering": "Lage",
    "booklet_first_side": "erste Seite (links | rechts)",
    "booklet_second_side": "zweite Seite",
    "booklet_blank": "leer",
    "booklet_landscape": "{sheet} quer",
    "decimal_point": ",",
}

FRENCH: dict[str, str] = {
    "contents": "Table des matières",
    "glossary": "Glossaire",
    "bibliography": "Bibliographie",
    "sources": "Sources des textes",
    "questions": "Questions pour la discussion",
    "references": "Références",
    "corrections": "Liste des corrections",
    "landmarks": "Repères",
    "cover": "Couverture",
    "title_page": "Page de titre",
    "imprint": "Mentions légales",
    "print_pages": "Pages de l’édition imprimée",
    "about": "À propos de cette édition",
    "search": "Recherche",
    "download": "Télécharger",
    "summary": "Résumé.",
    "edited_by": "Sous la direction de",
    "edited_by_lower": "sous la direction de",
    "published_by": "Publié par",
    "first_published_in": "Première publication dans",
    "first_published_form": f"Première publication{_NNBSP}:",
    "first_published_by": "Première publication chez",
    "first_published_by_the": "Première publication chez",
    "first_published": "Première publication",
    "author_unknown": "Auteur inconnu",
    "date_unknown": "Date inconnue",
    "unknown": "inconnue",
    "unknown_sentence": "Inconnue.",  # la première publication
    "original_address": f"Adresse d’origine{_NBSP}:",
    "see_also": "Voir aussi",
    "page": "p.",
    "pages": "p.",
    "note": "note",
    "heading": "titre",
    "deleted": "(supprimé)",
    "notes": "notes",
    "glossary_in": "Dans",
    "date": "Date",
    "from": f"Extrait de{_NBSP}:",
    "in_the_reader": "Dans le recueil",
    "contents_in_sentence": "table des matières",
    "no_corrections": "Aucune correction n’a été apportée aux textes.",
    "reproduced_print": f"Les textes sont reproduits d’après les sources indiquées page {{page}}{_NNBSP}; les "
                        f"modifications éditoriales sont décrites dans «{_NNBSP}{{notes_title}}{_NNBSP}».",
    "reproduced_epub": f"Les textes sont reproduits d’après les sources indiquées dans «{_NNBSP}{{sources}}"
                       f"{_NNBSP}»{_NNBSP}; les modifications éditoriales sont décrites dans «{_NNBSP}"
                       f"{{notes_title}}{_NNBSP}».",
    "colophon_charis": "Composé en Charis SIL, caractère libre de SIL International dérivé du Bitstream Charter.",
    "colophon_font": "Composé en {font}.",
    "colophon_headings": "Titres en {font}.",
    "typeset_with": "Mis en page avec chapbook {version} et WeasyPrint.",
    "colophon_epub": "Composé en Charis SIL, caractère libre de SIL International dérivé du Bitstream Charter, "
                     "sous licence SIL Open Font License 1.1. Édition EPUB réalisée avec chapbook {version}"
                     f"{_NNBSP}; ses numéros de page sont ceux de l’édition imprimée.",
    "glossary_intro_print": "Dans les textes, un terme expliqué ici est souligné en pointillé à sa première "
                            "occurrence. Les numéros de page après chaque entrée renvoient à ces endroits.",
    "glossary_intro_epub": "Dans les textes, un terme expliqué ici est lié à sa première occurrence. Les liens "
                           "après chaque entrée y renvoient (avec la page de l’édition imprimée).",
    "note_back": "Retour à la note {label} dans le texte",
    "cover_of": f"Couverture{_NBSP}: {{title}}",
    "title_page_of": f"Page de titre{_NBSP}: {{title}}",
    "pages_in": "{pages} de {book}",
    "page_of_pages": "page {page} sur {pages}",
    "skip": "Aller au texte",
    "site": "Site",
    "go": "OK",
    "search_help": f"Tapez des mots dans le champ de recherche ci-dessus{_NBSP}: chaque paragraphe qui les "
                   "contient tous est listé, avec sa place (¶ ou note).",
    "search_needs_js": f"La recherche nécessite JavaScript{_NNBSP}; la {{contents}} et le glossaire fonctionnent "
                       "sans.",
    "previous_next": "Précédent et suivant",
    "previous": "Précédent",
    "next": "Suivant",
    "web_foot": "Les numéros de page dans la marge, {marker}, sont ceux de l’édition imprimée"
                f"{_NNBSP}; les numéros ¶ sont les mêmes dans toutes les éditions.",
    "found_one": f"1 paragraphe contient «{_NNBSP}{{query}}{_NNBSP}».",
    "found_many": f"{{count}} paragraphes contiennent «{_NNBSP}{{query}}{_NNBSP}».",
    "found_none": f"Aucun résultat pour «{_NNBSP}{{query}}{_NNBSP}».",
    "download_pdf": "Livre (PDF)",
    "download_booklet": "Livret à plier (PDF)",
    "download_handout": f"Fiche{_NBSP}: {{title}} (PDF)",
    "months": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "first_day": "1er",
    "ref_accessed": "Consulté le",
    "ref_no_date": f"s.{_NBSP}d.",
    "ref_edited_by": "Sous la direction de",
    "ref_edited_by_lower": "sous la direction de",
    "ref_translated_by": "Trad. par",
    "ref_by": "par",
    "ref_and": "et",
    "ref_serial_comma": "",
    "ref_et_al": "et al.",
    "ref_in": "Dans",
    "ref_in_lower": "dans",
    "ref_ed": "dir.",
    "ref_eds": "dir.",
    "ref_trans": "trad.",
    "ref_edition": "{ordinal} éd.",
    "ref_volume": "Vol.",
    "ref_volume_lower": "vol.",
    "ref_volumes": "vol.",
    "ref_part": "partie",
    "ref_of": "de",
    "ref_chapter": "chap.",
    "ref_number": "N°",
    "ref_number_lower": "n°",
    "ref_special_issue": "Numéro spécial",
    "ref_originally_published_as": "Publié initialement sous le titre",
    "ref_first_published": "Première publication",
    "ref_version": "Version",
    "ref_circa": "vers",
    "ref_seasons": "printemps été automne hiver",
    "accessibility_summary": "Cette publication satisfait aux exigences d’EPUB Accessibility 1.1 et des WCAG 2.2, "
                             "niveau AA. C’est un texte recomposable, avec une table des matières structurée, des "
                             "repères et des titres, et un ordre de lecture logique. Des marqueurs de saut de page et"
                             " une liste des pages donnent les numéros de page de l’édition imprimée. Les notes de "
                             f"bas de page sont balisées comme notes et renvoient au texte{_NNBSP}; les citations "
                             "renvoient à la bibliographie et les termes du glossaire au glossaire, dont les "
                             "entrées renvoient aux endroits où chaque terme est employé.",
    "accessibility_images_none": f"La couverture est une image avec une alternative textuelle{_NNBSP}; il n’y a "
                                 "pas d’autres images porteuses de sens, ni audio, ni vidéo, ni danger.",
    "accessibility_images_described": f"La couverture et toutes les images des textes ont une alternative "
                                      f"textuelle{_NNBSP}; il n’y a ni audio, ni vidéo, ni danger.",
    "accessibility_images_undescribed": f"La couverture est une image avec une alternative "
                                        f"textuelle{_NNBSP}; certaines images des textes n’en ont pas. Il n’y a ni "
                                        "audio, ni vidéo, ni danger.",
    "booklet_heading": "Comment imprimer et plier ce livret",
    "booklet_document_title": f"Imprimer et plier{_NBSP}: {{title}}",
    "booklet_pdf_title": "{title} — comment imprimer et plier le livret",
    "booklet_lead": f"{{title}}{_NBSP}: {{plan}}, sur papier {{sheet}}.",
    "booklet_blank_added": f"{{pages}} pages → {{padded}}{_NBSP}: 1 page blanche ajoutée {{where}}",
    "booklet_blanks_added": f"{{pages}} pages → {{padded}}{_NBSP}: {{blanks}} pages blanches ajoutées {{where}}",
    "booklet_before_back_cover": "avant la quatrième de couverture",
    "booklet_end_of_back_matter": "à la fin des annexes",
    "booklet_no_blanks": "{pages} pages, aucune page blanche nécessaire",
    "booklet_one_sheet": "1 feuille",
    "booklet_sheets": "{sheets} feuilles",
    "booklet_in_gatherings": "en {count} cahiers de {sizes} pages",
    "booklet_print": "Imprimez en recto verso, retournement sur le bord COURT",
    "booklet_print_text": f"(aussi appelé «{_NNBSP}reliure bord court{_NNBSP}»), en taille réelle (100{_NNBSP}%, sans "
                          f"«{_NNBSP}ajuster à la page{_NNBSP}»), sur papier {{sheet}}.",
    "booklet_print_only": f"N’imprimez que les pages 1–{{last}} du PDF{_NNBSP}; cette dernière page sert seulement à "
                          "la lecture.",
    "booklet_test": "Faites un essai avec la première feuille",
    "booklet_test_text": f"(pages 1 et 2 du PDF){_NBSP}: la page 2 du livre doit être imprimée au dos de la page 1, à "
                         f"l’endroit. Si elle est à l’envers, votre imprimante demande plutôt «{_NNBSP}retournement "
                         f"sur le bord long{_NNBSP}».",
    "booklet_fold": "Pliez",
    "booklet_fold_text": "chaque feuille en deux {fold}, la première face imprimée à l’extérieur.",
    "booklet_fold_marked": "le long de la ligne médiane courte, que les repères de pli en tirets indiquent en haut "
                           "et en bas",
    "booklet_fold_unmarked": "le long de la ligne médiane courte, entre ses deux pages",
    "booklet_gather": "Assemblez.",
    "booklet_nest": f"Emboîtez les feuilles pliées dans l’ordre de leur impression{_NBSP}: la feuille 1 (pages "
                    f"{{last}} et 1) à l’extérieur, la dernière au milieu.",
    "booklet_gatherings": f"Le livret se compose de {{count}} cahiers ({{sizes}} pages). Pliez et emboîtez les "
                          "feuilles de chaque cahier séparément, la première feuille de chaque cahier à "
                          f"l’extérieur{_NNBSP}; puis empilez les cahiers dans l’ordre, le cahier 1 en haut.",
    "booklet_bind": "Reliez.",
    "booklet_staple": "Agrafez deux fois à travers le pli depuis l’extérieur, à environ un quart de la hauteur "
                      "depuis le haut et depuis le bas (piqûre à cheval).",
    "booklet_reach": f"Les agrafes se trouvent dans le pli, à {{mm}} mm des bords latéraux de la feuille, hors de "
                     f"portée d’une agrafeuse ordinaire{_NBSP}: utilisez une agrafeuse à bras long.",
    "booklet_sew": "Cousez chaque cahier par son pli, ou collez les cahiers empilés au dos.",
    "booklet_trim": "Massicotez",
    "booklet_trim_text": f"la tranche{_NBSP}: les pages des feuilles intérieures ont été décalées vers le pli de "
                         f"{{mm}} mm au plus, pour que les marges extérieures soient égales après la coupe.",
    "booklet_creep": "Chasse.",
    "booklet_creep_text": f"Emboîtées, les feuilles intérieures dépassent à la tranche de {{mm}} mm au plus (une "
                          f"épaisseur de papier, environ {{paper}} mm, par feuille){_NBSP}: massicotez la tranche "
                          f"pour un bord net, ou indiquez «{_NNBSP}creep: true{_NNBSP}» sous "
                          f"«{_NNBSP}booklet:{_NNBSP}» dans publication.yml pour décaler les pages intérieures vers "
                          "le pli.",
    "booklet_creep_small": "La chasse",
    "booklet_creep_small_text": f"est inférieure à un demi-millimètre ({{mm}} mm à la feuille la plus "
                                f"intérieure){_NBSP}: aucune coupe nécessaire.",
    "booklet_sheet": "feuille",
    "booklet_gathering": "cahier",
    "booklet_first_side": "recto (gauche | droite)",
    "booklet_second_side": "verso",
    "booklet_blank": "blanche",
    "booklet_landscape": "{sheet} paysage",
    "decimal_point": ",",
}

SPANISH: dict[str, str] = {
    "contents": "Índice",
    "glossary": "Glosario",
    "bibliography": "Bibliografía",
    "sources": "Fuentes de los textos",
    "questions": "Preguntas para el debate",
    "references": "Referencias",
    "corrections": "Lista de correcciones",
    "landmarks": "Puntos de referencia",
    "cover": "Cubierta",
    "title_page": "Portada",
    "imprint": "Créditos",
    "print_pages": "Páginas de la edición impresa",
    "about": "Sobre esta edición",
    "search": "Buscar",
    "download": "Descargar",
    "summary": "Resumen.",
    "edited_by": "Edición de",
    "edited_by_lower": "edición de",
    "published_by": "Publicado por",
    "first_published_in": "Publicado originalmente en",
    "first_published_form": "Publicado originalmente:",
    "first_published_by": "Publicado originalmente por",
    "first_published_by_the": "Publicado originalmente por",
    "first_published": "Primera publicación",
    "author_unknown": "Autor desconocido",
    "date_unknown": "Fecha desconocida",
    "unknown": "desconocida",
    "unknown_sentence": "Desconocida.",  # la primera publicación
    "original_address": "Dirección original:",
    "see_also": "Véase también",
    "page": "p.",
    "pages": "pp.",
    "note": "nota",
    "heading": "título",
    "deleted": "(suprimido)",
    "notes": "notas",
    "glossary_in": "En",
    "date": "Fecha",
    "from": "De:",
    "in_the_reader": "En la antología",
    "contents_in_sentence": "índice",
    "no_corrections": "No se ha hecho ninguna corrección en los textos.",
    "reproduced_print": "Los textos se reproducen según las fuentes indicadas en la página {page}; los cambios "
                        "editoriales se describen en «{notes_title}».",
    "reproduced_epub": "Los textos se reproducen según las fuentes indicadas en «{sources}»; los cambios "
                       "editoriales se describen en «{notes_title}».",
    "colophon_charis": "Compuesto en Charis SIL, un tipo de letra libre de SIL International derivado de "
                       "Bitstream Charter.",
    "colophon_font": "Compuesto en {font}.",
    "colophon_headings": "Títulos en {font}.",
    "typeset_with": "Maquetado con chapbook {version} y WeasyPrint.",
    "colophon_epub": "Compuesto en Charis SIL, un tipo de letra libre de SIL International derivado de Bitstream "
                     "Charter, con licencia SIL Open Font License 1.1. Edición EPUB hecha con chapbook {version}; "
                     "sus números de página son los de la edición impresa.",
    "glossary_intro_print": "En los textos, un término explicado aquí aparece subrayado con puntos la primera vez "
                            "que se usa. Los números de página tras cada entrada remiten a esos lugares.",
    "glossary_intro_epub": "En los textos, un término explicado aquí lleva un enlace la primera vez que se usa. "
                           "Los enlaces tras cada entrada remiten a esos lugares (con la página de la edición "
                           "impresa).",
    "note_back": "Volver a la nota {label} en el texto",
    "cover_of": "Cubierta: {title}",
    "title_page_of": "Portada: {title}",
    "pages_in": "{pages} de {book}",
    "page_of_pages": "página {page} de {pages}",
    "skip": "Ir al texto",
    "site": "Sitio",
    "go": "Ir",
    "search_help": "Escriba palabras en el buscador de arriba: se listan todos los párrafos que las contienen "
                   "todas, con su lugar (¶ o nota).",
    "search_needs_js": "La búsqueda necesita JavaScript; el {contents} y el glosario funcionan sin él.",
    "previous_next": "Anterior y siguiente",
    "previous": "Anterior",
    "next": "Siguiente",
    "web_foot": "Los números de página al margen, {marker}, son los de la edición impresa; los números ¶ son los "
                "mismos en todas las ediciones.",
    "found_one": "1 párrafo contiene «{query}».",
    "found_many": "{count} párrafos contienen «{query}».",
    "found_none": "No se encontró nada para «{query}».",
    "download_pdf": "Libro (PDF)",
    "download_booklet": "Folleto para plegar (PDF)",
    "download_handout": "Material: {title} (PDF)",
    "months": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "date_day": "{day} de {month} de {year}",
    "date_month": "{month} de {year}",
    "ref_accessed": "Consultado el",
    "ref_no_date": f"s.{_NBSP}f.",
    "ref_edited_by": "Editado por",
    "ref_edited_by_lower": "editado por",
    "ref_translated_by": "Traducido por",
    "ref_by": "de",
    "ref_and": "y",
    "ref_serial_comma": "",
    "ref_et_al": "et al.",
    "ref_in": "En",
    "ref_in_lower": "en",
    "ref_ed": "ed.",
    "ref_eds": "eds.",
    "ref_trans": "trad.",
    "ref_edition": "{number}.ª ed.",
    "ref_volume": "Vol.",
    "ref_volume_lower": "vol.",
    "ref_volumes": "vols.",
    "ref_part": "parte",
    "ref_of": "de",
    "ref_chapter": "cap.",
    "ref_number": "N.º",
    "ref_number_lower": "n.º",
    "ref_special_issue": "Número especial",
    "ref_originally_published_as": "Publicado originalmente como",
    "ref_first_published": "Publicado por primera vez",
    "ref_version": "Versión",
    "ref_circa": "ca.",
    "ref_seasons": "primavera verano otoño invierno",
    "ref_day_month": "{day} de {month}",
    "accessibility_summary": "Esta publicación cumple los requisitos de EPUB Accessibility 1.1 y de las WCAG 2.2, "
                             "nivel AA. Es texto adaptable, con un índice estructurado, puntos de referencia y "
                             "encabezados, y un orden de lectura lógico. Los marcadores de salto de página y una "
                             "lista de páginas indican los números de página de la edición impresa. Las notas al pie "
                             "están marcadas como notas y remiten al texto; las citas enlazan con la bibliografía y "
                             "los términos del glosario con el glosario, cuyas entradas remiten a los lugares donde "
                             "se usa cada término.",
    "accessibility_images_none": "La cubierta es una imagen con una alternativa textual; no hay otras imágenes con "
                                 "significado, ni audio, ni vídeo, ni riesgos.",
    "accessibility_images_described": "La cubierta y todas las imágenes de los textos tienen una alternativa textual;"
                                      " no hay audio, ni vídeo, ni riesgos.",
    "accessibility_images_undescribed": "La cubierta es una imagen con una alternativa textual; algunas imágenes de "
                                        "los textos no la tienen. No hay audio, ni vídeo, ni riesgos.",
    "booklet_heading": "Cómo imprimir y plegar este folleto",
    "booklet_document_title": "Cómo imprimir y plegar: {title}",
    "booklet_pdf_title": "{title} — cómo imprimir y plegar el folleto",
    "booklet_lead": "{title}: {plan}, en papel {sheet}.",
    "booklet_blank_added": "{pages} páginas → {padded}: 1 página en blanco añadida {where}",
    "booklet_blanks_added": "{pages} páginas → {padded}: {blanks} páginas en blanco añadidas {where}",
    "booklet_before_back_cover": "antes de la contracubierta",
    "booklet_end_of_back_matter": "al final de las páginas finales",
    "booklet_no_blanks": "{pages} páginas, no hacen falta páginas en blanco",
    "booklet_one_sheet": "1 hoja",
    "booklet_sheets": "{sheets} hojas",
    "booklet_in_gatherings": "en {count} cuadernillos de {sizes} páginas",
    "booklet_print": "Imprima a doble cara, volteando por el borde CORTO",
    "booklet_print_text": f"(también llamado «encuadernación por el borde corto»), a tamaño real (100{_NBSP}%, sin "
                          f"«ajustar a la página»), en papel {{sheet}}.",
    "booklet_print_only": "Imprima solo las páginas 1–{last} del PDF; esta última página es solo para leer.",
    "booklet_test": "Pruebe con la primera hoja",
    "booklet_test_text": "(páginas 1 y 2 del PDF): la página 2 del libro debe quedar impresa al dorso de la página "
                         "1, derecha. Si queda al revés, su impresora necesita «voltear por el borde largo».",
    "booklet_fold": "Pliegue",
    "booklet_fold_text": "cada hoja por la mitad {fold}, con la primera cara impresa hacia fuera.",
    "booklet_fold_marked": "por la línea central corta, que las marcas de plegado discontinuas señalan arriba y abajo",
    "booklet_fold_unmarked": "por la línea central corta, entre sus dos páginas",
    "booklet_gather": "Alce.",
    "booklet_nest": "Meta las hojas plegadas unas dentro de otras en el orden en que se imprimieron: la hoja 1 "
                    "(páginas {last} y 1) por fuera, la última en el centro.",
    "booklet_gatherings": "El folleto consta de {count} cuadernillos ({sizes} páginas). Pliegue y meta unas dentro "
                          "de otras las hojas de cada cuadernillo por separado, la primera hoja de cada uno por "
                          "fuera; luego apile los cuadernillos en orden, el cuadernillo 1 arriba.",
    "booklet_bind": "Encuaderne.",
    "booklet_staple": "Grape dos veces a través del pliegue desde fuera, a una cuarta parte de la altura desde "
                      "arriba y desde abajo (grapado a caballete).",
    "booklet_reach": "Las grapas quedan en el pliegue, a {mm} mm de los bordes laterales de la hoja, fuera del "
                     "alcance de una grapadora corriente: use una grapadora de brazo largo.",
    "booklet_sew": "Cosa cada cuadernillo por su pliegue, o pegue los cuadernillos apilados por el lomo.",
    "booklet_trim": "Refile",
    "booklet_trim_text": "el corte delantero: las páginas de las hojas interiores se desplazaron hasta {mm} mm hacia "
                         "el pliegue, para que los márgenes exteriores queden iguales tras el refilado.",
    "booklet_creep": "Desplazamiento.",
    "booklet_creep_text": "Encajadas, las hojas interiores sobresalen por el corte delantero hasta {mm} mm (un "
                          "grosor de papel, unos {paper} mm, por hoja): refile el corte delantero para un borde "
                          "parejo, o ponga «creep: true» bajo «booklet:» en publication.yml para desplazar las "
                          "páginas interiores hacia el pliegue.",
    "booklet_creep_small": "El desplazamiento",
    "booklet_creep_small_text": "es de menos de medio milímetro ({mm} mm en la hoja más interior): no hace falta "
                                "refilar.",
    "booklet_sheet": "hoja",
    "booklet_gathering": "cuadernillo",
    "booklet_first_side": "primera cara (izquierda | derecha)",
    "booklet_second_side": "segunda cara",
    "booklet_blank": "en blanco",
    "booklet_landscape": "{sheet} apaisado",
    "decimal_point": ",",
}

ITALIAN: dict[str, str] = {
    "contents": "Indice",
    "glossary": "Glossario",
    "bibliography": "Bibliografia",
    "sources": "Fonti dei testi",
    "questions": "Domande per la discussione",
    "references": "Riferimenti bibliografici",
    "corrections": "Elenco delle correzioni",
    "landmarks": "Punti di riferimento",
    "cover": "Copertina",
    "title_page": "Frontespizio",
    "imprint": "Colophon",
    "print_pages": "Pagine dell’edizione a stampa",
    "about": "Su questa edizione",
    "search": "Cerca",
    "download": "Scarica",
    "summary": "Sintesi.",
    "edited_by": "A cura di",
    "edited_by_lower": "a cura di",
    "published_by": "Pubblicato da",
    "first_published_in": "Pubblicato per la prima volta in",
    "first_published_form": "Pubblicato per la prima volta:",
    "first_published_by": "Pubblicato per la prima volta da",
    "first_published_by_the": "Pubblicato per la prima volta da",
    "first_published": "Prima pubblicazione",
    "author_unknown": "Autore sconosciuto",
    "date_unknown": "Data sconosciuta",
    "unknown": "sconosciuto",
    "unknown_sentence": "Sconosciuta.",  # la prima pubblicazione
    "original_address": "Indirizzo originale:",
    "see_also": "Vedi anche",
    "page": "p.",
    "pages": "pp.",
    "note": "nota",
    "heading": "titolo",
    "deleted": "(eliminato)",
    "notes": "note",
    "glossary_in": "In",
    "date": "Data",
    "from": "Da:",
    "in_the_reader": "Nell’antologia",
    "contents_in_sentence": "indice",
    "no_corrections": "Ai testi non è stata apportata alcuna correzione.",
    "reproduced_print": "I testi sono riprodotti dalle fonti elencate a pagina {page}; le modifiche redazionali "
                        "sono descritte in «{notes_title}».",
    "reproduced_epub": "I testi sono riprodotti dalle fonti elencate in «{sources}»; le modifiche redazionali "
                       "sono descritte in «{notes_title}».",
    "colophon_charis": "Composto in Charis SIL, un carattere libero di SIL International derivato da "
                       "Bitstream Charter.",
    "colophon_font": "Composto in {font}.",
    "colophon_headings": "Titoli in {font}.",
    "typeset_with": "Impaginato con chapbook {version} e WeasyPrint.",
    "colophon_epub": "Composto in Charis SIL, un carattere libero di SIL International derivato da Bitstream "
                     "Charter, con licenza SIL Open Font License 1.1. Edizione EPUB realizzata con chapbook "
                     "{version}; i numeri di pagina sono quelli dell’edizione a stampa.",
    "glossary_intro_print": "Nei testi, un termine spiegato qui è sottolineato a puntini dove compare per la prima "
                            "volta. I numeri di pagina dopo ogni voce rimandano a quei punti.",
    "glossary_intro_epub": "Nei testi, un termine spiegato qui è collegato dove compare per la prima volta. I "
                           "collegamenti dopo ogni voce riportano a quei punti (con la pagina dell’edizione a "
                           "stampa).",
    "note_back": "Torna alla nota {label} nel testo",
    "cover_of": "Copertina: {title}",
    "title_page_of": "Frontespizio: {title}",
    "pages_in": "{pages} di {book}",
    "page_of_pages": "pagina {page} di {pages}",
    "skip": "Vai al testo",
    "site": "Sito",
    "go": "Vai",
    "search_help": "Scrivete delle parole nella casella di ricerca qui sopra: ogni paragrafo che le contiene tutte "
                   "è elencato, con la sua posizione (¶ o nota).",
    "search_needs_js": "La ricerca richiede JavaScript; l’{contents} e il glossario funzionano anche senza.",
    "previous_next": "Precedente e successivo",
    "previous": "Precedente",
    "next": "Successivo",
    "web_foot": "I numeri di pagina a margine, {marker}, sono quelli dell’edizione a stampa; i numeri ¶ sono gli "
                "stessi in ogni edizione.",
    "found_one": "1 paragrafo contiene «{query}».",
    "found_many": "{count} paragrafi contengono «{query}».",
    "found_none": "Nessun risultato per «{query}».",
    "download_pdf": "Libro (PDF)",
    "download_booklet": "Libretto da piegare (PDF)",
    "download_handout": "Scheda: {title} (PDF)",
    "months": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "ref_accessed": "Consultato il",
    "ref_no_date": "s.d.",
    "ref_edited_by": "A cura di",
    "ref_edited_by_lower": "a cura di",
    "ref_translated_by": "Traduzione di",
    "ref_by": "di",
    "ref_and": "e",
    "ref_serial_comma": "",
    "ref_et_al": "et al.",
    "ref_in": "In",
    "ref_in_lower": "in",
    "ref_ed": "cur.",
    "ref_eds": "curr.",
    "ref_trans": "trad.",
    "ref_edition": "{number}ª ed.",
    "ref_volume": "Vol.",
    "ref_volume_lower": "vol.",
    "ref_volumes": "voll.",
    "ref_part": "parte",
    "ref_of": "di",
    "ref_chapter": "cap.",
    "ref_number": "N.",
    "ref_number_lower": "n.",
    "ref_special_issue": "Numero speciale",
    "ref_originally_published_as": "Pubblicato originariamente come",
    "ref_first_published": "Prima pubblicazione",
    "ref_version": "Versione",
    "ref_circa": "ca.",
    "ref_seasons": "primavera estate autunno inverno",
    "accessibility_summary": "Questa pubblicazione soddisfa i requisiti di EPUB Accessibility 1.1 e delle WCAG 2.2, "
                             "livello AA. È un testo adattabile, con un indice strutturato, punti di riferimento e "
                             "titoli, e un ordine di lettura logico. Gli indicatori di interruzione di pagina e un "
                             "elenco delle pagine riportano i numeri di pagina dell’edizione a stampa. Le note a piè "
                             "di pagina sono contrassegnate come note e rimandano al testo; le citazioni rimandano "
                             "alla bibliografia e i termini del glossario al glossario, le cui voci rimandano ai "
                             "punti in cui ciascun termine è usato.",
    "accessibility_images_none": "La copertina è un’immagine con un’alternativa testuale; non ci sono altre immagini "
                                 "significative, né audio, né video, né rischi.",
    "accessibility_images_described": "La copertina e tutte le immagini dei testi hanno un’alternativa testuale; non "
                                      "ci sono né audio, né video, né rischi.",
    "accessibility_images_undescribed": "La copertina è un’immagine con un’alternativa testuale; alcune immagini dei "
                                        "testi non ce l’hanno. Non ci sono né audio, né video, né rischi.",
    "booklet_heading": "Come stampare e piegare questo libretto",
    "booklet_document_title": "Come stampare e piegare: {title}",
    "booklet_pdf_title": "{title} — come stampare e piegare il libretto",
    "booklet_lead": "{title}: {plan}, su carta {sheet}.",
    "booklet_blank_added": "{pages} pagine → {padded}: 1 pagina bianca aggiunta {where}",
    "booklet_blanks_added": "{pages} pagine → {padded}: {blanks} pagine bianche aggiunte {where}",
    "booklet_before_back_cover": "prima della quarta di copertina",
    "booklet_end_of_back_matter": "alla fine degli apparati",
    "booklet_no_blanks": "{pages} pagine, nessuna pagina bianca necessaria",
    "booklet_one_sheet": "1 foglio",
    "booklet_sheets": "{sheets} fogli",
    "booklet_in_gatherings": "in {count} segnature da {sizes} pagine",
    "booklet_print": "Stampa fronte-retro, capovolgendo sul lato CORTO",
    "booklet_print_text": f"(detto anche «rilegatura sul lato corto»), in dimensioni reali (100{_NBSP}%, senza "
                          f"«adatta alla pagina»), su carta {{sheet}}.",
    "booklet_print_only": "Stampa solo le pagine 1–{last} del PDF; quest’ultima pagina è solo da leggere.",
    "booklet_test": "Prova con il primo foglio",
    "booklet_test_text": "(pagine 1 e 2 del PDF): la pagina 2 del libro deve risultare stampata sul retro della "
                         "pagina 1, diritta. Se è capovolta, la stampante richiede invece «capovolgi sul lato "
                         "lungo».",
    "booklet_fold": "Piega",
    "booklet_fold_text": "ogni foglio a metà {fold}, con il primo lato stampato all’esterno.",
    "booklet_fold_marked": "lungo la linea mediana corta, indicata in alto e in basso dai segni di piega tratteggiati",
    "booklet_fold_unmarked": "lungo la linea mediana corta, tra le sue due pagine",
    "booklet_gather": "Raccogli.",
    "booklet_nest": "Inserisci i fogli piegati l’uno nell’altro nell’ordine di stampa: il foglio 1 (pagine {last} e "
                    "1) all’esterno, l’ultimo al centro.",
    "booklet_gatherings": "Il libretto è formato da {count} segnature ({sizes} pagine). Piega e inserisci l’uno "
                          "nell’altro i fogli di ogni segnatura separatamente, il primo foglio di ciascuna "
                          "all’esterno; poi impila le segnature in ordine, la segnatura 1 in cima.",
    "booklet_bind": "Rilega.",
    "booklet_staple": "Pinza due volte attraverso la piega dall’esterno, a circa un quarto dell’altezza dall’alto e "
                      "dal basso (punto metallico).",
    "booklet_reach": "I punti cadono lungo la piega, a {mm} mm dai bordi laterali del foglio, oltre la portata di "
                     "una cucitrice comune: usa una cucitrice a braccio lungo.",
    "booklet_sew": "Cuci ogni segnatura lungo la piega, oppure incolla sul dorso le segnature impilate.",
    "booklet_trim": "Rifila",
    "booklet_trim_text": "il taglio davanti: le pagine dei fogli interni sono state spostate verso la piega fino a "
                         "{mm} mm, così i margini esterni risultano uguali dopo la rifilatura.",
    "booklet_creep": "Scorrimento.",
    "booklet_creep_text": "Inseriti l’uno nell’altro, i fogli interni sporgono sul taglio davanti fino a {mm} mm "
                          "(uno spessore di carta, circa {paper} mm, per foglio): rifila il taglio davanti per un "
                          "bordo pari, oppure imposta «creep: true» sotto «booklet:» in publication.yml per spostare "
                          "le pagine interne verso la piega.",
    "booklet_creep_small": "Lo scorrimento",
    "booklet_creep_small_text": "è inferiore a mezzo millimetro ({mm} mm al foglio più interno): nessuna rifilatura "
                                "necessaria.",
    "booklet_sheet": "foglio",
    "booklet_gathering": "segnatura",
    "booklet_first_side": "primo lato (sinistra | destra)",
    "booklet_second_side": "secondo lato",
    "booklet_blank": "bianca",
    "booklet_landscape": "{sheet} orizzontale",
    "decimal_point": ",",
}

DUTCH: dict[str, str] = {
    "contents": "Inhoud",
    "glossary": "Woordenlijst",
    "bibliography": "Bibliografie",
    "sources": "Bronnen van de teksten",
    "questions": "Vragen voor discussie",
    "references": "Literatuur",
    "corrections": "Lijst van correcties",
    "landmarks": "Oriëntatiepunten",
    "cover": "Omslag",
    "title_page": "Titelpagina",
    "imprint": "Colofon",
    "print_pages": "Pagina’s van de gedrukte editie",
    "about": "Over deze editie",
    "search": "Zoeken",
    "download": "Downloaden",
    "summary": "Samenvatting.",
    "edited_by": "Onder redactie van",
    "edited_by_lower": "onder redactie van",
    "published_by": "Uitgegeven door",
    "first_published_in": "Eerder verschenen in",
    "first_published_form": "Eerder verschenen:",
    "first_published_by": "Eerder uitgegeven door",
    "first_published_by_the": "Eerder uitgegeven door",
    "first_published": "Eerste publicatie",
    "author_unknown": "Auteur onbekend",
    "date_unknown": "Datum onbekend",
    "unknown": "onbekend",
    "unknown_sentence": "Onbekend.",
    "original_address": "Oorspronkelijk adres:",
    "see_also": "Zie ook",
    "page": "p.",
    "pages": "pp.",
    "note": "noot",
    "heading": "kop",
    "deleted": "(geschrapt)",
    "notes": "noten",
    "glossary_in": "In",
    "date": "Datum",
    "from": "Uit:",
    "in_the_reader": "In de reader",
    "contents_in_sentence": "inhoudsopgave",
    "no_corrections": "In de teksten zijn geen correcties aangebracht.",
    "reproduced_print": "De teksten zijn overgenomen uit de bronnen op pagina {page}; redactionele wijzigingen "
                        "staan beschreven in “{notes_title}”.",
    "reproduced_epub": "De teksten zijn overgenomen uit de bronnen in “{sources}”; redactionele wijzigingen staan "
                       "beschreven in “{notes_title}”.",
    "colophon_charis": "Gezet in Charis SIL, een vrije letter van SIL International, afgeleid van "
                       "Bitstream Charter.",
    "colophon_font": "Gezet in {font}.",
    "colophon_headings": "Koppen in {font}.",
    "typeset_with": "Opgemaakt met chapbook {version} en WeasyPrint.",
    "colophon_epub": "Gezet in Charis SIL, een vrije letter van SIL International, afgeleid van Bitstream Charter, "
                     "onder de SIL Open Font License 1.1. EPUB-editie gemaakt met chapbook {version}; de "
                     "paginanummers zijn die van de gedrukte editie.",
    "glossary_intro_print": "In de teksten is een hier uitgelegde term gestippeld onderstreept waar hij voor het "
                            "eerst voorkomt. De paginanummers na elk trefwoord verwijzen naar die plaatsen.",
    "glossary_intro_epub": "In de teksten is een hier uitgelegde term gelinkt waar hij voor het eerst voorkomt. "
                           "De links na elk trefwoord leiden terug naar die plaatsen (met de pagina van de "
                           "gedrukte editie).",
    "note_back": "Terug naar noot {label} in de tekst",
    "cover_of": "Omslag: {title}",
    "title_page_of": "Titelpagina: {title}",
    "pages_in": "{pages} van {book}",
    "page_of_pages": "pagina {page} van {pages}",
    "skip": "Naar de tekst",
    "site": "Site",
    "go": "Zoek",
    "search_help": "Typ woorden in het zoekvak hierboven: elke alinea die ze allemaal bevat, wordt getoond, met "
                   "haar plaats (¶ of noot).",
    "search_needs_js": "Zoeken werkt alleen met JavaScript; de {contents} en de woordenlijst werken ook zonder.",
    "previous_next": "Vorige en volgende",
    "previous": "Vorige",
    "next": "Volgende",
    "web_foot": "De paginanummers in de marge, {marker}, zijn die van de gedrukte editie; de ¶-nummers zijn in "
                "elke editie dezelfde.",
    "found_one": "1 alinea bevat “{query}”.",
    "found_many": "{count} alinea’s bevatten “{query}”.",
    "found_none": "Niets gevonden voor “{query}”.",
    "download_pdf": "Boek (PDF)",
    "download_booklet": "Boekje om te vouwen (PDF)",
    "download_handout": "Hand-out: {title} (PDF)",
    "months": "januari februari maart april mei juni juli augustus september oktober november december",
    "ref_accessed": "Geraadpleegd op",
    "ref_no_date": "z.j.",
    "ref_edited_by": "Onder redactie van",
    "ref_edited_by_lower": "onder redactie van",
    "ref_translated_by": "Vertaald door",
    "ref_by": "door",
    "ref_and": "en",
    "ref_serial_comma": "",
    "ref_et_al": "et al.",
    "ref_in": "In",
    "ref_in_lower": "in",
    "ref_ed": "red.",
    "ref_eds": "red.",
    "ref_trans": "vert.",
    "ref_edition": "{number}e dr.",
    "ref_volume": "Dl.",
    "ref_volume_lower": "dl.",
    "ref_volumes": "dln.",
    "ref_part": "ged.",
    "ref_of": "van",
    "ref_chapter": "hfst.",
    "ref_number": "Nr.",
    "ref_number_lower": "nr.",
    "ref_special_issue": "Themanummer",
    "ref_originally_published_as": "Oorspronkelijk verschenen als",
    "ref_first_published": "Eerder verschenen",
    "ref_version": "Versie",
    "ref_circa": "ca.",
    "ref_seasons": "voorjaar zomer najaar winter",
    "accessibility_summary": "Deze publicatie voldoet aan de eisen van EPUB Accessibility 1.1 en WCAG 2.2 niveau AA. "
                             "Het is herschikbare tekst met een gestructureerde inhoudsopgave, oriëntatiepunten en "
                             "koppen, en een logische leesvolgorde. Pagina-einden en een paginalijst geven de "
                             "paginanummers van de gedrukte editie. Voetnoten zijn als noten gemarkeerd en verwijzen "
                             "terug naar de tekst; verwijzingen linken naar de bibliografie en termen naar de "
                             "woordenlijst, waarvan de trefwoorden terugverwijzen naar de plaatsen waar elke term "
                             "voorkomt.",
    "accessibility_images_none": "De omslag is een afbeelding met een tekstalternatief; er zijn geen andere "
                                 "betekenisvolle afbeeldingen, geen audio, video of risico’s.",
    "accessibility_images_described": "De omslag en alle afbeeldingen in de teksten hebben een tekstalternatief; er "
                                      "is geen audio of video en er zijn geen risico’s.",
    "accessibility_images_undescribed": "De omslag is een afbeelding met een tekstalternatief; sommige afbeeldingen "
                                        "in de teksten hebben er geen. Er is geen audio of video en er zijn geen "
                                        "risico’s.",
    "booklet_heading": "Dit boekje afdrukken en vouwen",
    "booklet_document_title": "Afdrukken en vouwen: {title}",
    "booklet_pdf_title": "{title} — het boekje afdrukken en vouwen",
    "booklet_lead": "{title}: {plan}, op {sheet}-papier.",
    "booklet_blank_added": "{pages} pagina’s → {padded}: 1 lege pagina toegevoegd {where}",
    "booklet_blanks_added": "{pages} pagina’s → {padded}: {blanks} lege pagina’s toegevoegd {where}",
    "booklet_before_back_cover": "vóór de achterkant van het omslag",
    "booklet_end_of_back_matter": "aan het eind van het nawerk",
    "booklet_no_blanks": "{pages} pagina’s, geen lege pagina’s nodig",
    "booklet_one_sheet": "1 vel",
    "booklet_sheets": "{sheets} vellen",
    "booklet_in_gatherings": "in {count} katernen van {sizes} pagina’s",
    "booklet_print": "Druk dubbelzijdig af, omslaan via de KORTE zijde",
    "booklet_print_text": f"(ook “binden aan de korte zijde” genoemd), op ware grootte (100{_NBSP}%, niet “aanpassen "
                          f"aan pagina”), op {{sheet}}-papier.",
    "booklet_print_only": "Druk alleen pagina 1–{last} van de pdf af; deze laatste pagina is alleen om te lezen.",
    "booklet_test": "Test met het eerste vel",
    "booklet_test_text": "(pdf-pagina 1 en 2): pagina 2 van het boek moet rechtop op de achterkant van pagina 1 "
                         "staan. Staat ze op haar kop, dan heeft uw printer “omslaan via de lange zijde” nodig.",
    "booklet_fold": "Vouw",
    "booklet_fold_text": "elk vel dubbel {fold}, met de eerst bedrukte kant naar buiten.",
    "booklet_fold_marked": "langs de korte middellijn, die de gestreepte vouwtekens boven en onder aangeven",
    "booklet_fold_unmarked": "langs de korte middellijn, tussen de twee pagina’s",
    "booklet_gather": "Vergaren.",
    "booklet_nest": "Steek de gevouwen vellen in elkaar in de volgorde waarin ze zijn afgedrukt: vel 1 (pagina "
                    "{last} en 1) buiten, het laatste vel in het midden.",
    "booklet_gatherings": "Het boekje bestaat uit {count} katernen ({sizes} pagina’s). Vouw de vellen van elk katern "
                          "apart en steek ze in elkaar, het eerste vel van elk katern buiten; leg daarna de katernen "
                          "op volgorde op elkaar, katern 1 bovenop.",
    "booklet_bind": "Binden.",
    "booklet_staple": "Niet het boekje twee keer van buitenaf door de vouw, op ongeveer een kwart van de hoogte "
                      "vanaf boven en vanaf onder (zadelsteek).",
    "booklet_reach": "De nietjes zitten in de vouw, {mm} mm van de zijkanten van het vel, buiten het bereik van een "
                     "gewone nietmachine: gebruik een nietmachine met lange arm.",
    "booklet_sew": "Naai elk katern door de vouw, of lijm de gestapelde katernen aan de rug.",
    "booklet_trim": "Snijd",
    "booklet_trim_text": "de voorsnede bij: de pagina’s van de binnenste vellen zijn tot {mm} mm naar de vouw "
                         "verschoven, zodat de buitenmarges na het bijsnijden gelijk zijn.",
    "booklet_creep": "Kruip.",
    "booklet_creep_text": "In elkaar gestoken steken de binnenste vellen aan de voorsnede tot {mm} mm uit (één "
                          "papierdikte, ongeveer {paper} mm, per vel): snijd de voorsnede bij voor een strakke rand, "
                          "of zet “creep: true” onder “booklet:” in publication.yml om de binnenste pagina’s naar de "
                          "vouw te verschuiven.",
    "booklet_creep_small": "De kruip",
    "booklet_creep_small_text": "is minder dan een halve millimeter ({mm} mm bij het binnenste vel): bijsnijden is "
                                "niet nodig.",
    "booklet_sheet": "vel",
    "booklet_gathering": "katern",
    "booklet_first_side": "eerste kant (links | rechts)",
    "booklet_second_side": "tweede kant",
    "booklet_blank": "leeg",
    "booklet_landscape": "{sheet} liggend",
    "decimal_point": ",",
}

PORTUGUESE: dict[str, str] = {
    "contents": "Índice",
    "glossary": "Glossário",
    "bibliography": "Bibliografia",
    "sources": "Fontes dos textos",
    "questions": "Questões para discussão",
    "references": "Referências",
    "corrections": "Lista de correções",
    "landmarks": "Pontos de referência",
    "cover": "Capa",
    "title_page": "Folha de rosto",
    "imprint": "Ficha técnica",
    "print_pages": "Páginas da edição impressa",
    "about": "Sobre esta edição",
    "search": "Pesquisar",
    "download": "Download",
    "summary": "Resumo.",
    "edited_by": "Organização de",
    "edited_by_lower": "organização de",
    "published_by": "Publicado por",
    "first_published_in": "Publicado originalmente em",
    "first_published_form": "Publicado originalmente:",
    "first_published_by": "Publicado originalmente por",
    "first_published_by_the": "Publicado originalmente por",
    "first_published": "Primeira publicação",
    "author_unknown": "Autor desconhecido",
    "date_unknown": "Data desconhecida",
    "unknown": "desconhecido",
    "unknown_sentence": "Desconhecida.",  # a primeira publicação
    "original_address": "Endereço original:",
    "see_also": "Ver também",
    "page": "p.",
    "pages": "pp.",
    "note": "nota",
    "heading": "título",
    "deleted": "(suprimido)",
    "notes": "notas",
    "glossary_in": "Em",
    "date": "Data",
    "from": "De:",
    "in_the_reader": "Na coletânea",
    "contents_in_sentence": "índice",
    "no_corrections": "Não foi feita nenhuma correção nos textos.",
    "reproduced_print": "Os textos são reproduzidos das fontes indicadas na página {page}; as alterações "
                        "editoriais são descritas em “{notes_title}”.",
    "reproduced_epub": "Os textos são reproduzidos das fontes indicadas em “{sources}”; as alterações editoriais "
                       "são descritas em “{notes_title}”.",
    "colophon_charis": "Composto em Charis SIL, um tipo de letra livre da SIL International derivado do "
                       "Bitstream Charter.",
    "colophon_font": "Composto em {font}.",
    "colophon_headings": "Títulos em {font}.",
    "typeset_with": "Paginado com chapbook {version} e WeasyPrint.",
    "colophon_epub": "Composto em Charis SIL, um tipo de letra livre da SIL International derivado do Bitstream "
                     "Charter, sob a licença SIL Open Font License 1.1. Edição EPUB feita com chapbook {version}; "
                     "os números de página são os da edição impressa.",
    "glossary_intro_print": "Nos textos, um termo explicado aqui aparece sublinhado a pontilhado onde ocorre pela "
                            "primeira vez. Os números de página após cada entrada remetem para esses lugares.",
    "glossary_intro_epub": "Nos textos, um termo explicado aqui tem uma ligação onde ocorre pela primeira vez. As "
                           "ligações após cada entrada levam de volta a esses lugares (com a página da edição "
                           "impressa).",
    "note_back": "Voltar à nota {label} no texto",
    "cover_of": "Capa: {title}",
    "title_page_of": "Folha de rosto: {title}",
    "pages_in": "{pages} de {book}",
    "page_of_pages": "página {page} de {pages}",
    "skip": "Ir para o texto",
    "site": "Site",
    "go": "Ir",
    "search_help": "Escreva palavras na caixa de pesquisa acima: cada parágrafo que as contém todas é listado, "
                   "com o seu lugar (¶ ou nota).",
    "search_needs_js": "A pesquisa precisa de JavaScript; o {contents} e o glossário funcionam sem ele.",
    "previous_next": "Anterior e seguinte",
    "previous": "Anterior",
    "next": "Seguinte",
    "web_foot": "Os números de página na margem, {marker}, são os da edição impressa; os números ¶ são os mesmos "
                "em todas as edições.",
    "found_one": "1 parágrafo contém “{query}”.",
    "found_many": "{count} parágrafos contêm “{query}”.",
    "found_none": "Nada encontrado para “{query}”.",
    "download_pdf": "Livro (PDF)",
    "download_booklet": "Livreto para dobrar (PDF)",
    "download_handout": "Folheto: {title} (PDF)",
    "months": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "date_day": "{day} de {month} de {year}",
    "date_month": "{month} de {year}",
    "ref_accessed": "Consultado em",
    "ref_no_date": "s.d.",
    "ref_edited_by": "Organizado por",
    "ref_edited_by_lower": "organizado por",
    "ref_translated_by": "Traduzido por",
    "ref_by": "de",
    "ref_and": "e",
    "ref_serial_comma": "",
    "ref_et_al": "et al.",
    "ref_in": "Em",
    "ref_in_lower": "em",
    "ref_ed": "org.",
    "ref_eds": "orgs.",
    "ref_trans": "trad.",
    "ref_edition": "{number}.ª ed.",
    "ref_volume": "Vol.",
    "ref_volume_lower": "vol.",
    "ref_volumes": "vols.",
    "ref_part": "parte",
    "ref_of": "de",
    "ref_chapter": "cap.",
    "ref_number": "N.º",
    "ref_number_lower": "n.º",
    "ref_special_issue": "Número especial",
    "ref_originally_published_as": "Publicado originalmente como",
    "ref_first_published": "Publicado originalmente",
    "ref_version": "Versão",
    "ref_circa": "c.",
    "ref_seasons": "primavera verão outono inverno",
    "ref_day_month": "{day} de {month}",
    "accessibility_summary": "Esta publicação cumpre os requisitos da EPUB Accessibility 1.1 e das WCAG 2.2, nível "
                             "AA. É texto ajustável, com um índice estruturado, pontos de referência e títulos, e uma"
                             " ordem de leitura lógica. Marcadores de quebra de página e uma lista de páginas indicam"
                             " os números de página da edição impressa. As notas de rodapé estão marcadas como notas "
                             "e remetem para o texto; as citações têm ligação à bibliografia e os termos do glossário"
                             " ao glossário, cujas entradas remetem para os lugares onde cada termo é usado.",
    "accessibility_images_none": "A capa é uma imagem com uma alternativa textual; não há outras imagens com "
                                 "significado, nem áudio, vídeo ou riscos.",
    "accessibility_images_described": "A capa e todas as imagens dos textos têm uma alternativa textual; não há "
                                      "áudio, vídeo ou riscos.",
    "accessibility_images_undescribed": "A capa é uma imagem com uma alternativa textual; algumas imagens dos textos "
                                        "não a têm. Não há áudio, vídeo ou riscos.",
    "booklet_heading": "Como imprimir e dobrar este livreto",
    "booklet_document_title": "Como imprimir e dobrar: {title}",
    "booklet_pdf_title": "{title} — como imprimir e dobrar o livreto",
    "booklet_lead": "{title}: {plan}, em papel {sheet}.",
    "booklet_blank_added": "{pages} páginas → {padded}: 1 página em branco acrescentada {where}",
    "booklet_blanks_added": "{pages} páginas → {padded}: {blanks} páginas em branco acrescentadas {where}",
    "booklet_before_back_cover": "antes da contracapa",
    "booklet_end_of_back_matter": "no fim da parte final",
    "booklet_no_blanks": "{pages} páginas, sem necessidade de páginas em branco",
    "booklet_one_sheet": "1 folha",
    "booklet_sheets": "{sheets} folhas",
    "booklet_in_gatherings": "em {count} cadernos de {sizes} páginas",
    "booklet_print": "Imprima frente e verso, virando pela borda CURTA",
    "booklet_print_text": f"(também chamado “encadernação pela borda curta”), em tamanho real (100{_NBSP}%, sem "
                          f"“ajustar à página”), em papel {{sheet}}.",
    "booklet_print_only": "Imprima só as páginas 1–{last} do PDF; esta última página é apenas para ler.",
    "booklet_test": "Teste com a primeira folha",
    "booklet_test_text": "(páginas 1 e 2 do PDF): a página 2 do livro tem de ficar impressa no verso da página 1, "
                         "direita. Se ficar de cabeça para baixo, a sua impressora precisa antes de “virar pela "
                         "borda longa”.",
    "booklet_fold": "Dobre",
    "booklet_fold_text": "cada folha ao meio {fold}, com o primeiro lado impresso para fora.",
    "booklet_fold_marked": "pela linha central curta, que as marcas de dobra tracejadas indicam em cima e em baixo",
    "booklet_fold_unmarked": "pela linha central curta, entre as suas duas páginas",
    "booklet_gather": "Junte.",
    "booklet_nest": "Encaixe as folhas dobradas umas nas outras pela ordem em que foram impressas: a folha 1 "
                    "(páginas {last} e 1) por fora, a última no meio.",
    "booklet_gatherings": "O livreto é formado por {count} cadernos ({sizes} páginas). Dobre e encaixe as folhas de "
                          "cada caderno separadamente, a primeira folha de cada caderno por fora; depois empilhe os "
                          "cadernos por ordem, o caderno 1 em cima.",
    "booklet_bind": "Encaderne.",
    "booklet_staple": "Agrafe duas vezes através da dobra, pelo lado de fora, a cerca de um quarto da altura a "
                      "partir de cima e de baixo (lombada canoa).",
    "booklet_reach": "Os agrafos ficam na dobra, a {mm} mm das margens laterais da folha, fora do alcance de um "
                     "agrafador comum: use um agrafador de braço longo.",
    "booklet_sew": "Cosa cada caderno pela dobra, ou cole os cadernos empilhados pela lombada.",
    "booklet_trim": "Apare",
    "booklet_trim_text": "o corte da frente: as páginas das folhas interiores foram deslocadas até {mm} mm em "
                         "direção à dobra, para que as margens exteriores fiquem iguais depois de aparadas.",
    "booklet_creep": "Deslocamento.",
    "booklet_creep_text": "Encaixadas, as folhas interiores sobressaem no corte da frente até {mm} mm (uma espessura "
                          "de papel, cerca de {paper} mm, por folha): apare o corte da frente para uma margem "
                          "alinhada, ou defina “creep: true” em “booklet:” no publication.yml para deslocar as "
                          "páginas interiores em direção à dobra.",
    "booklet_creep_small": "O deslocamento",
    "booklet_creep_small_text": "é inferior a meio milímetro ({mm} mm na folha mais interior): não é preciso aparar.",
    "booklet_sheet": "folha",
    "booklet_gathering": "caderno",
    "booklet_first_side": "primeiro lado (esquerda | direita)",
    "booklet_second_side": "segundo lado",
    "booklet_blank": "em branco",
    "booklet_landscape": "{sheet} horizontal",
    "decimal_point": ",",
}

# By a language tag's first subtag; an entry a catalogue leaves out is the English one.
CATALOGUE: dict[str, dict[str, str]] = {"en": ENGLISH, "de": GERMAN, "fr": FRENCH, "es": SPANISH,
                                        "it": ITALIAN, "nl": DUTCH, "pt": PORTUGUESE}
