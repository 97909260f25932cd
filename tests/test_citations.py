"""Pandoc citation syntax: every form, exact offsets, and what is *not* a citation."""

from __future__ import annotations

import pytest

from chapbook.citations import cited_keys, find_citations, offset_to_line_col
from chapbook.model import CiteItem


def only(text: str):
    citations, problems = find_citations(text)
    assert problems == []
    assert len(citations) == 1, citations
    return citations[0]


def test_simple_bracketed_citation_with_offsets():
    text = "As argued [@georgi2019] before."
    c = only(text)
    assert (c.start, c.end, c.raw, c.narrative) == (10, 23, "[@georgi2019]", False)
    assert c.items == (CiteItem("georgi2019", col_offset=1),)
    assert text[c.start + c.items[0].col_offset] == "@"


def test_locator_after_comma():
    c = only("[@key, p. 12]")
    assert c.items[0].key == "key"
    assert c.items[0].locator == "p. 12"


def test_prefix_and_multiple_items():
    text = "x [see @a; @b, 45] y"
    c = only(text)
    a, b = c.items
    assert (a.key, a.prefix, a.locator) == ("a", "see", "")
    assert (b.key, b.prefix, b.locator) == ("b", "", "45")
    assert text[c.start + a.col_offset:].startswith("@a")
    assert text[c.start + b.col_offset:].startswith("@b")
    assert c.raw == "[see @a; @b, 45]"


def test_suppress_author():
    c = only("[-@key]")
    assert c.items[0].suppress_author
    assert c.items[0].col_offset == 2
    c = only("[@a; -@b]")
    assert [i.suppress_author for i in c.items] == [False, True]
    assert c.items[1].col_offset == 6


def test_narrative_citation_and_trailing_period():
    text = "As @georgi2019. Next"
    c = only(text)
    assert c.narrative
    assert (c.start, c.end, c.raw) == (3, 14, "@georgi2019")
    assert c.items[0].key == "georgi2019"


def test_narrative_keys_drop_trailing_punctuation_but_keep_internal():
    cites, _ = find_citations("(@a:b-c), @d.e.f; @g? @h's")
    assert [c.items[0].key for c in cites] == ["a:b-c", "d.e.f", "g", "h"]


def test_narrative_with_locator():
    c = only("As @key [p. 33] shows")
    assert c.narrative
    assert c.items[0].locator == "p. 33"
    assert c.raw == "@key [p. 33]"


def test_narrative_at_start_of_text_and_line():
    cites, _ = find_citations("@a opens.\n@b too")
    assert [(c.start, c.items[0].key) for c in cites] == [(0, "a"), (10, "b")]


@pytest.mark.parametrize("text", [
    "write to a@b.org today",
    "first.last@example.com",
    "`[@code]` and `@span`",
    "``a ` @b``",
    "```\n[@fenced]\n@also\n```\n",
    "~~~python\n@decorator\n~~~",
    r"an escaped \@handle",
    "footnote[^1] ref",
    "[a link](https://example.org/@user)",
    "see https://medium.com/@someone/post",
    "<mail@example.org>",
    "[[glossary term]] and [plain brackets]",
    "[@key](https://example.org)",
])
def test_not_citations(text: str):
    assert find_citations(text) == ([], [])


def test_code_span_does_not_hide_following_citation():
    text = "`@code` then [@real]"
    c = only(text)
    assert c.items[0].key == "real"
    assert c.start == text.index("[")


def test_citation_after_fenced_block():
    text = "```\n@x\n```\nSee [@y]."
    c = only(text)
    assert c.start == text.index("[@y]")


def test_citation_inside_footnote_definition():
    text = "Text.[^1]\n\n[^1]: See [@a, 4]."
    c = only(text)
    assert c.raw == "[@a, 4]"


def test_empty_key_is_a_problem():
    assert find_citations("[@]") == ([], [(1, "citation '@' without a key")])


def test_empty_item_is_a_problem_at_the_semicolon():
    citations, problems = find_citations("x [see @a; ]")
    assert citations == []
    assert [off for off, _ in problems] == [9]
    assert "empty item" in problems[0][1]


def test_item_without_key_is_a_problem():
    citations, problems = find_citations("[@a; p. 4]")
    assert citations == []
    assert problems[0][0] == 5
    assert "no @key" in problems[0][1]


def test_unclosed_bracket_is_a_problem():
    text = "unclosed [@key here\n\nnext [@k]"
    citations, problems = find_citations(text)
    assert problems == [(9, "unclosed citation bracket '['")]
    assert [c.raw for c in citations] == ["[@k]"]


def test_several_citations_in_order():
    text = "A [@a]. B @b, and [-@c, 3]."
    cites, problems = find_citations(text)
    assert problems == []
    assert [(c.raw, text[c.start:c.end]) for c in cites] == [
        ("[@a]", "[@a]"), ("@b", "@b"), ("[-@c, 3]", "[-@c, 3]")]


def test_offsets_in_multiline_text():
    text = "Line one.\nLine two [see @k]."
    c = only(text)
    assert offset_to_line_col(text, c.start + c.items[0].col_offset) == (2, 15)


def test_offset_to_line_col():
    text = "ab\ncd\n\nef"
    assert offset_to_line_col(text, 0) == (1, 1)
    assert offset_to_line_col(text, 1) == (1, 2)
    assert offset_to_line_col(text, 3) == (2, 1)
    assert offset_to_line_col(text, 7) == (4, 1)


def test_cited_keys_of_several_texts():
    texts = ["[see @a, 4; -@b] and @c.", "`@code` and [@knuth:ct:a]", "none"]
    assert cited_keys(texts) == {"a", "b", "c", "knuth:ct:a"}
    assert cited_keys([]) == set()


def test_a_range_in_a_locator_takes_an_en_dash(convert_body):
    """"[@key, pp. 45-48]" printed "45-48" with every style; a range is 45–48, as in the references."""
    loaded = convert_body("As shown [@garcia2019, pp. 45-48] and by @garcia2019 [ch. 3--5], not p. 4-A.\n")
    html = loaded.converted["first-text"].html
    assert "45–48" in html and "3–5" in html and "45-48" not in html
