"""疗休养 Excel files: a batch's list (places, waiting list, the rest) for the union office."""

from __future__ import annotations

from collections.abc import Iterable

from plaza.lib.excel import ExcelWriter

from .models import Batch, SignUp

HEADER = ["线路", "出发日期", "返回日期", "工号", "姓名", "部门", "工龄（年）", "上次疗休养", "状态", "候补顺序"]


def batch_workbook(batch: Batch, signups: Iterable[SignUp]) -> bytes:
    workbook = ExcelWriter()
    sheet = workbook.sheet("疗休养名单", HEADER)
    for s in signups:
        sheet.append(
            [
                batch.route.name,
                batch.starts_on,
                batch.ends_on,
                s.person.employee_no,
                s.person.name,
                s.person.department,
                s.service_years,
                s.last_year or "",
                s.get_status_display(),
                s.waiting_rank or "",
            ]
        )
    return workbook.bytes()
