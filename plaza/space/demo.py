"""Demo data of 互动空间 (called by ``seed_demo`` after the enterprise, its branches and the knowledge base).

A lively month in the enterprise-wide 员工互动空间 and in the 装调车间党支部's own space, told with the seed
article's words: 锐歌、E5 试驾体验, 班组创新 and 绝活, 志愿服务, 通星汇. The 党委党群工作部 pins one official
post; people write under display names they chose (a few under their real names); comments, replies and likes
are spread over the posts; one post with a review-level word waits in the moderation queue; the word list is
small. Posts go through the services (words, topics, audience, mentions); comments and likes are bulk inserted
with their counts, so the whole demo takes well under a second.
"""

from __future__ import annotations

import random
from datetime import timedelta

from plaza.accounts.models import Person
from plaza.lib import clock
from plaza.orgs.models import Membership, Organisation, Tree

from . import services
from .models import Comment, CommentStatus, Like, Post, SensitiveWord, Space, SpaceProfile, WordLevel, WordListVersion

WORDS = [
    ("赌博", WordLevel.BLOCK),
    ("代开发票", WordLevel.BLOCK),
    ("翻墙", WordLevel.BLOCK),
    ("投诉", WordLevel.REVIEW),
    ("曝光", WordLevel.REVIEW),
]

NAMES = [
    "装调小能手",
    "东岳追风人",
    "北盛老师傅",
    "锐歌车主",
    "E5体验官",
    "志愿者小林",
    "物流达人",
    "工匠学徒",
    "金桥工程师",
    "动力总成小白",
    "班组长老周",
    "通星汇种草人",
    "红色引擎",
    "智造青年",
]

POSTS = [
    "#锐歌、E5 试驾体验# 周末带家人试驾了别克E5，底盘很稳，智能座舱反应快，孩子最喜欢全景天幕。",
    "#锐歌、E5 试驾体验# 凯迪拉克锐歌的静谧性真不错，高速上说话都不用提高嗓门。有同事一起去试驾吗？",
    "#锐歌、E5 试驾体验# 答题个人赛刚答完，学到了奥特能平台的很多细节，下次给客户讲更有底气。",
    "#锐歌、E5 试驾体验# 亲戚问我电动车冬天续航怎么样，我把E5的热泵空调讲了一遍，他说下周去店里看看。",
    "#班组创新# 我们装调一组做了个拧紧扭矩防错小工装，一个班能少返工七八台，欢迎来现场看看。",
    "#班组创新# 工作室又有一项实用新型专利受理了！这已经是第十项，感谢师傅们手把手带。",
    "#班组创新# 北盛车身线旁挂着以职工名字命名的创新工具，看到自己的名字真的很自豪。",
    "#班组创新# 提个小建议：工位照明可以换成可调角度的灯，夜班看螺栓标记更清楚。",
    "#班组创新# 师带徒第三个月，终于能独立完成发动机装调全流程了，谢谢师傅！",
    "#志愿服务# 周六社区义务植树，我们支部去了二十多人，一上午种了六十多棵树。",
    "#志愿服务# 无偿献血车下周三来厂区，报名的同事记得前一天别熬夜、别吃油腻的。",
    "#志愿服务# 学雷锋月去敬老院帮老人检查电动车和轮椅，老人家一直说谢谢。",
    "#志愿服务# 交通文明志愿岗站了一早上，下班高峰的厂门口秩序好多了。",
    "#通星汇# 注册通星汇快一年了，帮朋友推荐买了两台车，积分换了一个保温杯，开心。",
    "#通星汇# 向位正友师傅学习，用接地气的方式讲产品，客户更愿意听。",
    "今天食堂的红烧肉真香，给后勤的同事点个赞！",
    "党群服务广场上预约办理党员身份证明，十分钟就拿到了，不用再白跑一趟。",
    "阅读豆攒够了，积分超市换了一本《习近平新时代中国特色社会主义思想学习纲要》。",
    "#班组创新# 新旧赛道转换，我们班组在学电池包装配，大家一起加油！",
    "#锐歌、E5 试驾体验# 试驾预约排到下个月了，看来大家都很感兴趣。",
]

COMMENTS = [
    "说得太好了！",
    "点赞，向你学习。",
    "下次带上我一起。",
    "有照片吗？想看看。",
    "我们班组也在做类似的改进。",
    "支持！",
    "这个建议很实用，希望能推广。",
    "辛苦了！",
    "师傅威武！",
    "已经报名了。",
]


