"""Writes for notifications, reminders and the to-do list."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock

from . import dispatch
from .models import NOTICE, Delivery, DeliveryState, Notification, Preference, Reminder, Task


def preference_of(person: Any) -> Preference:
    found = Preference.objects.filter(person=person).first()
    return found or Preference(person=person)


def notify(recipients: Iterable[Any], *, kind: str, title: str, body: str = "", url: str = "") -> int:
    """Send a message to each recipient (in-app always; email and WeCom by preference) once this commits.

    The message goes into the outbox (a reminder due now, one delivery per recipient) in the caller's
    transaction, and the worker is kicked when it commits: a write that rolls back tells nobody, and a slow
    mail server holds neither the request nor its row locks. Returns how many people it is for.
    """
    wanted = {person.pk for person in recipients}
    if not wanted:
        return 0
    with transaction.atomic():
        reminder = Reminder.objects.create(
            subject_type=NOTICE, kind=kind, title=title[:200], body=body, url=url, due_at=clock.now()
        )
        Delivery.objects.bulk_create([Delivery(reminder=reminder, recipient_id=pk) for pk in wanted])
    transaction.on_commit(partial(dispatch.kick, reminder.pk))
    return len(wanted)


def mark_read(person: Any, ids: Sequence[int] | None = None) -> int:
    """Mark the given notifications (or all, when ids is None) of ``person`` as read; others' are untouched."""
    unread = Notification.objects.filter(recipient=person, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=clock.now())


@transaction.atomic
def set_preferences(person: Any, *, email: bool, wecom: bool, muted_kinds: Sequence[str] = ()) -> Preference:
    preference, _ = Preference.objects.select_for_update().get_or_create(person=person)
    before = {"email": preference.email, "wecom": preference.wecom, "muted_kinds": preference.muted_kinds}
    preference.email, preference.wecom = email, wecom
    preference.muted_kinds = sorted(set(muted_kinds))
    preference.save()
    record(
        person,
        actions.NOTIFY_PREFERENCES,
        preference,
        before=before,
        after={"email": email, "wecom": wecom, "muted_kinds": preference.muted_kinds},
    )
    return preference


@transaction.atomic
def schedule_reminder(
    *,
    subject_type: str,
    subject_id: str,
    kind: str,
    title: str,
    due_at: datetime,
    recipients: Iterable[Any],
    body: str = "",
    url: str = "",
    deadline: date | None = None,
    dedupe_key: str | None = None,
) -> Reminder:
    """Schedule a reminder. With a ``dedupe_key`` scheduling again updates the pending reminder (due time,
    text, recipients) instead of adding a second one; deliveries already sent are never sent again."""
    fields = {
        "subject_type": subject_type,
        "subject_id": str(subject_id),
        "kind": kind,
        "title": title[:200],
        "body": body,
        "url": url,
        "due_at": due_at,
        "deadline": deadline,
        "cancelled_at": None,
    }
    if dedupe_key:
        reminder, created = Reminder.objects.select_for_update().get_or_create(dedupe_key=dedupe_key, defaults=fields)
        if not created:
            for key, value in fields.items():
                setattr(reminder, key, value)
            reminder.save()
    else:
        reminder = Reminder.objects.create(**fields)
    wanted = {person.pk for person in recipients}
    existing = dict(Delivery.objects.filter(reminder=reminder).values_list("recipient_id", "state"))
    Delivery.objects.bulk_create(
        [Delivery(reminder=reminder, recipient_id=pk) for pk in wanted - set(existing)], ignore_conflicts=True
    )
    # People no longer concerned: their pending deliveries are cancelled, sent ones stay as history.
    Delivery.objects.filter(reminder=reminder, state=DeliveryState.PENDING).exclude(recipient_id__in=wanted).update(
        state=DeliveryState.CANCELLED
    )
    Delivery.objects.filter(
        reminder=reminder, state=DeliveryState.CANCELLED, recipient_id__in=wanted, delivered_at__isnull=True
    ).update(state=DeliveryState.PENDING)
    return reminder


@dataclass(frozen=True)
class ReminderSpec:
    """A reminder to schedule once, by its dedupe key: what ``schedule_reminder`` takes, with recipient ids."""

    subject_type: str
    subject_id: str
    kind: str
    title: str
    due_at: datetime
    recipient_ids: tuple[int, ...]
    dedupe_key: str
    url: str = ""
    body: str = ""
    deadline: date | None = None


