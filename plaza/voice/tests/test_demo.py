"""The demo tells its month in order: filing dates and history on the days of the story (QA)."""

from django.utils import timezone

from plaza.voice.demo import seed_demo_voice
from plaza.voice.models import Event, Item, Message, Proposal, State


def test_demo_items_are_dated_on_the_days_they_were_filed(world, settings):
    settings.PLAZA_TODAY = "2026-12-07"
    seed_demo_voice(seed=1)
    items = list(Item.objects.order_by("received_on"))
    assert len(items) == 20 and items[0].received_on < items[-1].received_on
    for item in items:
        assert timezone.localdate(item.created_at) == item.received_on
        submitted = Event.objects.filter(item=item, state=State.SUBMITTED).first()
        assert submitted is not None and timezone.localdate(submitted.at) == item.received_on
        if item.answered_on:
            answered = Event.objects.get(item=item, state=State.ANSWERED)
            assert timezone.localdate(answered.at) == item.answered_on
    for proposal in Proposal.objects.exclude(department=None):  # the note names the department it gave it to
        assert proposal.department.name in proposal.decision_note
    for message in Message.objects.select_related("item"):  # asked when it was taken up, not today
        assert timezone.localdate(message.created_at) == (message.item.accepted_on or message.item.received_on)
