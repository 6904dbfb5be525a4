from django import forms
from django.utils.translation import gettext_lazy as _

from plaza.lib.fields import DateField
from plaza.lib.widgets import DateInput
from plaza.meetings.models import Kind as MeetingKind
from plaza.meetings.models import Meeting

from .models import StepKind

UPLOAD_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".doc", ".pptx")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class CampaignForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("名称"), max_length=120)
    starts_on = DateField(label=_("开始日期"), widget=DateInput())
    ends_on = DateField(label=_("测评截止日期"), widget=DateInput())
    meeting = forms.ModelChoiceField(
        label=_("结合召开的组织生活会（可不选）"), queryset=Meeting.objects.none(), required=False
    )
    materials = forms.CharField(label=_("学习材料"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    invited = forms.CharField(
        label=_("邀请群众代表参加测评（工号，可不填）"),
        required=False,
        max_length=1000,
        help_text=_("用逗号或空格分隔；群众代表参加测评，不参加评定"),
    )

    def __init__(self, *args, organisation=None, editing: bool = False, **kwargs) -> None:  # noqa: ANN001
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.fields["meeting"].queryset = Meeting.objects.filter(
                organisation=organisation, kind=MeetingKind.LIFE_MEETING
            ).order_by("-starts_at")
        if editing:
            del self.fields["year"]

    def clean(self):  # noqa: ANN201
        data = super().clean()
        for upload in self.files.getlist("files") if self.files else []:
            if not upload.name.lower().endswith(UPLOAD_TYPES):
                raise forms.ValidationError(_("附件只能是 PDF、图片（JPG/PNG）、Word 或 PPT 文件。"))
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(_("每个附件不能超过 10 MB。"))
        return data


class SelfEvaluationForm(forms.Form):
    text = forms.CharField(
        label=_("个人自评"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("对照党员标准，总结一年来的思想、工作、学习和作风，不少于 20 个字"),
    )


class FollowUpStepForm(forms.Form):
    kind = forms.ChoiceField(label=_("环节"), choices=StepKind.choices)
    done_on = DateField(label=_("日期"), widget=DateInput())
    note = forms.CharField(label=_("情况"), widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.CharField(
        label=_("处置结果（处置时填写）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
