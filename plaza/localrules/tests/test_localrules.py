"""本单位规定: the nearest organisation's value wins, the default applies without one; only 组织部 staff over
the organisation set it, with a note, audited; everyone reads what applies to them."""

from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plaza.audit.models import AuditEntry
from plaza.localrules import services
from plaza.localrules.models import LocalRule

LETTER = "transfers.letter_valid_months"


def test_the_nearest_organisation_wins_and_the_default_applies_without_one(world):
    assert services.value(world.group_a1, LETTER) == 3 and services.explain(world.group_a1, LETTER).is_default
    services.set_rule(world.staff, world.committee, LETTER, "4", "党委会议决定")
    services.set_rule(world.staff, world.branch_a, LETTER, "2", "支部委员会决定")
    assert services.value(world.group_a1, LETTER) == 2  # the group inherits from its branch, not the committee
    assert services.value(world.branch_b, LETTER) == 4  # branch B has none of its own: the committee's
    assert services.value(None, LETTER) == 3
    found = services.explain(world.group_a1, LETTER)
    assert found.set_on == world.branch_a and found.note == "支部委员会决定" and found.shown == "2"
    bulk = services.values(LETTER, [world.group_a1, world.branch_b, world.committee])
    assert bulk == {world.group_a1.pk: 2, world.branch_b.pk: 4, world.committee.pk: 4}


def test_a_deployment_may_change_the_default_for_everyone(world, settings):
    settings.PLAZA_LOCAL_RULES = {"evaluation.excellent_share": "30%"}
    assert services.value(world.branch_a, "evaluation.excellent_share") == Fraction(3, 10)


def test_values_out_of_range_or_without_a_note_are_refused_and_nothing_changes(world):
    with pytest.raises(ValidationError, match="应在 1 到 6 个月之间"):
        services.set_rule(world.staff, world.branch_a, LETTER, "12", "太长")
    with pytest.raises(ValidationError, match="请输入一个数"):
        services.set_rule(world.staff, world.branch_a, LETTER, "三个月", "写成了汉字")
    with pytest.raises(ValidationError, match="依据"):
        services.set_rule(world.staff, world.branch_a, LETTER, "2", "   ")
    with pytest.raises(ValidationError, match="不超过|1/10 到 1/2"):
        services.set_rule(world.staff, world.branch_a, "evaluation.excellent_share", "2/3", "太多")
    assert not LocalRule.objects.exists()


def test_only_staff_over_the_organisation_set_it(world):
    with pytest.raises(PermissionDenied):
        services.set_rule(world.secretary_a, world.branch_a, LETTER, "2", "书记不能改规定")
    with pytest.raises(PermissionDenied):
        services.set_rule(world.member_a, world.branch_a, LETTER, "2", "党员更不能")
    assert not LocalRule.objects.exists()


def test_changes_are_audited_and_clearing_inherits_again(world):
    services.set_rule(world.staff, world.committee, LETTER, "4", "党委会议决定")
    services.set_rule(world.staff, world.branch_a, LETTER, "2", "支部委员会决定")
    services.set_rule(world.staff, world.branch_a, LETTER, "5", "改为五个月")
    assert LocalRule.objects.get(organisation=world.branch_a).value == "5"  # changed in place, one row
    now = services.clear_rule(world.staff, world.branch_a, LETTER)
    assert now.value == 4 and now.set_on == world.committee
    with pytest.raises(ValidationError, match="无需恢复"):
        services.clear_rule(world.staff, world.branch_a, LETTER)
    trail = AuditEntry.objects.filter(object_id=str(world.branch_a.pk), action__startswith="localrules.").order_by("id")
    assert [(e.action, e.before[LETTER], e.after[LETTER]) for e in trail] == [
        ("localrules.set", "4", "2"),
        ("localrules.set", "2", "5"),
        ("localrules.clear", "5", "4"),
    ]
    assert trail[0].reason == "支部委员会决定"


def test_everyone_reads_what_applies_to_them(client, world):
    services.set_rule(world.staff, world.branch_a, LETTER, "2", "支部委员会决定")
    client.force_login(world.member_a)
    page = client.get("/local-rules/").content.decode()
    assert 'data-testid="value-transfers.letter_valid_months">2 个月' in page and "支部委员会决定" in page
    assert 'data-testid="value-dues.farmer_monthly">0.20 元/月' in page and "默认值" in page
    assert 'data-testid="organisations"' not in page  # not staff: nothing to manage
    assert client.get(f"/local-rules/{world.branch_a.pk}/").status_code == 403
    client.force_login(world.member_b)
    page = client.get("/local-rules/").content.decode()
    assert 'data-testid="value-transfers.letter_valid_months">3 个月' in page  # branch B: the default


