from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    """换届选举: terms, the request and approval, candidates, secret ballots on phones or paper, results."""

    name = "plaza.elections"
    label = "elections"
    verbose_name = _("换届选举")

    def ready(self) -> None:
        from plaza.audit.chain import register_seal_check
        from plaza.lib.sections import Function, register
        from plaza.localrules.services import on_change

        from .services import ballot_box_problems
        from .sweep import refresh_terms

        # ballots cannot be chained row by row (a place in a chain would order them): their set is sealed instead
        register_seal_check(str(_("选票")), ballot_box_problems)

        # a new 换届请示 lead time moves the board, the reminders and the to-do at once (issue 12 item 8)
        on_change("elections.request_months_before", refresh_terms)
        from plaza.orgs.permissions import Cap, can

        register(
            Function(
                "work",
                "vote",
                _("选举投票"),
                "elections:mine",
                "vote",
                _("换届选举：手机投票、核对回执"),
                visible=lambda p: getattr(p, "is_authenticated", False) and p.is_party_member,
                order=9,
            )
        )
        register(
            Function(
                "work",
                "elections_office",
                _("换届选举"),
                "elections:index",
                "landmark",
                _("任期提醒、换届请示、候选人、投票与计票"),
                visible=lambda p: can(p, Cap.ELECTIONS),
                order=17,
                office=True,
            )
        )
