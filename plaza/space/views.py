"""互动空间 pages: the feed (all spaces, one space, a topic, my posts), writing a post, a post with its comments,
likes and comments by htmx, reporting, the display name, the pictures (permission-checked), and the office:
the moderation queue (real names shown, audited), the word list and each space's settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plaza.lib.formpage import form_page
from plaza.lib.http import attachment, private_picture
from plaza.lib.params import int_param, text_param
from plaza.lib.refusals import flash_outcome, messages_of, refuse_on_form
from plaza.lib.schemas import found_or_404

from . import exports, queries, services
from .forms import (
    CommentForm,
    DecisionForm,
    DisplayNameForm,
    NewSpaceForm,
    PostForm,
    ReportForm,
    SpaceForm,
    WordsForm,
)
from .models import Post, Space


def _space(request: HttpRequest, space_id: int) -> Space:
    return found_or_404(queries.space_for(request.user, space_id))


def _post(request: HttpRequest, post_id: int) -> Post:
    return found_or_404(queries.post_for(request.user, post_id))


def _feed_context(request: HttpRequest, *, space: Space | None = None, mine: bool = False) -> dict:
    topic = queries.topic_by_id(int_param(request, "topic"))
    page = queries.feed(request.user, space=space, topic=topic, mine=mine, before=int_param(request, "before"))
    return {
        "page": page,
        "topic": topic,
        "space": space,
        "mine": mine,
        "topics": queries.popular_topics(request.user, space) if not mine else [],
        "spaces": queries.member_spaces(request.user),
        "active_tab": "interact",
        "moderates": not queries.moderation_scope(request.user).is_empty,
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Every space's posts meant for me, newest first, with the way to post in each space I may post in (a newcomer
    lands here, not on a space's own page where the 发帖 button was)."""
    context = _feed_context(request)
    context["postable"] = [s for s in context["spaces"] if services.may_post(request.user, s)]
    return render(request, "space/feed.html", context)


@login_required
def space(request: HttpRequest, space_id: int) -> HttpResponse:
    found = _space(request, space_id)
    context = _feed_context(request, space=found)
    context["may_post"] = services.may_post(request.user, found)
    context["profile"] = queries.profile_of(request.user, found)
    return render(request, "space/feed.html", context)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "space/feed.html", _feed_context(request, mine=True))


@login_required
def new_post(request: HttpRequest, space_id: int) -> HttpResponse:
    found = _space(request, space_id)
    if not services.may_post(request.user, found):
        raise PermissionDenied(_("您不在该互动空间的范围内，不能发帖。"))
    official = services.may_post_officially(request.user, found)

    def save(form: PostForm) -> Post:
        data = form.cleaned_data
        return services.create_post(
            request.user,
            found,
            data["body"],
            pictures=request.FILES.getlist("pictures"),
            organisation_ids=data["organisations"],
            official=bool(data.get("official")),
            pinned=bool(data.get("pinned")),
        )

    def done(post: Post) -> str:
        if post.status == "pending":
            return _("已提交，审核通过后公开：%(why)s。") % {"why": post.held_reason}
        return _("已发布。")

    return form_page(
        request,
        PostForm,
        "space/new_post.html",
        save=save,
        done=done,
        next_url=lambda post: reverse("space:post", args=[post.pk]),
        context={
            "space": found,
            "active_tab": "interact",
            "profile": services.profile_for(request.user, found),
        },
        form_kwargs={"organisations": queries.addressable_organisations(request.user, found), "official": official},
    )


@login_required
def post(request: HttpRequest, post_id: int) -> HttpResponse:
    found = _post(request, post_id)
    moderates = services.may_moderate(request.user, found.space)
    return render(
        request,
        "space/post.html",
        {
            "post": found,
            "comments": queries.comments_of(request.user, found),
            "liked": bool(queries.liked_ids(request.user, [found.pk])),
            "may_interact": services.may_interact(request.user, found),
            "may_delete": services.may_delete(request.user, found),
            "moderates": moderates,
            "decisions": queries.decisions_of(found)[:20] if moderates else [],
            "comment_form": CommentForm(),
            "report_form": ReportForm(),
            "active_tab": "interact",
        },
    )


