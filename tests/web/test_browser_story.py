"""The whole story in Debian's Chromium, as a clerk would walk it: log in, start the package,
import the seed file, see the findings, fix a sum and watch the total change, save, see the
history, explain the remaining errors, prepare; the 单位负责人 submits; another unit's user
fails to open the package by URL."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from webworld import PASSWORD, SEED, World

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian 的 chromium 未安装（scripts/system-deps.sh 安装它）")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def seed_upload(tmp: Path) -> tuple[Path, str]:
    """The seed as a Word file when the Word reader has landed, else as JSON."""
    from jixiao.io import READERS

    if ".docx" in READERS:
        from jixiao.io import load_package
        from jixiao.render import render_package

        package = load_package(SEED)
        files = render_package(package, tmp, formats=("docx",)).files
        return next(f for f in files if "全套" in f.name), "docx"
    return SEED, "json"


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def logout(page):
    page.click("header.top button:has-text('退出')")


def test_the_clerk_fills_fixes_saves_and_the_head_submits(live_server, transactional_db, browser):
    world = World()
    base = live_server.url
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(15000)

    login(page, base, "clerk-b")
    page.click("button:has-text('开始填报')")
    page.wait_for_url(re.compile(r"/p/\d+/$"))
    package_url = page.url

    with tempfile.TemporaryDirectory() as tmp:
        upload, kind = seed_upload(Path(tmp))
        page.set_input_files("input[type=file]", str(upload))
        page.click("button:has-text('导入为新版本')")
        page.wait_for_url(re.compile(r"/findings/$"))
    assert page.locator(".messages").inner_text().startswith("已导入") or "已导入" in page.locator(".messages").inner_text()
    sum_error = page.locator("li.finding.error", has_text="“区级专项资金”行“2023年预算数”列")
    assert sum_error.count() == 1
    # Each finding names its rule in Chinese, never by its id (basic.subtotal).
    rules = page.locator("li.finding small.rule").all_inner_texts()
    assert "基础数据表小计与明细不符" in rules
    assert not [r for r in rules if re.fullmatch(r"[a-z_0-9]+\.[a-z_0-9]+", r)]

    # Follow the finding to its cell on the basic data table.
    sum_error.locator("a").first.click()
    page.wait_for_url(re.compile(r"/sheet/basic/#c-basic-district_special-budget$"))
    total = page.locator("#m-basic-district_special-budget")
    assert "合计 66.54" in total.inner_text() and "error" in total.get_attribute("class")

    # 公务用车运行维护费 was written 6.00 in a 66.00 subtotal: 5.46 makes the items add up.
    row = page.locator("tr.item", has=page.locator("input[value='公务用车运行维护费']"))
    cell = row.locator("input[name$='.budget']")
    # Typed key by key, with the focus left in the cell: the recompute must not wait for a blur.
    cell.click()
    cell.press("Control+a")
    cell.press_sequentially("5.46", delay=30)
    # The server's answer: the new total, and (after htmx settles the swap) the error mark gone.
    # (Selectors, not wait_for_function: the page's CSP forbids evaluating strings.)
    page.wait_for_selector("#m-basic-district_special-budget:not(.error):has-text('合计 66.00')")
    assert page.locator("li.finding.error", has_text="“区级专项资金”行“2023年预算数”列").count() == 0
    page.click("button.save")
    page.wait_for_selector(".messages li.success")
    assert "已保存为第3版" in page.locator(".messages").inner_text()

    page.click("nav.tabs a:has-text('历史版本')")
    assert page.locator("#rev-3").inner_text().count("clerk-b") == 1
    # How each revision came about is said once (no “导入文件：导入 …”).
    history = page.locator("table.history").inner_text()
    assert "导入文件：导入" not in history and "（演示数据）" not in history and f"导入 {upload.name}" in history
    page.click("button:has-text('比较所选两个版本')")
    assert "区级专项资金" in page.locator("table.diff").inner_text()
    assert "5.46" in page.locator("table.diff").inner_text()

    # Explain the errors that remain, then hand it to the head.
    page.goto(f"{package_url}findings/")
    boxes = page.locator("textarea[name^='explain.']")
    for i in range(boxes.count()):
        boxes.nth(i).fill("已与财政局核对，系填报口径差异。")
    page.click("button:has-text('保存说明')")
    assert "尚有0条错误未说明" in page.locator(".messages").inner_text()
    page.goto(package_url)
    page.click("button:has-text('提请单位负责人提交')")
    assert "待负责人提交" in page.locator("header.pkg .state").inner_text()
    logout(page)

    login(page, base, "head-b")
    page.goto(package_url)
    page.click("button:has-text('提交财政局')")
    assert "材料已提交财政局" in page.locator(".messages").inner_text()
    assert "已提交" in page.locator("header.pkg .state").inner_text()
    logout(page)

    # Another unit's clerk cannot open it, whatever the URL.
    login(page, base, "clerk-a")
    resp = page.goto(package_url)
    assert resp.status == 404 and "页面不存在" in page.content()
    resp = page.goto(f"{package_url}sheet/basic/")
    assert resp.status == 404
    page.close()
    print(f"story imported the seed as {kind}")
    assert world.unit_b.packages.get().state == "submitted"
