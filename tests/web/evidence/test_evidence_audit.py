"""The auditor reads this app's events in Chinese: action names, the package by name, the
detail as “项：值” lines (no codes)."""

from __future__ import annotations

import re

from django.urls import reverse
from evidenceworld import attach, pdf_bytes, submit_and_review
from webworld import client_for


def test_the_audit_log_speaks_chinese_about_evidence_and_rectification(world):
    attach(client_for(world.clerk), world.package, "证明.pdf", pdf_bytes())
    pkg = submit_and_review(world)
    rv = client_for(world.reviewer)
    rv.post(reverse("evidence:rectification_new", args=[pkg.pk]), {"problem": "目标值未量化", "due": "2024-06-30"})
    rv.post(reverse("evidence:budget", args=[pkg.pk]), {"action": "cut", "amount": "5"})
    rv.get(reverse("evidence:results_xlsx", args=[world.campaign.pk]))
    page = client_for(world.auditor).get(reverse("audit:log")).content.decode()
    for text in ("上传佐证材料", "列为整改事项", "记录预算安排", "预算安排：压减", "调整金额（万元）：5.00",
                 "问题：目标值未量化", "整改期限：2024-06-30", "导出内容：结果应用表", "文件：证明.pdf",
                 f"{world.unit_a.name}2023年度绩效自评材料"):
        assert text in page, text
    shown = re.sub(r"<[^>]*>", " ", page)  # the text people read (attributes carry codes, by design)
    for code in ("budget_action", "evidence_uploaded", "rectification_created", "：cut"):
        assert code not in shown, code
