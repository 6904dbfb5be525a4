"""accounts.services: tokens and the interface language are written here (views only call them), audited."""

import pytest
from django.core.exceptions import ValidationError

from plaza.accounts import services
from plaza.accounts.models import ApiToken
from plaza.audit.models import AuditEntry


def test_a_token_needs_a_name_is_kept_as_a_digest_and_is_audited(world):
    with pytest.raises(ValidationError, match="请为令牌起一个名称"):
        services.create_token(world.member_a, "   ")
    token = services.create_token(world.member_a, "  报表系统  ")
    stored = ApiToken.objects.get(person=world.member_a)
    assert stored.name == "报表系统" and stored.digest == services.digest(token) and token not in stored.digest
    assert AuditEntry.objects.filter(action="accounts.token_create", actor=world.member_a).count() == 1


def test_only_ones_own_token_is_revoked_once(world):
    services.create_token(world.member_a, "手机")
    token = ApiToken.objects.get(person=world.member_a)
    with pytest.raises(ValidationError, match="只能停用自己的令牌"):
        services.revoke_token(world.member_b, token)
    services.revoke_token(world.member_a, token)
    services.revoke_token(world.member_a, token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="accounts.token_revoke").count() == 1


def test_language_is_one_of_the_two_and_a_change_is_audited(world):
    assert not services.set_language(world.member_a, "fr")
    assert services.set_language(world.member_a, "en") and world.member_a.language == "en"
    world.member_a.refresh_from_db()
    assert world.member_a.language == "en"
    assert services.set_language(world.member_a, "en")  # unchanged: nothing more to audit
    assert AuditEntry.objects.filter(action="accounts.language").count() == 1
