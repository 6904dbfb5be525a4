"""Every read of 通星汇 the pages, the API and the exports share, scoped to the viewer.

- Ambassadors see their own leads (phones masked) and the rankings.
- Dealer staff (:class:`~plaza.ambassadors.models.DealerStaff`) see only the leads assigned to their dealer.
- Staff with ``Cap.AMBASSADORS`` see products, campaigns, dealers, routing, the funnel and every lead of the
  ambassadors in their scope, phones masked.

A query returns ``None`` (or an empty queryset) for "not there or not yours"; none raises a 404 (the view decides that).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from plaza.accounts.models import Person
from plaza.lib import clock, memo
from plaza.localrules import services as localrules
from plaza.orgs.models import Organisation, Tree
from plaza.orgs.permissions import Cap, Scope, can
from plaza.quiz import queries as quiz_queries  # the 答题 app's public query (issue 15)
from plaza.quiz.models import Contest
from plaza.rules import referrals

from . import links
from .models import (
    Ambassador,
    Attribution,
    Campaign,
    Dealer,
    DealerStaff,
    Lead,
    Outbound,
    Product,
    Programme,
    Route,
    Score,
    Stage,
    Visit,
)

# ------------------------------------------------------------------------------------------------ settings


def programme() -> Programme:
    """The programme's settings (an unsaved default row until staff first save them)."""
    return Programme.objects.order_by("pk").first() or Programme()


def root_organisation() -> Organisation | None:
    """The enterprise's top Party committee: where the programme's local rules (本单位规定) are read."""
    return Organisation.objects.filter(depth=1, tree=Tree.PARTY).order_by("path").first()


#: The programme's local rules (本单位规定), read together and cached for the day (see :func:`rule`).
RULE_KEYS = ("referrals.protect_days", "referrals.first_contact_hours", "referrals.freeze_days")


def rule(key: str) -> int:
    """One of the programme's local rules (``referrals.protect_days``, ``referrals.first_contact_hours``,
    ``referrals.freeze_days``) as set for the enterprise (plaza.rules.local), in force today. Read once a day
    into the cache under the landing version (a change of any of them bumps it: ``localrules.on_change``), so a
    lead submission does not walk the rules table twice."""
    if key not in RULE_KEYS:
        return int(localrules.value(root_organisation(), key))
    cache_key = f"ambassadors:rules:{landing_version()}:{clock.today():%Y%m%d}"
    found = cache.get(cache_key)
    if found is None:
        found = {
            effective.rule.key: int(effective.value)
            for effective in localrules.explain_all(root_organisation())
            if effective.rule.key in RULE_KEYS
        }
        cache.set(cache_key, found, 3600)
    return int(found[key])


def executives_apart() -> bool:
    """Setting ``PLAZA_AMBASSADORS_EXECUTIVES_APART`` (default True): executives rank in a list of their own."""
    return bool(getattr(settings, "PLAZA_AMBASSADORS_EXECUTIVES_APART", True))


def may_manage(viewer: Any) -> bool:
    return can(viewer, Cap.AMBASSADORS)


def quiz_passed(person: Any, contest_id: int | None) -> bool | None:
    """Whether the person passed the product quiz (``plaza.quiz.queries.passed_contest``, their best attempt
    reaching the contest's pass rate); None when there is no such contest."""
    contest = Contest.objects.filter(pk=contest_id).first() if contest_id else None
    if contest is None:
        return None
    return bool(quiz_queries.passed_contest(person, contest))


# ---------------------------------------------------------------------------------------------- ambassadors


def ambassador_of(person: Any) -> Ambassador | None:
    if not getattr(person, "is_authenticated", False):
        return None
    return Ambassador.objects.filter(person=person, active=True).select_related("unit").first()


def products() -> QuerySet[Product]:
    return Product.objects.filter(active=True)


def product(product_id: int) -> Product | None:
    return products().filter(pk=product_id).first()


def campaigns_of(product: Product, on: date | None = None) -> QuerySet[Campaign]:
    on = on or clock.today()
    return product.campaigns.filter(active=True, starts_on__lte=on, ends_on__gte=on)


@dataclass(frozen=True)
class Target:
    """What a share link opens: the ambassador, the product and the campaign (or None)."""

    ambassador: Ambassador
    product: Product
    campaign: Campaign | None
    code: str


def link_target(code: str) -> Target | None:
    link = links.decode(code)
    if link is None:
        return None
    ambassador = Ambassador.objects.filter(pk=link.ambassador_id, active=True).select_related("person", "unit").first()
    found = landing_choices().product(link.product_id)
    if ambassador is None or found is None:
        return None
    campaign = None
    if link.campaign_id:
        campaign = Campaign.objects.filter(pk=link.campaign_id, products=found).first()
    return Target(ambassador, found, campaign, code)


