"""The reviewer's story in Debian's Chromium: open the campaign, batch-import a zip of
generated packages plus broken files and watch the progress bar (the job runs on the
database task backend, in the worker thread `jixiao serve` starts beside the server), let the units submit,
review the worst one and return it with a cell comment, see it come back, accept it with a
review score, publish it, look at the dashboard, and open the public page logged out.

With JIXIAO_SCREENSHOTS=<dir> the story also saves the screenshots kept in docs/.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from bureauworld import degraded, explain_and_submit, generated_document, json_file, renamed, zip_bytes
from test_browser_story import browser, login, logout  # noqa: F401 (the shared Chromium fixture)
from webworld import World, second_document

pytestmark = [pytest.mark.browser, pytest.mark.db_worker]
UNITS = ["岳阳楼区园林绿化服务中心", "岳阳楼区城市建设档案馆", "岳阳楼区环境卫生管理处", "岳阳楼区市政设施维护中心",
         "岳阳楼区住房保障服务中心", "岳阳楼区公共资源交易中心", "岳阳楼区机关幼儿园", "岳阳楼区融媒体中心"]


@pytest.fixture
def worker(transactional_db):
    """The worker thread `jixiao serve` starts, polling often, stopped at the end."""
    from jixiao.web.bureau.worker import start_worker_thread

    thread = start_worker_thread(interval=0.2)
    yield thread
    thread.worker.running = False
    thread.join(timeout=10)


def _package_files(tmp: Path) -> tuple[dict[str, bytes], str]:
    """The units' packages as Word files when the Word reader has landed, else as JSON; plus trouble."""
    from jixiao.io import READERS
    from jixiao.model import Package

    files: dict[str, bytes] = {}
    kind = "docx" if ".docx" in READERS else "json"
    for i, unit in enumerate(UNITS):
        doc = degraded(generated_document(unit, 100 + i, mistake_rate=0.6), 1 - 0.09 * i)
        if kind == "docx":
            from jixiao.render import render_package

            out = render_package(Package.model_validate(doc), tmp / str(i), formats=("docx",)).files
            files[f"{unit}.docx"] = next(f for f in out if "全套" in f.name).read_bytes()
        else:
            files[f"{unit}.json"] = json_file(doc)
    files["损坏的文件.docx"] = b"PK\x03\x04 truncated"
    files["旧版Word.doc"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    files["某县不存在的单位.json"] = json_file(renamed(second_document(), "某县不存在的单位"))
    return files, kind


def _shot(page, name: str, full: bool = True) -> None:
    where = os.environ.get("JIXIAO_SCREENSHOTS")
    if where:
        Path(where).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(where) / name), full_page=full)


