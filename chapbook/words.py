"""chapbook's own words — the headings, labels and sentences its templates print — in the book's language.

A German reader said "Contents", "Glossary" and "Edited by" inside ``lang="de"``: a screen reader
read them with a German voice, the hyphenation patterns were German, and a reader saw English in
the middle of a German book. Every word a built-in template prints comes from here instead, in the
book's ``language`` (its first subtag: ``de-AT`` takes the German words), with the project's own
``words:`` from publication.yml over them. Languages without a catalogue get the English words and
a warning, which naming every word under ``words:`` answers (as Quarto's ``language:`` does).

Values are plain text (escaped where printed). ``{name}`` marks what the template fills in, through
the ``fill`` filter: the names of each entry are those of its English one, bare, checked when a
project overrides it (:func:`check_words`), since a format string may otherwise reach attributes or
ask for a width of millions; there ``{{`` and ``}}`` are braces. A word that fills nothing in is
printed as written, braces and all.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

from markupsafe import Markup, escape

from .charclasses import ISOLATES, LINE_ENDS, TAB, char_class
from .diagnostics import Location, Report, did_you_mean
from .fieldcheck import subtags

__all__ = ["CATALOGUE", "ENGLISH", "check_words", "fill", "human_date", "words_for"]

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
                             "AA. It is reflowable text with a structured table of contents, landmarks and "
                             "headings, and a logical reading order. Page-break markers and a page list give the "
                             "page numbers of the print edition. Footnotes are marked as notes and link back to "
                             "the text; citations link to the bibliography, and glossary terms to the glossary, "
                             "whose entries link back to where each term is used. The cover is an image with a "
                             "text alternative; there are no other images that carry meaning, no audio, video or "
                             "hazards.",
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
                             "Stufe AA. Sie besteht aus umfließendem Text mit einem gegliederten "
                             "Inhaltsverzeichnis, Orientierungspunkten und Überschriften sowie einer logischen "
                             "Lesereihenfolge. Seitenumbruchmarken und eine Seitenliste geben die Seitenzahlen der "
                             "Druckausgabe an. Fußnoten sind als Anmerkungen ausgezeichnet und führen zum Text "
                             "zurück; Literaturangaben verweisen auf das Literaturverzeichnis und Glossarbegriffe "
                             "auf das Glossar, dessen Einträge zu den Stellen zurückführen, an denen ein Begriff "
                             "vorkommt. Der Umschlag ist ein Bild mit Textalternative; es gibt keine weiteren "
                             "bedeutungstragenden Bilder, kein Audio, kein Video und keine Gefahren.",
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
                             "repères et des titres, et un ordre de lecture logique. Des marqueurs de saut de page "
                             "et une liste des pages donnent les numéros de page de l’édition imprimée. Les notes "
                             "de bas de page sont balisées comme notes et renvoient au texte"
                             f"{_NNBSP}; les citations renvoient à la bibliographie et les termes du glossaire au "
                             "glossaire, dont les entrées renvoient aux endroits où chaque terme est employé. La "
                             "couverture est une image avec une alternative textuelle"
                             f"{_NNBSP}; il n’y a pas d’autres images porteuses de sens, ni audio, ni vidéo, ni "
                             "danger.",
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
                             "lista de páginas indican los números de página de la edición impresa. Las notas al "
                             "pie están marcadas como notas y remiten al texto; las citas enlazan con la "
                             "bibliografía y los términos del glosario con el glosario, cuyas entradas remiten a "
                             "los lugares donde se usa cada término. La cubierta es una imagen con una alternativa "
                             "textual; no hay otras imágenes con significado, ni audio, ni vídeo, ni riesgos.",
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
                             "punti in cui ciascun termine è usato. La copertina è un’immagine con un’alternativa "
                             "testuale; non ci sono altre immagini significative, né audio, né video, né rischi.",
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
    "accessibility_summary": "Deze publicatie voldoet aan de eisen van EPUB Accessibility 1.1 en WCAG 2.2 niveau "
                             "AA. Het is herschikbare tekst met een gestructureerde inhoudsopgave, "
                             "oriëntatiepunten en koppen, en een logische leesvolgorde. Pagina-einden en een "
                             "paginalijst geven de paginanummers van de gedrukte editie. Voetnoten zijn als noten "
                             "gemarkeerd en verwijzen terug naar de tekst; verwijzingen linken naar de bibliografie "
                             "en termen naar de woordenlijst, waarvan de trefwoorden terugverwijzen naar de "
                             "plaatsen waar elke term voorkomt. De omslag is een afbeelding met een "
                             "tekstalternatief; er zijn geen andere betekenisvolle afbeeldingen, geen audio, video "
                             "of risico’s.",
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
                             "AA. É texto ajustável, com um índice estruturado, pontos de referência e títulos, e "
                             "uma ordem de leitura lógica. Marcadores de quebra de página e uma lista de páginas "
                             "indicam os números de página da edição impressa. As notas de rodapé estão marcadas "
                             "como notas e remetem para o texto; as citações têm ligação à bibliografia e os termos "
                             "do glossário ao glossário, cujas entradas remetem para os lugares onde cada termo é "
                             "usado. A capa é uma imagem com uma alternativa textual; não há outras imagens com "
                             "significado, nem áudio, vídeo ou riscos.",
}

# By a language tag's first subtag; an entry a catalogue leaves out is the English one.
CATALOGUE: dict[str, dict[str, str]] = {"en": ENGLISH, "de": GERMAN, "fr": FRENCH, "es": SPANISH,
                                        "it": ITALIAN, "nl": DUTCH, "pt": PORTUGUESE}


def placeholders(text: str) -> list[str] | None:
    """The ``{names}`` a text fills in, in order; None when it is not a valid format string or a field
    is more than a bare name (``{label:>30000000}`` asked Python for 30 MB a note, ``{x!r}`` for a
    repr, ``{x.y}`` for an attribute)."""
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text)
                  if name is not None]
    except ValueError:
        return None
    if any(not name.isidentifier() or spec or conversion for name, spec, conversion in fields):
        return None
    return [name for name, _, _ in fields]


# Characters a word may not hold besides those the YAML reader already refuses at their line
# (chapbook.yamlsafe.CONTROL, which reported U+202E a second time here): line ends and tabs, which
# no heading or label has, and the direction isolates, which a word cannot close where it ends.
_UNPRINTABLE = char_class(TAB, LINE_ENDS, ISOLATES)

# What a sentence may fill in besides its English one's names: the notes' title as written, for
# languages that quote it rather than lower-case it after an article ("in the editorial note").
_ALSO = {"reproduced_print": ["notes_title"], "reproduced_epub": ["notes_title"],
         "ref_edition": ["number"]}  # "3. Aufl.": the edition's number where English writes "3rd"


def fills(key: str) -> list[str]:
    """The ``{names}`` the word ``key`` may use."""
    return (placeholders(ENGLISH[key]) or []) + _ALSO.get(key, [])


def words_for(language: str, own: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every word for a book in ``language``: the project's ``own`` over the language's catalogue,
    over the English ones. Swiss and Liechtenstein German write ss for ß."""
    parts = subtags(language)
    found = CATALOGUE.get(parts[0] if parts else "en", {})
    words = ENGLISH | found
    if parts and parts[0] == "de" and {"ch", "li"} & set(parts[1:]):
        words = {k: v.replace("ß", "ss") for k, v in words.items()}
    return words | dict(own or {})


