from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuesConfig(AppConfig):
    """党费: bases with history, the monthly roll, the payments ledger, reductions, arrears and certificates."""

    name = "plaza.dues"
    label = "dues"
    verbose_name = _("党费")

    def ready(self) -> None:
        from plaza.lib.sections import Function, register
        from plaza.orgs.permissions import Cap, can

        register(
            Function(
                "work",
                "my_dues",
                _("我的党费"),
                "dues:mine",
                "wallet",
                _("每月应交、已交和交纳证明"),
                visible=lambda p: getattr(p, "is_party_member", False),
                order=9,
            )
        )
        register(
            Function(
                "work",
                "dues_roll",
                _("党费收缴"),
                "dues:index",
                "receipt",
                _("月度收缴表、登记交纳、基数与统计"),
                visible=lambda p: can(p, Cap.DUES),
                order=16,
                office=True,
            )
        )
