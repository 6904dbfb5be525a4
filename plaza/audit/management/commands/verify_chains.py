"""Verify the hash chains of the audit log, the points ledger and the status changes (plaza.audit.chain)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from plaza.audit import chain


class Command(BaseCommand):
    help = "Walk every tamper-evident chain; name the first broken link. Exit status 1 when one is broken."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = False
        for result in chain.verify_all():
            if result.ok and not result.extra:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{result.chain}: OK, {result.checked} rows; head {result.head_seq} {result.head_hash[:16]}"
                    )
                )
                continue
            broken = True
            if not result.ok:
                self.stdout.write(
                    self.style.ERROR(
                        f"{result.chain}: BROKEN at link {result.broken_seq or '-'} (row id {result.broken_id}): "
                        f"{result.problem} ({result.checked} rows before it verified)"
                    )
                )
            for problem in result.extra:
                self.stdout.write(self.style.ERROR(f"{result.chain}: {problem}"))
        if broken:
            raise CommandError("a chain is broken: see above")