def my_leads(person: Any) -> QuerySet[Lead]:
    """The viewer's own leads as an ambassador (phones masked by the templates: ``lead.masked_phone``)."""
    ambassador = ambassador_of(person)
    if ambassador is None:
        return Lead.objects.none()
    return Lead.objects.filter(ambassador=ambassador).select_related("product", "dealer")


@dataclass(frozen=True)
class Summary:
    visitors: int
    leads: int
    credited: int
    test_drives: int
    deals: int
    frozen: int

    @property
    def retention(self) -> Decimal | None:
        return referrals.retention_rate(self.credited, self.visitors)


def summary_of(ambassador: Ambassador) -> Summary:
    leads = Lead.objects.filter(ambassador=ambassador).aggregate(
        leads=Count("pk"),
        credited=Count("pk", filter=Q(status=Attribution.CREDITED)),
        test_drives=Count("pk", filter=Q(status=Attribution.CREDITED, test_drive_at__isnull=False)),
        deals=Count("pk", filter=Q(status=Attribution.CREDITED, deal_credited_on__isnull=False)),
        frozen=Count(
            "pk",
            filter=Q(status=Attribution.CREDITED, stage=Stage.DELIVERED, deal_credited_on__isnull=True),
        ),
    )
    visitors = Visit.objects.filter(ambassador=ambassador).values("visitor").distinct().count()
    return Summary(visitors=visitors, **leads)


# -------------------------------------------------------------------------------------------------- dealers


@dataclass(frozen=True)
class LandingChoices:
    """What the public landing page and a lead submission read that staff change a few times a year: the
    active products, the cities and dealers of the form, and the assignment rules (for :func:`route`)."""

    cities: list[str]
    products: list[Product]
    dealers: list[Dealer]
    routes: list[Route] = field(default_factory=list)

    def product(self, product_id: int | None) -> Product | None:
        return next((p for p in self.products if p.pk == product_id), None)

    def dealer(self, dealer_id: int | None) -> Dealer | None:
        return next((d for d in self.dealers if d.pk == dealer_id), None)


#: The cache key whose value names the current version of everything the landing page caches (its choices, its
#: rendered pages, the programme's rules). Services replace it when a product, campaign, dealer, assignment
#: rule, ambassador or rule changes (``services.landing_changed``), so every cached copy is stale at once.
LANDING_VERSION_KEY = "ambassadors:landing-version"
LANDING_SECONDS = 3600  # a cached copy lives at most this long even if nothing changed


def landing_version() -> str:
    """The current landing version (made when missing: a cache restart makes every copy stale, never wrong)."""
    version = cache.get(LANDING_VERSION_KEY)
    if version is None:
        cache.add(LANDING_VERSION_KEY, secrets.token_hex(4), None)
        version = cache.get(LANDING_VERSION_KEY) or "0"
    return str(version)


def landing_choices() -> LandingChoices:
    """The landing form's cities, products and dealers and the assignment rules, cached under the landing
    version: the public page is the one that takes the traffic of every shared link."""
    key = f"ambassadors:landing-choices:{landing_version()}"
    found = cache.get(key)
    if found is None:
        found = LandingChoices(
            cities(),
            list(products()),
            list(dealer_choices()),
            list(Route.objects.filter(dealer__active=True).select_related("dealer").order_by("pk")),
        )
        cache.set(key, found, LANDING_SECONDS)
    return found


def landing_page_key(code: str, language: str) -> str:
    """Where the landing page's rendered copy for a share code (and language) is cached."""
    return f"ambassadors:landing:{landing_version()}:{language}:{code[:32]}"


def dealers() -> QuerySet[Dealer]:
    return Dealer.objects.filter(active=True)


def cities() -> list[str]:
    return list(dealers().order_by("city").values_list("city", flat=True).distinct())


def dealer_choices(city: str = "") -> QuerySet[Dealer]:
    found = dealers()
    return found.filter(city=city) if city else found