def seed_demo_space(*, seed: int) -> None:
    """Writes the demo spaces, names, posts, comments, likes, word list and one held post."""
    if Space.objects.exists():
        return
    rng = random.Random(seed)
    party_root = Organisation.objects.filter(tree=Tree.PARTY, depth=1).order_by("path").first()
    staff = Person.objects.filter(employee_no="zzb001").first()
    if party_root is None or staff is None:
        return
    secretary = Person.objects.filter(employee_no="sj001").first()
    home = (
        Membership.objects.current().filter(person=secretary, tree=Tree.PARTY).select_related("organisation").first()
        if secretary
        else None
    )

    for word, level in WORDS:
        SensitiveWord.objects.create(word=word, level=level, created_by=staff)
    WordListVersion.bump()

    everyone = services.create_space(
        staff,
        party_root,
        "员工互动空间",
        description="听取来自基层一线员工的建议呼声：分享身边的新鲜事、好点子和正能量。",
        official_name="党委党群工作部",
        everyone=True,
    )
    branch_space = None
    if home is not None:
        branch_space = services.create_space(
            staff, home.organisation, f"{home.organisation.name}空间", description="支部里的事，支部里说。"
        )

    demo = {p.employee_no: p for p in Person.objects.filter(employee_no__in=["sj001", "dy001", "jj001", "yg001"])}
    others = list(
        Person.objects.filter(is_active=True, memberships__until__isnull=True)
        .exclude(employee_no__in=["admin", "zzb001", *demo])
        .distinct()
        .order_by("employee_no")[:40]
    )
    rng.shuffle(others)
    writers = [*demo.values(), *others[:10]]
    for index, person in enumerate(writers):
        name = NAMES[index % len(NAMES)]
        try:
            if person.employee_no == "sj001":
                services.set_display_name(person, everyone, "", real_name=True)  # 前台自愿: the secretary signs
            else:
                services.set_display_name(person, everyone, name)
        except Exception:  # noqa: BLE001 - a generated name that happens to be taken keeps its alias
            services.profile_for(person, everyone)

    now = clock.now()
    start = now - timedelta(days=30)
    made: list[Post] = []
    plan = [(writers[i % len(writers)], POSTS[i % len(POSTS)]) for i in range(34)]
    notice = services.create_post(
        staff,
        everyone,
        "#志愿服务# 关于开展“爱我所爱、助力品牌”志愿服务月活动的通知：各党支部、分工会组织党员和职工参加社区服务、"
        "无偿献血和交通文明志愿岗，活动照片和心得欢迎发在本空间，优秀作品将获得阅读豆奖励。",
        official=True,
        pinned=True,
    )
    made.append(notice)
    for index, (person, body) in enumerate(plan):
        if index == 7 and "dy001" in demo:
            body = "@东岳追风人 周末一起去试驾吗？" + body
        made.append(services.create_post(person, everyone, body))
    if branch_space is not None:
        branch_people = [p for p in (secretary, demo.get("dy001"), demo.get("jj001")) if p is not None]
        for index, body in enumerate(
            [
                "#班组创新# 本月支部先锋岗攻关：装调线节拍再提升 3 秒，欢迎大家出主意。",
                "主题党日照片已上传，感谢大家参加。",
                "学习纲要第三章的读书笔记，请各党小组长周五前收齐。",
            ]
        ):
            made.append(services.create_post(branch_people[index % len(branch_people)], branch_space, body))
    # Spread the month: ids and times rise together (the feed is newest first by id).
    step = (now - start) / (len(made) + 1)
    for index, post in enumerate(made):
        Post.objects.filter(pk=post.pk).update(created_at=start + step * (index + 1))

    readers = [*writers, *others[10:], staff]
    branch_people = [p for p in (secretary, demo.get("dy001"), demo.get("jj001")) if p is not None]
    likes: list[Like] = []
    comments: list[Comment] = []
    profiles = {(p.space_id, p.person_id): p for p in SpaceProfile.objects.filter(space__in=[everyone, branch_space])}

    def profile(person: Person, space: Space) -> SpaceProfile:
        if (space.pk, person.pk) not in profiles:
            profiles[(space.pk, person.pk)] = services.profile_for(person, space)
        return profiles[(space.pk, person.pk)]

    for post in made:
        likers, talkers = (readers, writers) if post.space_id == everyone.pk else (branch_people, branch_people)
        for person in rng.sample(likers, k=min(len(likers), rng.randint(2, 18))):
            likes.append(Like(post=post, person=person))
        for _n in range(rng.randint(0, 4)):
            person = rng.choice(talkers)
            comments.append(
                Comment(
                    post=post,
                    author=person,
                    profile=profile(person, post.space),
                    body=rng.choice(COMMENTS),
                    status=CommentStatus.PUBLISHED,
                )
            )
    Like.objects.bulk_create(likes, ignore_conflicts=True)
    Comment.objects.bulk_create(comments)
    for post in made:
        Post.objects.filter(pk=post.pk).update(
            like_count=Like.objects.filter(post=post).count(),
            comment_count=Comment.objects.filter(post=post, status=CommentStatus.PUBLISHED).count(),
        )
    first = Comment.objects.filter(post=made[5]).order_by("id").first()
    if first is not None:
        replier = demo.get("yg001") or writers[0]
        Comment.objects.create(
            post=made[5],
            parent=first,
            author=replier,
            profile=profile(replier, everyone),
            body="同感，我们班组也想试试这个工装。",
        )
        Post.objects.filter(pk=made[5].pk).update(comment_count=made[5].comments.filter(status="published").count())

    # The moderation queue: a post with a review-level word waits for 党群工作部.
    complainer = demo.get("yg001") or writers[-1]
    services.create_post(complainer, everyone, "想投诉一下二号门的班车总是晚点，夜班同事等得很辛苦，希望能调整。")
