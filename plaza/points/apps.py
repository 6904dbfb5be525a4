from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    """积分: one ledger for 阅读豆 and every other point, rankings, and the 积分超市 points mall."""

    name = "plaza.points"
    label = "points"
    verbose_name = _("积分")

    def ready(self) -> None:
        from plaza.lib.sections import Function, register
        from plaza.orgs.permissions import Cap, can

        def signed_in(person) -> bool:  # noqa: ANN001
            return getattr(person, "is_authenticated", False)

        register(
            Function(
                "learn",
                "points",
                _("我的积分"),
                "points:mine",
                "star",
                _("阅读豆和各项积分、积分排行"),
                visible=signed_in,
                order=30,
            )
        )
        register(
            Function(
                "learn",
                "points_mall",
                _("积分超市"),
                "points:mall",
                "gift",
                _("用积分兑换礼品"),
                visible=signed_in,
                order=31,
            )
        )
        register(
            Function(
                "learn",
                "points_office",
                _("积分管理"),
                "points:office",
                "award",
                _("奖励积分、积分商品、发放、统计"),
                visible=lambda p: can(p, Cap.POINTS),
                order=32,
                office=True,
            )
        )
