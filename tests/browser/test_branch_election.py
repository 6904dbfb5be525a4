"""Issue 5 in a real browser: a whole branch election on phones — three voters, a tie, a run-off — and a paper
count entered by two tellers that must agree."""

from __future__ import annotations

import re

from plaza.accounts.models import PoliticalStatus
from plaza.elections.models import Election
from plaza.testing.factories import PersonFactory, join


def _post_button(page, text: str) -> None:  # noqa: ANN001
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"button:has-text('{text}')")
    page.wait_for_load_state()


def _vote(phone, election_id: int, code: str, yes: list[str]) -> str:  # noqa: ANN001
    phone.goto("/elections/mine/")
    phone.goto(f"/elections/{election_id}/vote/")
    phone.fill("input[name=code]", code)
    for row in phone.locator("[data-testid=ballot] li").all():
        name = row.locator("b").inner_text()
        row.locator(f"input[value={'yes' if name in yes else 'abstain'}]").check()
    _post_button(phone, "提交选票")
    return phone.locator("[data-testid=receipt] b").inner_text()


def test_branch_election_with_a_tie_and_a_run_off_then_a_paper_count(phone, world):
    members = []
    for number, name in (("B0031", "丁一"), ("B0032", "王五")):
        person = PersonFactory(employee_no=number, name=name, political_status=PoliticalStatus.FULL_MEMBER)
        join(person, world.branch_b)
        members.append(person)
    secretary, staff = phone(world.secretary_b), phone(world.staff)
    voters = [secretary, phone(members[0]), phone(members[1])]  # 李红梅 is probationary: no vote

    secretary.goto("/elections/")
    secretary.locator("[data-testid=terms] li", has_text="物流和采购党支部").locator("text=新建选举").click()
    secretary.fill("input[name=seats]", "2")
    secretary.fill("input[name=planned_on]", "2026-06-01")
    secretary.click("button[type=submit]")
    secretary.wait_for_url(re.compile(r"/elections/\d+/$"))
    election_id = Election.objects.get().pk
    for number in ("B0001", "B0031", "B0032"):
        secretary.fill("input[name=employee_no]", number)
        secretary.click("button:has-text('提名')")
        secretary.wait_for_load_state()
    assert secretary.locator("[data-testid=candidates] li").all_inner_texts()[0].startswith("丁一")  # strokes
    secretary.fill("textarea[name=text]", "物流和采购党支部委员会任期届满，拟于6月1日召开党员大会换届选举。")
    secretary.click("button:has-text('报上级党组织')")
    staff.goto(f"/elections/{election_id}/")
    staff.click("button[value=approve]")
    staff.wait_for_selector("[data-testid=state] >> text=已批复")

    secretary.reload()
    _post_button(secretary, "开始投票")
    code = secretary.locator("[data-testid=code]").inner_text()
    choices = [["丁一", "王五"], ["王五", "位正友"], ["丁一", "位正友"]]  # 2 : 2 : 2, all above half of 3
    receipts = [_vote(v, election_id, code, yes) for v, yes in zip(voters, choices, strict=True)]
    secretary.goto(f"/elections/{election_id}/")
    assert "已投票 3 人" in secretary.locator("[data-testid=voted]").inner_text()
    _post_button(secretary, "结束投票并计票")
    assert "再次投票" in secretary.locator("[data-testid=result]").inner_text()

    runoff = Election.objects.get(parent_id=election_id)
    secretary.goto(f"/elections/{runoff.pk}/")
    _post_button(secretary, "开始投票")
    runoff_code = secretary.locator("[data-testid=code]").inner_text()
    for voter in voters:
        _vote(voter, runoff.pk, runoff_code, ["丁一", "王五"])
    secretary.goto(f"/elections/{runoff.pk}/")  # the secretary voted too: back from the receipt
    _post_button(secretary, "结束投票并计票")
    secretary.goto(f"/elections/{election_id}/")
    assert "丁一、王五" in secretary.locator("[data-testid=elected]").inner_text()
    voters[1].goto(f"/elections/{election_id}/receipts/?q={receipts[1]}")
    assert "已计入" in voters[1].locator("[data-testid=check]").inner_text()

    # Paper: the next election's ballots are counted by two tellers; a disagreement holds the result.
    secretary.goto(f"/elections/org/{world.branch_b.pk}/new/")
    secretary.select_option("select[name=kind]", "secretary")
    secretary.fill("input[name=seats]", "1")
    secretary.fill("input[name=planned_on]", "2026-06-01")
    secretary.select_option("select[name=mode]", "paper")
    secretary.click("button[type=submit]")
    secretary.wait_for_url(re.compile(r"/elections/\d+/$"))
    paper = Election.objects.filter(mode="paper").get()
    secretary.fill("input[name=employee_no]", "B0001")
    secretary.click("button:has-text('提名')")
    secretary.wait_for_load_state()
    secretary.fill("input[name=tellers]", "B0031 B0032")
    _post_button(secretary, "开始投票")
    _post_button(secretary, "结束投票并计票")
    # the 书记 is elected by the committee: here only 位正友 is on it, so one ballot is cast
    for teller, votes in ((voters[1], "1"), (voters[2], "0"), (voters[2], "1")):
        teller.goto(f"/elections/{paper.pk}/count/")
        teller.fill("input[name=returned]", "1")
        teller.fill("input[name=votes_0]", votes)
        teller.click("button[type=submit]")
        teller.wait_for_selector(".messages")
        if teller is voters[2] and votes == "0":
            assert "不一致" in teller.locator(".messages").inner_text()
    paper.refresh_from_db()
    assert paper.result["elected"] == ["位正友"]
