from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeagueConfig(AppConfig):
    """共青团: League members, League dues, 团组织生活 and 推优 into Party recruitment (issue 18)."""

    name = "plaza.league"
    label = "league"
    verbose_name = _("共青团")

    def ready(self) -> None:
        """Registers this app's functions in the sections (plaza.lib.sections)."""
        from plaza.lib.sections import Function, MineLink, register, register_mine
        from plaza.orgs.permissions import Cap, can

        from . import queries, services

        register_mine(
            MineLink(
                "league_mine",
                _("我的团籍"),
                "league:index",
                _("所在团组织、团费和推优"),
                visible=lambda p: getattr(p, "is_authenticated", False) and services.league_membership(p) is not None,
                order=20,
            )
        )
        register(
            Function(
                "services",
                "league_mine",
                _("我的团籍"),
                "league:index",
                "flag",
                _("所在团组织、年满二十八周岁日期、团费和推优"),
                visible=lambda p: services.league_membership(p) is not None,
                order=60,
            )
        )
        register(
            Function(
                "work",
                "league_office",
                _("共青团工作"),
                "league:office",
                "flag-triangle-right",
                _("团员名册、即将超龄提醒、团费收缴、推优入党、团组织生活"),
                visible=lambda p: getattr(p, "is_authenticated", False) and queries.sees_league(p),
                order=60,
                office=True,
            )
        )
        register(
            Function(
                "work",
                "league_recommendations",
                _("共青团推优"),
                "league:recommendations",
                "award",
                _("团组织推荐的入党积极分子人选，支部委员会研究确定后记入第3步"),
                visible=lambda p: can(p, Cap.RECRUIT),
                order=61,
                office=True,
            )
        )
