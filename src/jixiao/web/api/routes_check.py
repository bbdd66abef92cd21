"""Check, score and render a package sent with the call (JSON or a Word/Excel/zip file).
Nothing is stored. A file goes through the web's own upload path (size limit, kind, the
hostile-file guard of jixiao.io.safe) before any reader sees it."""

from __future__ import annotations

import tempfile
from typing import Literal

from django.conf import settings
from django.http import HttpResponse
from ninja import File, Query, Router, Schema, UploadedFile
from pydantic import Field

from jixiao.api import check_package
from jixiao.model import Package
from jixiao.rules import DEFAULT_PACK, load_pack

from ..packages.checking import _CHECK_SLOTS
from ..uploads import read_uploaded_package
from .common import responses
from .schemas import CheckOut, PackageDocument, ScoresOut

router = Router(tags=["检查与出具（不保存）"])

PACK_NAME = r"^[a-z0-9][a-z0-9-]{0,63}$"  # a pack's name, never a path on the server
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


class PackQuery(Schema):
    pack: str = Field(DEFAULT_PACK, pattern=PACK_NAME, description="规则包名称（默认湖南2023）")


class RenderQuery(PackQuery):
    format: Literal["docx", "xlsx", "pdf"] = Field("docx", description="文书格式")


def _upload(file: UploadedFile):
    return read_uploaded_package(file.name or "upload", file.size or 0, file.chunks(),
                                 settings.JIXIAO_MAX_UPLOAD_BYTES)


def _check(package: Package, pack_name: str):
    pack = load_pack(pack_name)
    with _CHECK_SLOTS:  # the web's limit on checks running at once
        return check_package(package, pack)


def _check_out(package: Package, pack: str, issues: list[str]) -> dict:
    data = _check(package, pack).to_dict()
    return {**data, "rule_pack": pack, "import_issues": issues}


def _scores_out(package: Package, pack: str, issues: list[str]) -> dict:
    data = _check(package, pack).to_dict()
    return {"unit_name": data["unit_name"], "fiscal_year": data["fiscal_year"], "rule_pack": pack,
            "scores": data["scores"], "import_issues": issues}


@router.post("/check", response=responses({200: CheckOut}), summary="检查材料（JSON）")
def check_json(request, document: PackageDocument, q: Query[PackQuery]):
    """按规则包检查一份材料：逐条发现（规则、级别、位置、中文说明）与得分。不保存。"""
    return _check_out(document, q.pack, [])


@router.post("/check/file", response=responses({200: CheckOut}), summary="检查材料（Word/Excel/zip 文件）")
def check_file(request, q: Query[PackQuery], file: File[UploadedFile]):
    """读取上传的 Word/Excel/WPS/zip/JSON 文件（与网页导入相同的限制与安全检查）后检查。不保存。"""
    up = _upload(file)
    return _check_out(up.package, q.pack, up.described)


@router.post("/score", response=responses({200: ScoresOut}), summary="评分（JSON）")
def score_json(request, document: PackageDocument, q: Query[PackQuery]):
    """每张表的自评分与按评分规则核定的得分。不保存。"""
    return _scores_out(document, q.pack, [])


@router.post("/score/file", response=responses({200: ScoresOut}), summary="评分（文件）")
def score_file(request, q: Query[PackQuery], file: File[UploadedFile]):
    up = _upload(file)
    return _scores_out(up.package, q.pack, up.described)


RENDERED = {"description": "文书文件", "content": {t: {"schema": {"type": "string", "format": "binary"}}
                                                 for t in CONTENT_TYPES.values()}}


def _render(package: Package, q: RenderQuery) -> HttpResponse:
    from jixiao.render import file_stem, render_package

    load_pack(q.pack)  # an unknown pack is a 422 before any work
    with tempfile.TemporaryDirectory(prefix="jixiao-api-render-") as tmp:
        result = render_package(package, tmp, formats=(q.format,), pack=q.pack)
        files = [f for f in result.files if f.suffix == f".{q.format}"]
        # Word comes as one file per part plus the whole set; the whole set is what people print.
        chosen = next((f for f in files if "全套" in f.name), files[-1])
        data = chosen.read_bytes()
    from urllib.parse import quote

    resp = HttpResponse(data, content_type=CONTENT_TYPES[q.format])
    name = f"{file_stem(package)}.{q.format}"
    resp["Content-Disposition"] = f"attachment; filename=\"package.{q.format}\"; filename*=UTF-8''{quote(name)}"
    return resp


@router.post("/render", response=responses({}), openapi_extra={"responses": {"200": RENDERED}},
             summary="出具文书（JSON → Word/Excel/PDF）")
def render_json(request, document: PackageDocument, q: Query[RenderQuery]):
    """按官方表样出具文书：docx（全套）、xlsx 或 pdf。不保存。"""
    return _render(document, q)


@router.post("/render/file", response=responses({}), openapi_extra={"responses": {"200": RENDERED}},
             summary="出具文书（文件 → Word/Excel/PDF）")
def render_file(request, q: Query[RenderQuery], file: File[UploadedFile]):
    up = _upload(file)
    return _render(up.package, q)


