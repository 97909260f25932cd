"""Glossary marking: first occurrence per text, aliases, acronyms, plurals, and where never to mark."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from conftest import MINIMAL, TEXT_HEAD, load

from chapbook.check import check

GLOSSARY = """\
- term: International Organization for Migration
  aliases: [IOM, International Organisation for Migration]
  definition: An intergovernmental organisation.
- term: border agency
  definition: A state body that controls borders.
- term: Race Relations
  definition: Relations between groups.
- term: glossary term
  definition: Used by the introduction.
- term: push-back
  definition: A forced return.
"""


def marks(html: str) -> list[tuple[str, str]]:
    """(shown text, href) of every glossary mark, in document order."""
    root = ET.fromstring(f"<div>{html}</div>")
    return [("".join(a.itertext()), a.get("href")) for a in root.iter("a") if a.get("class") == "glossref"]


def converted(convert_body, body: str):
    loaded = convert_body(body, glossary=GLOSSARY)
    return loaded, loaded.converted["first-text"]


IOM = "#gl-international-organization-for-migration"
BORDER = "#gl-border-agency"


def test_first_occurrence_only(convert_body):
    _, c = converted(convert_body, "The border agency and the border agency.\n\nAgain the border agency.\n")
    assert marks(c.html) == [("border agency", BORDER)]
    assert c.glossary_marks == (("border-agency", "gr-first-text-border-agency"),)


def test_first_occurrence_per_text_not_per_book():
    loaded = load(MINIMAL)
    first = loaded.converted["first-text"].glossary_marks
    second = loaded.converted["second-text"].glossary_marks
    assert ("international-organization-for-migration",
            "gr-first-text-international-organization-for-migration") in first
    assert ("international-organization-for-migration",
            "gr-second-text-international-organization-for-migration") in second


def test_aliases_mark_the_entry_once(convert_body):
    _, c = converted(convert_body, "The IOM began. The International Organization for Migration grew. "
                                   "The International Organisation for Migration too.\n")
    assert marks(c.html) == [("IOM", IOM)]


def test_an_empty_alias_is_an_error_and_marks_nothing(convert_body):
    """aliases: [IOM, ""] passed check, and the empty alias matched at the start of each text: an empty
    link there (no words to tap) and the term's real first occurrence left unmarked."""
    loaded = convert_body("The IOM began.\n", glossary=GLOSSARY.replace("aliases: [IOM,", 'aliases: ["", IOM,'))
    assert loaded.lines() == ["content/glossary.yml:2:3: error: an empty alias of "
                              "'International Organization for Migration': delete it"]
    assert marks(loaded.converted["first-text"].html) == [("IOM", IOM)]


def test_terms_with_the_same_slug_get_ids_of_their_own(convert_body):
    """Every Arabic, Greek or Chinese term has the slug 'x', and 'C' and 'C++' are both 'c': the entries
    shared one id (gl-x), every mark linked to the first, and the EPUB failed EPUBCheck (duplicate ID)."""
    glossary = GLOSSARY + ("- term: هجرة\n  definition: Migration.\n- term: لجوء\n  definition: Asylum.\n"
                           "- term: C\n  definition: A letter.\n- term: C++\n  definition: A language.\n")
    loaded = convert_body("عن الهجرة: هجرة و لجوء. C++ and C.\n", glossary=glossary)
    slugs = [entry.slug for entry in loaded.publication.glossary]
    assert len(set(slugs)) == len(slugs) and slugs[-4:] == ["x", "x-2", "c", "c-2"]
    assert marks(loaded.converted["first-text"].html) == [
        ("هجرة", "#gl-x"), ("لجوء", "#gl-x-2"), ("C++", "#gl-c-2"), ("C", "#gl-c")]


def test_longest_name_wins_at_the_same_place(convert_body):
    _, c = converted(convert_body, "The International Organisation for Migration, or IOM.\n")
    assert marks(c.html) == [("International Organisation for Migration", IOM)]


def test_acronyms_are_case_sensitive(convert_body):
    _, c = converted(convert_body, "The iom and the Iom are not it; the IOM is.\n")
    assert marks(c.html) == [("IOM", IOM)]


