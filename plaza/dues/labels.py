"""The dues rules' sentences (``plaza.rules.dues``, Chinese and pure) in the reader's language, with the months in
the reader's format (issue 14; see ``plaza.lib.rulewords``)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from plaza.lib import rulewords

_RULE = r" \((?P<rule>[^()]+)\)"

#: ``plaza.rules.dues.check_payment_months``' messages.
MESSAGES = (
    rulewords.Wordings()
    .add(
        r"(?P<month>\d{4}-\d{2}) 的党费已超过补交期限：补交最多 (?P<n>\d+) 个月，"
        r"最早可补交 (?P<month_first>\d{4}-\d{2})" + _RULE,
        pgettext_lazy(
            "dues rule", "%(month)s 的党费已超过补交期限：补交最多 %(n)s 个月，最早可补交 %(month_first)s (%(rule)s)"
        ),
    )
    .add(
        r"(?P<month>\d{4}-\d{2}) 的党费不能提前交纳：预交最多一个季度，"
        r"最晚可预交到 (?P<month_last>\d{4}-\d{2})" + _RULE,
        pgettext_lazy(
            "dues rule", "%(month)s 的党费不能提前交纳：预交最多一个季度，最晚可预交到 %(month_last)s (%(rule)s)"
        ),
    )
)


def rule_message(message: str) -> str:
    """A dues rules message in the active language (unchanged when of another shape)."""
    return MESSAGES.say(message)
