from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalRulesConfig(AppConfig):
    """本单位规定: the values the rulebook leaves to each organisation (``plaza.rules.local``), set by 组织部
    staff for an organisation and its subtree, shown to everyone with their source."""

    name = "plaza.localrules"
    label = "localrules"
    verbose_name = _("本单位规定")

    def ready(self) -> None:
        from plaza.lib.sections import Function, register

        register(
            Function(
                "learn",
                "localrules",
                _("本单位规定"),
                "localrules:mine",
                "scale",
                _("交由本单位确定的期限和比例，及其出处"),
                order=56,
            )
        )
