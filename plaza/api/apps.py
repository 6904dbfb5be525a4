from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "plaza.api"
    label = "api"
    verbose_name = _("接口")
