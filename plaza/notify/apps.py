from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "plaza.notify"
    label = "notify"
    verbose_name = _("消息与提醒")

    def ready(self) -> None:
        from plaza.lib.sections import Function, register

        register(
            Function("work", "todos", _("我的待办"), "notify:todos", "list-todo", _("待办事项与截止日期"), order=10)
        )
        register(Function("interact", "inbox", _("消息中心"), "notify:inbox", "mail", _("通知、提醒与回复"), order=10))
