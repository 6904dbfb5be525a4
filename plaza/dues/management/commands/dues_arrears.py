from django.core.management.base import BaseCommand

from plaza.dues.sweep import arrears_sweep
from plaza.lib import clock


class Command(BaseCommand):
    help = "党费欠交提醒：连续 3、5 个月未交纳提醒本人，6 个月提示党支部（每次只发一次；不变更党籍）。"

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        self.stdout.write(str(arrears_sweep(clock.today())))
