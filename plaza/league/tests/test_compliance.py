"""团组织生活 compliance (``rules.meetings.league_missing``): each 团支部's missing 三会两制一课 periods, worst first,
with Excel; the 团费 list searched by name or 工号."""

from datetime import date, datetime, timedelta
from io import BytesIO

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from plaza.audit.models import AuditEntry
from plaza.league import queries
from plaza.meetings.models import Meeting

TODAY = date(2026, 7, 15)


def _meeting(org, kind, day, planner, status="planned"):
    at = timezone.make_aware(datetime(day.year, day.month, day.day, 14, 30))
    return Meeting.objects.create(
        organisation=org,
        kind=kind,
        topic="团组织生活",
        starts_at=at,
        ends_at=at + timedelta(hours=1),
        planned_by=planner,
        status=status,
    )


def test_each_branch_lists_the_periods_without_their_meeting(youth):
    a, b = youth.branch_a, youth.branch_b
    for month in range(1, 7):  # branch A: a committee meeting every month, the rest missing
        _meeting(a, "league_committee", date(2026, month, 10), youth.secretary_a)
    _meeting(a, "league_meeting", date(2026, 2, 1), youth.secretary_a)
    _meeting(a, "league_meeting", date(2026, 5, 1), youth.secretary_a, status="cancelled")  # does not count
    _meeting(b, "league_lecture", date(2026, 3, 3), youth.secretary_b)
    rows = queries.compliance(youth.committee_secretary, 2026, today=TODAY)
    by_name = {r.branch.name: r for r in rows}
    gaps_a = {(g.kind, g.first) for g in by_name[a.name].gaps}
    assert ("league_meeting", date(2026, 4, 1)) in gaps_a and ("league_meeting", date(2026, 1, 1)) not in gaps_a
    assert not any(kind == "league_committee" for kind, _ in gaps_a)
    assert ("league_lecture", date(2026, 1, 1)) in gaps_a
    assert not any(kind == "league_life" for kind, _ in gaps_a)  # the year is not over
    assert len(by_name[b.name].gaps) > len(by_name[a.name].gaps) and rows[0].branch == b  # worst first
    assert by_name[a.name].held == 7
    assert {g.label for g in by_name[b.name].gaps} >= {"团员大会", "团支部委员会", "团课"}
    # a branch secretary sees their own branch only
    assert [r.branch for r in queries.compliance(youth.secretary_a, 2026, today=TODAY)] == [a]


def test_compliance_page_and_export(youth, client, settings):
    client.force_login(youth.committee_secretary)
    page = client.get(reverse("league:compliance") + "?year=2025").content.decode()
    assert 'data-testid="compliance"' in page and youth.branch_a.name in page and "缺" in page
    # grouped by kind with short period names (QA: a year of gaps was one unreadable run of dates)
    assert "团支部委员会：1月、2月、3月" in page and "；团课：第1季度、第2季度" in page
    response = client.get(reverse("league:compliance") + "?year=2025&export=1")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[0][:2] == ("团支部", "缺少的会议")
    assert sum(1 for row in values[1:] if row[0] == youth.branch_a.name) == 21  # a whole year without meetings
    # audited under its own label, not as the roster export
    entry = AuditEntry.objects.filter(actor=youth.committee_secretary).latest("pk")
    assert entry.action == "league.compliance_export" and entry.after == {"year": 2025}
    assert client.get(reverse("league:office")).content.decode().count(reverse("league:compliance")) == 1
    client.force_login(youth.young)
    assert client.get(reverse("league:compliance")).status_code == 403


def test_dues_list_searches_by_name_or_employee_number(youth, client):
    client.force_login(youth.committee_secretary)
    url = reverse("league:dues")
    page = client.get(url + "?q=吴").content.decode()
    assert youth.young.name in page and youth.member_b.name not in page
    page = client.get(url + f"?q={youth.member_b.employee_no}").content.decode()
    assert youth.member_b.name in page and youth.young.name not in page
    assert 'data-testid="no-match"' in client.get(url + "?q=不存在的人").content.decode()
