from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "plaza.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self) -> None:
        """Whether a person signing in is an outsider (a dealer's staff) is kept in their session
        (``plaza.lib.sections.remember_outsider``), so the outsider limits cost no query on a page; with a Celery
        broker, the project's Celery app is loaded."""
        from django.conf import settings
        from django.contrib.auth.signals import user_logged_in

        from plaza.lib.sections import remember_outsider

        user_logged_in.connect(remember_outsider, dispatch_uid="plaza.core.remember_outsider")
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            # with a broker, the project's Celery app is the current one in web processes too, so an app can queue
            # a task by name after a commit (plaza.ambassadors.followups) without importing the shell
            import plaza.celery  # noqa: F401