def test_words_are_case_insensitive(convert_body):
    _, c = converted(convert_body, "Border Agency staff.\n")
    assert marks(c.html) == [("Border Agency", BORDER)]


def test_plurals(convert_body):
    _, c = converted(convert_body, "Two IOMs and many border agencies and push-backs.\n")
    assert marks(c.html) == [("IOMs", IOM), ("border agencies", BORDER), ("push-backs", "#gl-push-back")]


def test_whole_words_only(convert_body):
    _, c = converted(convert_body, "The IOMX and border agencyhood and non-push-back and re-IOM.\n")
    assert marks(c.html) == []


def test_term_across_a_line_break(convert_body):
    _, c = converted(convert_body, "The border\nagency works.\n")
    assert marks(c.html) == [("border\nagency", BORDER)]


def test_never_inside_headings(convert_body):
    _, c = converted(convert_body, "# The border agency\n\n## About the IOM\n\nThe border agency and the IOM.\n")
    root = ET.fromstring(f"<div>{c.html}</div>")
    for h in ("h1", "h2"):
        assert all(a.get("class") != "glossref" for a in root.find(h).iter("a"))
    assert marks(c.html) == [("border agency", BORDER), ("IOM", IOM)]


def test_never_inside_links(convert_body):
    _, c = converted(convert_body, "See [the border agency](https://example.org) and then the border agency.\n")
    root = ET.fromstring(f"<div>{c.html}</div>")
    link = next(a for a in root.iter("a") if a.get("href") == "https://example.org")
    assert list(link) == []  # no mark nested inside the link
    assert marks(c.html) == [("border agency", BORDER)]
    assert c.html.index("https://example.org") < c.html.index('class="glossref"')


def test_never_inside_citations(convert_body):
    # the narrative citation renders "Institute of Race Relations (2002)", which contains a term
    _, c = converted(convert_body, "@irr2002 wrote it [see @irr2002, 4]. Later, race relations.\n")
    root = ET.fromstring(f"<div>{c.html}</div>")
    cites = [a for a in root.iter("a") if a.get("class") == "cite"]
    assert cites and all(list(a) == [] or all(x.get("class") != "glossref" for x in a.iter("a")) for a in cites)
    assert marks(c.html) == [("race relations", "#gl-race-relations")]


def test_never_inside_code_or_footnote_calls(convert_body):
    _, c = converted(convert_body, "Code `IOM` first.[^1] Then IOM.\n\n[^1]: A note.\n")
    assert marks(c.html) == [("IOM", IOM)]
    assert "<code>IOM</code>" in c.html


def test_explicit_marks(convert_body):
    _, c = converted(convert_body, "The [[border agency]] and [[IOM|the organisation]] and IOM again.\n")
    assert marks(c.html) == [("border agency", BORDER), ("the organisation", IOM)]
    assert [t for t, _ in c.explicit_terms] == ["border agency", "IOM"]
    assert "[[" not in c.html


def test_explicit_mark_then_automatic_marks_skip_that_term(convert_body):
    _, c = converted(convert_body, "The agency ([[border agency|it]]) and then the border agency.\n")
    assert marks(c.html) == [("it", BORDER)]


def test_explicit_marks_are_case_insensitive(convert_body):
    _, c = converted(convert_body, "The [[Border Agency]].\n")
    assert marks(c.html) == [("Border Agency", BORDER)]


def test_unknown_explicit_term_is_an_error_with_location(convert_body):
    loaded, c = converted(convert_body, "Line.\n\nThe [[boarder agency]] and [[nothing|x]].\n")
    check(loaded.publication, list(loaded.converted.values()), loaded.report)
    line = TEXT_HEAD.count("\n") + 3
    errors = [d.format(root=loaded.root) for d in sorted(loaded.report.errors)]
    assert errors == [
        f"content/texts/01-first-text.md:{line}:5: error: unknown glossary term 'boarder agency' "
        "(did you mean 'border agency'?)",
        f"content/texts/01-first-text.md:{line}:28: error: unknown glossary term 'nothing'",
    ]
    assert "boarder agency" in "".join(ET.fromstring(f"<div>{c.html}</div>").itertext())


