from django.apps import AppConfig


class PackagesConfig(AppConfig):
    name = "jixiao.web.packages"
    label = "packages"
    verbose_name = "绩效自评材料"
