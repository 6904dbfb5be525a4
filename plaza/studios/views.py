"""工匠工作室 pages: studios with their figures and achievements charted per year, 绝活 with a search, the
honours registry (a person's and an organisation's honours), and 师带徒: pairs, monthly check-ins, sign-offs
(mentor, then studio leader), the result and statistics per studio and organisation."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib.formpage import form_page
from plaza.lib.http import attachment, private_picture
from plaza.lib.params import choice_param, text_param
from plaza.lib.refusals import flash_outcome
from plaza.lib.schemas import found_or_404

from . import exports, queries, services
from .forms import (
    AchievementForm,
    CheckInForm,
    CraftForm,
    FinishForm,
    HonourForm,
    LearnerForm,
    MemberForm,
    PairForm,
    RefuseForm,
    StudioForm,
)
from .models import AchievementKind, HonourKind, Pair, SkillState, Studio

FORM = "studios/form.html"


def _form(request: HttpRequest, form_class, *, title: str, save, done, next_url, crumb=None, **kwargs):  # noqa: ANN001, ANN003, ANN202
    return form_page(
        request,
        form_class,
        FORM,
        save=save,
        done=done,
        next_url=next_url,
        context={"title": title, "crumb": crumb, "active_tab": "learn"},
        form_kwargs=kwargs or None,
    )


def _studio(request: HttpRequest, studio_id: int) -> Studio:
    return found_or_404(queries.studio_for(request.user, studio_id))


def _managed(request: HttpRequest, studio_id: int) -> Studio:
    found = _studio(request, studio_id)
    if not services.may_manage(request.user, found):
        raise PermissionDenied(_("只有工作室领办人或工会、组织部工作人员可以维护该工作室。"))
    return found


# ------------------------------------------------------------------------------------------ studios


@login_required
def index(request: HttpRequest) -> HttpResponse:
    q = text_param(request, "q")
    return render(
        request,
        "studios/index.html",
        {
            "page": Paginator(queries.studios(request.user, q), 20).get_page(request.GET.get("page")),
            "q": q,
            "may_add": queries.organisations_for(request.user).exists(),
            "active_tab": "learn",
        },
    )


@login_required
def studio(request: HttpRequest, studio_id: int) -> HttpResponse:
    found = _studio(request, studio_id)
    kind = choice_param(request, "kind", AchievementKind.values)
    return render(
        request,
        "studios/studio.html",
        {
            "studio": found,
            "figures": queries.figures(found),
            "chart": queries.by_year(found.achievements.all()),
            "members": found.members.select_related("person"),
            "achievements": Paginator(queries.achievements_of(found, kind), 20).get_page(request.GET.get("page")),
            "kind": kind,
            "kinds": AchievementKind.choices,
            "crafts": found.crafts.select_related("creator"),
            "may_manage": services.may_manage(request.user, found),
            "active_tab": "learn",
        },
    )


@login_required
def new_studio(request: HttpRequest) -> HttpResponse:
    organisations = queries.organisations_for(request.user)
    if not organisations.exists():
        raise PermissionDenied(_("只有工会、组织部工作人员可以设立工作室。"))

    def save(form: StudioForm) -> Studio:
        data = dict(form.cleaned_data)
        organisation, leader = data.pop("organisation"), data.pop("leader")
        return services.create_studio(request.user, organisation, services.StudioData(**data), leader=leader)

    return _form(
        request,
        StudioForm,
        title=_("设立工作室"),
        save=save,
        done=_("工作室已设立。"),
        next_url=lambda s: reverse("studios:studio", args=[s.pk]),
        organisations=organisations,
    )


@login_required
def add_member(request: HttpRequest, studio_id: int) -> HttpResponse:
    found = _managed(request, studio_id)
    return _form(
        request,
        MemberForm,
        title=_("添加成员"),
        crumb=found,
        save=lambda f: services.add_member(request.user, found, f.cleaned_data["person"], role=f.cleaned_data["role"]),
        done=_("成员已添加。"),
        next_url=reverse("studios:studio", args=[found.pk]),
    )


@login_required
def add_achievement(request: HttpRequest, studio_id: int) -> HttpResponse:
    found = _managed(request, studio_id)
    return _form(
        request,
        AchievementForm,
        title=_("登记成果"),
        crumb=found,
        save=lambda f: services.add_achievement(request.user, found, **f.cleaned_data),
        done=_("成果已登记。"),
        next_url=reverse("studios:studio", args=[found.pk]),
    )


@login_required
def evidence(request: HttpRequest, achievement_id: int) -> HttpResponse:
    found = queries.achievement_for(request.user, achievement_id)
    if found is None or not found.evidence:
        raise Http404
    return FileResponse(found.evidence.open("rb"), as_attachment=True, filename=found.evidence_name or "evidence")


# ------------------------------------------------------------------------------------------ 绝活


@login_required
def crafts(request: HttpRequest) -> HttpResponse:
    q = text_param(request, "q")
    return render(
        request,
        "studios/crafts.html",
        {
            "page": Paginator(queries.crafts(request.user, q), 20).get_page(request.GET.get("page")),
            "q": q,
            "may_add": services.may_add_craft(request.user),
            "active_tab": "learn",
        },
    )


@login_required
def craft(request: HttpRequest, craft_id: int) -> HttpResponse:
    found = queries.craft_for(request.user, craft_id)
    if found is None:
        raise Http404
    may_record = services.may_record_learner(request.user, found)
    if request.method == "POST" and may_record:
        return form_page(
            request,
            LearnerForm,
            "studios/craft.html",
            save=lambda f: services.record_learner(request.user, found, f.cleaned_data["person"]),
            done=_("已登记。"),
            next_url=reverse("studios:craft", args=[found.pk]),
            context={"craft": found, "may_record": True, "active_tab": "learn"},
        )
    return render(
        request,
        "studios/craft.html",
        {
            "craft": found,
            "form": LearnerForm() if may_record else None,
            "may_record": may_record,
            "active_tab": "learn",
        },
    )


@login_required
def new_craft(request: HttpRequest) -> HttpResponse:
    if not services.may_add_craft(request.user):
        raise PermissionDenied(_("只有工作室领办人或工会、组织部工作人员可以登记绝活。"))
    return _form(
        request,
        CraftForm,
        title=_("登记绝活"),
        save=lambda f: services.save_craft(request.user, **f.cleaned_data),
        done=_("绝活已登记。"),
        next_url=lambda c: reverse("studios:craft", args=[c.pk]),
        studios=queries.studio_choices(request.user),
    )


@login_required
def picture(request: HttpRequest, picture_id: int) -> HttpResponse:
    found = queries.picture_for(request.user, picture_id)
    if found is None:
        raise Http404
    return private_picture(found.image, max_age=86400)


# ------------------------------------------------------------------------------------------ honours


@login_required
def honours(request: HttpRequest) -> HttpResponse:
    q = text_param(request, "q")
    kind = choice_param(request, "kind", HonourKind.values)
    rows = queries.honours(request.user, kind=kind, q=q)
    return render(
        request,
        "studios/honours.html",
        {
            "page": Paginator(rows, 30).get_page(request.GET.get("page")),
            "q": q,
            "kind": kind,
            "kinds": HonourKind.choices,
            "may_add": queries.organisations_for(request.user).exists(),
            "active_tab": "learn",
        },
    )


@login_required
def person_honours(request: HttpRequest, person_id: int) -> HttpResponse:
    person, rows = queries.honours_of_person(request.user, person_id)
    if person is None:
        raise Http404
    return render(
        request,
        "studios/holder.html",
        {"holder": person.name, "rows": rows, "crafts": person.crafts_created.all(), "active_tab": "learn"},
    )


@login_required
def organisation_honours(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation, rows = queries.honours_of_organisation(request.user, organisation_id)
    if organisation is None:
        raise Http404
    return render(request, "studios/holder.html", {"holder": organisation.name, "rows": rows, "active_tab": "learn"})


@login_required
def new_honour(request: HttpRequest) -> HttpResponse:
    organisations = queries.organisations_for(request.user)
    if not organisations.exists():
        raise PermissionDenied(_("只有工会、组织部工作人员可以登记荣誉。"))

    def save(form: HonourForm) -> object:
        data = dict(form.cleaned_data)
        return services.add_honour(request.user, person=data.pop("holder"), **data)

    return _form(
        request,
        HonourForm,
        title=_("登记荣誉"),
        save=save,
        done=_("荣誉已登记。"),
        next_url=reverse("studios:honours"),
        organisations=organisations,
    )


# ------------------------------------------------------------------------------------------ 师带徒


@login_required
def pairs(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "studios/pairs.html",
        {
            "page": Paginator(queries.pairs(request.user), 20).get_page(request.GET.get("page")),
            "may_add": queries.studio_choices(request.user).exists(),
            "active_tab": "learn",
        },
    )


def _pair(request: HttpRequest, pair_id: int) -> Pair:
    return found_or_404(queries.pair_for(request.user, pair_id))


@login_required
def pair(request: HttpRequest, pair_id: int) -> HttpResponse:
    found = _pair(request, pair_id)
    role = services.role_in(request.user, found)
    skills = list(found.skills.all())
    for skill in skills:
        skill.pair = found
    if request.method == "POST" and role:
        return form_page(
            request,
            CheckInForm,
            "studios/pair.html",
            save=lambda f: services.check_in(request.user, found, **f.cleaned_data),
            done=_("本月交流已记录。"),
            next_url=reverse("studios:pair", args=[found.pk]),
            context=_pair_context(request, found, skills, role),
        )
    return render(
        request,
        "studios/pair.html",
        {**_pair_context(request, found, skills, role), "form": CheckInForm() if role else None},
    )


def _pair_context(request: HttpRequest, found: Pair, skills: list, role: str) -> dict:  # type: ignore[type-arg]
    may_finish = services.may_finish(request.user, found)
    return {
        "pair": found,
        "skills": [(s, services.may_sign(request.user, s)) for s in skills],
        "signed": SkillState.SIGNED,
        "check_ins": found.check_ins.select_related("author"),
        "role": role,
        "refuse_form": RefuseForm(),
        "may_finish": may_finish,
        "finish_form": FinishForm(crafts=queries.crafts(request.user)) if may_finish else None,
        "active_tab": "learn",
    }


@login_required
def new_pair(request: HttpRequest) -> HttpResponse:
    studios = queries.studio_choices(request.user)
    if not studios.exists():
        raise PermissionDenied(_("只有工作室领办人或工会、组织部工作人员可以结成师徒对子。"))

    def save(form: PairForm) -> Pair:
        data = dict(form.cleaned_data)
        return services.create_pair(request.user, data.pop("studio"), **data)

    return _form(
        request,
        PairForm,
        title=_("结成师徒对子"),
        save=save,
        done=_("师徒对子已结成，双方将收到通知。"),
        next_url=lambda p: reverse("studios:pair", args=[p.pk]),
        studios=studios,
    )


@login_required
@require_POST
def sign(request: HttpRequest, pair_id: int, skill_id: int) -> HttpResponse:
    found = _pair(request, pair_id)
    skill = queries.skill_for(found, skill_id)
    if skill is None:
        raise Http404
    flash_outcome(request, lambda: services.sign_skill(request.user, skill), _("已签认。"))
    return redirect("studios:pair", found.pk)


@login_required
@require_POST
def refuse(request: HttpRequest, pair_id: int, skill_id: int) -> HttpResponse:
    found = _pair(request, pair_id)
    skill = queries.skill_for(found, skill_id)
    if skill is None:
        raise Http404
    form = RefuseForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    flash_outcome(request, lambda: services.refuse_skill(request.user, skill, reason=reason), _("已退回。"))
    return redirect("studios:pair", found.pk)


@login_required
def finish(request: HttpRequest, pair_id: int) -> HttpResponse:
    found = _pair(request, pair_id)
    return _form(
        request,
        FinishForm,
        title=_("确认出师"),
        save=lambda f: services.finish_pair(request.user, found, **f.cleaned_data),
        done=_("已确认出师。"),
        next_url=reverse("studios:pair", args=[found.pk]),
        crafts=queries.crafts(request.user),
    )


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    if not queries.may_see_statistics(request.user):
        raise PermissionDenied(_("工作室统计供工作室领办人和工会、组织部工作人员查看。"))
    per_studio, per_org = queries.pair_statistics(request.user)
    managed = queries.reported_studios(request.user)
    if request.GET.get("format") == "xlsx":
        record(request.user, actions.STUDIOS_STATS_EXPORT, object_type="studios.studio")
        return attachment(exports.statistics_workbook(managed, per_studio, per_org), "工匠工作室统计.xlsx")
    return render(
        request,
        "studios/stats.html",
        {
            "per_studio": per_studio,
            "per_org": per_org,
            "chart": queries.by_year(queries.achievements_in(managed)),
            "active_tab": "learn",
        },
    )
