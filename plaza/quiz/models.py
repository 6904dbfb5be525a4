"""Tables of 答题: the question bank, 每日答题 and its 错题本, 挑战答题 runs, contests (individual, team, live) with
their attempts, deliveries (when the server sent a question to a player) and answers.

Answers, the time the server sent the question and the score are stored apart (a delivery row and an answer
row), so a result can be audited; one answer per question per attempt is a database constraint.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plaza.orgs.models import Organisation


class Kind(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    TRUE_FALSE = "true_false", _("判断题")
    FILL = "fill", _("填空题")


class Difficulty(models.IntegerChoices):
    EASY = 1, _("容易")
    MEDIUM = 2, _("中等")
    HARD = 3, _("较难")


class TagKind(models.TextChoices):
    PRODUCT = "product", _("产品知识")
    POLICY = "policy", _("政策制度")
    PARTY = "party", _("党的知识")
    OTHER = "other", _("其他")


class Tag(models.Model):
    name = models.CharField(_("标签"), max_length=32, unique=True)
    kind = models.CharField(_("类别"), max_length=16, choices=TagKind.choices, default=TagKind.OTHER)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("题目标签")
        verbose_name_plural = _("题目标签")

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """One question. ``options`` are the choices as shown (true/false: 正确, 错误); ``answer`` the right
    choices by index (0-based) or, for fill-in, the accepted texts."""

    kind = models.CharField(_("题型"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("题干"), max_length=1000)
    options = models.JSONField(_("选项"), default=list, blank=True)
    answer = models.JSONField(_("答案"), default=list)
    explanation = models.TextField(_("解析"), max_length=2000, blank=True)
    source = models.CharField(_("出处"), max_length=200, blank=True)
    tags = models.ManyToManyField(Tag, related_name="questions", blank=True, verbose_name=_("标签"))
    difficulty = models.PositiveSmallIntegerField(_("难度"), choices=Difficulty.choices, default=Difficulty.MEDIUM)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属组织")
    )
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    withdrawn = models.BooleanField(_("已撤回"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        indexes = [models.Index(fields=["organisation", "withdrawn"])]

    def __str__(self) -> str:
        return self.text[:40]


class DailyItem(models.Model):
    """A question of a person's 每日答题 on one day; answered once (``answered_at`` set by one conditional UPDATE).

    ``points``: what the answer earned under the day's cap, decided when it is answered; ``granted_at``: when the
    ledger credited them (a batch after the answer's commit, :func:`plaza.quiz.services.grant_daily_points`).
    Rows with points and no ``granted_at`` are the ones still to credit (a partial index finds them)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="daily_items")
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    chosen = models.JSONField(null=True, blank=True)
    correct = models.BooleanField(null=True)
    elapsed_ms = models.PositiveIntegerField(null=True, blank=True)
    points = models.PositiveSmallIntegerField(default=0)
    granted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["day", "position"]
        constraints = [
            models.UniqueConstraint(fields=["person", "day", "question"], name="quiz_daily_once"),
            models.UniqueConstraint(fields=["person", "day", "position"], name="quiz_daily_position"),
        ]
        indexes = [
            models.Index(fields=["person", "day"]),
            models.Index(
                fields=["answered_at"], condition=Q(points__gt=0, granted_at__isnull=True), name="quiz_daily_to_grant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.day}:{self.position}"


class Mistake(models.Model):
    """错题本: a question the person got wrong, until answered right twice (then removed)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    chosen = models.JSONField(null=True, blank=True)
    right_count = models.PositiveSmallIntegerField(default=0)
    added_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["person", "question"], name="quiz_mistake_once")]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.question_id}"


class ChallengeRun(models.Model):
    """挑战答题: one run, until the first mistake (or the bank runs out)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    right = models.PositiveIntegerField(default=0)
    points = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(ended_at__isnull=True), name="quiz_one_open_run")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"


class ChallengeItem(models.Model):
    run = models.ForeignKey(ChallengeRun, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="challenge_items")
    sent_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    chosen = models.JSONField(null=True, blank=True)
    correct = models.BooleanField(null=True)
    elapsed_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["run", "position"]
        constraints = [models.UniqueConstraint(fields=["run", "position"], name="quiz_challenge_position")]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.position}"


class Mode(models.TextChoices):
    INDIVIDUAL = "individual", _("个人赛")
    TEAM = "team", _("团队赛")
    LIVE = "live", _("现场赛")


class Draw(models.TextChoices):
    FIXED = "fixed", _("固定题目")
    RANDOM = "random", _("按标签随机抽题")


class TeamBasis(models.TextChoices):
    BRANCH = "branch", _("按支部")
    DEPARTMENT = "department", _("按班组/部门")
    CUSTOM = "custom", _("自定义队伍")


class TeamRule(models.TextChoices):
    SUM = "sum", _("总分")
    AVERAGE = "average", _("参赛者平均分")
    BEST_N = "best_n", _("前N名平均分")
    PARTICIPATION = "participation", _("全员平均分（计参与率）")


class State(models.TextChoices):
    DRAFT = "draft", _("未发布")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class Phase(models.TextChoices):
    LOBBY = "lobby", _("等待开始")
    QUESTION = "question", _("答题中")
    REVEAL = "reveal", _("公布答案")
    FINISHED = "finished", _("已结束")


