from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """组织生活: 三会一课, 主题党日, 组织生活会 with QR sign-in, leave, make-up study, minutes and compliance."""

    name = "plaza.meetings"
    label = "meetings"
    verbose_name = _("组织生活")

    def ready(self) -> None:
        from plaza.lib.sections import Function, register
        from plaza.orgs.permissions import Cap, can
        from plaza.orgs.signals import placement_changed

        from .services import on_placement_changed

        placement_changed.connect(on_placement_changed, dispatch_uid="plaza.meetings.follow_member")

        register(
            Function(
                "work",
                "my_meetings",
                _("组织生活"),
                "meetings:mine",
                "calendar-days",
                _("三会一课、主题党日：签到、请假、补学"),
                visible=lambda p: getattr(p, "is_authenticated", False) and p.is_party_member,
                order=5,
            )
        )
        register(
            Function(
                "work",
                "meetings_office",
                _("会议管理"),
                "meetings:office",
                "presentation",
                _("安排会议、扫码签到、会议记录、落实情况"),
                visible=lambda p: can(p, Cap.MEETINGS),
                order=16,
                office=True,
            )
        )
