"""The saddle-stitch page order, padding and creep, as pure functions (chapbook.impose)."""

from __future__ import annotations

import pytest

from chapbook import impose
from chapbook.wordlists import ENGLISH


@pytest.mark.parametrize(("count", "sides"), [
    (4, [(4, 1), (2, 3)]),
    (8, [(8, 1), (2, 7), (6, 3), (4, 5)]),
    (12, [(12, 1), (2, 11), (10, 3), (4, 9), (8, 5), (6, 7)]),
    (16, [(16, 1), (2, 15), (14, 3), (4, 13), (12, 5), (6, 11), (10, 7), (8, 9)]),
])
def test_saddle_order(count, sides):
    assert impose.saddle_order(count) == sides


@pytest.mark.parametrize("count", [4, 8, 16, 64, 128])
def test_saddle_order_uses_every_page_once_and_facing_pages_sum_to_n_plus_1(count):
    sides = impose.saddle_order(count)
    assert len(sides) == count // 2
    assert sorted(p for side in sides for p in side) == list(range(1, count + 1))
    assert all(left + right == count + 1 for left, right in sides)
    # flipped on the short edge, each back side lies behind its front: front right k, back left k + 1
    for front, back in zip(sides[::2], sides[1::2], strict=True):
        assert back[0] == front[1] + 1 and back[1] == front[0] - 1


@pytest.mark.parametrize("count", [0, 2, 6, 10])
def test_saddle_order_refuses_counts_that_are_no_multiple_of_4(count):
    with pytest.raises(ValueError):
        impose.saddle_order(count)


@pytest.mark.parametrize(("pages", "padded"), [(1, 4), (4, 4), (5, 8), (46, 48), (61, 64), (64, 64), (65, 68)])
def test_padded_count(pages, padded):
    assert impose.padded_count(pages) == padded


@pytest.mark.parametrize(("pages", "back_cover", "sequence"), [
    (8, False, [1, 2, 3, 4, 5, 6, 7, 8]),
    (5, False, [1, 2, 3, 4, 5, None, None, None]),
    (5, True, [1, 2, 3, 4, None, None, None, 5]),  # blanks before the back cover
    (6, True, [1, 2, 3, 4, 5, None, None, 6]),
    (7, False, [1, 2, 3, 4, 5, 6, 7, None]),
    (1, True, [1, None, None, None]),  # a single page is no back cover
])
def test_page_sequence_puts_blanks_before_the_back_cover_or_at_the_end(pages, back_cover, sequence):
    assert impose.page_sequence(pages, back_cover) == sequence


@pytest.mark.parametrize(("padded", "signature", "sizes"), [
    (64, 0, [64]), (64, 16, [16, 16, 16, 16]), (68, 16, [16, 16, 16, 16, 4]), (48, 32, [32, 16]),
    (12, 16, [12]), (8, 4, [4, 4]),
])
def test_gathering_sizes(padded, signature, sizes):
    assert impose.gathering_sizes(padded, signature) == sizes


@pytest.mark.parametrize("signature", [-4, 6, 10])
def test_gathering_sizes_refuses_bad_signatures(signature):
    with pytest.raises(ValueError):
        impose.gathering_sizes(16, signature)


def test_impose_61_pages_one_gathering():
    sides = impose.impose(61)
    assert len(sides) == 32 and sides[-1].sheet == 16
    assert [(s.left, s.right) for s in sides[:4]] == [(None, 1), (2, None), (None, 3), (4, 61)]
    assert [(s.left, s.right) for s in sides[-2:]] == [(34, 31), (32, 33)]  # the middle sheet
    assert [s.front for s in sides[:4]] == [True, False, True, False]


def test_impose_with_back_cover_keeps_the_cover_on_the_outside():
    sides = impose.impose(46, back_cover=True)
    assert (sides[0].left, sides[0].right) == (46, 1)  # back cover behind the front cover
    assert (sides[1].left, sides[1].right) == (2, None)  # blanks only before the back cover
    assert (sides[2].left, sides[2].right) == (None, 3)


