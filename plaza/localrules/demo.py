"""The demo enterprise's 本单位规定: the 党委's 组织部 has set two values of its own, as an enterprise does in
its implementing rules; everything else keeps the rulebook's default. Seeded before the branches' meetings
and terms so the demo's records follow them."""

from __future__ import annotations

from datetime import date

from plaza.accounts.models import Person
from plaza.orgs.models import Organisation, Tree

from .services import set_rule

DECIDED_ON = date(2015, 1, 1)
DEMO_RULES = [
    ("meetings.makeup_days", "15", "党委会议决定：请假或缺席组织生活的党员须在 15 天内补学"),
    ("elections.request_months_before", "3", "党委要求各基层党组织在任期届满前 3 个月报送换届请示"),
]


def seed_demo_local_rules() -> int:
    staff = Person.objects.filter(employee_no="zzb001").first()
    committee = Organisation.objects.filter(tree=Tree.PARTY, depth=1).order_by("path").first()
    if staff is None or committee is None:
        return 0
    for key, value, note in DEMO_RULES:  # decided before the demo's records begin: they follow it throughout
        set_rule(staff, committee, key, value, note, effective_from=DECIDED_ON, decided_by="党委会议", backdate=True)
    return len(DEMO_RULES)
