from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizConfig(AppConfig):
    """答题: the question bank, 每日答题, 挑战答题, individual and team contests, and live contests (issue 15)."""

    name = "plaza.quiz"
    label = "quiz"
    verbose_name = _("答题")

    def ready(self) -> None:
        """Registers the points activities (每日答题, 挑战答题; caps from plaza.rules.quiz, rulebook section 9)
        and this app's functions in the sections."""
        from plaza.lib.sections import Function, register
        from plaza.orgs.permissions import Cap, can
        from plaza.points.services import register_activity
        from plaza.rules import quiz as rules

        register_activity("quiz", _("每日答题"), default_cap=rules.DAILY_CAP)
        register_activity("quiz_challenge", _("挑战答题"), default_cap=rules.CHALLENGE_DAILY_CAP)

        def signed_in(person) -> bool:  # noqa: ANN001
            return getattr(person, "is_authenticated", False)

        for key, title, url_name, icon, summary, order in (
            ("quiz_daily", _("每日答题"), "quiz:daily", "circle-help", _("每天几道题，答对得积分，错题进错题本"), 20),
            (
                "quiz_challenge",
                _("挑战答题"),
                "quiz:challenge",
                "target",
                _("连续答对，答错即止，挑战个人最好成绩"),
                21,
            ),
            (
                "quiz_contests",
                _("知识竞赛"),
                "quiz:contests",
                "trophy",
                _("个人赛、团队赛和现场赛，输入加入码参赛"),
                22,
            ),
        ):
            register(Function("learn", key, title, url_name, icon, summary, visible=signed_in, order=order))
        register(
            Function(
                "learn",
                "quiz_office",
                _("题库与竞赛"),
                "quiz:office",
                "monitor-play",
                _("题库维护、Excel导入导出、题目统计、竞赛和现场赛主持"),
                visible=lambda p: can(p, Cap.QUIZ),
                order=23,
                office=True,
            )
        )
