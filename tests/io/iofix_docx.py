"""Test fixtures: Word files built from blocks with raw WordprocessingML, like an office suite writes them.

The package parts (styles, settings, theme …) come from python-docx's default document;
word/document.xml is written here so the tables carry what real forms carry: gridSpan,
vMerge restart/continue, gridBefore/gridAfter, run properties with East Asian fonts,
content controls. Markers inside cell text produce the awkward parts of real files:

  ⏎                 a line break inside a paragraph (<w:br/>)
  [bookmark: X]     a bookmark
  [field: X]        a complex field (begin/instrText/separate/result X/end)
  [fldsimple: X]    a simple field with result X
  [del: X]          text deleted with track changes on
  [ins: X]          text inserted with track changes on
  [textbox: X]      a floating text box (outside the text flow)
  [pagebreak]       a page break
  [num: N,L] / [style: S]   at the start of a paragraph: Word numbering list N level L / paragraph style S
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import cache
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = (
    f'xmlns:w="{W_NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" mc:Ignorable="w14"'
)
RPR = '<w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:hAnsi="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:hint="eastAsia"/><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr>'
RPR_B = '<w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体" w:hint="eastAsia"/><w:b/><w:sz w:val="21"/></w:rPr>'
_MARK = re.compile(r"(⏎|\[bookmark: [^\]]+\]|\[field: [^\]]*\]|\[fldsimple: [^\]]*\]|\[del: [^\]]*\]|\[ins: [^\]]*\]|\[textbox: [^\]]*\]|\[pagebreak\])")


@dataclass
class C:
    text: str
    span: int = 1
    vmerge: str | None = None  # 'restart' / 'continue'
    sdt: bool = False  # wrapped in a content control


@dataclass
class R:
    cells: list[C]
    before: int = 0
    after: int = 0
    sdt: bool = False
    stray: bool = False  # an extra blank row: never merged with the row above


@dataclass
class T:
    rows: list[R]
    grid: int


@dataclass
class Options:
    split_runs: int = 0  # >0: cut every text into runs of this many characters
    wordlike: bool = True  # write what Word writes: rsids, paragraph ids, kern/lang, runs cut at script changes
    ids: list[int] = field(default_factory=lambda: [0])


RPR_WORD = (
    '<w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:hAnsi="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:cs="仿宋_GB2312" '
    'w:hint="eastAsia"/><w:color w:val="000000"/><w:kern w:val="0"/><w:sz w:val="21"/><w:szCs w:val="21"/>'
    '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar"/></w:rPr>'
)
_SCRIPT = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")


def _rsid(n: int) -> str:
    return f"{(n * 2654435761) % 0xFFFFFFFF:08X}"


def _runs(text: str, opts: Options) -> str:
    if not text:
        return ""
    size = opts.split_runs
    if size:
        chunks = [text[i : i + size] for i in range(0, len(text), size)]
    elif opts.wordlike:
        chunks = _SCRIPT.findall(text)  # Word starts a new run where the script (hint) changes
    else:
        chunks = [text]
    out = []
    for n, chunk in enumerate(chunks):
        if size and n % 2:
            rpr, attrs = RPR_B, ""
        elif opts.wordlike:
            opts.ids[0] += 1
            rpr, attrs = RPR_WORD, f' w:rsidRPr="{_rsid(opts.ids[0] % 7)}"'
        else:
            rpr, attrs = RPR, ""
        out.append(f'<w:r{attrs}>{rpr}<w:t xml:space="preserve">{escape(chunk)}</w:t></w:r>')
    return "".join(out)


def _para_content(text: str, opts: Options) -> str:
    out = []
    for piece in _MARK.split(text):
        if not piece:
            continue
        if piece == "⏎":
            out.append(f"<w:r>{RPR}<w:br/></w:r>")
        elif piece == "[pagebreak]":
            out.append('<w:r><w:br w:type="page"/></w:r>')
        elif piece.startswith("[bookmark: "):
            opts.ids[0] += 1
            n = opts.ids[0]
            out.append(f'<w:bookmarkStart w:id="{n}" w:name="{escape(piece[11:-1])}"/><w:bookmarkEnd w:id="{n}"/>')
        elif piece.startswith("[field: "):
            out.append(
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                '<w:r><w:instrText xml:space="preserve"> =SUM(ABOVE) \\# "0.00" </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                f"{_runs(piece[8:-1], opts)}"
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            )
        elif piece.startswith("[fldsimple: "):
            out.append(f'<w:fldSimple w:instr=" =1+1 ">{_runs(piece[12:-1], opts)}</w:fldSimple>')
        elif piece.startswith("[del: "):
            opts.ids[0] += 1
            out.append(
                f'<w:del w:id="{opts.ids[0]}" w:author="审核人" w:date="2024-05-01T00:00:00Z">'
                f'<w:r>{RPR}<w:delText xml:space="preserve">{escape(piece[6:-1])}</w:delText></w:r></w:del>'
            )
        elif piece.startswith("[ins: "):
            opts.ids[0] += 1
            out.append(
                f'<w:ins w:id="{opts.ids[0]}" w:author="审核人" w:date="2024-05-01T00:00:00Z">{_runs(piece[6:-1], opts)}</w:ins>'
            )
        elif piece.startswith("[textbox: "):
            box = f"<w:txbxContent><w:p>{_runs(piece[10:-1], opts)}</w:p></w:txbxContent>"
            out.append(
                "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor distT=\"0\" distB=\"0\" "
                "distL=\"0\" distR=\"0\" simplePos=\"0\" relativeHeight=\"1\" behindDoc=\"0\" locked=\"0\" layoutInCell=\"1\" "
                "allowOverlap=\"1\"><wp:simplePos x=\"0\" y=\"0\"/><wp:positionH relativeFrom=\"column\"><wp:posOffset>0"
                "</wp:posOffset></wp:positionH><wp:positionV relativeFrom=\"paragraph\"><wp:posOffset>0</wp:posOffset>"
                "</wp:positionV><wp:extent cx=\"914400\" cy=\"304800\"/><wp:wrapNone/><wp:docPr id=\"1\" name=\"文本框 1\"/>"
                "<a:graphic><a:graphicData uri=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\">"
                f"<wps:wsp><wps:txbx>{box}</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor>"
                f"</w:drawing></mc:Choice><mc:Fallback><w:pict>{box}</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
            )
        else:
            out.append(_runs(piece, opts))
    return "".join(out)


_PARA_MARK = re.compile(r"^\[(num|style): ([^\]]+)\]")


def paragraph(text: str, opts: Options, center: bool = False) -> str:
    head = ""
    m = _PARA_MARK.match(text)
    if m:
        text = text[m.end():]
        if m.group(1) == "style":
            head = f'<w:pStyle w:val="{m.group(2)}"/>'
        else:
            num, level = m.group(2).split(",")
            head = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>'
    ppr = f'<w:pPr>{head}<w:spacing w:line="360" w:lineRule="auto"/>' + ('<w:jc w:val="center"/>' if center else "")
    ppr += "<w:rPr><w:rFonts w:hint=\"eastAsia\"/></w:rPr></w:pPr>"
    attrs = ""
    if opts.wordlike:
        opts.ids[0] += 1
        n = opts.ids[0]
        attrs = (f' w:rsidR="{_rsid(n % 5)}" w:rsidRDefault="{_rsid(n % 5)}" w:rsidP="{_rsid(3)}" '
                 f'w14:paraId="{_rsid(n)}" w14:textId="{_rsid(n + 1)}"')
    return f"<w:p{attrs}>{ppr}{_para_content(text, opts)}</w:p>"


def _cell(c: C, width: int, opts: Options) -> str:
    tcpr = f'<w:tcW w:w="{width * c.span}" w:type="dxa"/>'
    if c.span > 1:
        tcpr += f'<w:gridSpan w:val="{c.span}"/>'
    if c.vmerge == "restart":
        tcpr += '<w:vMerge w:val="restart"/>'
    elif c.vmerge == "continue":
        tcpr += "<w:vMerge/>"
    tcpr += '<w:vAlign w:val="center"/>'
    text = "" if c.vmerge == "continue" else c.text
    paras = "".join(paragraph(line, opts, center=True) for line in text.split("\n"))
    xml = f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{paras}</w:tc>"
    if c.sdt:
        xml = f'<w:sdt><w:sdtPr><w:alias w:val="金额"/><w:id w:val="{id(c) % 99999}"/></w:sdtPr><w:sdtContent>{xml}</w:sdtContent></w:sdt>'
    return xml


def table(t: T, opts: Options) -> str:
    width = 9000 // t.grid
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for _ in range(t.grid))
    borders = "".join(f'<w:{b} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for b in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [f'<w:tbl><w:tblPr><w:tblW w:w="9000" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders>'
           f'<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>']
    for r in t.rows:
        trpr = '<w:trPr><w:trHeight w:val="397"/>'
        if r.before:
            trpr += f'<w:gridBefore w:val="{r.before}"/><w:wBefore w:w="{width * r.before}" w:type="dxa"/>'
        if r.after:
            trpr += f'<w:gridAfter w:val="{r.after}"/>'
        trpr += "<w:jc w:val=\"center\"/></w:trPr>"
        row = f"<w:tr>{trpr}{''.join(_cell(c, width, opts) for c in r.cells)}</w:tr>"
        if r.sdt:
            row = f"<w:sdt><w:sdtPr><w:id w:val=\"7\"/></w:sdtPr><w:sdtContent>{row}</w:sdtContent></w:sdt>"
        out.append(row)
    out.append("</w:tbl>")
    return "".join(out)


def document_xml(items: list, opts: Options | None = None) -> str:
    """items: paragraph strings and T tables, in order."""
    opts = opts or Options()
    body = []
    for item in items:
        body.append(table(item, opts) if isinstance(item, T) else paragraph(item, opts))
    sect = ('<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1800" w:bottom="1440" '
            'w:left="1800" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {NSDECL}><w:body>'
            f"{''.join(body)}{sect}</w:body></w:document>")


@cache
def _template_entries() -> tuple[tuple[str, bytes], ...]:
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        return tuple((n, zf.read(n)) for n in zf.namelist())


def docx_bytes(document: str | bytes, parts: dict[str, bytes] | None = None) -> bytes:
    """A complete .docx: python-docx's default parts with our document.xml (and any part replaced)."""
    if isinstance(document, str):
        document = document.encode("utf-8")
    parts = {"word/document.xml": document, **(parts or {})}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _template_entries():
            zf.writestr(name, parts.get(name, data))
    return buf.getvalue()


NUMBERING = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering {NSDECL}>'
    '<w:abstractNum w:abstractNumId="10"><w:multiLevelType w:val="multilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="space"/>'
    '<w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/>'
    '<w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
    '</w:abstractNum><w:num w:numId="10"><w:abstractNumId w:val="10"/></w:num></w:numbering>'
).encode()


def styles_with_numbered_heading() -> bytes:
    """The default styles plus 'JXHeading', a heading style numbered by list 10, level 0."""
    styles = dict(_template_entries())["word/styles.xml"].decode("utf-8")
    style = ('<w:style w:type="paragraph" w:customStyle="1" w:styleId="JXHeading"><w:name w:val="JX Heading"/>'
             '<w:pPr><w:numPr><w:numId w:val="10"/></w:numPr></w:pPr></w:style>')
    return styles.replace("</w:styles>", style + "</w:styles>").encode("utf-8")
