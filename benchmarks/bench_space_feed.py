"""The 互动空间 feed for one person among 200,000 on PostgreSQL (target p95 ≤ 100 ms a page).

    PLAZA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/plaza_space_bench \\
        .venv/bin/python benchmarks/bench_space_feed.py [--people 200000] [--posts 300000] [--reuse]

1. creates the database named by ``PLAZA_DATABASE_URL`` (default ``plaza_space_bench``) and migrates it; with
   ``--reuse`` a database already loaded at that size is kept;
2. loads, with bulk inserts: a 党委 with 40 党总支 and 2,000 党支部, a 工会 with 200 分工会; ``--people`` people, a
   third of them in a branch, everyone in a 分工会; the enterprise-wide 员工互动空间 (for everyone) and a space
   per branch; ``--posts`` posts — half in the enterprise space (nine in ten for everyone, the rest for one
   党总支 or branch), half in the branch spaces — with topics on a third of them, 3 official pinned posts and
   likes;
3. times :func:`plaza.space.queries.feed` as the pages call it, for 200 people drawn at random (Party members
   and union-only employees), each time with a fresh person object (so the membership read is counted): all
   spaces, the enterprise space (pinned on top), the person's branch space, a topic, and page 50 (keyset: the
   cursor of an earlier page) — and prints median, p95 and worst of each with PASS/MISS, and the
   ``EXPLAIN ANALYZE`` of the all-spaces feed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/plaza_space_bench"
os.environ.setdefault("PLAZA_DATABASE_URL", DEFAULT_DATABASE_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plaza.settings.test")

TARGET_P95_MS = 100.0
GENERAL_BRANCHES = 40
BRANCHES = 2000
SUB_UNIONS = 200
TOPICS = ["锐歌、E5 试驾体验", "班组创新", "志愿服务", "通星汇", "绝活传承", "安全生产", "食堂", "班车"]


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def path_of(*steps: int) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

    def enc(n: int) -> str:
        out = ""
        for _ in range(4):
            n, r = divmod(n, 36)
            out = alphabet[r] + out
        return out

    return "".join(enc(s) for s in steps)


def load(people: int, posts: int, seed: int) -> None:
    from django.db import connection, transaction

    from plaza.accounts.models import Person
    from plaza.orgs.models import Level, Membership, Organisation, Tree
    from plaza.space.models import Like, Post, PostAudience, PostStatus, PostTopic, Space, SpaceProfile, Topic

    rng = random.Random(seed)
    started = time.perf_counter()
    with transaction.atomic():
        orgs = [
            Organisation(
                path=path_of(1),
                depth=1,
                numchild=GENERAL_BRANCHES,
                name="党委",
                code="B0",
                level=Level.COMMITTEE,
                tree=Tree.PARTY,
            )
        ]
        branches: list[Organisation] = []
        for g in range(1, GENERAL_BRANCHES + 1):
            orgs.append(
                Organisation(
                    path=path_of(1, g),
                    depth=2,
                    numchild=BRANCHES // GENERAL_BRANCHES,
                    name=f"党总支{g}",
                    code=f"B{g}",
                    level=Level.GENERAL_BRANCH,
                    tree=Tree.PARTY,
                )
            )
            for b in range(1, BRANCHES // GENERAL_BRANCHES + 1):
                branch = Organisation(
                    path=path_of(1, g, b),
                    depth=3,
                    numchild=0,
                    name=f"党支部{g}-{b}",
                    code=f"B{g}-{b}",
                    level=Level.BRANCH,
                    tree=Tree.PARTY,
                )
                orgs.append(branch)
                branches.append(branch)
        orgs.append(
            Organisation(
                path=path_of(2),
                depth=1,
                numchild=SUB_UNIONS,
                name="工会",
                code="U0",
                level=Level.UNION,
                tree=Tree.UNION,
            )
        )
        unions = [
            Organisation(
                path=path_of(2, u),
                depth=2,
                numchild=0,
                name=f"分工会{u}",
                code=f"U{u}",
                level=Level.SUB_UNION,
                tree=Tree.UNION,
            )
            for u in range(1, SUB_UNIONS + 1)
        ]
        orgs += unions
        Organisation.objects.bulk_create(orgs, batch_size=2000)
        by_path = dict(Organisation.objects.values_list("path", "pk"))
        branch_ids = [by_path[b.path] for b in branches]
        union_ids = [by_path[u.path] for u in unions]
        general_ids = [by_path[path_of(1, g)] for g in range(1, GENERAL_BRANCHES + 1)]

        batch = 5000
        for start in range(0, people, batch):
            Person.objects.bulk_create(
                [
                    Person(employee_no=f"S{n:07d}", name=f"员工{n}", password="!")
                    for n in range(start, min(people, start + batch))
                ]
            )
        person_ids = list(Person.objects.filter(employee_no__startswith="S").values_list("pk", flat=True))
        since = "2020-01-01"
        members = []
        for pk in person_ids:
            members.append(
                Membership(person_id=pk, organisation_id=rng.choice(union_ids), tree=Tree.UNION, since=since)
            )
            if rng.random() < 1 / 3:
                members.append(
                    Membership(person_id=pk, organisation_id=rng.choice(branch_ids), tree=Tree.PARTY, since=since)
                )
        Membership.objects.bulk_create(members, batch_size=10000)
        print(f"  organisations and {len(person_ids):,} people with {len(members):,} memberships")

        root = Organisation.objects.get(path=path_of(1))
        everyone = Space.objects.create(organisation=root, name="员工互动空间", everyone=True)
        Space.objects.bulk_create([Space(organisation_id=pk, name=f"支部空间{pk}") for pk in branch_ids])
        space_of = dict(Space.objects.filter(everyone=False).values_list("organisation_id", "pk"))
        staff = person_ids[0]
        authors = rng.sample(person_ids, 20000)
        SpaceProfile.objects.bulk_create(
            [SpaceProfile(space=everyone, person_id=pk, display_name=f"网友{pk}") for pk in authors], batch_size=10000
        )
        profile_of = dict(SpaceProfile.objects.filter(space=everyone).values_list("person_id", "pk"))
        topics = [Topic.objects.create(name=name) for name in TOPICS]
        path_by_id = {pk: path for path, pk in by_path.items()}

        planned: list[tuple[Post, list[tuple[int | None, str]]]] = []
        for n in range(posts):
            author = rng.choice(authors)
            if n % 2 == 0:
                audience: list[tuple[int | None, str]] = [(None, "")]
                if rng.random() < 0.1:
                    target = rng.choice(general_ids if rng.random() < 0.3 else branch_ids)
                    audience = [(target, path_by_id[target])]
                post = Post(space=everyone, author_id=author, profile_id=profile_of[author], body=f"第{n}帖")
            else:
                branch = rng.choice(branch_ids)
                post = Post(space_id=space_of[branch], author_id=author, profile_id=profile_of[author], body=f"第{n}帖")
                audience = [(branch, path_by_id[branch])]
            post.status = PostStatus.PUBLISHED if rng.random() > 0.01 else PostStatus.HIDDEN
            planned.append((post, audience))
        for n in range(3):
            planned.append(
                (
                    Post(
                        space=everyone,
                        author_id=staff,
                        profile_id=profile_of.get(staff) or profile_of[authors[0]],
                        body=f"置顶通知{n}",
                        official=True,
                        pinned=True,
                    ),
                    [(None, "")],
                )
            )
        for start in range(0, len(planned), batch):
            chunk = planned[start : start + batch]
            made = Post.objects.bulk_create([p for p, _a in chunk])
            PostAudience.objects.bulk_create(
                [
                    PostAudience(post=post, organisation_id=org, path=path)
                    for post, (_p, audience) in zip(made, chunk, strict=True)
                    for org, path in audience
                ]
            )
            PostTopic.objects.bulk_create(
                [PostTopic(post=post, topic=rng.choice(topics)) for post in made if rng.random() < 1 / 3]
            )
        post_ids = list(Post.objects.values_list("pk", flat=True))
        likes = {(rng.choice(post_ids), rng.choice(person_ids)) for _ in range(posts)}
        Like.objects.bulk_create([Like(post_id=p, person_id=q) for p, q in likes], batch_size=10000)
        print(f"  {len(planned):,} posts, {len(likes):,} likes")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"loaded in {time.perf_counter() - started:.0f} s")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(q * len(ordered))) - 1)]


def measure(samples: int, seed: int) -> bool:
    from django.db import connection

    from plaza.accounts.models import Person
    from plaza.orgs.models import Membership, Tree
    from plaza.space import queries
    from plaza.space.models import Post, Space, Topic

    rng = random.Random(seed + 1)
    party = list(
        Membership.objects.filter(tree=Tree.PARTY, until__isnull=True).values_list("person_id", "organisation_id")
    )
    union_only = list(
        Person.objects.filter(employee_no__startswith="S")
        .exclude(memberships__tree=Tree.PARTY)
        .values_list("pk", flat=True)[:5000]
    )
    chosen = [(pk, org) for pk, org in rng.sample(party, samples // 2)] + [
        (pk, None) for pk in rng.sample(union_only, samples - samples // 2)
    ]
    everyone = Space.objects.get(everyone=True)
    space_of = dict(Space.objects.filter(everyone=False).values_list("organisation_id", "pk"))
    spaces = Space.objects.in_bulk(list(space_of.values()))
    topic = Topic.objects.get(name="班组创新")
    deep_cursor = Post.objects.order_by("-id").values_list("pk", flat=True)[49 * 20]

    cases = {
        "all spaces, page 1": lambda p, org: queries.feed(p),
        "员工互动空间 with pinned": lambda p, org: queries.feed(p, space=everyone),
        "own branch space": lambda p, org: queries.feed(p, space=spaces[space_of[org]]) if org else None,
        "topic 班组创新": lambda p, org: queries.feed(p, topic=topic),
        "page 50 (keyset)": lambda p, org: queries.feed(p, before=deep_cursor),
    }
    ok = True
    print(f"\n{'query':28} {'runs':>5} {'median':>9} {'p95':>9} {'worst':>9}  target p95 ≤ {TARGET_P95_MS:.0f} ms")
    for name, call in cases.items():
        timings = []
        for pk, org in chosen:
            person = Person.objects.get(pk=pk)  # fresh: reach() is read again, as in a request
            started = time.perf_counter()
            page = call(person, org)
            if page is None:
                continue
            timings.append((time.perf_counter() - started) * 1000)
            assert len(page.posts) <= 20
        p95 = percentile(timings, 0.95)
        verdict = "PASS" if p95 <= TARGET_P95_MS else "MISS"
        ok &= verdict == "PASS"
        print(
            f"{name:28} {len(timings):>5} {statistics.median(timings):>7.1f}ms {p95:>7.1f}ms "
            f"{max(timings):>7.1f}ms  {verdict}"
        )
    person = Person.objects.get(pk=chosen[0][0])
    for title, qs in (
        ("the all-spaces feed, page 1", queries.visible_posts(person).order_by("-id")[:21]),
        ("page 50 (keyset, no OFFSET)", queries.visible_posts(person).filter(pk__lt=deep_cursor).order_by("-id")[:21]),
    ):
        with connection.cursor() as cursor:
            sql, params = qs.query.sql_with_params()
            assert "OFFSET" not in sql.upper(), sql
            cursor.execute("EXPLAIN ANALYZE " + sql, params)
            print(f"\nEXPLAIN ANALYZE of {title}:")
            for (line,) in cursor.fetchall():
                print("  " + line)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--posts", type=int, default=300_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--reuse", action="store_true", help="keep a database already loaded at this size")
    args = parser.parse_args()
    url = os.environ["PLAZA_DATABASE_URL"]
    if not url.startswith("postgres"):
        sys.exit("PLAZA_DATABASE_URL must name a PostgreSQL database of its own, e.g. " + DEFAULT_DATABASE_URL)
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command

    from plaza.accounts.models import Person
    from plaza.space.models import Post

    call_command("migrate", verbosity=0)
    loaded = Person.objects.filter(employee_no__startswith="S").count()
    if not (args.reuse and loaded == args.people and Post.objects.count() >= args.posts):
        if loaded:
            sys.exit("the database holds other data: drop it first (or use --reuse at the size it was loaded with)")
        print(f"loading {args.people:,} people and {args.posts:,} posts …")
        load(args.people, args.posts, args.seed)
    measure(args.samples, args.seed)


if __name__ == "__main__":
    main()
