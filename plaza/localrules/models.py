"""One organisation's own value for one local-practice rule (``plaza.rules.local.RULES``), from a day on.
Organisations below it inherit the value unless they set their own; without any, the rulebook's default
applies. Rows are the rule's history: a new decision adds a row from its effective day and never rewrites
the days before it, so a month already paid or a letter already issued keeps the value in force for it."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plaza.orgs.models import Organisation
from plaza.rules.local import RULES


def rule_choices() -> list[tuple[str, str]]:
    """The rules an organisation may set, read when asked: a callable, so that each app adding its 本单位规定 to
    ``plaza.rules.local`` needs no migration of this table (the migration names this function, not the list)."""
    return [(rule.key, rule.label) for rule in RULES.values()]


class LocalRule(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="local_rules", verbose_name=_("组织")
    )
    key = models.CharField(_("规定"), max_length=60, choices=rule_choices)
    value = models.CharField(
        _("取值"),
        max_length=30,
        blank=True,
        help_text="as LocalRule.store writes it; parse() reads it; empty: none of its own from this day (inherits)",
    )
    effective_from = models.DateField(_("生效日期"), default=date(2000, 1, 1))
    decided_by = models.CharField(_("决定机关"), max_length=100, blank=True, help_text=_("例如：党委会议"))
    note = models.CharField(_("依据或说明"), max_length=200)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("本单位规定")
        verbose_name_plural = _("本单位规定")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key", "effective_from"], name="one_local_rule_per_key_and_day"
            )
        ]
        ordering = ["organisation", "key", "effective_from"]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_key_display()} = {self.value or '—'} ({self.effective_from})"
