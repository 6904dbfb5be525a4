"""Forms of 互动空间 pages; the rules themselves (lengths, words, audience) are the services' to refuse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plaza.orgs.queries import labelled

from .models import MAX_COMMENT_CHARS, MAX_DISPLAY_NAME, MAX_POST_CHARS, MAX_REASON_CHARS, Decision, WordLevel


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PicturesField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(PicturesField, self).clean(item, initial) for item in items]


class PostForm(forms.Form):
    # The length is the service's to refuse with the count; the browser's maxlength is a courtesy only.
    body = forms.CharField(
        label=_("说点什么"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("分享你的想法，用 #话题# 加话题，用 @名称 提到别人")}),
        strip=True,
    )
    pictures = PicturesField(label=_("图片（最多 9 张）"), required=False)
    organisations = forms.TypedMultipleChoiceField(
        label=_("谁可以看到"),
        required=False,
        coerce=int,
        help_text=_("不选即本空间所有人可见"),
        widget=forms.CheckboxSelectMultiple,
    )
    official = forms.BooleanField(label=_("以官方账号发布"), required=False)
    pinned = forms.BooleanField(label=_("置顶（官方帖子）"), required=False)

    def __init__(self, *args: Any, organisations: Any = (), official: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].choices = [(o.pk, o.choice_label) for o in labelled(organisations)]
        self.fields["body"].widget.attrs["maxlength"] = str(MAX_POST_CHARS * 2)
        if not official:
            del self.fields["official"]
            del self.fields["pinned"]


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("评论"), widget=forms.Textarea(attrs={"rows": 2, "maxlength": str(MAX_COMMENT_CHARS * 2)})
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62)


class DisplayNameForm(forms.Form):
    display_name = forms.CharField(label=_("显示名称"), max_length=MAX_DISPLAY_NAME * 2, required=False)
    real_name = forms.BooleanField(label=_("使用我的真实姓名"), required=False)


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("举报理由"), max_length=MAX_REASON_CHARS * 2)
    comment = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("处理"), choices=Decision.choices)
    reason = forms.CharField(label=_("理由"), max_length=MAX_REASON_CHARS * 2)
    comment = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62)


class WordsForm(forms.Form):
    words = forms.CharField(
        label=_("敏感词"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_("每行一个，或用逗号、顿号分隔")
    )
    level = forms.ChoiceField(label=_("级别"), choices=WordLevel.choices, initial=WordLevel.REVIEW)


class SpaceForm(forms.Form):
    name = forms.CharField(label=_("空间名称"), max_length=60)
    description = forms.CharField(label=_("简介"), max_length=200, required=False)
    official_name = forms.CharField(label=_("官方账号名称"), max_length=40, required=False)
    premoderation = forms.BooleanField(label=_("先审后发（新帖审核通过后才公开）"), required=False)
    active = forms.BooleanField(label=_("开放"), required=False, initial=True)


class NewSpaceForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("所属组织"), coerce=int)
    name = forms.CharField(label=_("空间名称"), max_length=60)
    description = forms.CharField(label=_("简介"), max_length=200, required=False)
    official_name = forms.CharField(label=_("官方账号名称"), max_length=40, required=False)
    everyone = forms.BooleanField(label=_("面向全体员工（不限所属组织）"), required=False)
    premoderation = forms.BooleanField(label=_("先审后发（新帖审核通过后才公开）"), required=False)

    def __init__(self, *args: Any, organisations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.choice_label) for o in labelled(organisations)]
