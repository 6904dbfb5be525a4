from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plaza.lib.widgets import DateTimeInput
from plaza.orgs.forms import OrganisationMultipleChoiceField
from plaza.orgs.models import Organisation, Tree
from plaza.orgs.permissions import Cap, Scope

from .models import Item

PICTURE_TYPES = (".jpg", ".jpeg", ".png", ".webp")
MAX_PICTURE_BYTES = 5 * 1024 * 1024


class AwardForm(forms.Form):
    KIND_CHOICES = [("award", _("奖励（增加积分）")), ("adjust", _("调整（可为负数）"))]

    employee_no = forms.CharField(label=_("工号"), max_length=32)
    kind = forms.ChoiceField(label=_("类型"), choices=KIND_CHOICES, initial="award")
    amount = forms.IntegerField(label=_("积分"), min_value=-100_000, max_value=100_000)
    reason = forms.CharField(label=_("原因"), max_length=200)


class ItemForm(forms.ModelForm):
    organisations = OrganisationMultipleChoiceField(
        label=_("限定组织"),
        required=False,
        help_text=_("不选表示所有人可兑换"),
        queryset=Organisation.objects.filter(tree=Tree.PARTY).order_by("path"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Item
        fields = [
            "name",
            "description",
            "picture",
            "price",
            "stock",
            "per_person_limit",
            "available_from",
            "available_until",
            "organisations",
            "active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "available_from": DateTimeInput(),
            "available_until": DateTimeInput(),
        }

    def __init__(self, *args: Any, viewer: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if viewer is not None:  # only the organisations the viewer keeps the mall for (issue 11, item 3)
            field = self.fields["organisations"]
            field.queryset = Scope.of(viewer, Cap.POINTS).organisations(field.queryset)

    def clean_picture(self):  # noqa: ANN201
        picture = self.cleaned_data.get("picture")
        if picture and hasattr(picture, "size"):
            if not picture.name.lower().endswith(PICTURE_TYPES):
                raise forms.ValidationError(_("图片只能是 JPG、PNG 或 WebP。"))
            if picture.size > MAX_PICTURE_BYTES:
                raise forms.ValidationError(_("图片不能超过 5 MB。"))
        return picture


class StockForm(forms.Form):
    delta = forms.IntegerField(label=_("增加库存（减少填负数）"), min_value=-100_000, max_value=100_000)
    reason = forms.CharField(label=_("说明"), max_length=200, required=False)


class HandOverForm(forms.Form):
    code = forms.CharField(label=_("领取码"), max_length=16)
