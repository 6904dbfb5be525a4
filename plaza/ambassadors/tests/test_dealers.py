"""Dealers: scoping, stages, the signed webhook, the outbox, the freeze period, points, masking everywhere."""

from __future__ import annotations

import io
import json
import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from plaza.ambassadors import exports, queries, services
from plaza.ambassadors.models import Lead, Outbound, OutboxState, Stage
from plaza.ambassadors.sweep import ambassadors_sweep
from plaza.audit.models import AuditEntry
from plaza.lib import clock
from plaza.points.models import Entry
from plaza.points.services import balance_of

from .helpers import PHONE, leave_lead, make_programme

MASKED = "138****8000"


@pytest.fixture
def setup(world):  # noqa: ANN001, ANN201
    p = make_programme(world)
    return p, leave_lead(p)


def test_a_dealer_sees_only_its_own_leads(setup, login, world):
    p, lead = setup
    assert list(queries.dealer_leads(p.seller_sh)) == [lead]
    assert not queries.dealer_leads(p.seller_wh).exists()
    assert not queries.dealer_leads(world.member_b).exists()
    client = login(p.seller_wh)
    assert client.get(reverse("ambassadors:dealer_lead", args=[lead.pk])).status_code == 404
    assert client.get("/api/v1/ambassadors/dealer/leads").json()["count"] == 0
    assert (
        client.post(
            f"/api/v1/ambassadors/dealer/leads/{lead.pk}/stage", {"stage": "contacted"}, content_type="application/json"
        ).status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        services.move_stage(p.seller_wh, lead, Stage.CONTACTED)
    assert login(world.member_b).get(reverse("ambassadors:dealer")).status_code == 403


def test_stages_move_forward_lost_needs_a_reason_and_the_reminder_goes(setup):
    p, lead = setup
    services.move_stage(p.seller_sh, lead, Stage.CONTACTED)
    with pytest.raises(ValidationError, match="不能改为"):
        services.move_stage(p.seller_sh, Lead.objects.get(pk=lead.pk), Stage.CONTACTED)
    lead = services.move_stage(p.seller_sh, Lead.objects.get(pk=lead.pk), Stage.TEST_DRIVE)
    assert lead.visited_at is not None and lead.test_drive_at is not None  # a jump fills the skipped step
    assert balance_of(lead.ambassador.person) == 5 + 10
    with pytest.raises(ValidationError, match="原因"):
        services.move_stage(p.seller_sh, lead, Stage.LOST)
    lead = services.move_stage(p.seller_sh, lead, Stage.LOST, "预算不足")
    assert services.next_stages(lead) == [] and lead.changes.count() == 3


def test_the_full_phone_is_for_the_consented_dealer_only_and_audited(setup, login):
    p, lead = setup
    client = login(p.seller_sh)
    page = client.get(reverse("ambassadors:dealer_lead", args=[lead.pk])).content.decode()
    assert MASKED in page and PHONE not in page
    page = client.post(reverse("ambassadors:dealer_lead", args=[lead.pk]), {"action": "phone"}).content.decode()
    assert PHONE in page
    assert AuditEntry.objects.filter(action="ambassadors.lead_phone", object_id=str(lead.pk)).count() == 1
    with pytest.raises(PermissionDenied):
        services.full_phone(p.seller_wh, lead)


def test_phones_are_masked_on_every_page_api_and_export(setup, login, world):
    p, lead = setup
    pages = [
        (world.member_a, reverse("ambassadors:index")),
        (world.member_a, reverse("ambassadors:my_leads")),
        (world.member_a, "/api/v1/ambassadors/leads"),
        (p.seller_sh, reverse("ambassadors:dealer")),
        (p.seller_sh, "/api/v1/ambassadors/dealer/leads"),
        (world.staff, reverse("ambassadors:staff_leads")),
    ]
    for person, url in pages:
        body = login(person).get(url).content.decode()
        assert MASKED in body, url
        assert PHONE not in body, url
    response = login(world.staff).get(reverse("ambassadors:staff_leads") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row]
    assert MASKED in cells and PHONE not in "".join(cells)
    assert PHONE not in exports.leads_workbook(queries.staff_leads(world.staff)).decode("latin-1")


# ------------------------------------------------------------------------------------------------ webhook


def _signed(client, dealer, body: dict, *, stamp: int | None = None, secret: str = "s3cret"):  # noqa: ANN001, ANN202
    raw = json.dumps(body).encode()
    stamp_text = str(stamp if stamp is not None else int(time.time()))
    return client.post(
        reverse("ambassadors:webhook", args=[dealer.code]),
        raw,
        content_type="application/json",
        headers={"X-Plaza-Timestamp": stamp_text, "X-Plaza-Signature": services.signature(secret, stamp_text, raw)},
    )


def test_the_webhook_takes_signed_updates_once_inside_the_window(setup, client, world):
    p, lead = setup
    services.save_dealer(world.staff, p.shanghai, {"webhook_secret": "s3cret"})
    body = {"ref": lead.ref, "stage": "contacted"}
    assert _signed(client, p.shanghai, body, secret="wrong").status_code == 403
    assert _signed(client, p.shanghai, body, stamp=int(time.time()) - 3600).status_code == 403
    stamp = int(time.time())
    ok = _signed(client, p.shanghai, body, stamp=stamp)
    assert ok.status_code == 200 and ok.json()["stage"] == "contacted"
    assert _signed(client, p.shanghai, body, stamp=stamp).status_code == 403  # replayed
    assert Lead.objects.get(pk=lead.pk).changes.get().via_webhook
    assert _signed(client, p.wuhan, body).status_code == 403  # no secret: not a known system
    services.save_dealer(world.staff, p.wuhan, {"webhook_secret": "s3cret"})
    assert _signed(client, p.wuhan, {"ref": lead.ref, "stage": "visited"}).status_code == 400  # not its lead


# ------------------------------------------------------------------------------------------------- outbox


class _Response:
    def __init__(self, status: int) -> None:
        self.status = status

    def raise_for_status(self) -> None:
        if self.status >= 400:
            raise RuntimeError(f"HTTP {self.status}")


def test_the_outbox_retries_with_backoff_and_signs(setup, world):
    p, lead = setup
    services.save_dealer(
        world.staff, p.shanghai, {"endpoint_url": "https://crm.example.com/leads", "webhook_secret": "k"}
    )
    calls = []

    def failing(url, **kwargs):  # noqa: ANN001, ANN003, ANN202
        calls.append(kwargs)
        return _Response(503)

    now = clock.now()
    assert services.push_outbox(now, post=failing) == {"sent": 0, "retry": 1, "failed": 0}
    row = Outbound.objects.get(lead=lead)
    assert row.attempts == 1 and row.next_at == now + timedelta(minutes=2) and "503" in row.last_error
    assert services.push_outbox(now, post=failing)["retry"] == 0  # not due yet
    headers = calls[0]["headers"]
    assert headers["X-Plaza-Signature"] == services.signature("k", headers["X-Plaza-Timestamp"], calls[0]["content"])
    assert json.loads(calls[0]["content"])["phone"] == PHONE  # the consented dealer's own system
    later = now + timedelta(minutes=3)
    assert services.push_outbox(later, post=lambda url, **kw: _Response(200))["sent"] == 1
    assert Outbound.objects.get(lead=lead).state == OutboxState.SENT


def test_the_outbox_gives_up_after_the_last_attempt(setup, world):
    p, lead = setup
    services.save_dealer(world.staff, p.shanghai, {"endpoint_url": "https://crm.example.com/leads"})
    Outbound.objects.filter(lead=lead).update(attempts=services.OUTBOX_MAX_ATTEMPTS - 1)
    result = services.push_outbox(clock.now(), post=lambda url, **kw: _Response(500))
    assert result["failed"] == 1 and Outbound.objects.get(lead=lead).state == OutboxState.FAILED


# --------------------------------------------------------------------------------------- freeze and points


def _deliver(p, lead, days_ago: int):  # noqa: ANN001, ANN202
    lead = services.move_stage(p.seller_sh, lead, Stage.DELIVERED)
    Lead.objects.filter(pk=lead.pk).update(delivered_at=clock.now() - timedelta(days=days_ago))
    return Lead.objects.get(pk=lead.pk)


def test_a_deal_is_credited_after_the_freeze_period_once(setup):
    p, lead = setup
    _deliver(p, lead, 29)
    today = clock.today()
    assert ambassadors_sweep(today)["deals"] == 0
    assert ambassadors_sweep(today + timedelta(days=1))["deals"] == 1
    assert ambassadors_sweep(today + timedelta(days=2))["deals"] == 0  # idempotent
    lead = Lead.objects.get(pk=lead.pk)
    assert lead.deal_credited_on == today + timedelta(days=1)
    assert Entry.objects.filter(idempotency_key=f"ambassadors:{lead.pk}:deal").count() == 1
    assert services.next_stages(lead) == []  # no return once credited
    assert queries.summary_of(p.ambassador).deals == 1
    assert queries.ranking(level="person", period="all")[0].deals == 1


def test_a_car_returned_within_the_freeze_period_never_pays_out(setup):
    p, lead = setup
    lead = _deliver(p, lead, 5)
    services.move_stage(p.seller_sh, lead, Stage.LOST, "退车")
    assert ambassadors_sweep(clock.today() + timedelta(days=60))["deals"] == 0
    assert not Entry.objects.filter(idempotency_key=f"ambassadors:{lead.pk}:deal").exists()


def test_points_are_idempotent_per_lead_and_step_and_capped_per_month(setup, world):
    p, lead = setup
    assert services._reward(lead, "lead") == 0  # already earned when the lead came
    assert Entry.objects.filter(idempotency_key=f"ambassadors:{lead.pk}:lead").count() == 1
    programme = queries.programme()
    services.save_programme(world.staff, {"monthly_cap": 8, "points_test_drive": 10})
    lead = services.move_stage(p.seller_sh, lead, Stage.TEST_DRIVE)
    assert balance_of(world.member_a) == 8  # 5 for the lead, 3 left of the month's 8
    assert programme.points_lead == 5


# ----------------------------------------------------------------------------------- rankings and funnel


def test_rankings_and_funnel(setup, world, login):
    p, lead = setup
    services.move_stage(p.seller_sh, lead, Stage.TEST_DRIVE)
    services.record_visit(p.target, "a" * 32)
    services.record_visit(p.target, "b" * 32)
    rows = queries.ranking(level="person", period="month")
    assert [(r.name, r.leads) for r in rows] == [("张师傅", 1)]
    assert queries.ranking(level="unit")[0].name == world.branch_a.name
    assert queries.ranking(level="enterprise")[0].name == world.committee.name
    services.set_executive(world.staff, p.ambassador, True)
    assert queries.ranking(level="person") == [] and queries.ranking(level="person", executives=True)[0].leads == 1
    funnel = {r.name: r for r in queries.funnel(world.staff, "product")}
    row = funnel["凯迪拉克锐歌"]
    assert (row.visitors, row.leads, row.credited, row.contacted, row.test_drives) == (2, 1, 1, 1, 1)
    assert str(row.retention) == "0.5000"
    assert queries.funnel(world.member_b, "product") == []
    staff = login(world.staff)
    for dimension in ("campaign", "product", "organisation", "ambassador"):
        assert staff.get(reverse("ambassadors:funnel") + f"?by={dimension}").status_code == 200
    export = staff.get(reverse("ambassadors:funnel") + "?format=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert staff.get("/api/v1/ambassadors/funnel").json()[0]["retention"] == 0.5
    assert login(world.member_b).get("/api/v1/ambassadors/funnel").status_code == 403