def has_catalogue(language: str) -> bool:
    """Whether chapbook has its own words in ``language`` (else they are English)."""
    parts = subtags(language)
    return bool(parts) and parts[0] in CATALOGUE


def check_words(own: dict, language: str, where: Location, lines: Mapping[str, int], report: Report) -> dict[str, str]:
    """The ``words:`` of publication.yml that are usable: known names, text, and no ``{name}`` its
    English entry does not have (nor a stray brace). Each other one is an error at its line."""
    usable: dict[str, str] = {}
    for key, value in own.items():
        loc = Location(where.path, lines.get(f"words.{key}", where.line), 1)
        if key not in ENGLISH:
            report.error(loc, f"unknown word 'words.{key}'{did_you_mean(str(key), ENGLISH.keys())}", "unknown-setting")
            continue
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            report.error(loc, f"'words.{key}' must be text, such as: {ENGLISH[key]!r}", "bad-value")
            continue
        text = str(value)
        if _UNPRINTABLE.search(text):
            char = _UNPRINTABLE.search(text).group()
            report.error(loc, f"'words.{key}' holds the character U+{ord(char):04X} (a line end, tab or direction "
                         "isolate, which would break or reorder what follows it): delete it", "bad-value")
            continue
        allowed = fills(key)
        names = placeholders(text) if allowed else []  # a word that fills nothing in is printed as written
        if names is None or any(n not in allowed for n in names):
            shown = ", ".join("{" + n + "}" for n in allowed) or "nothing in braces"
            report.error(loc, f"'words.{key}' may only use {shown}, as bare names (write {{{{ and }}}} for a "
                         f"brace): {text[:80]!r}", "bad-value")
            continue
        if key == "months" and len(text.split()) != 12:
            report.error(loc, "'words.months' must name the twelve months, separated by spaces", "bad-value")
            continue
        if key == "ref_seasons" and len(text.split()) != 4:
            report.error(loc, "'words.ref_seasons' must name the four seasons from spring, separated by spaces",
                         "bad-value")
            continue
        usable[key] = text
    if not has_catalogue(language) and set(ENGLISH) - set(usable):
        report.warning(where, f"chapbook has no words of its own in '{language}' (headings such as “Contents”, "
                       "labels, month names): they are set in English. Give them under 'words:' in "
                       "publication.yml (see the README)", "no-words")
    return usable


def fill(text: str, **values) -> Markup:
    """Jinja filter ``fill``: a word with its ``{names}`` filled in; the word is escaped, and so is
    each value that is not already markup (a link, a page reference).

    Only bare names are filled: a project's template is untrusted, and ``{c.__class__}`` in a format
    string would reach attributes the sandbox refuses (format runs outside it).
    """
    from jinja2.exceptions import SecurityError

    try:
        fields = list(string.Formatter().parse(str(text)))
    except ValueError as exc:
        raise SecurityError(f"'fill' cannot read {str(text)[:60]!r}: {exc}") from None
    for _, name, spec, conversion in fields:
        if name is not None and (not name.isidentifier() or spec or conversion):
            raise SecurityError(f"'fill' fills in bare names such as {{page}}, not {{{name}}}")
    return Markup(escape(text)).format(**values)


def human_date(value: str, words: Mapping[str, str]) -> str:
    """'2008-12-11' → '11 December 2008' (in ``words``, the book's: required, as an English default
    went unnoticed); '2002-07' → 'July 2002'; other text unchanged."""
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        return value
    month = words["months"].split()[int(m.group(2)) - 1]
    if not m.group(3):
        return words["date_month"].format(month=month, year=m.group(1))
    day = words["first_day"] if int(m.group(3)) == 1 else str(int(m.group(3)))
    return words["date_day"].format(day=day, month=month, year=m.group(1))
