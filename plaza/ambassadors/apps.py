from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AmbassadorsConfig(AppConfig):
    """通星汇: employee brand ambassadors, share links and posters, the public landing page, leads for
    dealers, deals and rankings (issue 17).
    """

    name = "plaza.ambassadors"
    label = "ambassadors"
    verbose_name = _("通星汇")

    def ready(self) -> None:
        """Registers the functions (plaza.lib.sections) and the points activity (with its daily cap)."""
        from plaza.lib.sections import Function, Outsiders, register, register_outsiders
        from plaza.localrules.services import on_change
        from plaza.orgs.signals import placement_changed
        from plaza.points.services import register_activity

        from . import queries, services

        register_activity(services.ACTIVITY, services.ACTIVITY_LABEL, default_cap=services.DAILY_CAP)
        # the grouped rankings follow a person who moves unit; the cached rules follow a change of 本单位规定
        placement_changed.connect(services.on_placement_changed, dispatch_uid="plaza.ambassadors.follow_unit")
        for key in queries.RULE_KEYS:
            on_change(key, services.landing_changed)
        # a dealer's sales staff follow up their dealer's leads and nothing else (design.md)
        register_outsiders(
            Outsiders(
                "dealers",
                applies=queries.is_dealer_staff,
                url_names=("ambassadors:dealer",),
                prefixes=("/api/v1/ambassadors/dealer/", "/ambassadors/s/"),  # their API; the public landing page
            )
        )

        def employee(person: object) -> bool:
            return getattr(person, "is_authenticated", False) and queries.dealer_of(person) is None

        register(
            Function(
                "interact",
                "ambassadors",
                _("通星汇"),
                "ambassadors:index",
                "share-2",
                _("做品牌大使：分享车型链接和海报，客户留资、试驾、成交都有积分"),
                visible=employee,
                order=40,
            )
        )
        register(
            Function(
                "interact",
                "ambassadors_rankings",
                _("通星汇排行榜"),
                "ambassadors:rankings",
                "trophy",
                _("个人、班组、单位的推荐和成交排行"),
                visible=employee,
                order=41,
            )
        )
        register(
            Function(
                "interact",
                "ambassadors_dealer",
                _("经销商线索"),
                "ambassadors:dealer",
                "car",
                _("跟进分配给本店的通星汇线索：联系、到店、试驾、订车、交车"),
                visible=lambda p: queries.dealer_of(p) is not None,
                order=42,
            )
        )
        register(
            Function(
                "interact",
                "ambassadors_office",
                _("通星汇管理"),
                "ambassadors:office",
                "store",
                _("车型、推广活动、经销商和分配规则、设置"),
                visible=queries.may_manage,
                order=43,
                office=True,
            )
        )
        register(
            Function(
                "interact",
                "ambassadors_funnel",
                _("通星汇转化漏斗"),
                "ambassadors:funnel",
                "gauge",
                _("访客、留资、联系、试驾、订车、交车和留资率，导出 Excel"),
                visible=queries.may_manage,
                order=44,
                office=True,
            )
        )
        register(
            Function(
                "interact",
                "ambassadors_leads",
                _("通星汇线索"),
                "ambassadors:staff_leads",
                "contact",
                _("全部线索（手机号隐藏）、异常标记、导出 Excel"),
                visible=queries.may_manage,
                order=45,
                office=True,
            )
        )
