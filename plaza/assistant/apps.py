from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    """党群小智: answers welfare-policy and procedure questions from a knowledge base, citing its sources;
    hands what it cannot answer to a person (转人工)."""

    name = "plaza.assistant"
    label = "assistant"
    verbose_name = _("党群小智")

    def ready(self) -> None:
        from django.core.signals import request_started

        from plaza.lib.sections import Function, register

        from . import warmup

        # The index is built in the background when the process serves its first request (of any page), not
        # inside the first question (6.4 s before); never in migrations, commands or tests (see warmup).
        request_started.connect(warmup.start, dispatch_uid="assistant-warmup")

        # A 本单位规定 changed in this process drops the index at once; other processes see the change in the
        # index's signature (published.version) on their next question.
        from plaza.localrules.services import on_change
        from plaza.rules.local import RULES

        from . import index

        for key in RULES:
            on_change(key, index.forget_on_change)
        from plaza.orgs.permissions import Cap, can

        register(
            Function(
                "services",
                "assistant",
                _("党群小智"),
                "assistant:index",
                "bot",
                _("党费、组织关系、工会福利等问题，随问随答并注明出处"),
                visible=lambda p: getattr(p, "is_authenticated", False),
                order=5,
            )
        )
        register(
            Function(
                "services",
                "assistant_office",
                _("小智知识库"),
                "assistant:office",
                "library",
                _("导入政策文件、转人工问题解答、未解决问题报表"),
                visible=lambda p: can(p, Cap.ASSISTANT),
                order=6,
                office=True,
            )
        )
