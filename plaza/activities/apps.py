from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    """活动与共建: activities with sign-up, a waiting list, QR check-in and points, and the 共建 partner
    organisations (issue 16).
    """

    name = "plaza.activities"
    label = "activities"
    verbose_name = _("活动与共建")

    def ready(self) -> None:
        """Registers this app's functions in the sections and its points in the ledger."""
        from plaza.lib.sections import Function, register
        from plaza.orgs.permissions import Cap, can
        from plaza.points.services import register_activity

        from .services import POINTS_ACTIVITY, POINTS_DAILY_CAP

        register_activity(POINTS_ACTIVITY, _("参加活动"), default_cap=POINTS_DAILY_CAP)
        register(
            Function(
                "interact",
                "activities",
                _("活动报名"),
                "activities:index",
                "heart-handshake",
                _("志愿服务、主题党日、工会活动和共建活动：报名、候补、扫码签到"),
                visible=lambda p: getattr(p, "is_authenticated", False),
                order=30,
            )
        )
        register(
            Function(
                "interact",
                "activities_office",
                _("活动管理"),
                "activities:office",
                "clipboard-list",
                _("发布活动、报名名单、签到二维码、活动小结和照片"),
                visible=lambda p: can(p, Cap.ACTIVITIES),
                order=31,
                office=True,
            )
        )
        register(
            Function(
                "interact",
                "activities_partners",
                _("共建单位"),
                "activities:partners",
                "handshake",
                _("共建单位、联系人和共建记录"),
                visible=lambda p: can(p, Cap.ACTIVITIES),
                order=32,
                office=True,
            )
        )
        register(
            Function(
                "interact",
                "activities_stats",
                _("活动统计"),
                "activities:stats",
                "chart-column",
                _("按组织和共建单位统计活动、参与人数、志愿服务时长"),
                visible=lambda p: can(p, Cap.ACTIVITIES),
                order=33,
                office=True,
            )
        )
