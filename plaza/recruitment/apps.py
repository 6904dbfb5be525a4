from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    """党员发展: the 25 steps as records, checked by plaza.rules.recruitment, with triggers and boards."""

    name = "plaza.recruitment"
    label = "recruitment"
    verbose_name = _("党员发展")

    def ready(self) -> None:
        from plaza.lib.sections import Function, register
        from plaza.localrules.services import on_change
        from plaza.orgs.permissions import Cap, can
        from plaza.orgs.queries import register_stage_counter

        from .queries import has_pipeline, stage_counts
        from .services import may_apply, refresh_reports_under

        register_stage_counter(stage_counts)  # the organisation statistics page shows the stages
        # a new thought-report interval replaces the old period's to-do at once (issue 20 item 9)
        on_change("recruitment.thought_report_months", refresh_reports_under)

        register(
            Function(
                "work",
                "my_recruitment",
                _("我的入党进度"),
                "recruitment:mine",
                "route",
                _("二十五个步骤：已完成、下一步、截止日期"),
                visible=has_pipeline,
                order=8,
            )
        )
        register(
            Function(
                "work",
                "apply",
                _("申请入党"),
                "recruitment:apply",
                "flag",
                _("在手机上递交入党申请书"),
                visible=may_apply,
                order=7,
            )
        )
        register(
            Function(
                "work",
                "recruitment_board",
                _("党员发展"),
                "recruitment:board",
                "user-plus",
                _("各阶段人员、待办步骤与逾期提醒"),
                visible=lambda p: can(p, Cap.RECRUIT),
                order=15,
                office=True,
            )
        )
