from django import forms
from django.utils.translation import gettext_lazy as _

from plaza.lib import clock
from plaza.lib.fields import DateField
from plaza.lib.widgets import DateInput
from plaza.rules.recruitment import Step

from .services import OUTCOMES, RECOMMENDATIONS

DATE = DateInput()


class OpenForm(forms.Form):
    employee_no = forms.CharField(label=_("申请人工号"), max_length=32)
    applied_on = DateField(label=_("递交入党申请书日期"), widget=DATE, initial=clock.today)
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StepForm(forms.Form):
    def clean_document(self):  # noqa: ANN201
        upload = self.cleaned_data.get("document")
        check_document(upload)
        return upload

    done_on = DateField(label=_("日期"), widget=DATE, initial=clock.today)
    note = forms.CharField(label=_("记录"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, step: int, can_override: bool, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if step in (Step.CONTACTS, Step.SPONSORS):
            self.fields["people"] = forms.CharField(
                label=_("培养联系人工号（一至二名）") if step == Step.CONTACTS else _("入党介绍人工号（两名）"),
                help_text=_("用逗号或空格分隔"),
                max_length=200,
            )
        if step == Step.ACTIVIST:
            self.fields["recommendation"] = forms.MultipleChoiceField(
                label=_("推荐方式"), choices=list(RECOMMENDATIONS.items()), widget=forms.CheckboxSelectMultiple
            )
            self.fields["recommended_on"] = DateField(label=_("推荐日期"), widget=DATE)
            self.fields["people"] = forms.CharField(
                label=_("推荐人工号（党员推荐时填写，可不填）"),
                help_text=_("用逗号或空格分隔"),
                max_length=200,
                required=False,
            )
            self.fields["decision"] = forms.CharField(
                label=_("支部委员会研究意见"),
                max_length=1000,
                initial=_("经支部委员会研究，同意确定为入党积极分子。"),
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        if step == Step.TRAINING:
            # 不少于三天或二十四个学时: either figure (plaza.rules.recruitment.training_long_enough)
            self.fields["days"] = forms.IntegerField(label=_("培训天数"), min_value=0, max_value=365, required=False)
            self.fields["hours"] = forms.IntegerField(
                label=_("培训学时"), min_value=0, max_value=1000, required=False, help_text=_("天数或学时填一项即可")
            )
        if step in (Step.ADMISSION_VOTE, Step.CONVERSION_VOTE):
            self.fields["entitled"] = forms.IntegerField(label=_("应到会有表决权党员"), min_value=0, max_value=100000)
            self.fields["present"] = forms.IntegerField(label=_("实到会"), min_value=0, max_value=100000)
            self.fields["yes"] = forms.IntegerField(label=_("赞成（含书面意见）"), min_value=0, max_value=100000)
        if step == Step.CONVERSION_VOTE:
            self.fields["outcome"] = forms.ChoiceField(label=_("结论"), choices=list(OUTCOMES.items()))
            self.fields["extension_months"] = forms.IntegerField(
                label=_("延长预备期（月，6–12）"), min_value=0, max_value=12, required=False
            )
        self.fields["document"] = forms.FileField(
            label=_("材料（谈话记录、申请书扫描件等，PDF/图片/Word，10 MB 以内）"), required=False
        )
        if can_override:
            self.fields["override_reason"] = forms.CharField(
                label=_("越过规则的理由（仅组织部，记入审计）"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )


class LeavingForm(forms.Form):
    leaves_on = DateField(label=_("预计调离日期"), widget=DATE, required=False)


class MeetingForm(forms.Form):
    """One 支部大会 for several applicants: shared date and head-counts, then one vote per person."""

    done_on = DateField(label=_("会议日期"), widget=DATE, initial=clock.today)
    entitled = forms.IntegerField(label=_("应到会有表决权党员"), min_value=0, max_value=100000)
    present = forms.IntegerField(label=_("实到会"), min_value=0, max_value=100000)
    note = forms.CharField(label=_("会议记录"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    document = forms.FileField(label=_("会议记录扫描件（可不传）"), required=False)

    def clean_document(self):  # noqa: ANN201
        upload = self.cleaned_data.get("document")
        check_document(upload)
        return upload

    def __init__(self, *args, step: int, pipelines, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.step, self.pipelines = step, list(pipelines)
        for pipeline in self.pipelines:
            pk = pipeline.pk
            self.fields[f"include_{pk}"] = forms.BooleanField(label=pipeline.person.name, required=False)
            self.fields[f"yes_{pk}"] = forms.IntegerField(
                label=_("赞成（含书面意见）"), min_value=0, max_value=100000, required=False
            )
            if step == Step.CONVERSION_VOTE:
                self.fields[f"outcome_{pk}"] = forms.ChoiceField(
                    label=_("结论"), choices=list(OUTCOMES.items()), required=False
                )
                self.fields[f"extension_{pk}"] = forms.IntegerField(
                    label=_("延长（月）"), min_value=0, max_value=12, required=False
                )

    def rows(self) -> list[dict]:
        """Per applicant, the bound fields in the order they are voted on."""
        return [
            {
                "pipeline": p,
                "include": self[f"include_{p.pk}"],
                "yes": self[f"yes_{p.pk}"],
                "outcome": self[f"outcome_{p.pk}"] if self.step == Step.CONVERSION_VOTE else None,
                "extension": self[f"extension_{p.pk}"] if self.step == Step.CONVERSION_VOTE else None,
            }
            for p in self.pipelines
        ]

    def clean(self):  # noqa: ANN201
        data = super().clean()
        chosen = [p for p in self.pipelines if data.get(f"include_{p.pk}")]
        if not chosen:
            raise forms.ValidationError(_("请至少选择一名讨论对象。"))
        for pipeline in chosen:
            if data.get(f"yes_{pipeline.pk}") is None:
                self.add_error(f"yes_{pipeline.pk}", _("请填写赞成人数。"))
        data["chosen"] = chosen
        return data


class ReportForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120)
    content = forms.CharField(
        label=_("内容"), min_length=20, max_length=20000, widget=forms.Textarea(attrs={"rows": 10})
    )


DOCUMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".doc")
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def check_document(upload) -> None:  # noqa: ANN001
    if upload is None:
        return
    if not upload.name.lower().endswith(DOCUMENT_TYPES):
        raise forms.ValidationError(_("材料只能是 PDF、图片（JPG/PNG）或 Word 文件。"))
    if upload.size > MAX_DOCUMENT_BYTES:
        raise forms.ValidationError(_("材料不能超过 10 MB。"))


class ApplicationForm(forms.Form):
    """入党申请: typed on the phone, or a photo/scan of the handwritten letter. Someone outside the Party
    chooses the branch it goes to (``branches``; ``suggested`` first, their workplace's); someone already in
    a Party organisation hands it to their own branch and chooses nothing."""

    branch = forms.ModelChoiceField(
        label=_("递交给"),
        queryset=None,
        required=False,
        empty_label=_("请选择党支部"),
        help_text=_("一般递交您工作所在单位的党支部。"),
    )
    letter = forms.CharField(
        label=_("入党申请书"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 10})
    )
    document = forms.FileField(label=_("或上传手写申请书的照片/扫描件"), required=False)

    def __init__(self, *args, branches=None, suggested=None, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        if branches is None:
            del self.fields["branch"]
            return
        self.fields["branch"].queryset = branches
        self.fields["branch"].required = True
        self.fields["branch"].error_messages["required"] = _("请选择要递交入党申请书的党支部。")
        if suggested is not None:
            self.fields["branch"].initial = suggested.pk
            self.fields["branch"].help_text = _("已按您所在部门推荐：%(branch)s；也可另选。") % {
                "branch": suggested.name
            }

    def clean_document(self):  # noqa: ANN201
        upload = self.cleaned_data.get("document")
        check_document(upload)
        return upload

    def clean(self):  # noqa: ANN201
        data = super().clean()
        if not data.get("letter", "").strip() and not data.get("document"):
            raise forms.ValidationError(_("请填写申请书，或上传手写申请书的照片。"))
        return data
