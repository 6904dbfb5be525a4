"""The 测评 is a secret ballot: grade rows cannot be traced to their grader by column, time or order."""

from collections import Counter

from django.db import models, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plaza.evaluation import queries, services
from plaza.evaluation.models import Grade, Group, SealedSheet, Sheet
from plaza.rules.evaluation import GRADES

from .conftest import plan

TIME_FIELDS = (models.DateTimeField, models.TimeField, models.DurationField)


def test_grade_rows_have_exactly_the_columns_of_a_ballot():
    assert {f.name for f in Grade._meta.concrete_fields} == {"id", "campaign", "gradee", "grade", "group"}
    assert [f.name for f in Grade._meta.concrete_fields if f.is_relation] == ["campaign", "gradee"]
    assert not any(isinstance(f, (*TIME_FIELDS, models.DateField)) for f in Grade._meta.concrete_fields)
    assert isinstance(Grade._meta.pk, models.UUIDField)  # a random key: no insertion sequence to line up
    assert not Grade._meta.ordering


def test_a_sheet_records_who_graded_and_the_day_only():
    assert {f.name for f in Sheet._meta.concrete_fields} == {"id", "campaign", "grader", "submitted_on"}
    assert not any(isinstance(f, TIME_FIELDS) for f in Sheet._meta.concrete_fields)
    assert {f.name for f in SealedSheet._meta.concrete_fields} == {"id", "campaign", "sealed"}  # ciphertext only
    assert isinstance(SealedSheet._meta.pk, models.UUIDField)


def _outputs(world, sheets: dict[str, dict[str, str]], order: list[str]):
    """Hand in the sheets in ``order``; return what the tally and the branch report say, then roll back."""
    with transaction.atomic():
        campaign = services.open_campaign(world.secretary_a, plan(world, invited=[world.activist_a]))
        people = {p.employee_no: p for p in (world.secretary_a, world.member_a, world.activist_a)}
        for grader in order:
            services.submit_sheet(
                people[grader], campaign, {people[no].pk: grade for no, grade in sheets[grader].items()}
            )
        services.close_campaign(world.secretary_a, campaign)
        tally = {pk: (t.member, t.other) for pk, t in queries.tally(campaign).items()}
        report = [(row.participant.person.employee_no, row.tally.cells()) for row in queries.branch_report(campaign)]
        transaction.set_rollback(True)
    return tally, report, people


GRADE = st.sampled_from(list(GRADES))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_outputs_are_counts_that_do_not_depend_on_the_order_of_sheets(world, data):
    sheets = {
        "A0001": {"A0002": data.draw(GRADE)},
        "A0002": {"A0001": data.draw(GRADE)},
        "A0003": {"A0001": data.draw(GRADE), "A0002": data.draw(GRADE)},
    }  # invited 群众
    first = data.draw(st.permutations(sorted(sheets)))
    second = data.draw(st.permutations(sorted(sheets)))
    tally, report, people = _outputs(world, sheets, first)
    assert (tally, report) == _outputs(world, sheets, second)[:2]
    for gradee in ("A0001", "A0002"):
        member = Counter(s[gradee] for no, s in sheets.items() if gradee in s and no != "A0003")
        other = Counter(s[gradee] for no, s in sheets.items() if gradee in s and no == "A0003")
        assert tally[people[gradee].pk] == ({g: member[g] for g in GRADES}, {g: other[g] for g in GRADES})
        assert all(isinstance(n, int) for counts in tally[people[gradee].pk] for n in counts.values())
    assert [no for no, _cells in report] == ["A0001", "A0002"]  # by employee number, never by handing in


def test_the_group_separates_members_from_others(world):
    campaign = services.open_campaign(world.secretary_a, plan(world, invited=[world.activist_a]))
    services.submit_sheet(
        world.activist_a, campaign, {world.secretary_a.pk: "qualified", world.member_a.pk: "qualified"}
    )
    services.close_campaign(world.secretary_a, campaign)
    assert set(Grade.objects.filter(campaign=campaign).values_list("group", flat=True)) == {Group.OTHER}
