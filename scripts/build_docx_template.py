"""Build src/jixiao/render/templates/official.docx, the Word template of the official documents.

The renderer takes every paragraph and table style from this file by name, so a bureau can
open it in Word or WPS, restyle (fonts, sizes, spacing, borders, margins), save, and pass it
with ``jixiao render --template``. Rebuild with ``python scripts/build_docx_template.py``;
the output is byte-for-byte reproducible.

Fonts: Chinese text is set through ``w:eastAsia`` (python-docx's default template falls back
to a Japanese font otherwise). The font table names Linux fallbacks (Noto CJK, WenQuanYi)
as ``w:altName`` so office suites without 仿宋/宋体/黑体/楷体 pick a Chinese face.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "jixiao" / "render" / "templates" / "official.docx"

LATIN = "Times New Roman"
FALLBACK = {"仿宋": "Noto Serif CJK SC", "宋体": "Noto Serif CJK SC", "楷体": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC"}

# name: (east-asian font, size pt, bold, alignment, extra)
PARAGRAPH_STYLES = {
    "JX 附件号": ("黑体", 14, False, "left", {"after": 0}),
    "JX 表题": ("宋体", 18, True, "center", {"before": 6, "after": 8}),
    # Table text at an exact 13 pt line: rows the same height whatever font a machine has.
    "JX 表头": ("仿宋", 10.5, True, "center", {"line": 13}),
    "JX 表格文字": ("仿宋", 10.5, False, "left", {"line": 13}),
    "JX 表格居中": ("仿宋", 10.5, False, "center", {"line": 13}),
    "JX 表格数字": ("仿宋", 10.5, False, "right", {"line": 13}),
    "JX 说明": ("仿宋", 10.5, False, "left", {"before": 6}),
    "JX 签字栏": ("仿宋", 10.5, False, "left", {"before": 12}),
    "JX 报告标题": ("宋体", 22, True, "center", {"before": 12, "after": 24}),
    "JX 报告一级标题": ("黑体", 16, False, "left", {"indent": 32, "line": 28, "outline": 0}),
    "JX 报告二级标题": ("楷体", 16, False, "left", {"indent": 32, "line": 28, "outline": 1}),
    "JX 报告正文": ("仿宋", 16, False, "left", {"indent": 32, "line": 28}),
    "JX 审核结果": ("仿宋", 10.5, False, "left", {}),
}
TABLE_STYLE = "JX 表格"
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
         "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


def set_fonts(rpr, east_asian: str) -> None:
    """Explicit fonts for every script; theme attributes removed so nothing falls back to MS 明朝."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme") or attr.endswith("theme"):
            del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:cs"), LATIN)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


def add_paragraph_style(doc, name: str, spec) -> None:
    east, size, bold, align, extra = spec
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    style.font.size = Pt(size)
    style.font.bold = bold
    set_fonts(style.element.get_or_add_rPr(), east)
    fmt = style.paragraph_format
    fmt.alignment = ALIGN[align]
    fmt.space_before = Pt(extra.get("before", 0))
    fmt.space_after = Pt(extra.get("after", 0))
    if "line" in extra:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(extra["line"])
    else:
        fmt.line_spacing = 1.0
    if "indent" in extra:
        fmt.first_line_indent = Pt(extra["indent"])
    if "outline" in extra:
        ppr = style.element.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{extra["outline"]}"/>'))


def add_table_style(doc) -> None:
    style = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    style.element.append(parse_xml(
        f"<w:tblPr {nsdecls('w')}><w:jc w:val=\"center\"/><w:tblBorders>{borders}</w:tblBorders>"
        "<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"57\" w:type=\"dxa\"/>"
        "<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>"
    ))


def build() -> bytes:
    doc = Document()
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, "仿宋")
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    for tag, val in (("w:sz", "21"), ("w:szCs", "21")):
        rpr.find(qn(tag)).set(qn("w:val"), val)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")

    normal = doc.styles["Normal"]
    set_fonts(normal.element.get_or_add_rPr(), "仿宋")
    for name, spec in PARAGRAPH_STYLES.items():
        add_paragraph_style(doc, name, spec)
    add_table_style(doc)

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(20)
    section.header_distance = section.footer_distance = Mm(10)

    props = doc.core_properties
    props.title = "jixiao 绩效自评文书模板"
    props.author = props.last_modified_by = "jixiao"
    props.comments = "样式可在 Word/WPS 中修改后另存，通过 jixiao render --template 使用。"
    props.revision = 1
    from datetime import datetime

    props.created = props.modified = datetime(2024, 1, 1)
    buf = io.BytesIO()
    doc.save(buf)
    return _normalise(buf.getvalue())


def _font_table(xml: str) -> str:
    # Chinese faces with Linux fallbacks, so an office suite without them still shows 汉字.
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{"modern" if name == "黑体" else "roman"}"/><w:pitch w:val="variable"/></w:font>'
        for name, alt in FALLBACK.items()
    )
    return xml.replace("</w:fonts>", entries + "</w:fonts>")


def _theme(xml: str) -> str:
    # The theme's East Asian faces are what Word uses for unstyled runs: make them Chinese.
    xml = re.sub(r'<a:ea typeface="[^"]*"/>', '<a:ea typeface="宋体"/>', xml)
    return xml


def _normalise(blob: bytes) -> bytes:
    """Fixed timestamps and order, patched font table and theme; drop the thumbnail."""
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/thumbnail.jpeg":
                continue
            if info.filename == "word/fontTable.xml":
                data = _font_table(data.decode("utf-8")).encode("utf-8")
            elif info.filename == "word/theme/theme1.xml":
                data = _theme(data.decode("utf-8")).encode("utf-8")
            elif info.filename in ("_rels/.rels", "[Content_Types].xml"):
                text = data.decode("utf-8")
                text = re.sub(r'<Relationship [^>]*thumbnail[^>]*/>', "", text)
                text = re.sub(r'<Default Extension="jpeg"[^>]*/>', "", text)
                data = text.encode("utf-8")
            item = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            item.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(item, data)
    return out.getvalue()


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(build())
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