@login_required
@require_POST
def like(request: HttpRequest, post_id: int) -> HttpResponse:
    """Like or unlike (``action=unlike``); htmx gets the button back, a plain form the post page."""
    found = _post(request, post_id)
    error = ""
    try:
        if request.POST.get("action") == "unlike":
            services.unlike(request.user, found)
        else:
            services.like(request.user, found)
    except (ValidationError, PermissionDenied) as exc:
        error = "；".join(messages_of(exc))
    found.refresh_from_db(fields=["like_count"])
    liked = bool(queries.liked_ids(request.user, [found.pk]))
    if request.headers.get("HX-Request"):
        return render(request, "space/_like.html", {"post": found, "liked": liked, "like_error": error})
    if error:
        messages.error(request, error)
    return redirect("space:post", found.pk)


@login_required
@require_POST
def comment(request: HttpRequest, post_id: int) -> HttpResponse:
    found = _post(request, post_id)
    form = CommentForm(request.POST)
    error = ""
    if form.is_valid():
        parent_id = form.cleaned_data.get("parent")
        parent = queries.comment_for(request.user, found, parent_id) if parent_id else None
        try:
            if parent_id and parent is None:
                raise ValidationError(_("要回复的评论不存在。"))
            made = services.add_comment(request.user, found, form.cleaned_data["body"], parent=parent)
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
            error = "；".join(messages_of(exc))
        else:
            form = CommentForm()
            if made.status == "pending":
                error = _("评论已提交，审核通过后公开：%(why)s。") % {"why": made.held_reason}
    else:
        error = "；".join(m for errors in form.errors.values() for m in errors)
    if request.headers.get("HX-Request"):
        found.refresh_from_db(fields=["comment_count"])
        return render(
            request,
            "space/_comments.html",
            {
                "post": found,
                "comments": queries.comments_of(request.user, found),
                "comment_form": form,
                "comment_error": error,
                "may_interact": True,
            },
        )
    if error:
        messages.warning(request, error)
    return redirect("space:post", found.pk)


@login_required
@require_POST
def report(request: HttpRequest, post_id: int) -> HttpResponse:
    found = _post(request, post_id)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明举报理由（最多 200 字）。"))
        return redirect("space:post", found.pk)
    comment_id = form.cleaned_data.get("comment")
    target = queries.comment_for(request.user, found, comment_id) if comment_id else None
    if comment_id and target is None:
        raise Http404
    flash_outcome(
        request,
        lambda: services.report(request.user, found, form.cleaned_data["reason"], comment=target),
        _("已举报，管理员会尽快处理。谢谢！"),
    )
    if queries.post_for(request.user, found.pk) is None:  # hidden by this report: back to its space, not a 404
        messages.info(request, _("该帖子已暂时隐藏，等待管理员审核。"))
        return redirect("space:space", found.space_id)
    return redirect("space:post", found.pk)


@login_required
@require_POST
def delete(request: HttpRequest, post_id: int) -> HttpResponse:
    found = _post(request, post_id)
    if flash_outcome(request, lambda: services.delete_post(request.user, found), _("帖子已删除。")) is None:
        return redirect("space:post", found.pk)
    return redirect("space:space", found.space_id)


@login_required
@require_POST
def pin(request: HttpRequest, post_id: int) -> HttpResponse:
    found = _post(request, post_id)
    pinned = request.POST.get("pinned") == "1"
    flash_outcome(
        request,
        lambda: services.set_pinned(request.user, found, pinned),
        _("已置顶。") if pinned else _("已取消置顶。"),
    )
    return redirect("space:post", found.pk)


@login_required
def picture(request: HttpRequest, picture_id: int) -> HttpResponse:
    """A post's picture, for those who may open the post; never cached by a shared cache."""
    found = queries.picture_for(request.user, picture_id)
    if found is None:
        raise Http404
    return private_picture(found.image)


@login_required
def display_name(request: HttpRequest, space_id: int) -> HttpResponse:
    found = _space(request, space_id)
    profile = services.profile_for(request.user, found) if services.may_post(request.user, found) else None
    if profile is None:
        raise Http404
    return form_page(
        request,
        DisplayNameForm,
        "space/display_name.html",
        save=lambda form: services.set_display_name(
            request.user, found, form.cleaned_data["display_name"], real_name=form.cleaned_data["real_name"]
        ),
        done=lambda p: _("显示名称已改为“%(name)s”。") % {"name": p.display_name},
        next_url=reverse("space:space", args=[found.pk]),
        context={"space": found, "profile": profile, "active_tab": "interact"},
        form_kwargs={"initial": {"display_name": profile.display_name}},
    )


# ------------------------------------------------------------------------------------------ the office


