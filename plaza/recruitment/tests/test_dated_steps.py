"""A next step whose earliest day is ahead is not a to-do until that day (defect: sj001's list offered
"第7步「确定发展对象」" months before the rules allowed it, and nothing on the file could close it), and step 6
comes half a year after step 3 (defect: recorded the day of step 3).

What the to-do list offers is what the record page accepts: ``services.ready_steps``. Until the day, a dated
reminder (近期提醒) says from when; the daily sweep (``recruitment_triggers``, ``run_triggers``) opens the to-do on
the day.
"""

from __future__ import annotations

from datetime import date

from django.core.management import call_command

from plaza.notify.models import Reminder, Task
from plaza.recruitment import services
from plaza.recruitment.tests.test_recruitment import STEP_3, TODAY, walk
from plaza.testing.factories import PersonFactory, join


def _triggers(day: date) -> None:
    """The daily pass, as the scheduler runs it."""
    with open("/dev/null", "w") as quiet:
        call_command("recruitment_triggers", "--date", day.isoformat(), stdout=quiet)


def _open_step_tasks(pipeline, step: int):  # noqa: ANN001, ANN202
    return Task.objects.filter(
        source_type="recruitment", source_id=services.task_key(pipeline, step), done_at__isnull=True
    )


def test_step_7_is_a_to_do_only_from_the_day_a_year_of_cultivation_is_over(
    world, applicant, full_members, client, settings
):
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 6, full_members)  # step 3 on 2024-04-01: step 7 from 2025-04-01
    assert _open_step_tasks(pipeline, 7).exists()  # offered on TODAY (2027), when it may be done

    # Back on a day before the year is over: the to-do offered too early is withdrawn (not ticked off as done).
    day = date(2025, 2, 1)
    services.refresh_tasks(pipeline, today=day)
    assert not Task.objects.filter(source_id=services.task_key(pipeline, 7)).exists()
    nudge = Reminder.objects.get(dedupe_key=f"recruitment:{pipeline.pk}:candidacy", cancelled_at__isnull=True)
    assert nudge.due_at.date() == date(2025, 4, 1)

    settings.PLAZA_TODAY = day.isoformat()
    client.force_login(world.secretary_a)
    todos = client.get("/notify/todos/").content.decode()
    listed, reminders = todos.split("近期提醒")
    assert "第7步" not in listed
    assert "可研究是否列为发展对象" in reminders and "2025年4月1日" in reminders
    page = client.get(f"/recruitment/{pipeline.pk}/").content.decode()
    assert f"/recruitment/{pipeline.pk}/step/7/" not in page  # no 记录 button: the page and the list agree
    assert "未到时间" in page and "最早 2025年4月1日" in page

    _triggers(date(2025, 3, 31))  # the day before: still nothing to do
    assert not _open_step_tasks(pipeline, 7).exists()
    _triggers(date(2025, 4, 1))  # the day itself: the daily sweep puts it on the list
    assert set(_open_step_tasks(pipeline, 7).values_list("assignee_id", flat=True)) == {world.secretary_a.pk}
    assert _open_step_tasks(pipeline, 7).get().due_on is None  # no deadline: never counted overdue
    settings.PLAZA_TODAY = "2025-04-01"
    assert f"/recruitment/{pipeline.pk}/step/7/" in client.get(f"/recruitment/{pipeline.pk}/").content.decode()


def test_steps_4_to_6_are_to_dos_from_the_day_of_step_3(world, applicant):
    """The rulebook's step 6 has no day of its own (timing "—"; its half-yearly reviews are reminders): recorded
    today, step 3 opens steps 4, 5 and 6 at once, and step 6 may be recorded with 4 and 5 still open."""
    day_3 = date(2024, 4, 1)
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=day_3
    )
    services.record_step(world.secretary_a, pipeline, 2, date(2024, 3, 20), today=day_3)
    services.record_step(world.secretary_a, pipeline, 3, day_3, details=STEP_3, today=day_3)
    assert all(_open_step_tasks(pipeline, n).exists() for n in (4, 5, 6))
    assert Reminder.objects.filter(dedupe_key=f"recruitment:{pipeline.pk}:review:2024-10-01").exists()
    entry = services.record_step(world.secretary_a, pipeline, 6, day_3, today=day_3)
    assert entry.override_reason == "" and not _open_step_tasks(pipeline, 6).exists()
    assert _open_step_tasks(pipeline, 4).exists() and _open_step_tasks(pipeline, 5).exists()


