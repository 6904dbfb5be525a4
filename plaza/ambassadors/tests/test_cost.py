"""What the busy paths of 通星汇 cost (issue 17's benchmarks, held as query counts): the public landing page
from its cached copy, a lead submission in one short transaction with its follow-ups after the commit, and the
grouped rankings as one aggregate over the score rows — kept right when an ambassador moves unit."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plaza.ambassadors import links, queries, services, sms, visits
from plaza.ambassadors.models import Lead, Outbound, Score, Visit
from plaza.ambassadors.sweep import ambassadors_sweep
from plaza.lib import clock
from plaza.lib.crypto import blind_index
from plaza.localrules.services import set_rule
from plaza.notify.models import Reminder
from plaza.orgs.services import assign_membership
from plaza.points.services import balance_of

from .helpers import PHONE, leave_lead, make_programme


def _landing(p) -> str:  # noqa: ANN001
    return reverse("ambassadors:landing", args=[p.target.code])


def test_the_landing_page_is_served_from_its_cache_without_queries_or_a_session(world, django_assert_num_queries):
    p = make_programme(world)
    path = _landing(p)
    first = Client()
    assert first.get(path).status_code == 200  # renders and caches the copy, counts the visitor
    with django_assert_num_queries(0):  # the same visitor again: the copy, no visit to count
        again = first.get(path)
    page = again.content.decode()
    assert again.status_code == 200 and p.rui.name in page and "张师傅 为您推荐" in page
    assert 'name="csrfmiddlewaretoken"' in page and "@@plaza" not in page
    with django_assert_num_queries(1):  # a new visitor: one INSERT of the visit, nothing read
        assert Client().get(path).status_code == 200
    assert not Session.objects.exists() and "sessionid" not in again.cookies
    assert queries.summary_of(p.ambassador).visitors == 2


def test_each_visitor_gets_their_own_token_and_can_post_the_cached_form(world):
    p = make_programme(world)
    path = _landing(p)
    a, b = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_a, page_b = a.get(path).content.decode(), b.get(path).content.decode()
    token = page_a.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert token != page_b.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    form = {"name": "王先生", "phone": PHONE, "city": "上海", "product": p.rui.pk, "action": "send"}
    sent = a.post(path, {**form, "csrfmiddlewaretoken": token})
    assert sent.status_code == 200 and "验证码已发送" in sent.content.decode()
    assert sms.last_code(PHONE)
    assert not Session.objects.exists()  # the notice travels in the messages cookie, not a session


def test_a_change_by_staff_shows_on_the_cached_landing_page_at_once(world):
    p = make_programme(world)
    path = _landing(p)
    assert "更快更安静" not in Client().get(path).content.decode()
    services.save_product(world.staff, p.rui, {"tagline": "更快更安静"})
    assert "更快更安静" in Client().get(path).content.decode()
    services.register(world.member_a, accept_terms=True, display_name="老张")
    assert "老张 为您推荐" in Client().get(path).content.decode()
    services.save_dealer(world.staff, None, {"name": "沈阳别克中心", "code": "SY01", "city": "沈阳", "active": True})
    assert "沈阳别克中心" in Client().get(path).content.decode()


def test_a_code_naming_nothing_is_a_404_also_from_the_cache(world):
    make_programme(world)
    path = reverse("ambassadors:landing", args=[links.encode(99_999, 1)])
    assert Client().get(path).status_code == 404
    assert Client().get(path).status_code == 404
    assert Client().get(reverse("ambassadors:landing", args=["不是代码"])).status_code == 404


def test_a_lead_submission_is_one_short_transaction_and_its_follow_ups_come_after_the_commit(
    world, django_capture_on_commit_callbacks
):
    p = make_programme(world)
    leave_lead(p, "13900001111")  # the rules read and the ambassador's score rows made: a warm server
    path = _landing(p)
    client = Client()
    client.get(path)
    form = {"name": "王先生", "phone": PHONE, "city": "上海", "product": p.rui.pk, "dealer": "", "call_time": ""}
    client.post(path, {**form, "action": "send"})
    data = {**form, "action": "submit", "code": sms.last_code(PHONE), "consent_contact": "on"}
    data["consent_dealer"] = p.shanghai.pk
    with django_capture_on_commit_callbacks() as callbacks, CaptureQueriesContext(connection) as seen:
        answer = client.post(path, data)
    assert answer.status_code == 302, answer.content.decode()[:400]
    writes = [q["sql"] for q in seen.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    # the link's ambassador and campaign, the code; then the transaction: code spent, the phone's row locked, its
    # earlier leads, the address's leads in 72 h, the lead, the three scores at once, the outbox row
    assert len(writes) <= 11, "\n".join(writes)
    assert not any("points_" in sql or "notify_" in sql for sql in writes)  # nothing of the follow-ups yet
    lead = Lead.objects.get(phone_index=blind_index(PHONE))
    points_before = balance_of(world.member_a)
    assert lead.contact_due_at is not None
    assert Outbound.objects.get(lead=lead).followed_up_at is None
    for callback in callbacks:  # the commit: in tests the follow-ups run at once (a thread in the embedded server)
        callback()
    assert balance_of(world.member_a) == points_before + queries.programme().points_lead
    assert Reminder.objects.filter(dedupe_key=f"ambassadors.first_contact:{lead.pk}").exists()
    assert Outbound.objects.get(lead=lead).followed_up_at is not None
    assert services.follow_up_leads() == 0  # claimed once: the periodic pass finds nothing left
    assert balance_of(world.member_a) == points_before + queries.programme().points_lead


def test_follow_ups_left_over_are_done_by_the_periodic_pass(world):
    p = make_programme(world)
    services.send_code(PHONE, "10.0.0.1")
    lead = services.submit_lead(
        p.target,
        services.LeadForm("王先生", PHONE, "上海", p.rui.pk, None, "", sms.last_code(PHONE), True, p.shanghai.pk),
        ip="10.0.0.1",
    )
    assert balance_of(world.member_a) == 0  # the process "stopped" before its follow-ups
    assert ambassadors_sweep(clock.today())["followed_up"] == 1
    assert balance_of(world.member_a) == queries.programme().points_lead
    assert Lead.objects.get(pk=lead.pk).status == "credited"


def test_a_grouped_ranking_is_one_aggregate_over_the_scores(world, django_assert_max_num_queries):
    p = make_programme(world)
    leave_lead(p)
    leave_lead(p, "13900001111")
    for level in ("unit", "organisation", "enterprise"):
        with django_assert_max_num_queries(2):  # the aggregate, then the names of the groups shown
            rows = queries.ranking(level=level, period="year")
        assert [(r.leads, r.deals) for r in rows] == [(2, 0)]
    unit = queries.ranking(level="unit", period="all")[0]
    assert unit.key == world.branch_a.path and unit.name == world.branch_a.name
    assert queries.ranking(level="enterprise", period="all")[0].name == world.committee.name


def test_grouped_rankings_follow_an_ambassador_who_moves_unit(world):
    p = make_programme(world)
    leave_lead(p)
    assert queries.ranking(level="unit", period="all")[0].key == world.branch_a.path
    assign_membership(world.admin, world.member_a, world.branch_b, since=clock.today())
    rows = queries.ranking(level="unit", period="all")
    assert [(r.key, r.leads) for r in rows] == [(world.branch_b.path, 1)]
    assert set(Score.objects.values_list("unit_key", flat=True)) == {world.branch_b.path}
    # a lead after the move counts in the new unit too, and a rebuild agrees with the rows kept up to date
    leave_lead(p, "13900002222")
    kept = sorted(Score.objects.values_list("period", "leads", "unit_key", "org_key", "top_key"))
    services.rebuild_scores()
    assert sorted(Score.objects.values_list("period", "leads", "unit_key", "org_key", "top_key")) == kept
    assert queries.ranking(level="unit", period="all")[0].leads == 2


def test_the_rules_are_read_once_a_day_and_follow_a_change(world, django_assert_max_num_queries):
    make_programme(world)
    queries.rule("referrals.protect_days")
    with django_assert_max_num_queries(0):
        assert queries.rule("referrals.first_contact_hours") == queries.rule("referrals.first_contact_hours")
    set_rule(world.admin, world.committee, "referrals.protect_days", "45", "党委会决定", effective_from=clock.today())
    assert queries.rule("referrals.protect_days") == 45


class _NoThread:
    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        pass

    def start(self) -> None:
        pass

    def is_alive(self) -> bool:
        return True


def test_the_embedded_server_writes_new_visits_in_batches_without_losing_them(world, settings, monkeypatch):
    p = make_programme(world)
    settings.PLAZA_IN_PROCESS_SCHEDULER = True  # the embedded server: visits queued for the writer thread
    monkeypatch.setattr(visits.threading, "Thread", _NoThread)  # the test writes the queue itself
    monkeypatch.setattr(visits, "_thread", None)
    path = _landing(p)
    first = Client()
    first.get(path)
    Client().get(path)
    first.get(path)  # a returning visitor: not queued again
    assert not Visit.objects.exists() and len(visits._pending) == 2
    monkeypatch.setattr(visits, "write", lambda rows: (_ for _ in ()).throw(OSError("database is locked")))
    with pytest.raises(OSError):
        visits.flush()
    assert len(visits._pending) == 2  # a failed write keeps the visits queued
    monkeypatch.undo()
    assert visits.flush() == 2 and visits.flush() == 0
    assert queries.summary_of(p.ambassador).visitors == 2
