from django.apps import AppConfig

# Audit actions of this app, registered when it loads (the audit log refuses unknown actions).
EVIDENCE_ACTIONS = {
    "evidence_uploaded": "上传佐证材料",
    "evidence_removed": "删除佐证材料",
    "evidence_downloaded": "下载佐证材料",
    "evidence_policy": "设置佐证材料要求",
    "evidence_published": "公开佐证材料",
    "rectification_created": "列为整改事项",
    "rectification_responded": "反馈整改情况",
    "rectification_closed": "整改事项销号",
    "rectification_reopened": "重新打开整改事项",
    "budget_decision": "记录预算安排",
}
DETAIL_KEYS = {
    "indicator": "指标", "sha256": "SHA-256", "publish_evidence": "公开时附佐证材料", "required": "须附佐证材料的指标",
    "item": "整改事项", "problem": "问题", "due": "整改期限", "measures": "整改措施", "progress": "整改情况",
    "budget_action": "预算安排", "amount": "调整金额（万元）", "percent": "调整比例（%）", "files": "文件数",
}


class EvidenceConfig(AppConfig):
    name = "jixiao.web.evidence"
    label = "evidence"
    verbose_name = "佐证材料、整改与结果应用"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from ..audit import present
        from ..audit.models import ACTIONS
        from ..bureau.models import Publication
        from .publishing import on_publication_saved

        for key, label in EVIDENCE_ACTIONS.items():
            ACTIONS.setdefault(key, label)
        for key, label in DETAIL_KEYS.items():
            present.DETAIL_KEYS.setdefault(key, label)
        present._VALUES.setdefault("budget_action", {"cut": "压减", "keep": "保持", "raise": "增加"})
        present._VALUES["what"].setdefault("results", "结果应用表")
        post_save.connect(on_publication_saved, sender=Publication, dispatch_uid="evidence_publication")
