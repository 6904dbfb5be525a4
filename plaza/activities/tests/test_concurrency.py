"""Thirty people signing up for five places at the same moment: exactly five get one, the rest wait, and a cancel
racing new sign-ups gives the freed place to the first person waiting (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from plaza.activities import services
from plaza.activities.models import Activity, Signup, SignupState
from plaza.testing.factories import PersonFactory, join

from .helpers import make_activity


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_thirty_people_for_five_places_at_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    activity = make_activity(world, capacity=5)
    people = [PersonFactory(employee_no=f"R{n:04d}") for n in range(30)]
    for person in people:
        join(person, world.branch_a)
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def sign_up(person) -> None:  # noqa: ANN001
        try:
            barrier.wait()
            outcomes.append(services.sign_up(person, activity).state)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("confirmed") == 5 and outcomes.count("waiting") == 25
    activity.refresh_from_db()
    assert activity.taken == 5
    assert Signup.objects.filter(activity=activity, state=SignupState.CONFIRMED).count() == 5

    # Five cancel while five more sign up: the places go to the first five waiting, never beyond five.
    confirmed = list(Signup.objects.filter(activity=activity, state=SignupState.CONFIRMED).select_related("person"))
    newcomers = [PersonFactory(employee_no=f"N{n:04d}") for n in range(5)]
    for person in newcomers:
        join(person, world.branch_a)
    barrier = threading.Barrier(10)

    def cancel(signup) -> None:  # noqa: ANN001
        try:
            barrier.wait()
            services.cancel_signup(signup.person, signup)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cancel, args=(s,)) for s in confirmed]
    threads += [threading.Thread(target=sign_up, args=(p,)) for p in newcomers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Activity.objects.get(pk=activity.pk).taken == 5
    live = Signup.objects.filter(activity=activity, state=SignupState.CONFIRMED)
    assert live.count() == 5 and not live.filter(person__in=newcomers).exists()
