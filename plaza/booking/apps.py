from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    """预约办理: services with opening hours and counters, slots booked on the phone, check-in by QR code."""

    name = "plaza.booking"
    label = "booking"
    verbose_name = _("预约办理")

    def ready(self) -> None:
        from plaza.lib.sections import Function, register
        from plaza.orgs.permissions import Cap, can

        register(
            Function(
                "services",
                "booking",
                _("预约办理"),
                "booking:index",
                "calendar-clock",
                _("组织关系转接、党员身份证明等事项：预约时段，到场扫码"),
                visible=lambda p: getattr(p, "is_authenticated", False),
                order=20,
            )
        )
        register(
            Function(
                "services",
                "booking_office",
                _("预约管理"),
                "booking:office",
                "clipboard-list",
                _("办理事项、开放时间、窗口，扫码签到、今日排队、统计"),
                visible=lambda p: can(p, Cap.BOOKING),
                order=21,
                office=True,
            )
        )
