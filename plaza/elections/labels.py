"""The elections rules' sentences (``plaza.rules.elections``, Chinese and pure) in the reader's language, with the
dates in the reader's format (issue 14; see ``plaza.lib.rulewords``)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from plaza.lib import rulewords

_RULE = r" \((?P<rule>[^()]+)\)"

#: ``plaza.rules.elections.term_reminders``' messages.
MESSAGES = (
    rulewords.Wordings()
    .add(
        r"本届任期将于 (?P<day>\S+) 届满，上级党组织应提醒做好换届准备" + _RULE,
        pgettext_lazy("elections rule", "本届任期将于 %(day)s 届满，上级党组织应提醒做好换届准备 (%(rule)s)"),
    )
    .add(
        r"本届任期将于 (?P<day>\S+) 届满，换届请示应于 (?P<day_request>\S+) 前报送上级党组织" + _RULE,
        pgettext_lazy(
            "elections rule", "本届任期将于 %(day)s 届满，换届请示应于 %(day_request)s 前报送上级党组织 (%(rule)s)"
        ),
    )
    .add(
        r"本届任期于 (?P<day>\S+) 届满，应按期换届；提前或推迟须经上级党组织批准" + _RULE,
        pgettext_lazy("elections rule", "本届任期于 %(day)s 届满，应按期换届；提前或推迟须经上级党组织批准 (%(rule)s)"),
    )
)


def rule_message(message: str) -> str:
    """An elections rules message in the active language (unchanged when of another shape)."""
    return MESSAGES.say(message)
