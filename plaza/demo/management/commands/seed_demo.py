"""``manage.py seed_demo``: load a believable enterprise (上汽通用汽车党委) of any size.

The default (2,000 people, 60 branches) is the demo that ``scripts/start.sh`` loads once; the
benchmarks load 200,000 people and 5,000 branches with the same command.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from plaza.accounts.models import Person
from plaza.activities.demo import seed_demo_activities
from plaza.ambassadors.demo import seed_demo_ambassadors
from plaza.assistant.demo import seed_demo_examples, seed_demo_knowledge
from plaza.demo.accounts import DEMO_LOGINS, DEMO_PASSWORD
from plaza.demo.branch_life import seed_demo_branch_life, seed_demo_terms
from plaza.demo.enterprise import MIN_PEOPLE_PER_BRANCH, plan_enterprise
from plaza.demo.learn_and_serve import seed_demo_learn_and_serve
from plaza.demo.services import demo_data_exists, seed_demo_inbox, seed_demo_recruitment, write_enterprise
from plaza.league.demo import seed_demo_league
from plaza.lib import clock
from plaza.localrules.demo import seed_demo_local_rules
from plaza.quiz.demo import seed_demo_quiz
from plaza.retreats.demo import seed_demo_retreats
from plaza.space.demo import seed_demo_space
from plaza.studios.demo import seed_demo_studios
from plaza.union.demo import seed_demo_union
from plaza.vanguard.demo import seed_demo_vanguard
from plaza.voice.demo import seed_demo_voice

DEFAULT_BRANCHES = 60


class Command(BaseCommand):
    help = _("生成演示企业（上汽通用汽车党委）：组织树、人员、组织关系、职务和政治面貌变更记录。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=2000, help=_("员工人数（默认 2000）"))
        parser.add_argument(
            "--branches",
            type=int,
            default=DEFAULT_BRANCHES,
            help=_("党支部数量（默认 60；人数不够时按人数减少）"),
        )
        parser.add_argument("--seed", type=int, default=1, help=_("随机种子：相同的种子生成相同的数据"))
        parser.add_argument(
            "--if-empty", action="store_true", help=_("已有任何组织时什么也不做（重复运行启动脚本时保留数据）")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        people, branches = options["people"], options["branches"]
        if demo_data_exists():
            if options["if_empty"]:
                self.stdout.write(_("已有组织数据，跳过演示数据生成。"))
                return
            raise CommandError(
                _("数据库中已有组织数据。演示数据只能载入空数据库；如需重建，请先清空数据库（manage.py flush）再运行。")
            )
        if branches < 2:
            raise CommandError(_("党支部数量至少为 2。"))
        fitting = people // MIN_PEOPLE_PER_BRANCH
        if branches > fitting >= 2:  # a small demo: fewer branches rather than a refusal
            self.stdout.write(
                _("%(people)d 人只够 %(fit)d 个党支部（每个支部至少 %(n)d 人），按 %(fit)d 个党支部生成。")
                % {"people": people, "fit": fitting, "n": MIN_PEOPLE_PER_BRANCH}
            )
            branches = fitting
        if people < branches * MIN_PEOPLE_PER_BRANCH:
            raise CommandError(
                _(
                    "人数太少：每个党支部至少需要 %(n)d 人（支委、党小组长和普通员工），"
                    "%(branches)d 个支部至少需要 %(people)d 人。"
                )
                % {"n": MIN_PEOPLE_PER_BRANCH, "branches": branches, "people": branches * MIN_PEOPLE_PER_BRANCH}
            )
        taken = Person.objects.filter(employee_no__in=[no for no, *_ in DEMO_LOGINS]).values_list(
            "employee_no", flat=True
        )
        if taken:
            raise CommandError(
                _("工号 %(numbers)s 已被占用，演示账号无法创建。请先清空数据库。")
                % {"numbers": "、".join(sorted(taken))}
            )

        started = time.perf_counter()
        self.stdout.write(
            _("正在规划演示企业：%(people)d 人，%(branches)d 个党支部，种子 %(seed)d …")
            % {"people": people, "branches": branches, "seed": options["seed"]}
        )
        plan = plan_enterprise(people=people, branches=branches, seed=options["seed"], today=clock.today())
        self.stdout.write(_("规划完成（%(secs).1f 秒），开始写入数据库。") % {"secs": time.perf_counter() - started})

        step = max(len(plan.people) // 10, 1)
        next_report = [step]

        def progress(done: int, total: int, seconds: float) -> None:
            if done >= next_report[0] or (done == total and next_report[0] - step < total):
                next_report[0] = done + step
                self.stdout.write(
                    _("  人员 %(done)d/%(total)d，%(rate).0f 人/秒")
                    % {"done": done, "total": total, "rate": done / max(seconds, 1e-6)}
                )

        counts = write_enterprise(plan, progress)
        seed_demo_inbox()
        seed_demo_recruitment()
        seed_demo_local_rules()
        seed_demo_branch_life(seed=options["seed"])
        seed_demo_terms(seed=options["seed"])
        seed_demo_learn_and_serve(seed=options["seed"])
        seed_demo_knowledge()
        seed_demo_examples()
        seed_demo_quiz(seed=options["seed"])
        seed_demo_voice(seed=options["seed"])
        seed_demo_space(seed=options["seed"])
        seed_demo_activities(seed=options["seed"])
        seed_demo_ambassadors(seed=options["seed"])
        seed_demo_union(seed=options["seed"])
        seed_demo_league(seed=options["seed"])
        seed_demo_vanguard(seed=options["seed"])
        seed_demo_studios(seed=options["seed"])
        seed_demo_retreats(seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "演示企业已生成：%(orgs)d 个组织，%(people)d 人，%(memberships)d 条组织关系，%(positions)d 个职务，"
                    "%(changes)d 条政治面貌变更记录；用时 %(secs).1f 秒。"
                )
                % {
                    "orgs": counts.organisations,
                    "people": counts.people,
                    "memberships": counts.memberships,
                    "positions": counts.positions,
                    "changes": counts.status_changes,
                    "secs": time.perf_counter() - started,
                }
            )
        )
        self.stdout.write(_("演示账号（密码均为 %(password)s）：") % {"password": DEMO_PASSWORD})
        for employee_no, role, description in DEMO_LOGINS:
            self.stdout.write(f"  {employee_no:<8} {role}  {description}")
