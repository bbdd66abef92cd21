"""Folding a report sentence (jixiao.report.text.fold_text): the fast paths — a sentence whose
characters each fold to one, with or without spaces — give exactly what folding character by
character gives, offsets included; and a sentence without a digit states no figure."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.report.figures import parse_figures
from jixiao.report.text import _fold_each, fold_text

# What report sentences hold: Chinese, ASCII and full-width digits and letters, the punctuation
# kept as written, every kind of space and line break, and characters that fold to several
# ('½', '⑴', 'ﬁ') or to another one ('％', '＋').
ALPHABET = list("岳阳楼区项目支出万元为其中第人次") + list("0123456789.,%abcXY") + list("０１２３４５６７８９％＋") \
    + list("，；：（）、。“”") + [" ", "\u3000", "\xa0", "\t", "\r", "\n", "\u2009"] + ["½", "⑴", "ﬁ", "≧", "－"]


# Pieces as sentences put them together: runs of spaces between figures and words above all.
PIECES = ["1", "23", "4.5", "a", "X", " ", "  ", " \u3000", "\xa0\t", "\n", "万元", "，", "½", "％", "１", "项", "第"]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60) | st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_folding_is_the_same_by_any_path(source):
    fast, each = fold_text.__wrapped__(source), _fold_each(source)
    assert (fast.text, fast.origin, fast.source) == (each.text, each.origin, each.source)


def test_a_space_between_digits_stays_one_and_others_go():
    folded = fold_text.__wrapped__("专项1 \u3000107.92万元，财务室， 设主任1名\n第2 项")
    assert folded.text == "专项1 107.92万元，财务室，设主任1名\n第2项"
    assert folded.original(2, 12) == "1 \u3000107.92万元"


@given(st.text(alphabet=[c for c in ALPHABET if not c.isdigit() and c not in "０１２３４５６７８９½⑴"], max_size=80))
def test_a_sentence_without_a_digit_states_no_figure(source):
    assert parse_figures(fold_text(source)) == []
