"""People: every employee is a Person who logs in with their employee number (工号)."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plaza.audit.chain import Chained
from plaza.lib.crypto import EncryptedTextField, blind_index, mask_id_card, mask_phone


class PoliticalStatus(models.TextChoices):
    """政治面貌, in the order of the recruitment procedure (群众 → 正式党员)."""

    MASSES = "masses", _("群众")
    LEAGUE_MEMBER = "league_member", _("共青团员")
    APPLICANT = "applicant", _("入党申请人")
    ACTIVIST = "activist", _("入党积极分子")
    CANDIDATE = "candidate", _("发展对象")
    PROBATIONARY = "probationary", _("预备党员")
    FULL_MEMBER = "full_member", _("正式党员")

    @classmethod
    def party_members(cls) -> tuple[str, ...]:
        return (cls.PROBATIONARY, cls.FULL_MEMBER)


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Education(models.TextChoices):
    JUNIOR = "junior", _("初中及以下")
    SENIOR = "senior", _("高中/中专")
    COLLEGE = "college", _("大专")
    BACHELOR = "bachelor", _("本科")
    MASTER = "master", _("硕士研究生")
    DOCTOR = "doctor", _("博士研究生")


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def create_user(self, employee_no: str, name: str = "", password: str | None = None, **extra):
        if not employee_no:
            raise ValueError("employee_no is required")
        person = self.model(employee_no=employee_no.strip(), name=name or employee_no, **extra)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, employee_no: str, name: str = "", password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(employee_no, name, password, **extra)


class Person(AbstractBaseUser, PermissionsMixin):
    """An employee. ID-card and phone numbers are encrypted at rest and masked unless permitted."""

    employee_no = models.CharField(_("工号"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=64, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=16, blank=True, default="汉族")
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices, blank=True)
    department = models.CharField(_("部门"), max_length=128, blank=True, db_index=True)
    job_title = models.CharField(_("岗位"), max_length=128, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    phone = EncryptedTextField(_("手机号"), blank=True, default="")
    id_card = EncryptedTextField(_("身份证号"), blank=True, default="")
    id_card_index = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)
    political_status = models.CharField(
        _("政治面貌"),
        max_length=16,
        choices=PoliticalStatus.choices,
        default=PoliticalStatus.MASSES,
        db_index=True,
    )
    wecom_userid = models.CharField(_("企业微信账号"), max_length=64, blank=True)
    language = models.CharField(_("界面语言"), max_length=8, blank=True, default="")
    is_active = models.BooleanField(_("在职"), default=True)
    is_staff = models.BooleanField(_("可进入管理后台"), default=False)
    date_joined = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "employee_no"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["employee_no"]

    def __str__(self) -> str:
        return f"{self.name}（{self.employee_no}）"

    def save(self, *args, **kwargs) -> None:
        self.id_card_index = blind_index(self.id_card) if self.id_card else ""
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id_card(self) -> str:
        return mask_id_card(self.id_card)

    @property
    def is_party_member(self) -> bool:
        return self.political_status in PoliticalStatus.party_members()


class StatusChange(Chained):
    """One dated change of political status; the history is never edited, only added to, and each change is
    chained to the one before by a keyed hash (:mod:`plaza.audit.chain`) so an edit around Plaza shows."""

    CHAIN_NAME = "status"
    CHAIN_FIELDS = ("person", "from_status", "to_status", "effective_on", "reason", "recorded_by", "recorded_at")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=PoliticalStatus.choices)
    to_status = models.CharField(max_length=16, choices=PoliticalStatus.choices)
    effective_on = models.DateField(_("生效日期"))
    reason = models.CharField(_("原因"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)  # set before the chain hash, unlike auto_now_add

    class Meta:
        verbose_name = _("政治面貌变更")
        verbose_name_plural = _("政治面貌变更")
        ordering = ["person", "effective_on", "id"]

    def __str__(self) -> str:
        return f"{self.person} {self.from_status} → {self.to_status} ({self.effective_on})"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=64)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
