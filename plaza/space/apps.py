from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpaceConfig(AppConfig):
    """互动空间: posts, comments, likes, @mentions, moderation and the sensitive-word filter (issue 16)."""

    name = "plaza.space"
    label = "space"
    verbose_name = _("互动空间")

    def ready(self) -> None:
        """Registers this app's functions in the sections (plaza.lib.sections) once its pages exist."""
        from plaza.lib.sections import Function, register
        from plaza.orgs.permissions import Cap, can

        register(
            Function(
                "interact",
                "space",
                _("互动空间"),
                "space:index",
                "messages-square",
                _("员工互动空间：发帖、话题、评论、点赞，说说身边的新鲜事"),
                visible=lambda p: getattr(p, "is_authenticated", False),
                order=30,
            )
        )
        register(
            Function(
                "interact",
                "space_office",
                _("互动空间审核"),
                "space:office",
                "badge-check",
                _("审核队列、举报处理、敏感词、空间设置（先审后发）"),
                visible=lambda p: can(p, Cap.SPACE),
                order=31,
                office=True,
            )
        )
