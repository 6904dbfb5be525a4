"""Code says which step it means by name (plaza.rules.recruitment.Step), not by a bare number (issue 13)."""

from __future__ import annotations

import pathlib
import re

from plaza.recruitment import services
from plaza.rules.recruitment import Step

PLAZA = pathlib.Path(__file__).resolve().parents[2]
#: comparisons and lookups of a step by number: ``step == 15``, ``last_step >= 17``, ``15 in done``,
#: ``done[3]``, ``filter(step=17)``, ``{10: …}``
BARE = re.compile(
    r"(step|last_step|number)\w*\s*(==|!=|>=|<=|<|>)\s*[0-9]{1,2}\b"
    r"|\b(step|last_step)(__\w+)?=[0-9]{1,2}\b"
    r"|\b[0-9]{1,2} (not )?in (done|steps)\b"
    r"|done(_dates\(\w+\))?(\[|\.get\()[0-9]{1,2}\b"
    r"|\b(step|number)\w* (not )?in [({]([0-9]{1,2}, )+[0-9]{1,2}[)}]"
)


def test_no_bare_step_numbers_outside_the_rules_table():
    found = []
    for path in PLAZA.rglob("*.py"):
        parts = path.relative_to(PLAZA).parts
        if "tests" in parts or "migrations" in parts or parts[0] in {"rules", "demo"} and path.name != "services.py":
            continue
        if parts[0] not in {"recruitment", "handbook", "orgs", "core", "assistant", "demo"}:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if BARE.search(code) and "CheckConstraint" not in code:
                found.append(f"{path.relative_to(PLAZA.parent)}:{number}: {line.strip()}")
    assert found == []


def test_the_services_step_sets_are_named_steps():
    assert Step.ADMISSION_APPROVAL in services.COMMITTEE_STEPS and Step.APPLICATION in services.SELF_STEPS
    assert services.VOTE_STEPS == {Step.ADMISSION_VOTE, Step.CONVERSION_VOTE} == {15, 23}
    assert all(isinstance(step, Step) for step in services.COMMITTEE_STEPS | services.SELF_STEPS)