def route(city: str, product: Product | None, preferred_id: int | None = None) -> Dealer | None:
    """The dealer a lead goes to: the prospect's preferred dealer when it is an active one in that city, else
    the first assignment rule for the city and product (a rule for the product before one for any product),
    else the city's first dealer. Read from the cached :func:`landing_choices` (no query on a warm cache)."""
    choices = landing_choices()
    if preferred_id:
        chosen = choices.dealer(preferred_id)
        if chosen is not None and chosen.city == city:
            return chosen
    product_id = product.pk if product is not None else None
    rules = [r for r in choices.routes if r.city == city and r.product_id in (product_id, None)]
    rules.sort(key=lambda r: (r.product_id is None, r.priority, r.pk))
    if rules:
        return rules[0].dealer
    in_city = sorted((d for d in choices.dealers if d.city == city), key=lambda d: d.pk)
    return in_city[0] if in_city else None


_DEALER_MEMO = "ambassadors_dealer"


def dealer_of(person: Any) -> Dealer | None:
    """The dealer whose leads the person follows up, or None (not dealer staff). Asked by several checks of one
    page (the sections' visibility, the outsiders' limits, the page itself): one query per person object (a
    request's user); ``services`` forgets it when they add or remove the person."""
    if not getattr(person, "is_authenticated", False):
        return None

    def work_out() -> Dealer | None:
        staff = DealerStaff.objects.filter(person=person, active=True, dealer__active=True).select_related("dealer")
        row = staff.first()
        return row.dealer if row else None

    return memo.remembered(person, _DEALER_MEMO, work_out)


def is_dealer_staff(person: Any) -> bool:
    """Whether the person is, or was, a dealer's sales staff: someone from outside the enterprise, limited to their
    dealer's leads (``plaza.lib.sections.register_outsiders``) — also once removed or their dealer stopped, so a
    former dealer's login never opens the enterprise's own pages."""
    if not getattr(person, "is_authenticated", False):
        return False
    return DealerStaff.objects.filter(person=person).exists()


def forget_dealer(person: Any) -> None:
    memo.forget(person)


def dealer_leads(person: Any, stage: str = "") -> QuerySet[Lead]:
    """The leads assigned to the viewer's dealer (nothing for anyone else); duplicates are merged, so only
    credited leads reach a dealer's list."""
    dealer = dealer_of(person)
    if dealer is None:
        return Lead.objects.none()
    found = Lead.objects.filter(dealer=dealer, status=Attribution.CREDITED).select_related("product")
    if stage:
        found = found.filter(stage=stage)
    return found.order_by("-created_at", "-pk")


def dealer_lead(person: Any, lead_id: int) -> Lead | None:
    return dealer_leads(person).filter(pk=lead_id).first()


def overdue_first_contact(person: Any, now: datetime | None = None) -> QuerySet[Lead]:
    return dealer_leads(person, Stage.NEW).filter(contact_due_at__lt=now or clock.now())


# ---------------------------------------------------------------------------------------------------- staff


def staff_scope(viewer: Any) -> Scope:
    return Scope.of(viewer, Cap.AMBASSADORS)


def staff_leads(
    viewer: Any, *, stage: str = "", dealer_id: int | None = None, flagged: bool = False, search: str = ""
) -> QuerySet[Lead]:
    """Leads of the ambassadors in the viewer's scope (every lead for an administrator)."""
    scope = staff_scope(viewer)
    if scope.is_empty:
        return Lead.objects.none()
    found = Lead.objects.select_related("ambassador", "product", "dealer")
    if not scope.everything:
        found = found.filter(scope.q("ambassador__unit__path"))
    if stage:
        found = found.filter(stage=stage)
    if dealer_id:
        found = found.filter(dealer_id=dealer_id)
    if flagged:
        found = found.filter(flagged=True)
    if search:  # the prospect's name or the ambassador's (a phone is never searched in the clear)
        found = found.filter(Q(name__contains=search) | Q(ambassador__display_name__contains=search))
    return found.order_by("-created_at", "-pk")


def managed_products(viewer: Any) -> QuerySet[Product]:
    return Product.objects.all() if may_manage(viewer) else Product.objects.none()


def managed_product(viewer: Any, product_id: int) -> Product | None:
    return managed_products(viewer).filter(pk=product_id).first()


def managed_campaigns(viewer: Any) -> QuerySet[Campaign]:
    return Campaign.objects.prefetch_related("products") if may_manage(viewer) else Campaign.objects.none()


def managed_campaign(viewer: Any, campaign_id: int) -> Campaign | None:
    return managed_campaigns(viewer).filter(pk=campaign_id).first()


def managed_dealers(viewer: Any) -> QuerySet[Dealer]:
    if not may_manage(viewer):
        return Dealer.objects.none()
    return Dealer.objects.annotate(staff_count=Count("staff", filter=Q(staff__active=True), distinct=True))


def managed_dealer(viewer: Any, dealer_id: int) -> Dealer | None:
    return managed_dealers(viewer).filter(pk=dealer_id).first()


