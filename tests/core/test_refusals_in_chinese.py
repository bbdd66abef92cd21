"""A document the model refuses is said in Chinese, whatever is wrong with it: pydantic's own type
errors ("Field required", "Input should be a valid integer") are said again (jixiao.errors), and a
rule pack that cannot be read says where, not the YAML parser's English."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from jixiao.errors import PackError, validation_reason
from jixiao.io import InputError
from jixiao.io.json_io import parse_json
from jixiao.model import Package
from jixiao.pack import read_pack

# Words a Chinese message may hold: formats and literal values the user types.
ALLOWED = {"true", "false", "JSON", "YAML", "UTF", "yaml", "yml"}

leaves = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=6) | st.just("/") | \
    st.sampled_from(["2023", "12.50", "abc", "1e5"])
values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(["raw", "final", "budget", "name", "label", "children", "indicators", "number", "body", "x"]),
    inner, max_size=3), max_leaves=12)
documents = st.fixed_dictionaries(
    {}, optional={"fiscal_year": values, "unit_name": values, "form": values, "basic": values, "overall": values,
                  "projects": values, "report": values, "extra_field": values, "schema_version": st.just("1")})


def _english(reason: str) -> list[str]:
    unquoted = re.sub(r"“[^”]*”", "", reason)  # what the user typed, quoted, may be anything
    return [w for w in re.findall(r"[A-Za-z]{3,}", unquoted) if w not in ALLOWED]


@settings(max_examples=150, deadline=None)
@given(documents)
def test_every_refusal_of_a_document_reads_in_chinese(doc):
    try:
        Package.model_validate(doc)
    except ValidationError as exc:
        for err in exc.errors():
            reason = validation_reason(err)
            assert reason and not _english(reason), (err, reason)
    else:
        return


@pytest.mark.parametrize(("doc", "expected"), [
    ({"unit_name": "某单位"}, "字段 fiscal_year 无效：缺少此项"),
    ({"fiscal_year": "二〇二三", "unit_name": "某单位"}, "字段 fiscal_year 无效：应为整数"),
    ({"fiscal_year": 1999, "unit_name": "某单位"}, "字段 fiscal_year 无效：应不小于2000"),
    ({"fiscal_year": 2023, "unit_name": "某单位", "foo": 1}, "字段 foo 无效：不是材料中的项目（多余的字段）"),
    ({"fiscal_year": 2023, "unit_name": ["a"]}, "字段 unit_name 无效：应为文字"),
    ({"fiscal_year": 2023, "unit_name": "某单位", "schema_version": "1", "basic": 5}, "字段 basic 无效：应为对象"),
])
def test_a_refused_json_file_names_the_field_and_the_reason(doc, expected):
    with pytest.raises(InputError) as caught:
        parse_json(json.dumps(doc), "材料.json")
    assert str(caught.value).startswith(f"材料.json：{expected}")


def test_a_pack_that_is_not_yaml_says_where_in_one_chinese_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: [a, b\nid: x\n", encoding="utf-8")
    with pytest.raises(PackError) as caught:
        read_pack(str(bad))
    message = str(caught.value)
    assert "\n" not in message and "不是有效的 YAML：第" in message and "列附近有语法错误" in message
    assert not _english(message.replace(str(bad), ""))


def test_a_pack_file_of_another_kind_is_named_as_such_not_as_missing(tmp_path):
    other = tmp_path / "pack.json"
    other.write_text("{}", encoding="utf-8")
    with pytest.raises(PackError, match="规则包应为 YAML 文件"):
        read_pack(str(other))
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("rules: {}\nname: caf\xe9\n".encode("latin-1"))
    with pytest.raises(PackError, match="不是 UTF-8 编码的文本"):
        read_pack(str(latin1))
    with pytest.raises(PackError, match="找不到规则包"):
        read_pack("no-such-pack")
