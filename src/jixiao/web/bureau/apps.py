from django.apps import AppConfig

# Audit actions of the bureau side. The audit log refuses unknown actions, so they are
# registered here, when the app loads, rather than edited into the audit app's list.
BUREAU_ACTIONS = {
    "campaign_created": "创建评价任务",
    "campaign_updated": "修改评价任务",
    "campaign_units": "设置任务单位",
    "campaign_prefill": "按上年材料预填",
    "batch_import": "批量导入",
    "batch_import_file": "批量导入单个文件",
    "review": "审核意见",
    "publish": "公开",
    "export": "导出",
    "job_cancelled": "取消后台任务",
    "job_retried": "重试后台任务",
    "job_resumed": "后台任务由其他进程接管继续",
    "job_interrupted": "后台任务中断暂停",
}


class BureauConfig(AppConfig):
    name = "jixiao.web.bureau"
    label = "bureau"
    verbose_name = "财政局：评价任务、审核、公开"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from ..audit.models import ACTIONS
        from ..packages.models import Revision
        from .figures import on_revision_saved

        for key, label in BUREAU_ACTIONS.items():
            ACTIONS.setdefault(key, label)
        post_save.connect(on_revision_saved, sender=Revision, dispatch_uid="bureau_revision_figures")
