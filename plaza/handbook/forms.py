from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

CATEGORIES = [
    ("in_service", _("在岗职工")),
    ("retired", _("离退休人员")),
    ("flat", _("学生、下岗失业、领取低保人员")),
    ("farmer", _("农民党员")),
]


class DuesForm(forms.Form):
    base = forms.DecimalField(
        label=_("每月工资收入（税后，元）"),
        min_value=Decimal("0"),
        max_value=Decimal("10000000"),
        max_digits=12,
        decimal_places=2,
        required=False,
        error_messages={"min_value": _("工资收入不能为负数。"), "invalid": _("请输入金额，例如 6500 或 6500.50。")},
    )
    category = forms.ChoiceField(label=_("党员类别"), choices=CATEGORIES, initial="in_service")

    def clean(self):  # noqa: ANN201
        data = super().clean()
        if data.get("category") in ("in_service", "retired") and data.get("base") is None:
            self.add_error("base", _("请填写每月工资收入。"))
        return data
