from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetreatsConfig(AppConfig):
    """疗休养: the union's paid recuperation trips — yearly quotas, routes and dates, sign-up by eligible members,
    allocation by priority or a reproducible lottery, the waiting list, leave notes and feedback (issue 18).
    """

    name = "plaza.retreats"
    label = "retreats"
    verbose_name = _("疗休养")

    def ready(self) -> None:
        """Registers this app's functions in the sections (plaza.lib.sections)."""
        from plaza.lib.sections import Function, register

        from . import queries

        register(
            Function(
                "services",
                "retreats",
                _("疗休养"),
                "retreats:index",
                "plane",
                _("工会职工疗休养：线路、报名、抽签结果、请假单和反馈"),
                visible=lambda p: getattr(p, "is_authenticated", False),
                order=40,
            )
        )
        register(
            Function(
                "services",
                "retreats_office",
                _("疗休养管理"),
                "retreats:office",
                "list-ordered",
                _("年度名额、线路和批次、抽签或按优先规则分配、候补名单"),
                visible=lambda p: getattr(p, "is_authenticated", False) and queries.is_officer(p),
                order=41,
                office=True,
            )
        )
