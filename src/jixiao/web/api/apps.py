from django.apps import AppConfig

# Audit actions of the API. The audit log refuses unknown actions, so they are registered here,
# when the app loads (as the bureau app does), rather than edited into the audit app's list.
API_ACTIONS = {
    "api_token_created": "创建API令牌",
    "api_token_revoked": "吊销API令牌",
}


class ApiConfig(AppConfig):
    name = "jixiao.web.api"
    label = "api"
    verbose_name = "接口（API）"

    def ready(self) -> None:
        from ..audit.models import ACTIONS
        from ..packages.models import SOURCES

        for key, label in API_ACTIONS.items():
            ACTIONS.setdefault(key, label)
        SOURCES.setdefault("api", "接口上传")  # Revision.source of a document uploaded through the API
