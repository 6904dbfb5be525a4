"""Issue 18, QA pass: every union page at 360 × 740 as the union chair, a member and 组织部 staff (read-only).
The browser fixtures check each visited page for sideways scrolling and accessibility; this test adds that no
English word shows on these Chinese pages, and that a refused form says why."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from django.urls import reverse

from plaza.lib import clock
from plaza.union import services
from plaza.union.models import Kind, Provision
from plaza.union.tests.helpers import make_union, member, photo

#: Words that may stay Latin on a Chinese page: names of formats and of Plaza itself.
ALLOWED = {"Plaza", "Excel", "PDF", "JPG", "JPEG", "PNG", "QR", "MB"}


def _english(page) -> list[str]:  # noqa: ANN001
    text = page.inner_text("main")
    return sorted({w for w in re.findall(r"[A-Za-z][A-Za-z_]{2,}", text) if w not in ALLOWED})


def test_every_union_page_at_phone_width(phone, world, settings):
    settings.PLAZA_ORG_DEPT_SEES_MASS_TREES = True
    reverse("union:index")
    u = make_union(world)
    Provision.objects.create(
        organisation=u.top,
        kind=Kind.FESTIVAL,
        amount=Decimal("2000"),
        measure="《工会会员福利待遇》",
        article="二、节日慰问",
    )
    Provision.objects.create(
        organisation=u.top,
        kind=Kind.WARMTH,
        amount=Decimal("1000"),
        goods="米、油",
        measure="《困难职工帮扶补助办法》",
        article="二（三）节日送温暖",
    )
    member(u.worker_a, u.chair_a)
    case = services.apply_for_care(u.worker_a, Kind.CHILDBIRTH, clock.today() - timedelta(days=3), photo=photo())
    file = services.open_hardship_file(
        u.chair_a, u.worker_a, family_size=3, family_income="4500", causes=["illness"], circumstances="因病"
    )
    application = services.apply_for_help(u.worker_a, Kind.TEMPORARY, "3000", reason="住院")
    member_id = u.worker_a.union_members.get().pk

    chair = phone(u.top_chair)
    office_pages = [
        reverse("union:office"),
        reverse("union:office_members"),
        reverse("union:office_member", args=[member_id]),
        reverse("union:office_dues"),
        reverse("union:office_wages_import"),
        reverse("union:office_care"),
        reverse("union:office_case", args=[case.pk]),
        reverse("union:office_events_import"),
        reverse("union:office_payments"),
        reverse("union:office_provisions"),
        reverse("union:office_festivals"),
        reverse("union:office_help"),
        reverse("union:office_file_new"),
        reverse("union:office_file", args=[file.pk]),
        reverse("union:office_help_application", args=[application.pk]),
    ]
    for url in office_pages:
        chair.goto(url)
        assert not _english(chair), (url, _english(chair))
    # a refused form says why, on the page (the amount passes the yearly total)
    chair.goto(reverse("union:office_festivals"))
    chair.fill("#id_f-event_on", clock.today().isoformat())
    chair.fill("#id_f-amount", "2500")
    chair.click("[data-testid=pay-festival]")
    chair.wait_for_selector("text=全年合计不超过 2000.00 元")

    worker = phone(u.worker_a)
    for url in (reverse("union:index"), reverse("union:card"), reverse("union:care"), reverse("union:help")):
        worker.goto(url)
        assert not _english(worker), (url, _english(worker))
    worker.goto(reverse("union:care_case", args=[case.pk]))

    staff = phone(world.staff)  # 组织部: reads the union's rosters and boards
    for url in (reverse("union:office"), reverse("union:office_members"), reverse("union:office_dues")):
        staff.goto(url)
        assert not _english(staff), (url, _english(staff))
    staff.wait_for_selector("[data-testid=dues-roll]")
