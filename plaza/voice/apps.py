from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    """E线声音 and 职代会提案: suggestions and concerns routed to whoever must answer them, on working-day service
    levels (issue 16).
    """

    name = "plaza.voice"
    label = "voice"
    verbose_name = _("E线声音")

    def ready(self) -> None:
        """Registers this app's functions in the sections (plaza.lib.sections)."""
        from plaza.lib.sections import Function, register
        from plaza.orgs.permissions import Cap, can

        def signed_in(person: object) -> bool:
            return bool(getattr(person, "is_authenticated", False))

        register(
            Function(
                "interact",
                "voice",
                _("E线声音"),
                "voice:index",
                "megaphone",
                _("建议、反映问题、求助、咨询：可匿名，按时答复"),
                visible=signed_in,
                order=10,
            )
        )
        register(
            Function(
                "interact",
                "voice_proposals",
                _("职代会提案"),
                "voice:proposals",
                "scroll-text",
                _("征集期内提出提案，两人以上附议，立案后限时答复"),
                visible=signed_in,
                order=11,
            )
        )
        register(
            Function(
                "interact",
                "voice_office",
                _("E线声音办理"),
                "voice:office",
                "file-pen-line",
                _("受理、转交、答复、延期；逾期标红；报表"),
                visible=lambda p: can(p, Cap.VOICE),
                order=12,
                office=True,
            )
        )
        register(
            Function(
                "interact",
                "voice_report",
                _("E线声音报表"),
                "voice:report",
                "message-square-text",
                _("按月按组织：响应率、解决率、满意率、逾期、据此改进"),
                visible=lambda p: can(p, Cap.VOICE),
                order=13,
                office=True,
            )
        )