def routes(viewer: Any) -> QuerySet[Route]:
    return Route.objects.select_related("product", "dealer") if may_manage(viewer) else Route.objects.none()


def managed_ambassadors(viewer: Any, search: str = "") -> QuerySet[Ambassador]:
    """The ambassadors of the viewer's scope (by their 班组/branch), by name or employee number."""
    scope = staff_scope(viewer)
    if scope.is_empty:
        return Ambassador.objects.none()
    found = Ambassador.objects.filter(active=True).select_related("person", "unit")
    if not scope.everything:
        found = found.filter(scope.q("unit__path"))
    if search:
        found = found.filter(
            Q(display_name__contains=search) | Q(person__name__contains=search) | Q(person__employee_no=search)
        )
    return found.order_by("-executive", "person__employee_no")


def managed_ambassador(viewer: Any, ambassador_id: int) -> Ambassador | None:
    scope = staff_scope(viewer)
    if scope.is_empty:
        return None
    found = Ambassador.objects.filter(pk=ambassador_id).select_related("person", "unit")
    if not scope.everything:
        found = found.filter(scope.q("unit__path"))
    return found.first()


def person_by_employee_no(employee_no: str) -> Any:
    """The active login with this employee number (to make them a dealer's sales staff), or None."""
    return Person.objects.filter(employee_no=(employee_no or "").strip(), is_active=True).first()


def outbox(viewer: Any) -> QuerySet[Outbound]:
    if not may_manage(viewer):
        return Outbound.objects.none()
    return Outbound.objects.select_related("lead", "dealer").order_by("-next_at")


# ------------------------------------------------------------------------------------------ rankings, funnel

PERIODS = ("month", "year", "all")
LEVELS = ("person", "unit", "organisation", "enterprise")


def period_start(period: str, today: date | None = None) -> date | None:
    today = today or clock.today()
    if period == "month":
        return today.replace(day=1)
    if period == "year":
        return today.replace(month=1, day=1)
    return None


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class RankRow:
    rank: int
    key: Any
    name: str
    unit: str
    leads: int
    deals: int


#: The score column each grouped ranking groups by (kept on the score rows: ``Score.unit_key`` …).
GROUP_KEYS = {"unit": "unit_key", "organisation": "org_key", "enterprise": "top_key"}


def period_key(period: str, today: date | None = None) -> str:
    """The score period a ranking reads: this month ("2026-12"), this year ("2026") or all time ("all")."""
    today = today or clock.today()
    return {"month": f"{today:%Y-%m}", "year": f"{today:%Y}"}.get(period, "all")


def ranking(
    *,
    level: str = "person",
    period: str = "month",
    executives: bool = False,
    limit: int = 50,
    today: date | None = None,
) -> list[RankRow]:
    """The leaderboard: credited deals (after the freeze period), then credited leads, in the period (a lead by
    the day it came, a deal by the day it was credited), read from the ambassadors' scores. ``level`` groups by
    person, 班组/branch (the ambassador's own organisation), organisation (the one under the enterprise) or
    enterprise. With executives apart (a setting), the person ranking lists either only executives or only the
    others. Flagged leads and duplicates never count."""
    level = level if level in LEVELS else "person"
    base = Score.objects.filter(period=period_key(period, today)).filter(Q(leads__gt=0) | Q(deals__gt=0))
    if level == "person":
        if executives_apart():
            base = base.filter(ambassador__executive=executives)
        rows: list[dict[str, Any]] = [
            {"group": ambassador_id, "leads": leads, "deals": deals}
            for ambassador_id, leads, deals in base.order_by("-deals", "-leads", "ambassador_id").values_list(
                "ambassador_id", "leads", "deals"
            )[:limit]
        ]
    else:  # one aggregate over the period's rows by their stored grouping key (index amb_score_<level>)
        column = GROUP_KEYS[level]
        rows = list(
            base.exclude(**{column: ""})
            .values(group=F(column))
            .annotate(leads=Sum("leads"), deals=Sum("deals"))
            .order_by("-deals", "-leads", "group")[:limit]
        )
    keys = [row["group"] for row in rows]
    if level == "person":
        names = {
            a.pk: (a.display_name, a.unit.name if a.unit else "")
            for a in Ambassador.objects.filter(pk__in=keys).select_related("unit").only("display_name", "unit__name")
        }
    else:
        names = {o.path: (o.name, "") for o in Organisation.objects.filter(path__in=keys).only("path", "name")}
    result = []
    for index, row in enumerate(rows, start=1):
        name, unit = names.get(row["group"], ("—", ""))
        result.append(RankRow(index, row["group"], name, unit, row["leads"], row["deals"]))
    return result


