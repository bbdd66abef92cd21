"""The browser steps of evidence and rectification (佐证材料, 整改事项), each a function of the page,
the server's address and what earlier steps found, so the evidence story and the whole-year story
(tests/web/cycle/test_browser_whole_year.py) walk them alike."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path


def pdf_bytes() -> bytes:
    """A real one-page PDF (Pillow writes it), the evidence a unit attaches."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (60, 80), (255, 255, 255)).save(buf, "PDF")
    return buf.getvalue()


def shot(page, name: str, selector: str | None = None) -> None:
    """The whole page, or only the element ``selector`` names (a panel of a long page)."""
    where = os.environ.get("JIXIAO_SCREENSHOTS")
    if where:
        Path(where).mkdir(parents=True, exist_ok=True)
        if selector:
            page.locator(selector).first.screenshot(path=str(Path(where) / name))
        else:
            page.screenshot(path=str(Path(where) / name), full_page=True)


def attach_evidence(page, base: str, package_id: int, indicator: str, path: Path) -> None:
    """The unit's clerk, logged in: on the package page, choose the indicator (by its 三级指标
    name) and upload the file; the page names it afterwards."""
    page.goto(f"{base}/p/{package_id}/")
    select = page.locator("select[name=indicator]")
    value = select.locator("option", has_text=indicator).first.get_attribute("value")
    select.select_option(value)
    page.set_input_files("input[name=file][accept*='.pdf']", str(path))
    page.click("button:has-text('上传佐证材料')")
    page.wait_for_url(re.compile(rf"/p/{package_id}/"))
    assert "已上传佐证材料" in page.locator(".messages").inner_text()
    assert page.locator("li.evidence-file", has_text=path.name).count() == 1


def reviewer_downloads_evidence(page, base: str, package_id: int, name: str) -> bytes:
    """The reviewer, logged in: the review page lists the file; clicking it downloads it."""
    page.goto(f"{base}/bureau/p/{package_id}/review/")
    link = page.locator("section.evidence-panel a", has_text=name)
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_bytes()


def reviewer_accepts(page, base: str, package_id: int) -> None:
    page.goto(f"{base}/bureau/p/{package_id}/review/")
    page.click("button[name=decision][value=accept]")
    page.wait_for_url(re.compile(rf"/bureau/p/{package_id}/review/"))
    assert "审核通过" in page.locator(".messages").inner_text()


def reviewer_creates_rectification(page, base: str, package_id: int, finding_text: str, due: str,
                                   note: str = "") -> int:
    """From the review page: pick the finding whose text contains ``finding_text``, a due date;
    returns the new item's id."""
    page.goto(f"{base}/bureau/p/{package_id}/review/#rectification")
    select = page.locator("select[name=finding]")
    value = select.locator("option", has_text=finding_text).first.get_attribute("value")
    select.select_option(value)
    if note:
        page.fill("textarea[name=problem]", note)
    page.fill("input[name=due]", due)
    page.click("button:has-text('列为整改事项')")
    page.wait_for_url(re.compile(rf"/bureau/p/{package_id}/review/"))
    message = page.locator(".messages").inner_text()
    assert "已列为整改事项" in message, message
    return int(re.search(r"整改事项#(\d+)", message).group(1))


def unit_responds(page, base: str, package_id: int, item_id: int, measures: str, progress: str) -> None:
    """The clerk: from the package page's list to the item, writes 整改措施 and 整改情况."""
    page.goto(f"{base}/p/{package_id}/#rectification")
    page.click(f"section.evidence-panel a[href='/evidence/rectification/{item_id}/']")
    page.fill("textarea[name=measures]", measures)
    page.fill("textarea[name=progress]", progress)
    page.click("button:has-text('提交整改情况')")
    page.wait_for_url(re.compile(rf"/evidence/rectification/{item_id}/$"))
    assert page.locator("#rect-state").inner_text() == "已反馈"


def bureau_closes(page, base: str, item_id: int, note: str = "") -> None:
    page.goto(f"{base}/evidence/rectification/?state=unclosed")
    page.click(f"a[href='/evidence/rectification/{item_id}/']")
    if note:
        page.fill("textarea[name=note]", note)
    page.click("button:has-text('整改完成，销号')")
    page.wait_for_url(re.compile(rf"/evidence/rectification/{item_id}/$"))
    assert page.locator("#rect-state").inner_text() == "已销号"