def test_general_branch_staff_find_their_own_organisations(client, world):
    from plaza.testing.factories import PersonFactory, Title, appoint, join

    staff = PersonFactory(employee_no="S0100", name="钱总支")
    join(staff, world.general_branch)
    appoint(staff, world.general_branch, Title.ORG_DEPT_STAFF)
    client.force_login(staff)
    page = client.get("/local-rules/").content.decode()
    assert f"/local-rules/{world.general_branch.pk}/" in page and f"/local-rules/{world.branch_a.pk}/" in page
    assert f"/local-rules/{world.committee.pk}/" not in page  # above their scope
    assert client.get(f"/local-rules/{world.committee.pk}/").status_code == 404
    assert client.get(f"/local-rules/{world.branch_b.pk}/").status_code == 404  # not under their 总支


def test_staff_set_and_restore_on_the_organisations_page(client, world):
    client.force_login(world.staff)
    found = client.get("/local-rules/?q=装调").content.decode()
    assert f"/local-rules/{world.branch_a.pk}/" in found
    url = f"/local-rules/{world.branch_a.pk}/"
    page = client.get(url).content.decode()
    assert "data-confirm" not in page  # nothing of its own to restore yet
    answer = client.post(f"{url}{LETTER}/", {f"{LETTER}-value": "9", f"{LETTER}-note": "试试"}, follow=True)
    assert "应在 1 到 6 个月之间" in answer.content.decode() and not LocalRule.objects.exists()
    client.post(f"{url}{LETTER}/", {f"{LETTER}-value": "2", f"{LETTER}-note": "支部委员会决定"})
    page = client.get(url).content.decode()
    assert 'data-testid="value-transfers.letter_valid_months">2 个月' in page and "data-confirm" in page
    assert (
        'data-testid="history"' in page and "组织关系介绍信有效期：3 个月 → 2 个月" in page and "支部委员会决定" in page
    )
    client.post(f"{url}{LETTER}/clear/")
    assert services.explain(world.branch_a, LETTER).is_default  # kept as history: "none of its own from today"
    assert list(LocalRule.objects.values_list("value", flat=True)) == [""]
    assert client.post(f"{url}no.such.rule/", {}).status_code == 404


def test_a_new_value_applies_from_its_day_and_the_days_before_keep_theirs(world):
    """Issue 20 item 2: a setting has a history (value, from when, decided by whom, note); a procedure reads
    the value in force on the day it concerns."""
    from datetime import date, timedelta

    from plaza.lib import clock

    today = clock.today()
    services.set_rule(world.staff, world.committee, LETTER, "4", "党委会议决定", decided_by="党委会议")
    services.set_rule(
        world.staff, world.committee, LETTER, "6", "明年起改为半年", effective_from=today + timedelta(days=30)
    )
    assert services.value(world.branch_a, LETTER, on=today - timedelta(days=1)) == 3  # before: the default
    assert services.value(world.branch_a, LETTER, on=today) == 4  # on its day
    assert services.value(world.branch_a, LETTER, on=today + timedelta(days=29)) == 4
    assert services.value(world.branch_a, LETTER, on=today + timedelta(days=30)) == 6
    assert services.values(LETTER, [world.branch_b], on=today + timedelta(days=30)) == {world.branch_b.pk: 6}
    found = services.explain(world.branch_a, LETTER)
    assert (found.effective_from, found.decided_by, found.note) == (today, "党委会议", "党委会议决定")
    with pytest.raises(ValidationError, match="生效日期不能早于今天"):
        services.set_rule(world.staff, world.committee, LETTER, "2", "补记", effective_from=today - timedelta(days=1))
    history = services.history(world.committee)
    assert [(h["value"], h["upcoming"]) for h in history] == [("6 个月", True), ("4 个月", False)]
    # a decision older than Plaza can be recorded by code (the demo, an import), never by people
    services.set_rule(
        world.staff, world.committee, LETTER, "1", "2020 年党委文件", effective_from=date(2020, 1, 1), backdate=True
    )
    assert services.value(world.branch_a, LETTER, on=date(2020, 1, 1)) == 1
    assert services.value(world.branch_a, LETTER, on=date(2019, 12, 31)) == 3


def test_clearing_from_a_day_keeps_the_value_before_it(world):
    from datetime import date

    services.set_rule(
        world.staff, world.branch_a, LETTER, "2", "支部决定", effective_from=date(2024, 1, 1), backdate=True
    )
    services.clear_rule(world.staff, world.branch_a, LETTER)
    assert services.value(world.branch_a, LETTER) == 3
    assert services.value(world.branch_a, LETTER, on=date(2024, 6, 1)) == 2


def test_members_see_a_decision_before_it_comes_into_force(client, world):
    from datetime import timedelta

    from plaza.lib import clock

    day = clock.today() + timedelta(days=10)
    services.set_rule(world.staff, world.committee, LETTER, "5", "明年起改为五个月", effective_from=day)
    client.force_login(world.member_a)
    page = client.get("/local-rules/").content.decode()
    assert 'data-testid="value-transfers.letter_valid_months">3 个月' in page  # today: still the default
    assert 'data-testid="upcoming"' in page and "组织关系介绍信有效期：5 个月" in page
    assert f"自 {day.year}年{day.month}月{day.day}日 起，上汽通用汽车党委 规定" in page
