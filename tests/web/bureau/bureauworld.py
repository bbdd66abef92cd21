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
    return renamed(json.loads(pkg.model_dump_json()), unit)


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
        files["__MACOSX/._x.json"] = b"\x00"
    return zip_bytes(files)
