"""Which audit entries a viewer may read: those about objects, people and organisations inside their
``Cap.VIEW_AUDIT`` scope, and those written by people inside it (issue 11, item 3). Administrators read all.

An entry names its object by type (``app_label.model``) and id only, so each type is placed in the organisation
tree by its model's own links, found once per model: an organisation by its path, a person by their current
membership (``Scope.people``), anything else by its foreign keys (or many-to-many) to an organisation — a
pipeline's branch, a transfer's two ends — or, failing that, to a person — a points entry's owner, a
question's asker — looking one step further through other foreign keys (a ballot's election's organisation).
A type that cannot be placed at all (a year of points expiry, a deleted model) is seen through its actor only.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from plaza.orgs.models import Organisation
from plaza.orgs.permissions import Cap, Scope

from .models import AuditEntry

#: (lookup, kind): kind "org" for a path lookup, "person" for a lookup that ends on a person.
Link = tuple[str, str]


def _is_person(model: type[models.Model]) -> bool:
    return model is get_user_model()


def _is_tree(model: type[models.Model]) -> bool:
    return model is Organisation or _is_person(model)


def _direct_links(model: type[models.Model], prefix: str) -> tuple[list[Link], list[Link], list[Link], list[Link]]:
    """The model's own links to the tree: to organisations; to the one person it belongs to (a foreign key);
    to people it concerns (many-to-many: a step's introducers); to the people (``*_by``) who acted on it."""
    orgs: list[Link] = []
    owner: list[Link] = []
    concerned: list[Link] = []
    doers: list[Link] = []
    for field in model._meta.get_fields():
        if not (field.is_relation and field.concrete and (field.many_to_one or field.one_to_one or field.many_to_many)):
            continue
        target = field.related_model
        if target is Organisation:
            orgs.append((f"{prefix}{field.name}__path", "org"))
        elif _is_person(target):
            kind = doers if field.name.endswith("_by") else concerned if field.many_to_many else owner
            kind.append((f"{prefix}{field.name}", "person"))
    return orgs, owner, concerned, doers


@cache
def links_of(model: type[models.Model]) -> tuple[Link, ...]:
    """How rows of ``model`` are placed in the tree (empty: they cannot be), in this order of preference: its
    own organisation; the person it belongs to (an order's, a points entry's); the organisation of what it
    belongs to (a step record's pipeline's branch); the people it concerns; the person of what it belongs to;
    last, whoever acted on it."""
    if model is Organisation:
        return (("path", "org"),)
    if _is_person(model):
        return (("pk", "person"),)
    own = _direct_links(model, "")
    further: tuple[list[Link], ...] = ([], [], [], [])
    for field in model._meta.get_fields():
        target = field.related_model
        if field.is_relation and field.many_to_one and field.concrete and not _is_tree(target):
            for mine, theirs in zip(further, _direct_links(target, f"{field.name}__"), strict=True):
                mine.extend(theirs)
    for candidates in (own[0], own[1], further[0], own[2], further[1], own[3]):
        if candidates:
            return tuple(candidates)
    return ()


def _integer_pk(model: type[models.Model]) -> bool:
    pk = model._meta.pk
    return isinstance(pk.target_field if pk.is_relation else pk, models.IntegerField)


def _model_of(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _inside(scope: Scope, links: tuple[Link, ...]) -> Q:
    q = Q(pk__in=[])
    people = scope.people().values("pk")
    for lookup, kind in links:
        q |= scope.q(lookup) if kind == "org" else Q(**{f"{lookup}__in": people})
    return q


def visible_entries(viewer: Any, entries: QuerySet[AuditEntry] | None = None) -> QuerySet[AuditEntry]:
    """The audit entries ``viewer`` may read (none without ``Cap.VIEW_AUDIT``)."""
    entries = AuditEntry.objects.all() if entries is None else entries
    scope = Scope.of(viewer, Cap.VIEW_AUDIT)
    if scope.everything:
        return entries
    if scope.is_empty:
        return entries.none()
    visible = Q(actor__in=scope.people().values("pk"))
    for object_type in AuditEntry.objects.order_by().values_list("object_type", flat=True).distinct():
        model = _model_of(object_type)
        links = links_of(model) if model is not None else ()
        if not links or not _integer_pk(model):  # ids compared as text below
            continue
        keys = model._default_manager.filter(_inside(scope, links)).annotate(key=Cast("pk", CharField()))
        visible |= Q(object_type=object_type, object_id__in=keys.values("key"))
    return entries.filter(visible)
