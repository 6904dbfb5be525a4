from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VanguardConfig(AppConfig):
    """支部先锋行动 projects and 党员先锋岗 / 责任区 (issue 19)."""

    name = "plaza.vanguard"
    label = "vanguard"
    verbose_name = _("支部先锋行动")

    def ready(self) -> None:
        """Registers this app's functions in the sections and its points activity in the ledger."""
        from plaza.lib.sections import Function, register
        from plaza.orgs.permissions import Cap, can
        from plaza.points.services import register_activity

        # Recognition of a reviewed project: awarded once per person and project by idempotency key.
        register_activity("vanguard", _("支部先锋行动"), default_cap=200)

        def signed_in(person: object) -> bool:
            return bool(getattr(person, "is_authenticated", False))

        register(
            Function(
                "work",
                "vanguard",
                _("先锋行动"),
                "vanguard:index",
                "rocket",
                _("支部先锋行动项目：目标、节点、进展、结项"),
                visible=signed_in,
                order=60,
            )
        )
        register(
            Function(
                "work",
                "vanguard_posts",
                _("党员先锋岗"),
                "vanguard:posts",
                "badge-check",
                _("党员先锋岗和责任区的承诺公示"),
                visible=signed_in,
                order=61,
            )
        )
        register(
            Function(
                "work",
                "vanguard_board",
                _("先锋行动看板"),
                "vanguard:board",
                "milestone",
                _("各支部项目状态、逾期节点、按主题统计与导出"),
                visible=lambda p: can(p, Cap.VANGUARD) or can(p, Cap.VANGUARD_REVIEW),
                order=62,
                office=True,
            )
        )
