from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "plaza.notify"
    label = "notify"
    verbose_name = _("消息与提醒")
