"""The election pages as the secretary, the upper committee, a voter and an outsider see them."""

import re

from plaza.elections import services
from plaza.elections.models import Ballot, Election, State

from .conftest import TODAY
from .test_elections import _approved


def test_from_creation_to_request_through_the_pages(client, world, voters):
    client.force_login(world.secretary_a)
    assert "装调车间党支部" in client.get("/elections/").content.decode()
    response = client.post(
        f"/elections/org/{world.branch_a.pk}/new/",
        {"kind": "committee", "seats": "2", "planned_on": TODAY.isoformat(), "mode": "phone"},
    )
    election = Election.objects.get()
    assert response.status_code == 302
    for number in ("A0031", "A0032"):
        client.post(f"/elections/{election.pk}/nominate/", {"employee_no": number})
    page = client.get(f"/elections/{election.pk}/").content.decode()
    assert "至少 3 名" in page and page.index("丁一") < page.index("王五")  # stroke order
    client.post(f"/elections/{election.pk}/nominate/", {"employee_no": "A0033"})
    client.post(f"/elections/{election.pk}/request/", {"text": "支部委员会任期届满，拟换届。"})
    assert Election.objects.get().state == State.REQUESTED
    assert client.get(f"/elections/{election.pk}/request.pdf").content.startswith(b"%PDF")
    client.force_login(world.staff)
    assert "装调车间党支部" in client.get("/elections/").content.decode()  # waiting for the upper committee
    client.post(f"/elections/{election.pk}/decide/", {"decision": "approve", "comment": "同意"})
    assert Election.objects.get().state == State.APPROVED


def test_voting_on_the_phone_and_checking_the_receipt(client, world, voters):
    election = services.open_voting(world.secretary_a, _approved(world, voters))
    ids = {c.person.name: c.pk for c in election.candidates.select_related("person")}
    client.force_login(voters[2])
    assert "投票" in client.get("/elections/mine/").content.decode()
    wrong = client.post(f"/elections/{election.pk}/vote/", {"code": "x", f"c{ids['丁一']}": "yes", "write_in": "陈晓"})
    page = wrong.content.decode()
    assert wrong.status_code == 400 and "投票码不正确" in page
    assert f'name="c{ids["丁一"]}" value="yes" checked' in page and 'value="陈晓"' in page  # nothing typed is lost
    long = client.post(
        f"/elections/{election.pk}/vote/", {"code": election.code, "write_in": "长" * 5000, f"c{ids['丁一']}": "yes"}
    )
    assert long.status_code == 400 and "另选他人的姓名不能超过 64 个字" in long.content.decode()
    done = client.post(
        f"/elections/{election.pk}/vote/",
        {"code": election.code, f"c{ids['丁一']}": "yes", f"c{ids['王五']}": "against"},
    )
    receipt = re.search(r'data-testid="receipt".*?<b>(\w+)</b>', done.content.decode(), re.S).group(1)
    assert not Ballot.objects.exists()  # sealed until the vote closes
    assert client.get(f"/elections/{election.pk}/receipts/").status_code == 404  # not before closing
    services.close_voting(world.secretary_a, election)
    assert Ballot.objects.get().receipt == receipt
    page = client.get(f"/elections/{election.pk}/receipts/", {"q": f" {receipt[:4]}-{receipt[4:]} "}).content.decode()
    assert "您的选票已计入" in page and "共 1 张选票，投票 1 人" in page
    client.force_login(world.secretary_b)
    assert client.get(f"/elections/{election.pk}/").status_code == 404
    assert client.get(f"/elections/{election.pk}/vote/").status_code == 404


def test_paper_ballots_print_and_tellers_enter_counts(client, world, voters):
    election = _approved(world, voters, mode="paper")
    client.force_login(world.secretary_a)
    assert client.get(f"/elections/{election.pk}/ballots.pdf").content.startswith(b"%PDF")
    services.open_voting(world.secretary_a, election, tellers=[voters[4], voters[5]])
    services.close_voting(world.secretary_a, election)
    form = {"returned": "6", "invalid": "0", "votes_0": "5", "votes_1": "4", "votes_2": "2"}
    client.force_login(voters[4])
    client.post(f"/elections/{election.pk}/count/", form)
    client.force_login(voters[5])
    client.post(f"/elections/{election.pk}/count/", form)
    election.refresh_from_db()
    assert election.state == State.CLOSED and election.result["elected"] == ["丁一", "王五"]
    client.force_login(voters[0])
    assert client.get(f"/elections/{election.pk}/count/").status_code == 404