def test_the_reviewer_imports_reviews_returns_accepts_and_publishes(live_server, worker, browser):  # noqa: F811
    from jixiao.web.accounts.models import Unit
    from jixiao.web.packages.models import Package

    world = World()
    units = [Unit.objects.create(bureau=world.bureau, name=n) for n in UNITS]
    world.campaign.units.add(*units)
    base = live_server.url
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(30000)

    login(page, base, "reviewer")
    page.click("header.top a:has-text('评价任务')")
    page.click(f"a:has-text('{world.campaign.title}')")
    page.locator("b", has_text="9").first.wait_for()  # the click navigates: wait for the progress page
    assert "未开始 <b>9</b>" in page.content()  # 8 new units + unit_b; unit_a has its draft

    page.click("nav.tabs a:has-text('批量导入')")
    with tempfile.TemporaryDirectory() as tmp:
        files, kind = _package_files(Path(tmp))
        upload = Path(tmp) / "各单位绩效自评材料.zip"
        upload.write_bytes(zip_bytes(files, gbk_names=True))
        page.set_input_files("input[type=file]", str(upload))
        page.click("button:has-text('开始导入')")
    page.wait_for_url(re.compile(r"/bureau/jobs/\d+/$"))
    job_url = page.url
    assert page.locator("#job-bar").count() == 1
    # The bar is polled (HTMX) until the worker has finished: same page, no reload.
    # (Selectors, not wait_for_function: the page's CSP forbids evaluating strings.)
    page.wait_for_selector("#job-state:text-is('已完成')")
    assert page.url == job_url
    assert page.locator("#job-bar").get_attribute("value") == "100"
    assert page.locator("#job-imported").inner_text() == str(len(UNITS))
    assert page.locator("#job-failed").inner_text() == "3"
    report = page.locator("table.report").inner_text()
    assert "损坏的文件.docx" in report and "旧版Word.doc" in report and "某县不存在的单位" in report
    assert "另存为 .docx 后再导入" in report
    _shot(page, "bureau-import.png")

    # The units explain their errors and submit (their side of the story is tests/web/test_browser_story.py).
    from jixiao.web.accounts.models import Role, User

    for unit in units:
        clerk = User.objects.create(username=f"c{unit.pk}", role=Role.CLERK, unit=unit)
        head = User.objects.create(username=f"h{unit.pk}", role=Role.UNIT_HEAD, unit=unit)
        explain_and_submit(Package.objects.get(campaign=world.campaign, unit=unit), clerk, head)

    page.goto(f"{base}/bureau/c/{world.campaign.pk}/review/")
    first = page.locator("table.queue tbody tr").first
    worst = first.locator("td").nth(1).inner_text()
    first.locator("a").click()
    page.wait_for_url(re.compile(r"/bureau/p/\d+/review/$"))
    review_url = page.url
    assert worst in page.locator("main > h1").inner_text()
    assert page.locator("li.finding").count() > 0 and "单位说明：" in page.content()
    # Cells are named as the unit reads them: no model words such as “projects” or “sections”.
    headings = page.locator(".cell-review h3").all_inner_texts()
    assert headings and not [h for h in headings if re.search(r"[A-Za-z]", h)], headings
    _shot(page, "bureau-review.png", full=False)
    box = page.locator("textarea[name^='cell:']").first
    label = box.get_attribute("aria-label").removeprefix("意见：")
    box.fill("合计与明细不符，请改正后重新提交。")
    page.fill("textarea[name=comment]", "请按单元格意见修改。")
    page.click("button:has-text('退回修改')")
    assert f"已退回{worst}修改（1条单元格意见）" in page.locator(".messages").inner_text()

    # It comes back: the unit resubmits; the queue shows it with one return behind it.
    pkg = Package.objects.get(campaign=world.campaign, unit__name=worst)
    assert pkg.state == "returned" and f"【{label}】" in pkg.transitions.first().comment
    explain_and_submit(pkg, User.objects.get(username=f"c{pkg.unit_id}"), User.objects.get(username=f"h{pkg.unit_id}"))
    page.goto(f"{base}/bureau/c/{world.campaign.pk}/review/")
    row = page.locator("table.queue tbody tr", has_text=worst)
    assert row.locator("td").nth(9).inner_text() == "1"
    row.locator("a").click()
    assert "退回修改（第" in page.locator("section.history").inner_text()
    page.fill("input[name=review_total]", "78.5")
    page.click("button:has-text('审核通过')")
    assert "材料已审核通过" in page.locator(".messages").inner_text()
    # “Compare with the last review” compares the returned revision with the accepted one.
    compare = page.locator("a:has-text('与上次审核的版本')")
    a, b = re.search(r"\?a=(\d+)&b=(\d+)", compare.get_attribute("href")).groups()
    assert a != b
    page.click("button:has-text('公开')")
    assert "已公开（第1次公开）" in page.locator(".messages").inner_text()

    page.goto(f"{base}/bureau/c/{world.campaign.pk}/dashboard/")
    page.wait_for_selector("body[data-charts-ready='5']")
    assert page.locator("#chart-grades canvas").count() >= 1
    # The scatter's axes fit the scores (not a fixed 0–100 with every unit in one corner).
    x_min, x_max = page.evaluate(
        "(() => { const o = echarts.getInstanceByDom(document.getElementById('chart-scatter')).getOption();"
        " return [o.xAxis[0].min, o.xAxis[0].max]; })()")
    assert (x_min, x_max) != (0, 100) and x_min < x_max
    _shot(page, "bureau-dashboard.png")

    # A second unit is accepted and published: the public campaign page lists both.
    from jixiao.web.bureau.actions import do_review
    from jixiao.web.bureau.publication import do_publish

    other = Package.objects.filter(campaign=world.campaign, state="submitted").first()
    do_review(package_id=other.pk, actor=world.reviewer, decision="accept", comment="", cells=[], review_total=None)
    do_publish(package_id=other.pk, actor=world.reviewer)
    # The campaign list counts every status: they add up to the units of the campaign.
    page.goto(f"{base}/bureau/")
    row = page.locator("table.list tbody tr", has_text=world.campaign.title).locator("td").all_inner_texts()
    assert int(row[4]) == sum(int(n) for n in row[5:11]) == world.campaign.units.count()

    logout(page)
    resp = page.goto(f"{base}/public/c/{world.campaign.pk}/")
    assert resp.status == 200 and other.unit.name in page.content()
    page.click(f"a:has-text('{worst}')")
    assert page.url.startswith(f"{base}/public/c/{world.campaign.pk}/u/")
    assert worst in page.locator("main > h1").inner_text() and "审核得分 78.50" in page.content()
    assert page.locator("article.published table.form").count() >= 2
    pdf = page.request.get(base + page.locator("a:has-text('PDF')").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    _shot(page, "bureau-public.png", full=False)
    resp = page.goto(review_url)  # the bureau's page itself is not public
    assert "/accounts/login/" in page.url and resp.ok
    page.close()
    print(f"story imported the packages as {kind}")
