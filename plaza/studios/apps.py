from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudiosConfig(AppConfig):
    """劳模 / 工匠创新工作室, named 绝活, the honours registry and 师带徒 mentoring (issue 19)."""

    name = "plaza.studios"
    label = "studios"
    verbose_name = _("工匠工作室")

    def ready(self) -> None:
        """Registers this app's functions in the sections (plaza.lib.sections)."""
        from plaza.lib.sections import Function, register
        from plaza.orgs.permissions import Cap, can

        def signed_in(person: object) -> bool:
            return bool(getattr(person, "is_authenticated", False))

        for key, title, url_name, icon, summary, order in (
            (
                "studios",
                _("工匠工作室"),
                "studios:index",
                "hammer",
                _("劳模、工匠创新工作室：专利、创新项目"),
                40,
            ),
            ("crafts", _("绝活"), "studios:crafts", "wrench", _("以职工名字命名的绝活：搜索、学习"), 41),
            ("pairs", _("师带徒"), "studios:pairs", "handshake", _("师徒协议、月度交流、技能签认"), 42),
            ("honours", _("荣誉榜"), "studios:honours", "medal", _("劳模、工匠、技术能手、先锋号、优秀党员"), 43),
        ):
            register(Function("learn", key, title, url_name, icon, summary, visible=signed_in, order=order))
        register(
            Function(
                "learn",
                "studios_office",
                _("工作室统计"),
                "studios:stats",
                "chart-column",
                _("各工作室成果和师带徒统计、导出"),
                visible=lambda p: can(p, Cap.STUDIOS),
                order=44,
                office=True,
            )
        )
