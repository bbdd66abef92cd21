"""Evidence files built by code, several ways each (Pillow, python-docx, openpyxl, and OOXML
written by hand), and the helpers the evidence tests share."""

from __future__ import annotations

import io
import zipfile

from evidencesteps import pdf_bytes  # noqa: F401 (the evidence tests take it from here)

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, fmt)
    return buf.getvalue()


def docx_bytes() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("社区卫生服务满意度调查报告")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["项目", "完成数"])
    wb.active.append(["督查考评", 12])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ooxml_by_hand(main_type: str, *, macro: bool = False, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Word or Excel container written entry by entry (another layout than the libraries')."""
    word = "wordprocessingml" in main_type or "ms-word" in main_type
    main = "word/document.xml" if word else "xl/workbook.xml"
    body = (f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>佐证</w:t></w:r></w:p></w:body></w:document>'
            if word else f'<workbook xmlns="{S_NS}"><sheets/></workbook>')
    types = (f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             f'<Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/{main}" ContentType="{main_type}"/></Types>')
    files = {"[Content_Types].xml": types.encode(), main: body.encode("utf-8"),
             "_rels/.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'}
    if macro:
        files[("word/" if word else "xl/") + "vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + bytes(512)
    files.update(extra or {})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def zip_bomb_docx(megabytes: int = 40) -> bytes:
    """A Word container with one part of zeros that compresses about a thousandfold."""
    return ooxml_by_hand(DOCX_MAIN, extra={"word/media/padding.bin": bytes(megabytes * 1024 * 1024)})


def upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def first_choice(pkg):
    """The first indicator of a package as the upload form offers it."""
    from jixiao.web.evidence.actions import indicators_of
    from jixiao.web.packages.checking import evaluate_revision

    pkg.refresh_from_db()
    ev = evaluate_revision(pkg.head, pkg.campaign.rule_pack)
    return indicators_of(ev.package, pkg.campaign.form)[0]


def attach(client, pkg, name: str, data: bytes, choice=None):
    """Post a file to the package's upload form; the response after the redirect."""
    from django.urls import reverse

    choice = choice or first_choice(pkg)
    return client.post(reverse("evidence:upload", args=[pkg.pk]),
                       {"indicator": choice.value, "file": upload(name, data)}, follow=True)


def messages_of(resp) -> list[str]:
    return [str(m) for m in resp.context["messages"]] if resp.context else []


def submit_and_review(world, pkg=None, decision: str = "accept", review_total=None):
    """The unit submits (state set directly: the workflow has its own tests) and the bureau decides."""
    from jixiao.web.bureau.actions import do_review
    from jixiao.web.packages.models import Package, State, Transition

    pkg = Package.objects.get(pk=(pkg or world.package).pk)
    Package.objects.filter(pk=pkg.pk).update(state=State.SUBMITTED, submitted_number=pkg.head_number)
    Transition.objects.create(package=pkg, from_state=State.PREPARED, to_state=State.SUBMITTED, actor=world.head,
                              revision_number=pkg.head_number)
    do_review(package_id=pkg.pk, actor=world.reviewer, decision=decision, comment="请补充佐证" if decision == "return" else "", cells=[],
              review_total=review_total)
    return Package.objects.get(pk=pkg.pk)