def test_impose_signatures_are_separate_gatherings():
    sides = impose.impose(20, signature=8)  # 20 → gatherings of 8, 8, 4
    table = [(s.gathering, s.sheet, s.sheet_in_gathering, s.left, s.right) for s in sides]
    assert table == [
        (1, 1, 0, 8, 1), (1, 1, 0, 2, 7), (1, 2, 1, 6, 3), (1, 2, 1, 4, 5),
        (2, 3, 0, 16, 9), (2, 3, 0, 10, 15), (2, 4, 1, 14, 11), (2, 4, 1, 12, 13),
        (3, 5, 0, 20, 17), (3, 5, 0, 18, 19),
    ]


def test_plan_summary_and_planning_warnings():
    plan = impose.plan(61)
    assert plan.summary(ENGLISH).startswith("61 pages → 64: 3 blank pages added at the end of the back matter")
    assert impose.plan(46, back_cover=True).summary(ENGLISH).startswith(
        "46 pages → 48: 2 blank pages added before the back cover")
    assert plan.warnings() == ["the booklet wastes 3 blank pages; 1 page fewer (60) would need none"]
    assert impose.plan(62).warnings() == [] and impose.plan(64).warnings() == []
    overflow = impose.plan(66, signature=16)  # 68 = 4 × 16 + 4
    assert any("overflows 4 gatherings of 16" in w and "2 pages fewer" in w for w in overflow.warnings())
    assert not any("overflows" in w for w in impose.plan(60, signature=16).warnings())  # 16+16+16+12


def test_a_book_too_thick_to_staple_warns_with_the_figures_and_the_ways_out():
    """Issue 12: a 296-page reader came out as one 74-sheet booklet without a word."""
    [note] = impose.plan(296).warnings()
    assert note.startswith("a 296-page booklet is 74 sheets folded into one gathering; a long-arm stapler "
                           "binds about 20–25 sheets (80–100 pages) of 80 gsm paper")
    # 16 would leave a last gathering of 8 pages (flagged as overflowing), so 20 is proposed
    assert "set booklet.signature to 20 (15 gatherings of at most 5 sheets" in note
    assert "perfect-bound with the cover 'build.py cover' makes" in note
    assert impose.plan(296, signature=20).warnings() == []  # signatures are sewn, not stapled
    assert impose.plan(296, signature=16).too_thick() == ""
    assert impose.plan(100).warnings() == [] and impose.plan(101).too_thick()  # 25 sheets bind, 26 do not
    thick = impose.plan(84, paper_mm=0.12, paper="0.12 mm").too_thick()  # 21 sheets of thick paper
    assert "about 16–20 sheets (64–80 pages) of 0.12 mm paper" in thick
    assert "to 16 (6 gatherings of 4 sheets" in impose.plan(96, paper_mm=0.12, paper="0.12 mm").too_thick()


@pytest.mark.parametrize(("paper_mm", "low", "high"), [(0.1, 20, 25), (0.12, 16, 20), (0.05, 40, 50), (0, 20, 25)])
def test_stapler_sheets(paper_mm, low, high):
    assert impose.stapler_sheets(paper_mm) == (low, high)


def test_paper_label_and_spine_width():
    assert impose.paper_label(0, 80) == "80 gsm" and impose.paper_label(0.12, 80) == "0.12 mm"
    assert impose.spine_width(296, 0.1) == pytest.approx(14.8)


@pytest.mark.parametrize(("thickness", "weight", "expected"), [(0.1, 0, 0.1), (0, 80, 0.1), (0.12, 80, 0.12)])
def test_paper_thickness(thickness, weight, expected):
    assert impose.paper_thickness(thickness, weight) == pytest.approx(expected)


def test_creep_offsets_grow_toward_the_middle_sheet():
    assert impose.creep_offsets(4, 0.1) == [0.0, 0.1, 0.2, 0.3]
    assert impose.creep_offsets(1, 0.1) == [0.0]
