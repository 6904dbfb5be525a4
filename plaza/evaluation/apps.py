from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """民主评议党员: the yearly campaign per branch, self-evaluations, the anonymous 民主测评, grades, follow-ups."""

    name = "plaza.evaluation"
    label = "evaluation"
    verbose_name = _("民主评议党员")

    def ready(self) -> None:
        from plaza.lib.sections import Function, register
        from plaza.orgs.permissions import Cap, can

        register(
            Function(
                "work",
                "my_evaluation",
                _("民主评议"),
                "evaluation:mine",
                "message-square-text",
                _("个人自评、民主测评、我的评议结果"),
                visible=lambda p: getattr(p, "is_authenticated", False) and p.is_party_member,
                order=12,
            )
        )
        register(
            Function(
                "work",
                "evaluation_office",
                _("评议管理"),
                "evaluation:office",
                "clipboard-check",
                _("组织民主评议、测评汇总、评定等次、统计"),
                visible=lambda p: can(p, Cap.MEETINGS),
                order=18,
                office=True,
            )
        )
