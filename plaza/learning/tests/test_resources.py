"""The resource library: who sees what, search by title, counted and audited downloads."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from plaza.audit.models import AuditEntry
from plaza.learning import queries, services


def resource(world, title, to=()):
    return services.save_resource(
        world.staff,
        None,
        {
            "title": title,
            "description": "",
            "category": None,
            "organisations": list(to),
            "file": SimpleUploadedFile("form.docx", b"docx"),
        },
    )


def test_visibility_search_and_downloads(world):
    everyone = resource(world, "入党申请书模板")
    only_b = resource(world, "物流支部学习材料", to=[world.branch_b])
    assert set(queries.resources_for(world.member_a)) == {everyone}
    assert set(queries.resources_for(world.member_b)) == {everyone, only_b}
    assert list(queries.resources_for(world.member_b, "申请书")) == [everyone]
    services.download(world.member_a, everyone)
    services.download(world.member_b, everyone)
    everyone.refresh_from_db()
    assert everyone.downloads == 2
    assert AuditEntry.objects.filter(action="learning.download", object_id=str(everyone.pk)).count() == 2


def test_only_staff_upload(world):
    with pytest.raises(PermissionDenied):
        services.save_resource(world.member_a, None, {"title": "x", "file": SimpleUploadedFile("a.pdf", b"x")})
