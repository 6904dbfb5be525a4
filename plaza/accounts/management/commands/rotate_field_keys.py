"""Re-encrypt personal data with the newest key in PLAZA_FIELD_KEYS (after adding a key in front).

Once it has run, the old key can be removed from PLAZA_FIELD_KEYS.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from plaza.accounts.models import Person
from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib.crypto import rotate


class Command(BaseCommand):
    help = "Re-encrypt ID-card and phone numbers with the newest field key."

    def handle(self, *args: Any, **options: Any) -> None:
        table = connection.ops.quote_name(Person._meta.db_table)
        done = 0
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT id, phone, id_card FROM {table}")  # noqa: S608 - table name is ours
            for pk, phone, id_card in cursor.fetchall():
                cursor.execute(
                    f"UPDATE {table} SET phone = %s, id_card = %s WHERE id = %s",  # noqa: S608
                    [rotate(phone) if phone else phone, rotate(id_card) if id_card else id_card, pk],
                )
                done += 1
            record(None, actions.ACCOUNTS_ROTATE_KEYS, object_type="accounts.person", after={"rows": done})
        self.stdout.write(self.style.SUCCESS(f"re-encrypted personal data of {done} people"))