def _require_moderator(request: HttpRequest) -> None:
    if queries.moderation_scope(request.user).is_empty:
        raise PermissionDenied(_("您没有审核互动空间内容的权限。"))


@login_required
def office(request: HttpRequest) -> HttpResponse:
    """The moderation queue: held posts and comments and open reports, with the real author (audited)."""
    _require_moderator(request)
    space_id = int_param(request, "space")
    chosen = get_object_or_404(queries.moderated_spaces(request.user), pk=space_id) if space_id else None
    items = services.reveal_queue(request.user, space=chosen)
    return render(
        request,
        "space/office.html",
        {
            "items": items,
            "hidden": queries.recently_hidden(request.user, space=chosen),
            "spaces": queries.moderated_spaces(request.user),
            "chosen": chosen,
            "form": DecisionForm(),
            "office": True,
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, post_id: int) -> HttpResponse:
    _require_moderator(request)
    found = _post(request, post_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择处理方式并写明理由（最多 200 字）。"))
        return redirect("space:post", found.pk) if request.POST.get("next") == "post" else redirect("space:office")
    comment_id = form.cleaned_data.get("comment")
    target = found.comments.filter(pk=comment_id).first() if comment_id else None
    if comment_id and target is None:
        raise Http404
    flash_outcome(
        request,
        lambda: services.moderate(
            request.user, found, form.cleaned_data["decision"], form.cleaned_data["reason"], comment=target
        ),
        _("已处理。"),
    )
    if request.POST.get("next") == "post":
        return redirect("space:post", found.pk)
    return redirect("space:office")


@login_required
def words(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    search = text_param(request, "q", 40)
    form = WordsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            n = services.add_words(request.user, form.cleaned_data["words"], form.cleaned_data["level"])
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("已保存 %(n)d 个敏感词。") % {"n": n})
            return redirect("space:words")
    page = Paginator(queries.word_list(request.user, search), 50).get_page(request.GET.get("page"))
    return render(request, "space/words.html", {"form": form, "page": page, "q": search, "office": True})


@login_required
@require_POST
def delete_word(request: HttpRequest, word_id: int) -> HttpResponse:
    _require_moderator(request)
    found = get_object_or_404(queries.word_list(request.user), pk=word_id)
    flash_outcome(request, lambda: services.remove_word(request.user, found), _("已删除“%(w)s”。") % {"w": found.word})
    return redirect("space:words")


@login_required
def settings(request: HttpRequest, space_id: int) -> HttpResponse:
    _require_moderator(request)
    found = get_object_or_404(queries.moderated_spaces(request.user), pk=space_id)
    return form_page(
        request,
        SpaceForm,
        "space/settings.html",
        save=lambda form: services.update_space(request.user, found, **form.cleaned_data),
        done=_("已保存。"),
        next_url=reverse("space:office"),
        context={"space": found, "office": True},
        form_kwargs={
            "initial": {
                "name": found.name,
                "description": found.description,
                "official_name": found.official_name,
                "premoderation": found.premoderation,
                "active": found.active,
            }
        },
    )


@login_required
def new_space(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    organisations = list(queries.creatable_organisations(request.user))
    by_id = {o.pk: o for o in organisations}

    def save(form: NewSpaceForm) -> Space:
        data = form.cleaned_data
        organisation = by_id.get(data["organisation"])
        if organisation is None:
            raise ValidationError(_("请选择所属组织。"))
        return services.create_space(
            request.user,
            organisation,
            data["name"],
            description=data["description"],
            premoderation=data["premoderation"],
            official_name=data["official_name"],
            everyone=data["everyone"],
        )

    return form_page(
        request,
        NewSpaceForm,
        "space/settings.html",
        save=save,
        done=lambda s: _("已开设“%(name)s”。") % {"name": s.name},
        next_url=reverse("space:office"),
        context={"office": True, "creating": True},
        form_kwargs={"organisations": organisations},
    )


@login_required
def words_export(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    rows = queries.word_list(request.user)
    services.record_export(request.user, "words")
    return attachment(exports.words_workbook(rows), _("敏感词表.xlsx"))


@login_required
def decisions_export(request: HttpRequest) -> HttpResponse:
    """The moderation log with real names (后台实名), for the moderators' own spaces; the download is audited."""
    _require_moderator(request)
    rows = queries.decisions_in_scope(request.user)
    services.record_export(request.user, "decisions")
    return attachment(exports.decisions_workbook(rows), _("互动空间审核记录.xlsx"))
