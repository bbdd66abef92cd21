"""Test data of the bureau side: packages under chosen unit names, zips of them (with broken
files beside), and a campaign of many units. Built by code, never checked-in binaries."""

from __future__ import annotations

import io
import json
import random
import zipfile

from webworld import second_document

from support.generate import generated_package


def renamed(doc: dict, unit: str, year: int | None = None) -> dict:
    """A document under another unit's name (every place the name is written), optionally another year."""
    text = json.dumps(doc, ensure_ascii=False).replace(doc["unit_name"], unit)
    out = json.loads(text)
    if year is not None:
        out = json.loads(json.dumps(out, ensure_ascii=False).replace(str(doc["fiscal_year"]), str(year)))
    return out


def generated_document(unit: str, seed: int, mistake_rate: float = 0.5) -> dict:
    pkg = generated_package(random.Random(seed), seed, mistake_rate)
    doc = json.loads(pkg.model_dump_json())
    # The generator renames the unit only where the name is a field; its titles keep the example's name.
    base = second_document()["unit_name"]
    return json.loads(json.dumps(renamed(doc, unit), ensure_ascii=False).replace(base, unit))


class _GbkName(zipfile.ZipInfo):
    """How Windows archivers write Chinese names: GBK bytes, without the UTF-8 flag."""

    __slots__ = ()

    def _encodeFilenameFlags(self):  # noqa: N802 (zipfile's name)
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def zip_bytes(files: dict[str, bytes], *, gbk_names: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = (_GbkName if gbk_names else zipfile.ZipInfo)(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def json_file(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def batch_zip(units: list[str], *, year: int = 2023, broken: bool = True) -> bytes:
    """One generated package per unit, plus the kinds of trouble a real batch carries."""
    files = {f"{u}.json": json_file(generated_document(u, i + 1)) for i, u in enumerate(units)}
    if broken:
        files["损坏的材料.json"] = b'{"fiscal_year": 2023, "unit_name": '
        files["不存在的单位.json"] = json_file(renamed(second_document(), "某某县不存在的中心"))
        files["旧年度.json"] = json_file(renamed(second_document(), units[0], year=year - 1))
        files["说明.txt"] = "请查收".encode()
        files["老格式.xls"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64)
        files["__MACOSX/._x.json"] = b"\x00"
    return zip_bytes(files)


def explain_and_submit(pkg, clerk, head) -> None:
    """The unit's way to the bureau: explain every error in writing, prepare, submit."""
    from jixiao.web.packages import actions
    from jixiao.web.packages.checking import evaluate, finding_key
    from jixiao.web.packages.models import Package

    pkg = Package.objects.get(pk=pkg.pk)
    ev = evaluate(pkg.head.document, pkg.campaign.rule_pack)
    notes = {finding_key(f): "已核实，情况属实。" for f in ev.findings() if f.severity == "error"}
    if notes:
        actions.do_explain(package_id=pkg.pk, actor=clerk, base_number=pkg.head_number, explanations=notes)
    actions.do_prepare(package_id=pkg.pk, actor=clerk)
    actions.do_submit(package_id=pkg.pk, actor=head)


def submitted_package(world, unit, seed: int, *, state: str = "submitted"):
    """A package of ``unit`` written by the bureau's import and set to ``state`` (a shortcut)."""
    from jixiao.web.bureau.actions import do_write_draft
    from jixiao.web.packages.checking import canonical, evaluate
    from jixiao.web.packages.models import Package

    ev = evaluate(generated_document(unit.name, seed), "hunan-2023")
    pkg, rev = do_write_draft(campaign=world.campaign, unit=unit, actor=world.reviewer, document=canonical(ev.package),
                              result=ev.result, source="import", note="测试")
    Package.objects.filter(pk=pkg.pk).update(state=state, submitted_number=rev.number)
    return Package.objects.get(pk=pkg.pk)


def degraded(doc: dict, factor: float) -> dict:
    """The document with every numeric 实际完成值 of the overall table scaled by ``factor``: the
    self-scores stay, so the computed score falls below them (varied grades and gaps)."""
    import re

    out = json.loads(json.dumps(doc))
    for l1 in out["overall"]["indicators"]:
        for l2 in l1["children"]:
            for ind in l2["indicators"]:
                raw = (ind.get("actual") or {}).get("raw")
                if raw:
                    ind["actual"] = {"raw": re.sub(r"\d+(?:\.\d+)?", lambda m: f"{float(m.group()) * factor:.2f}".rstrip("0")
                                                   .rstrip("."), raw, count=1)}
    return out
