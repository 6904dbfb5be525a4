"""Excel exports of 通星汇: leads (phones masked, as on every list) and the funnel."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from plaza.lib.excel import ExcelWriter

from .models import Lead
from .queries import FunnelRow


def _percent(value: object) -> str:
    return "—" if value is None else f"{float(value) * 100:.2f}%"  # type: ignore[arg-type]


def leads_workbook(leads: Iterable[Lead]) -> bytes:
    writer = ExcelWriter()
    sheet = writer.sheet(
        _("线索"),
        [
            _("留资时间"),
            _("称呼"),
            _("手机号"),
            _("城市"),
            _("车型"),
            _("品牌大使"),
            _("经销商"),
            _("归属"),
            _("阶段"),
            _("标记"),
        ],
    )
    for lead in leads:
        sheet.append(
            [
                timezone.localtime(lead.created_at).strftime("%Y-%m-%d %H:%M"),
                lead.name,
                lead.masked_phone,
                lead.city,
                lead.product.name,
                lead.ambassador.display_name,
                lead.dealer.name,
                lead.get_status_display(),
                lead.get_stage_display(),
                lead.flag_reason,
            ]
        )
    return writer.bytes()


def funnel_workbook(rows: Iterable[FunnelRow], dimension_label: str) -> bytes:
    writer = ExcelWriter()
    sheet = writer.sheet(
        _("转化漏斗"),
        [
            dimension_label,
            _("访客"),
            _("留资"),
            _("有效线索"),
            _("已联系"),
            _("到店"),
            _("试驾"),
            _("订车"),
            _("交车"),
            _("留资率"),
            _("成交转化率"),
        ],
    )
    for row in rows:
        sheet.append(
            [
                row.name,
                row.visitors,
                row.leads,
                row.credited,
                row.contacted,
                row.visited,
                row.test_drives,
                row.orders,
                row.deliveries,
                _percent(row.retention),
                _percent(row.conversion),
            ]
        )
    return writer.bytes()
