"""The union API: my membership, applying for care with a photo, my applications; a refusal by the data is a
409 with the reason, a kind the schema does not list a 422."""

from plaza.lib import clock
from plaza.union.models import CareCase

from .helpers import make_union, member, photo


def test_membership_and_care_over_the_api(world, client):
    u = make_union(world)
    client.force_login(u.worker_a)
    assert client.get("/api/v1/union/membership").json()["status"] == "none"
    refused = client.post("/api/v1/union/care", {"kind": "childbirth", "event_on": clock.today().isoformat()})
    assert refused.status_code == 409 and "工会会员" in refused.json()["detail"]
    unknown = client.post("/api/v1/union/care", {"kind": "birthday", "event_on": clock.today().isoformat()})
    assert unknown.status_code == 422  # birthdays come by themselves: not a kind one applies for
    m = member(u.worker_a, u.chair_a)
    body = client.get("/api/v1/union/membership").json()
    assert body["number"] == m.number and body["card_url"] == "/union/card/"
    created = client.post(
        "/api/v1/union/care", {"kind": "childbirth", "event_on": clock.today().isoformat(), "photo": photo()}
    )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "pending" and CareCase.objects.get().photo
    listed = client.get("/api/v1/union/care").json()
    assert [item["kind_label"] for item in listed["items"]] == ["生育慰问"]
    client.force_login(u.worker_b)
    assert client.get("/api/v1/union/care").json()["items"] == []


def test_childbirth_over_the_api_takes_the_babies_and_refuses_a_couple_twice(world, client):
    u = make_union(world)
    member(u.worker_a, u.chair_a)
    member(u.worker_b, u.chair_b)
    day = clock.today().isoformat()
    client.force_login(u.worker_a)
    created = client.post(
        "/api/v1/union/care",
        {"kind": "childbirth", "event_on": day, "children": "2", "spouse_no": "W0002", "photo": photo()},
    )
    assert created.status_code == 201 and created.json()["children"] == 2
    festival = client.post("/api/v1/union/care", {"kind": "festival", "event_on": day, "photo": photo()})
    assert festival.status_code == 422  # 节日慰问 is paid to everyone, never applied for
    client.force_login(u.worker_b)
    refused = client.post("/api/v1/union/care", {"kind": "childbirth", "event_on": day, "photo": photo()})
    assert refused.status_code == 409 and "只能由一方申请" in refused.json()["detail"]