class Contest(models.Model):
    title = models.CharField(_("名称"), max_length=100)
    mode = models.CharField(_("类型"), max_length=16, choices=Mode.choices, default=Mode.INDIVIDUAL)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("主办组织")
    )
    organisations = models.ManyToManyField(Organisation, related_name="+", verbose_name=_("参赛组织"))
    description = models.TextField(_("说明"), max_length=2000, blank=True)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("结束时间"))
    draw = models.CharField(_("出题方式"), max_length=16, choices=Draw.choices, default=Draw.RANDOM)
    tags = models.ManyToManyField(Tag, related_name="contests", blank=True, verbose_name=_("抽题标签"))
    easy = models.PositiveSmallIntegerField(_("容易题数"), default=0)
    medium = models.PositiveSmallIntegerField(_("中等题数"), default=5)
    hard = models.PositiveSmallIntegerField(_("较难题数"), default=0)
    seconds = models.PositiveSmallIntegerField(_("每题限时（秒）"), default=20)
    attempts = models.PositiveSmallIntegerField(_("可答次数"), default=1)
    streak = models.BooleanField(_("连对加分"), default=True)
    pass_percent = models.PositiveSmallIntegerField(_("合格答对率（%）"), default=60)
    winners = models.PositiveSmallIntegerField(_("获奖人数"), default=3)
    team_basis = models.CharField(_("组队方式"), max_length=16, choices=TeamBasis.choices, blank=True)
    team_rule = models.CharField(_("团体计分"), max_length=16, choices=TeamRule.choices, default=TeamRule.PARTICIPATION)
    team_best = models.PositiveSmallIntegerField(_("前N名的N"), default=3)
    require_all = models.BooleanField(_("要求全员参赛"), default=False)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT)
    # live contests
    pin = models.CharField(_("加入码"), max_length=6, blank=True, db_index=True)
    phase = models.CharField(_("现场阶段"), max_length=16, choices=Phase.choices, default=Phase.LOBBY)
    current = models.PositiveSmallIntegerField(default=0)  # 1-based position of the question running; 0 none
    question_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("竞赛")
        verbose_name_plural = _("竞赛")

    def __str__(self) -> str:
        return self.title

    @property
    def question_count(self) -> int:
        return self.easy + self.medium + self.hard

    @property
    def limit_ms(self) -> int:
        return self.seconds * 1000

    @property
    def state_label(self) -> str:
        """The state as players read it: a live contest not started yet waits for its host (players cannot
        tell what "未发布" would mean for a contest they can already join)."""
        if self.mode == Mode.LIVE and self.state == State.DRAFT:
            return str(_("等待主持人开始"))
        return str(self.get_state_display())


class ContestQuestion(models.Model):
    """A question fixed for the contest (fixed draw, and every live contest), in its order."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="fixed")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    voided = models.BooleanField(default=False)
    void_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["contest", "position"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "position"], name="quiz_contest_position"),
            models.UniqueConstraint(fields=["contest", "question"], name="quiz_contest_question"),
        ]

    def __str__(self) -> str:
        return f"{self.contest_id}:{self.position}"


class Team(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("队名"), max_length=100)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["contest", "name"]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest", "person"], name="quiz_one_team")]

    def __str__(self) -> str:
        return f"{self.team_id}:{self.person_id}"


class Attempt(models.Model):
    """One play of a contest by a person: the questions in this player's order, with each question's options
    in this player's order. Live contests have one attempt per player (joining creates it)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="attempt_set")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField(default=1)
    order = models.JSONField(default=list)  # question ids
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.IntegerField(default=0)
    right = models.PositiveIntegerField(default=0)
    streak = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["contest", "-score", "started_at"]
        constraints = [models.UniqueConstraint(fields=["contest", "person", "number"], name="quiz_attempt_number")]
        indexes = [models.Index(fields=["contest", "score"])]

    def __str__(self) -> str:
        return f"{self.contest_id}:{self.person_id}:{self.number}"


class Delivery(models.Model):
    """When the server sent a question to a player (its own clock), and the option order that player saw."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="deliveries")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    option_order = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="quiz_delivery_once")]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.question_id}"


class ContestAnswer(models.Model):
    """One answer: what was chosen (in the bank's option numbering), when it arrived, the server's elapsed
    time, and the score apart (``points`` by the rule, ``bonus`` for the streak). Flagged answers (faster
    than a person can read) are kept and score nothing; voided ones are kept and count nothing."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="contest_answers")
    chosen = models.JSONField(default=list)
    correct = models.BooleanField(default=False)
    received_at = models.DateTimeField()
    elapsed_ms = models.PositiveIntegerField()
    points = models.PositiveIntegerField(default=0)
    bonus = models.PositiveIntegerField(default=0)
    flagged = models.BooleanField(default=False)
    late = models.BooleanField(default=False)
    voided = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="quiz_one_answer")]
        indexes = [models.Index(fields=["contest", "question"])]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.question_id}"


class Void(models.Model):
    """A question the host voided in a contest, with the reason (everyone's score for it removed)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="voids")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("作废原因"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest", "question"], name="quiz_void_once")]

    def __str__(self) -> str:
        return f"{self.contest_id}:{self.question_id}"