def test_only_texts_are_marked_automatically():
    loaded = load(MINIMAL)
    intro = loaded.converted["introduction"]
    # the introduction mentions "border agencies" but only its explicit [[glossary term|glossary]] is marked
    assert intro.glossary_marks == (("glossary-term", "gr-introduction-glossary-term"),)


def test_unused_glossary_term_is_a_warning(convert_body):
    loaded, _ = converted(convert_body, "Nothing from the glossary here.\n")
    check(loaded.publication, list(loaded.converted.values()), loaded.report)
    warnings = [d.format(root=loaded.root) for d in loaded.report.warnings]
    assert "content/glossary.yml:6:3: warning: glossary term 'Race Relations' does not occur in any text" \
        in warnings
    assert not loaded.report.errors


def test_see_also_must_name_a_term(convert_body):
    loaded, _ = converted(convert_body, "The IOM.\n")
    (loaded.root / "content" / "glossary.yml").write_text(GLOSSARY + "  see_also: [push back, IOM]\n")
    loaded = load(loaded.root)
    check(loaded.publication, list(loaded.converted.values()), loaded.report)
    assert [d.format(root=loaded.root) for d in loaded.report.errors] == [
        "content/glossary.yml:10:3: error: 'see_also' names unknown term 'push back' in 'push-back' "
        "(did you mean 'push-back'?)"]


def test_acronyms_are_wrapped_for_small_caps(convert_body):
    _, c = converted(convert_body, "The UNHCR and the IOM met.\n")
    assert '<abbr class="caps">UNHCR</abbr>' in c.html
    assert '<abbr class="caps">IOM</abbr>' in c.html


# ---- glossary: {mark: first|all|manual, unused: keep|omit} (issue 12: a glossary of everyday words) ----


def _with_settings(project, settings: str) -> None:
    config = project / "content" / "publication.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nglossary:\n" + settings, encoding="utf-8")


def test_mark_all_links_every_occurrence_with_unique_ids(project, convert_body):
    _with_settings(project, "  mark: all\n")
    loaded, c = converted(convert_body, "The border agency and the [[border agency]].\n\nAgain the border agency.\n")
    assert marks(c.html) == [("border agency", BORDER)] * 3
    ids = [mark_id for _, mark_id in c.glossary_marks]
    assert len(ids) == len(set(ids)) == 3
    assert not loaded.report.errors


def test_mark_manual_links_only_what_is_marked_by_hand(project, convert_body):
    _with_settings(project, "  mark: manual\n")
    body = "The border agency and the IOM.\n\nThe [[International Organization for Migration]].\n"
    _, c = converted(convert_body, body)
    assert marks(c.html) == [("International Organization for Migration", IOM)]


def test_unused_omit_leaves_out_unmarked_entries_without_a_warning(project, convert_body):
    from chapbook.render import glossary_items

    _with_settings(project, "  mark: manual\n  unused: omit\n")
    loaded, _ = converted(convert_body, "The border agency and the [[IOM]].\n")
    check(loaded.publication, list(loaded.converted.values()), loaded.report)
    assert not [w for w in loaded.report.lines() if "does not occur in any text" in w]
    items = glossary_items(loaded.publication, list(loaded.converted.values()))
    kept = ["glossary term", "International Organization for Migration"]  # the introduction marks the first
    assert [item.entry.term for item in items] == kept
    assert all(s.term in kept for item in items for s in item.see_also)


def test_unused_keep_lists_every_entry_and_warns(project, convert_body):
    from chapbook.render import glossary_items

    loaded, _ = converted(convert_body, "The border agency.\n")
    check(loaded.publication, list(loaded.converted.values()), loaded.report)
    assert [w for w in loaded.report.lines() if "'push-back' does not occur in any text" in w]
    assert len(glossary_items(loaded.publication, list(loaded.converted.values()))) == 5


def test_a_wrong_glossary_setting_is_a_located_error(project, convert_body):
    _with_settings(project, "  mark: some\n  unused: drop\n")
    loaded, _ = converted(convert_body, "Text.\n")
    errors = [e for e in loaded.report.lines() if "glossary." in e]
    assert any("publication.yml:" in e and "'glossary.mark' must be one of first, all, manual" in e for e in errors)
    assert any("'glossary.unused' must be one of keep, omit" in e for e in errors)
