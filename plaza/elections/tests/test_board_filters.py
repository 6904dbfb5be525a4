"""The term board as a staff list (issue 14): search by the organisation's name, filter by the term's state,
order by time left or by name."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from plaza.elections import queries
from plaza.elections.models import Election, State, Term


def _names(page: str) -> list[str]:
    board = page.split('data-testid="terms"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<span class="title">([^<]+)</span>', board)


def test_the_term_board_searches_filters_and_sorts(world, login):  # noqa: ANN001
    client = login(world.staff)
    everyone = _names(client.get("/elections/").content.decode())
    assert {"装调车间党支部", "物流和采购党支部"} <= set(everyone)
    assert _names(client.get("/elections/?q=物流").content.decode()) == ["物流和采购党支部"]
    # no terms are recorded in this world: every organisation is "none", none is overdue
    assert set(_names(client.get("/elections/?state=none").content.decode())) == set(everyone)
    page = client.get("/elections/?state=overdue").content.decode()
    assert _names(page) == [] and "没有符合条件的党组织" in page
    by_name = _names(client.get("/elections/?sort=name").content.decode())
    assert by_name == sorted(everyone)
    assert _names(client.get("/elections/?sort=-name").content.decode()) == by_name[::-1]
    odd = client.get("/elections/", {"state": "<x>", "sort": "organisation__path"})
    assert odd.status_code == 200 and _names(odd.content.decode()) == everyone


def test_a_request_sent_just_after_midnight_china_time_counts_for_the_term_begun_that_day(world):  # noqa: ANN001
    """The 换届请示 is in when its election was created on or after the day the term began, in China: 01:00 on that
    day is 17:00 UTC the day before, which the UTC date would have put before the term."""
    started = date(2026, 3, 2)
    term = Term.objects.create(organisation=world.branch_a, started_on=started, years=3, ends_on=date(2029, 3, 1))
    election = Election.objects.create(
        organisation=world.branch_a,
        kind="committee",
        seats=5,
        planned_on=date(2029, 2, 20),
        state=State.REQUESTED,
        created_by=world.secretary_a,
    )
    just_after_midnight = timezone.make_aware(datetime.combine(started, time(1)))
    Election.objects.filter(pk=election.pk).update(created_at=just_after_midnight)
    assert queries.requested_terms([term]) == {term.pk}
    Election.objects.filter(pk=election.pk).update(created_at=just_after_midnight - timedelta(hours=2))
    assert queries.requested_terms([term]) == set()  # 23:00 the day before: before the term
