"""Issue 21: a stage of the board shows its first ten people and keeps the rest behind 显示其余 N 人, so a long
board is neither metres of scrolling nor a tab stop per person, and nobody is left out."""

from datetime import date

from plaza.recruitment import services
from plaza.testing.factories import PersonFactory, join

from .test_recruitment import TODAY


def test_a_long_stage_shows_ten_and_opens_the_rest(world, client):
    names = [f"申请人{i:02d}" for i in range(13)]
    for i, name in enumerate(names):
        person = PersonFactory(employee_no=f"A09{i:02d}", name=name, birth_date=date(1998, 1, 1))
        join(person, world.branch_a)
        services.open_pipeline(world.secretary_a, person, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY)
    client.force_login(world.secretary_a)
    page = client.get("/recruitment/").content.decode()
    assert all(name in page for name in names)  # nobody is left out
    shown, _, rest = page.partition('<details class="more">')
    assert "显示其余 3 人" in rest
    assert sum(name in shown for name in names) == 10 and sum(name in rest for name in names) == 3
