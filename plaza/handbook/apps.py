from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandbookConfig(AppConfig):
    """党务知识: the rules Plaza encodes, shown to people (procedure guide, dues calculator)."""

    name = "plaza.handbook"
    label = "handbook"
    verbose_name = _("党务知识")

    def ready(self) -> None:
        from plaza.lib.sections import Function, register

        register(
            Function(
                "learn",
                "recruitment_guide",
                _("发展党员流程"),
                "handbook:recruitment",
                "list-ordered",
                _("五个阶段、二十五个步骤及时限"),
                order=50,
            )
        )
        register(
            Function(
                "learn",
                "rulebook",
                _("党内法规摘要"),
                "handbook:rules",
                "scroll-text",
                _("党费、换届、组织生活的规定与出处"),
                order=55,
            )
        )
        register(
            Function(
                "services",
                "dues_calculator",
                _("党费计算"),
                "handbook:dues",
                "calculator",
                _("按《党费规定》计算每月应交党费"),
                order=40,
            )
        )