def rank_of(ambassador: Ambassador, period: str = "all") -> int | None:
    """The ambassador's place in the person ranking (None without a credited lead or deal in the period)."""
    key = period_key(period)
    own = Score.objects.filter(ambassador=ambassador, period=key).first()
    if own is None or not (own.leads or own.deals):
        return None
    ahead = Score.objects.filter(period=key).filter(
        Q(deals__gt=own.deals)
        | Q(deals=own.deals, leads__gt=own.leads)
        | Q(deals=own.deals, leads=own.leads, ambassador_id__lt=ambassador.pk)
    )
    if executives_apart():
        ahead = ahead.filter(ambassador__executive=ambassador.executive)
    return ahead.count() + 1


DIMENSIONS = ("campaign", "product", "organisation", "ambassador")


@dataclass(frozen=True)
class FunnelRow:
    key: Any
    name: str
    visitors: int
    leads: int
    credited: int
    contacted: int
    visited: int
    test_drives: int
    orders: int
    deliveries: int

    @property
    def retention(self) -> Decimal | None:
        """留资率 = credited leads ÷ distinct visitors (rulebook section 10)."""
        return referrals.retention_rate(self.credited, self.visitors)

    @property
    def conversion(self) -> Decimal | None:
        """Deliveries ÷ credited leads."""
        return referrals.retention_rate(self.deliveries, self.credited)


def _dimension_field(dimension: str, prefix: str = "") -> Any:
    if dimension == "campaign":
        return F(f"{prefix}campaign_id")
    if dimension == "product":
        return F(f"{prefix}product_id")
    if dimension == "organisation":
        return Substr(f"{prefix}ambassador__unit__path", 1, Organisation.steplen * 2)
    return F(f"{prefix}ambassador_id")


def funnel(viewer: Any, dimension: str = "product", *, since: date | None = None) -> list[FunnelRow]:
    """The funnel per campaign, product, organisation or ambassador: distinct visitors → leads → credited →
    contacted → visited → test drives → orders → deliveries, for the ambassadors in the viewer's scope."""
    dimension = dimension if dimension in DIMENSIONS else "product"
    scope = staff_scope(viewer)
    if scope.is_empty:
        return []
    leads = Lead.objects.all()
    visits = Visit.objects.all()
    if not scope.everything:
        leads = leads.filter(scope.q("ambassador__unit__path"))
        visits = visits.filter(scope.q("ambassador__unit__path"))
    if since is not None:
        leads = leads.filter(created_at__gte=_moment(since))
        visits = visits.filter(at__gte=_moment(since))
    credited = Q(status=Attribution.CREDITED)
    lead_rows = {
        row["group"]: row
        for row in leads.annotate(group=_dimension_field(dimension))
        .values("group")
        .annotate(
            leads=Count("pk"),
            credited=Count("pk", filter=credited),
            contacted=Count("pk", filter=credited & Q(contacted_at__isnull=False)),
            visited=Count("pk", filter=credited & Q(visited_at__isnull=False)),
            test_drives=Count("pk", filter=credited & Q(test_drive_at__isnull=False)),
            orders=Count("pk", filter=credited & Q(ordered_at__isnull=False)),
            deliveries=Count("pk", filter=credited & Q(delivered_at__isnull=False)),
        )
    }
    visitor_rows = {
        row["group"]: row["visitors"]
        for row in visits.annotate(group=_dimension_field(dimension))
        .values("group")
        .annotate(visitors=Count("visitor", distinct=True))
    }
    keys = [key for key in set(lead_rows) | set(visitor_rows) if key is not None]
    names = _names(dimension, keys)
    empty = dict.fromkeys(("leads", "credited", "contacted", "visited", "test_drives", "orders", "deliveries"), 0)
    rows = [
        FunnelRow(
            key=key,
            name=names.get(key, "—"),
            visitors=visitor_rows.get(key, 0),
            **{field: (lead_rows.get(key) or empty)[field] for field in empty},
        )
        for key in keys
    ]
    rows.sort(key=lambda row: (-row.credited, -row.visitors, row.name))
    return rows


def _names(dimension: str, keys: list[Any]) -> dict[Any, str]:
    if dimension == "campaign":
        return dict(Campaign.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "product":
        return dict(Product.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "organisation":
        return dict(Organisation.objects.filter(path__in=keys).values_list("path", "name"))
    return dict(Ambassador.objects.filter(pk__in=keys).values_list("pk", "display_name"))
