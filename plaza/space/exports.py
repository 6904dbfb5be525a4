"""互动空间 Excel files for the moderators: the word list, and the moderation decisions of their spaces.

Built here, not in views; written through :class:`plaza.lib.excel.ExcelWriter` (text stays text, never a
formula). The decisions name the real author (后台实名): the view audits the download."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from plaza.lib.excel import ExcelWriter

from .models import ModerationDecision, SensitiveWord


def words_workbook(rows: QuerySet[SensitiveWord]) -> bytes:
    workbook = ExcelWriter()
    sheet = workbook.sheet(_("敏感词"), [_("敏感词"), _("级别"), _("添加日期")])
    for word in rows.iterator():
        sheet.append([word.word, str(word.get_level_display()), timezone.localtime(word.created_at).date()])
    return workbook.bytes()


def decisions_workbook(rows: QuerySet[ModerationDecision] | Any) -> bytes:
    workbook = ExcelWriter()
    header = [_("时间"), _("空间"), _("对象"), _("发布人"), _("工号"), _("显示名称"), _("处理"), _("理由"), _("处理人")]
    sheet = workbook.sheet(_("审核记录"), header)
    for decision in rows.iterator():
        target = decision.comment or decision.post
        sheet.append(
            [
                timezone.localtime(decision.created_at).strftime("%Y-%m-%d %H:%M"),
                decision.post.space.name,
                (_("评论：") if decision.comment else _("帖子：")) + target.body[:60],
                target.author.name,
                target.author.employee_no,
                target.profile.display_name,
                str(decision.get_decision_display()),
                decision.reason,
                decision.moderator.name,
            ]
        )
    return workbook.bytes()
