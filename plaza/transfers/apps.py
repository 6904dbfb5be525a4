from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    """组织关系转接: transfers inside Plaza, introduction letters and receipts, members out of contact."""

    name = "plaza.transfers"
    label = "transfers"
    verbose_name = _("组织关系转接")

    def ready(self) -> None:
        from plaza.lib.sections import Function, register
        from plaza.orgs.permissions import Cap, can

        register(
            Function(
                "work",
                "my_transfer",
                _("我的组织关系"),
                "transfers:mine",
                "link",
                _("所在支部、申请转接、查看进度"),
                visible=lambda p: getattr(p, "is_party_member", False),
                order=11,
            )
        )
        register(
            Function(
                "work",
                "transfers",
                _("组织关系转接"),
                "transfers:index",
                "arrow-left-right",
                _("转出转入、介绍信与回执、失联党员"),
                visible=lambda p: can(p, Cap.TRANSFERS),
                order=17,
                office=True,
            )
        )
