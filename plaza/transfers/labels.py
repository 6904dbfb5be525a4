"""The transfers rules' sentences (``plaza.rules.transfers``, Chinese and pure) in the reader's language, with the
dates in the reader's format (issue 14; see ``plaza.lib.rulewords``)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from plaza.lib import rulewords

#: ``plaza.rules.transfers.out_of_contact_notice``'s message.
MESSAGES = rulewords.Wordings().add(
    r"该党员自 (?P<day>\S+) 起与党组织失去联系，已满(?P<months>\d+)个月（(?P<day_since>\S+)）："
    r"请支部研究是否停止党籍，系统仅作提醒 \((?P<rule>[^()]+)\)",
    pgettext_lazy(
        "transfers rule",
        "该党员自 %(day)s 起与党组织失去联系，已满%(months)s个月（%(day_since)s）：请支部研究是否停止党籍，"
        "系统仅作提醒 (%(rule)s)",
    ),
)


def rule_message(message: str) -> str:
    """A transfers rules message in the active language (unchanged when of another shape)."""
    return MESSAGES.say(message)