def schedule_spec(spec: ReminderSpec) -> Reminder:
    """Schedule (or update) one reminder from its spec; see ``schedule_reminder``."""

    recipients = get_user_model().objects.filter(pk__in=spec.recipient_ids)
    return schedule_reminder(
        subject_type=spec.subject_type,
        subject_id=spec.subject_id,
        kind=spec.kind,
        title=spec.title,
        due_at=spec.due_at,
        recipients=recipients,
        body=spec.body,
        url=spec.url,
        deadline=spec.deadline,
        dedupe_key=spec.dedupe_key,
    )


def schedule_new_reminders(specs: Iterable[ReminderSpec], *, batch_size: int = 5000) -> int:
    """Create, in bulk, the reminders whose dedupe key is not scheduled yet; existing ones are left alone.

    For the daily sweeps over tens of thousands of people: on a cold start every reminder is new and
    creating them one by one (``schedule_reminder``) costs several queries each. Returns how many were new.
    """
    by_key = {spec.dedupe_key: spec for spec in specs}
    if not by_key:
        return 0
    keys = list(by_key)
    existing: set[str | None] = set()
    for start in range(0, len(keys), batch_size):
        existing.update(
            Reminder.objects.filter(dedupe_key__in=keys[start : start + batch_size]).values_list(
                "dedupe_key", flat=True
            )
        )
    new = [spec for key, spec in by_key.items() if key not in existing]
    Reminder.objects.bulk_create(
        [
            Reminder(
                subject_type=s.subject_type,
                subject_id=str(s.subject_id),
                kind=s.kind,
                title=s.title[:200],
                body=s.body,
                url=s.url,
                due_at=s.due_at,
                deadline=s.deadline,
                dedupe_key=s.dedupe_key,
            )
            for s in new
        ],
        batch_size=batch_size,
        ignore_conflicts=True,
    )  # a concurrent sweep may have won a key
    new_keys = [s.dedupe_key for s in new]
    ids: dict[str | None, int] = {}
    for start in range(0, len(new_keys), batch_size):
        ids.update(
            Reminder.objects.filter(dedupe_key__in=new_keys[start : start + batch_size]).values_list("dedupe_key", "pk")
        )
    Delivery.objects.bulk_create(
        [Delivery(reminder_id=ids[s.dedupe_key], recipient_id=pk) for s in new for pk in set(s.recipient_ids)],
        batch_size=batch_size,
        ignore_conflicts=True,
    )
    return len(new)


def cancel_reminders(subject_type: str, subject_id: str, kind: str | None = None) -> int:
    """Cancel what has not been sent yet (the subject was done, withdrawn or moved)."""
    reminders = Reminder.objects.filter(
        subject_type=subject_type, subject_id=str(subject_id), cancelled_at__isnull=True
    )
    if kind:
        reminders = reminders.filter(kind=kind)
    ids = list(reminders.values_list("pk", flat=True))
    Reminder.objects.filter(pk__in=ids).update(cancelled_at=clock.now())
    Delivery.objects.filter(reminder_id__in=ids, state=DeliveryState.PENDING).update(state=DeliveryState.CANCELLED)
    return len(ids)


def add_task(
    assignee: Any, title: str, *, source_type: str, source_id: str, url: str = "", due_on: date | None = None
) -> Task:
    """Put an item on someone's to-do list; one open item per assignee and source.

    Every to-do names the source its work closes it by (``complete_tasks_for(source_type, source_id)``, or the
    procedure's own update of those keys): a to-do without one could only be ticked off by hand, and would stay
    on the list after the work was done (issue 12 item 9: the demo's 提交本季度思想汇报)."""
    if not source_type or not str(source_id):
        raise ValueError("a to-do needs the source_type and source_id that the work it waits for closes it by")
    task, created = Task.objects.get_or_create(
        assignee=assignee,
        source_type=source_type,
        source_id=str(source_id),
        done_at__isnull=True,
        defaults={"title": title[:200], "url": url, "due_on": due_on},
    )
    if not created and (task.title, task.url, task.due_on) != (title[:200], url, due_on):
        task.title, task.url, task.due_on = title[:200], url, due_on
        task.save(update_fields=["title", "url", "due_on"])
    return task


def complete_task(person: Any, task_id: int) -> bool:
    """Tick off one of ``person``'s own open tasks. False when it is not theirs or already done."""
    return bool(Task.objects.filter(pk=task_id, assignee=person, done_at__isnull=True).update(done_at=clock.now()))


def complete_tasks_for(source_type: str, source_id: str) -> int:
    """The work behind these tasks is done (by whoever did it): close them for everyone."""
    return Task.objects.filter(source_type=source_type, source_id=str(source_id), done_at__isnull=True).update(
        done_at=clock.now()
    )
