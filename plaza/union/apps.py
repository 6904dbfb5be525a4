from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionConfig(AppConfig):
    """工会: membership and the membership card, union dues, care payments (慰问), hardship help (帮扶) and 疗休养
    (issue 18).
    """

    name = "plaza.union"
    label = "union"
    verbose_name = _("工会")

    def ready(self) -> None:
        """Registers this app's functions in the sections and follows job moves (orgs.signals.placement_changed)."""
        from plaza.dues.signals import payroll_wages_imported
        from plaza.lib.sections import Function, MineLink, register, register_mine
        from plaza.orgs.signals import placement_changed

        from .queries import card_member, sees_union
        from .services import on_payroll_wages, on_placement_changed

        placement_changed.connect(on_placement_changed, dispatch_uid="plaza.union.follow_member")
        payroll_wages_imported.connect(on_payroll_wages, dispatch_uid="plaza.union.payroll_wages")
        register_mine(
            MineLink(
                "union_card",
                _("工会会员证"),
                "union:card",
                _("电子会员证，办理工会业务时出示"),
                visible=lambda p: getattr(p, "is_authenticated", False) and card_member(p) is not None,
                order=10,
            )
        )

        def signed_in(person: object) -> bool:
            return bool(getattr(person, "is_authenticated", False))

        register(
            Function(
                "services",
                "union_member",
                _("工会会员"),
                "union:index",
                "id-card",
                _("入会申请、电子会员证、会费"),
                visible=signed_in,
                order=30,
            )
        )
        register(
            Function(
                "services",
                "union_care",
                _("慰问申请"),
                "union:care",
                "heart-handshake",
                _("生日、结婚、生育、住院等慰问，上传证明在线申请"),
                visible=signed_in,
                order=31,
            )
        )
        register(
            Function(
                "services",
                "union_help",
                _("困难帮扶"),
                "union:help",
                "hand-coins",
                _("临时救助、金秋助学、医疗救助"),
                visible=signed_in,
                order=32,
            )
        )
        register(
            Function(
                "services",
                "union_office",
                _("工会工作"),
                "union:office",
                "handshake",
                _("会员名册、入会审批、会费、慰问审核、困难帮扶"),
                visible=sees_union,
                order=33,
                office=True,
            )
        )
