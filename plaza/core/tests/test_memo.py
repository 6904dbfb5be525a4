"""Per-request memos on the person object (``plaza.lib.memo``): one query per fact per request, and a change of
positions forgets every fact worked out from them, not only some."""

from plaza.lib import memo
from plaza.orgs.permissions import Cap, Scope, forget_scopes
from plaza.points.queries import runs_whole_mall


def test_a_fact_is_worked_out_once_per_person_object():
    class Person:
        pass

    person, calls = Person(), []
    assert memo.remembered(person, "answer", lambda: calls.append(1) or 42) == 42
    assert memo.remembered(person, "answer", lambda: calls.append(1) or 0) == 42
    assert calls == [1]
    assert memo.remembered(Person(), "answer", lambda: 7) == 7  # another object, its own answer
    assert memo.remembered(None, "answer", lambda: 7) == 7  # nothing to keep it on: asked each time


def test_forgetting_after_a_position_change_drops_every_derived_fact(world, django_assert_num_queries):
    staff = world.staff
    Scope.of(staff, Cap.POINTS)
    runs_whole_mall(staff)
    with django_assert_num_queries(0):
        Scope.of(staff, Cap.POINTS)
        runs_whole_mall(staff)
    forget_scopes(staff)
    assert not [key for key in staff.__dict__ if key.startswith("_plaza_memo:")]
    memo.remembered(staff, "other", lambda: 1)
    staff.__dict__["unrelated"] = 1
    memo.forget(staff)
    assert staff.__dict__["unrelated"] == 1
