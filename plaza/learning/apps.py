from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    """学习: articles with 阅读豆, required reading, the resource library, search and study plans."""

    name = "plaza.learning"
    label = "learning"
    verbose_name = _("学习")

    def ready(self) -> None:
        from plaza.lib.sections import Function, register
        from plaza.orgs.permissions import Cap, can
        from plaza.points.services import register_activity

        # 阅读豆: reading an article to the end, long enough (plaza.points.services.reading_beans).
        register_activity("reading", _("阅读豆"), default_cap=10)

        def signed_in(person) -> bool:  # noqa: ANN001
            return getattr(person, "is_authenticated", False)

        register(
            Function(
                "learn",
                "learning",
                _("学习园地"),
                "learning:index",
                "book-open",
                _("新闻、文章，读完得阅读豆"),
                visible=signed_in,
                order=10,
            )
        )
        register(
            Function(
                "learn",
                "learning_required",
                _("必学内容"),
                "learning:required",
                "bookmark-check",
                _("组织要求学习的文章及截止日期"),
                visible=signed_in,
                order=11,
            )
        )
        register(
            Function(
                "learn",
                "learning_resources",
                _("资料库"),
                "learning:resources",
                "folder-open",
                _("文件、表格模板下载"),
                visible=signed_in,
                order=12,
            )
        )
        register(
            Function(
                "learn",
                "learning_plans",
                _("学习计划"),
                "learning:plans",
                "calendar-check",
                _("主题教育、中心组学习的安排和进度"),
                visible=signed_in,
                order=13,
            )
        )
        register(
            Function(
                "learn",
                "learning_office",
                _("学习管理"),
                "learning:office",
                "newspaper",
                _("发布文章、必学统计、资料库、学习计划"),
                visible=lambda p: can(p, Cap.LEARNING),
                order=14,
                office=True,
            )
        )
