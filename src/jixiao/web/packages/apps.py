from django.apps import AppConfig

# Audit actions of the yearly cycle (cycle_actions.py), registered when the app loads like the
# bureau's: the audit log refuses unknown actions.
CYCLE_ACTIONS = {
    "targets_approved": "批复绩效目标",
    "targets_adjustment": "准予调整绩效目标",
    "targets_frozen_refused": "修改已批复目标被拒",
}


class PackagesConfig(AppConfig):
    name = "jixiao.web.packages"
    label = "packages"
    verbose_name = "绩效自评材料"

    def ready(self) -> None:
        from ..audit.models import ACTIONS

        for key, label in CYCLE_ACTIONS.items():
            ACTIONS.setdefault(key, label)