def test_step_23_is_announced_for_the_day_probation_ends_and_put_on_the_list_then(world, applicant, full_members):
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 22, full_members)  # step 15 on 2025-06-01: probation ends 2026-06-01
    Task.objects.filter(source_type="recruitment").delete()  # left by the walk, made with another "today"
    Reminder.objects.all().delete()
    _triggers(date(2026, 5, 20))
    assert not _open_step_tasks(pipeline, 23).exists()
    notice = Reminder.objects.get(dedupe_key=f"recruitment:{pipeline.pk}:ready:23:1:2026-06-01")
    assert notice.title == "孙申请：第23步「支部大会讨论」2026年6月1日起可办理"
    assert notice.due_at.date() == date(2026, 6, 1) and notice.cancelled_at is None
    assert set(notice.deliveries.values_list("recipient_id", flat=True)) == {world.secretary_a.pk}
    assert services.waiting_for_meeting(world.branch_a, 23, today=date(2026, 5, 31)) == []  # nor on the board
    _triggers(date(2026, 6, 1))
    assert set(_open_step_tasks(pipeline, 23).values_list("assignee_id", flat=True)) == {world.secretary_a.pk}
    assert services.waiting_for_meeting(world.branch_a, 23, today=date(2026, 6, 1)) == [pipeline]

    services.record_step(
        world.secretary_a,
        pipeline,
        23,
        date(2026, 6, 1),
        entitled=10,
        present=8,
        yes=7,
        outcome="convert",
        today=date(2026, 6, 1),
    )
    assert not _open_step_tasks(pipeline, 23).exists()
    assert Reminder.objects.get(pk=notice.pk).cancelled_at is not None  # its event has happened


def _recorded(world, employee_no: str, steps: dict[int, date], members, day: date):  # noqa: ANN001, ANN202
    """A pipeline with ``steps`` recorded on their dates (the officers' "today" is ``day``)."""
    person = PersonFactory(employee_no=employee_no, birth_date=date(1995, 1, 1))
    join(person, world.branch_a)
    pipeline = services.open_pipeline(world.secretary_a, person, world.branch_a, applied_on=steps[1], today=day)
    for step, on in sorted(steps.items())[1:]:
        actor = world.staff if step in services.COMMITTEE_STEPS else world.secretary_a
        extra = {"details": {**STEP_3, "recommended_on": on}} if step == 3 else {}
        extra |= {"people": members[:1]} if step == 5 else {}
        services.record_step(actor, pipeline, step, on, today=day, **extra)
    return pipeline


def test_the_sweep_and_the_one_by_one_pass_agree_on_steps_whose_day_has_not_come(world, full_members):
    """Steps 7 and 23 waiting, and to-dos offered too early (before this rule) withdrawn, by both passes; step 6,
    which has no day of its own, offered at once."""
    from plaza.recruitment.sweep import sweep

    day = date(2026, 5, 20)
    due_6 = _recorded(
        world, "A0600", {1: date(2024, 3, 1), 2: date(2024, 3, 20), 3: date(2024, 4, 1)}, full_members, day
    )
    person = PersonFactory(employee_no="A0601", birth_date=date(1995, 1, 1))
    join(person, world.branch_a)
    on_probation = services.open_pipeline(
        world.secretary_a, person, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, on_probation, 22, full_members)  # probation ends 2026-06-01: step 23 waits
    steps_7 = {1: date(2025, 1, 1), 2: date(2025, 1, 10), 3: date(2025, 6, 1), 4: date(2025, 6, 5)}
    steps_7 |= {5: date(2025, 6, 5), 6: date(2025, 12, 1)}
    waits_7 = _recorded(world, "A0602", steps_7, full_members, day)  # step 7 from 2026-06-01
    fresh = _recorded(world, "A0603", {1: date(2025, 12, 1), 2: date(2025, 12, 10), 3: date(2026, 3, 1)}, [], day)
    too_early = [(waits_7, 7), (on_probation, 23)]

    def snapshot() -> list[tuple]:
        return sorted(
            Task.objects.filter(done_at__isnull=True, source_type="recruitment").values_list(
                "assignee_id", "source_id", "title", "due_on"
            )
        )

    def scheduled() -> list[tuple]:
        return sorted(Reminder.objects.values_list("dedupe_key", "due_at", "deliveries__recipient_id"))

    def reset() -> None:
        Task.objects.filter(source_type__startswith="recruitment").delete()
        Reminder.objects.all().delete()
        for pipeline, step in too_early:  # to-dos made before the rule held such steps back
            services.notify.add_task(
                world.secretary_a, "too early", source_type="recruitment", source_id=services.task_key(pipeline, step)
            )

    reset()
    services.run_triggers_one_by_one(day)
    reference, reminders = snapshot(), scheduled()
    offered = {source_id for _assignee, source_id, _title, _due in reference}
    assert {services.task_key(due_6, n) for n in (4, 5, 6)} <= offered
    assert {services.task_key(fresh, n) for n in (4, 5, 6)} <= offered
    assert not {services.task_key(pipeline, step) for pipeline, step in too_early} & offered
    assert not Task.objects.filter(title="too early").exists()  # withdrawn, not ticked off
    keys = {key for key, _due, _recipient in reminders}
    assert f"recruitment:{on_probation.pk}:ready:23:1:2026-06-01" in keys
    assert f"recruitment:{waits_7.pk}:candidacy" in keys
    assert f"recruitment:{fresh.pk}:review:2026-09-01" in keys
    reset()
    sweep(day)
    assert snapshot() == reference and scheduled() == reminders
    assert not Task.objects.filter(title="too early").exists()
