"""Figures in prose: amounts with their scale, percentages, counts, subjects; phrasings by hypothesis."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.report.figures import figures_in

CENT = Decimal("0.01")


def one(text: str):
    figs = figures_in(text)
    assert len(figs) == 1, figs
    return figs[0]


def test_it_reads_the_seed_sentence_with_subjects():
    figs = figures_in("2023年我单位的基本支出数为391.27万元，其中：人员经费339.68万元，占基本支出的86.82%，主要包括：基本工资")
    assert [(f.kind, f.value, f.subject) for f in figs] == [
        ("amount", Decimal("391.27"), "2023年我单位的基本支出数为"),
        ("amount", Decimal("339.68"), "人员经费"),
        ("percent", Decimal("86.82"), "占基本支出的"),
    ]


def test_it_converts_scales_to_wanyuan_and_keeps_written_precision():
    f = one("2023年下划及非税总收入1.79亿元")
    assert f.value == Decimal(17900) and f.tolerance == Decimal(50)
    assert f.agrees(Decimal("17912.34")) and not f.agrees(Decimal("18000"))
    f = one("人均成本760元")
    assert f.value == Decimal("0.076") and not f.agrees(Decimal("0.08"))


def test_it_reads_counts_directions_and_approximations():
    f = one("及时整改率达到97%以上")
    assert (f.kind, f.value, f.direction) == ("percent", Decimal(97), "ge")
    f = one("家庭医生签约服务人均经费不超过35元")
    assert f.direction == "le"
    f = one("计划清理各类乱张贴“牛皮癣”5000余张")
    assert f.approximate and f.value == Decimal(5000) and f.unit == "张"
    f = one("全区累计接派智慧城管工单20万条")
    assert (f.kind, f.value, f.unit) == ("count", Decimal(200000), "条")
    f = one("向市生环委上报9条岳阳楼区洁净样本路")
    assert f.after == "岳阳楼区洁净样本路"


def test_it_ignores_years_dates_numbering_codes_and_point_changes():
    text = "1、2023年4月28日起，“12345”热线成功创建国家3A级景区，较上年提高2.1个百分点，第3名"
    assert figures_in(text) == []


def test_a_space_never_glues_a_name_digit_to_the_amount():
    f = one("7、专项1 107.92万元")
    assert f.value == Decimal("107.92")


def test_a_colon_label_names_its_figure():
    assert one("其中：基本支出：410.26万元").subject == "基本支出"


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "0" <= c <= "9" or c in ".%" else c for c in text)


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)


@settings(max_examples=200, deadline=None)
@given(amount=amounts, style=st.sampled_from(["wan", "yuan", "yuan_commas", "yi", "fullwidth", "spaced"]))
def test_every_phrasing_of_an_amount_reads_as_the_same_wanyuan(amount, style):
    yuan = amount * 10000
    written = {
        "wan": f"{amount}万元",
        "yuan": f"{yuan.quantize(Decimal(1))}元",
        "yuan_commas": f"{int(yuan):,}元",
        "yi": f"{(amount / 10000).normalize():f}亿元",
        "fullwidth": _fullwidth(f"{amount}") + "万元",
        "spaced": f" {amount} 万元",
    }[style]
    f = one(f"2023年我单位的基本支出数为{written}，")
    assert f.kind == "amount"
    assert f.value == amount
    assert "基本支出" in f.subject
    assert unicodedata.normalize("NFKC", f.raw).replace(" ", "")


@settings(max_examples=200, deadline=None)
@given(p=st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=2),
       form=st.sampled_from(["占基本支出的{}%", "占基本支出比重为{}%", "{}%以上", "≥{}%", "达到{}％"]))
def test_every_phrasing_of_a_percentage_reads_as_points(p, form):
    f = one("人员经费，" + form.format(p))
    assert f.kind == "percent" and f.value == p
    assert f.tolerance == Decimal("0.005")


@settings(max_examples=100, deadline=None)
@given(n=st.integers(min_value=1, max_value=10**6), unit=st.sampled_from(["人", "家", "处", "平方米", "条", "份"]))
def test_counts_keep_their_unit(n, unit):
    f = one(f"全年完成{n}{unit}。")
    assert (f.kind, f.value, f.unit) == ("count", Decimal(n), unit)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["1", "23", "4,567", ".5", "第", "A", "x", "元", "万元", "%", "个百分点", "人次", "平方米",
                                 "余", "多", "以上", "左右", "，", "约", "≥", "项", "期", "٣", " ", "亿"]),
                max_size=25).map("".join))
def test_figures_are_found_where_the_full_pattern_finds_them(text):
    """The scan without the lookbehind, and the lookbehind tested in Python, find exactly the
    matches of FIGURE_RE (lookbehind included) — the same spans and groups."""
    from jixiao.report.figures import FIGURE_RE, _figure_matches

    assert [(m.span(), m.groups()) for m in _figure_matches(text)] == \
        [(m.span(), m.groups()) for m in FIGURE_RE.finditer(text)]


def _reference_figures(text: str) -> list[tuple]:
    """What parse_figures must find, written the plain way: each figure's fields from its match,
    its number times the scale's factor, its subject and after phrase found by walking the
    characters to a boundary."""
    from jixiao.report.figures import _APPROX_BEFORE, _DIRECTION, _SCALE, FIGURE_RE, SUBJECT_BOUNDARY

    found = []
    for m in FIGURE_RE.finditer(text):
        digits, frac, approx1, scale, approx2, unit, post = m.groups()
        digits = digits.replace(",", "")
        if "百分点" in unit or len(digits) > 15 or len(frac or "") > 9:
            continue
        half = Decimal(5).scaleb(-((len(frac) - 1 if frac else 0) + 1))
        if unit == "元":
            kind, factor = "amount", _SCALE[scale] / _SCALE["万"]
        elif unit in ("%", "‰"):
            if scale:
                continue
            kind, factor = "percent", Decimal(1) if unit == "%" else Decimal("0.1")
        else:
            kind, factor = "count", _SCALE[scale]
        before, post = text[max(0, m.start() - 4) : m.start()], post or ""
        signs = [w for w in _DIRECTION if before.endswith(w)]
        direction = _DIRECTION[max(signs, key=len)] if signs else None
        if post.endswith("以上"):
            direction = "ge"
        elif post in ("以下", "及以下", "以内", "之内"):
            direction = "le"
        approximate = bool(approx1 or approx2 or post == "左右") or before.endswith(_APPROX_BEFORE)
        found.append([kind, Decimal(digits + (frac or "")) * factor, half * factor, "%" if kind == "percent" else unit,
                      scale, m.group(0), m.start(), m.end(), approximate, direction])
    for i, f in enumerate(found):
        floor, start = (found[i - 1][7] if i else 0), f[6]
        while start > floor and text[start - 1] not in SUBJECT_BOUNDARY:
            start -= 1
        if start > floor and text[start:f[6]].strip() == "" and text[start - 1] in "：:":
            start -= 1
            while start > floor and text[start - 1] not in SUBJECT_BOUNDARY:
                start -= 1
        ceiling, end = (found[i + 1][6] if i + 1 < len(found) else len(text)), f[7]
        while end < ceiling and text[end] not in SUBJECT_BOUNDARY:
            end += 1
        f += [text[start:f[6]].rstrip("：:"), text[f[7]:end]]
    return [tuple(f) for f in found]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["1", "23", "4,567", "0.50", ".5", "1.000000001", "1234567890123456", "第", "A", "元",
                                 "万元", "亿元", "千元", "百万元", "%", "‰", "万%", "个百分点", "人次", "平方米", "项",
                                 "万人", "余", "多", "以上", "及以下", "以内", "左右", "，", "。", "；", "：", ":", "、",
                                 "约", "≥", "不超过", "超过", "低于", "资金", "执行率", "支出"]),
                max_size=30).map("".join))
def test_figures_read_as_the_plain_reading_finds_them(text):
    """parse_figures (boundaries found once per sentence, no multiplication by one, fields made in
    one go) gives exactly the plain reading's figures: the same fields, Decimals of the same
    digits and exponent, the same subjects and after phrases."""
    from jixiao.report.figures import parse_figures
    from jixiao.report.text import fold_text

    folded = fold_text(text)
    got = [tuple(f) for f in parse_figures(folded)]
    want = _reference_figures(folded.text)
    assert got == want
    assert [tuple(str(v) for v in f[1:3]) for f in got] == [tuple(str(v) for v in f[1:3]) for f in want]
