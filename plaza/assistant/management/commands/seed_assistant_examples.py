from django.core.management.base import BaseCommand

from plaza.assistant import shipped


class Command(BaseCommand):
    help = (
        "添加党群小智随 Plaza 提供的常见问法（党内法规摘要、发展党员流程 25 个步骤、本单位规定）；"
        "已有的跳过。安装后运行一次。"
    )

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        added = shipped.seed_published_examples()
        self.stdout.write(self.style.SUCCESS(f"{added} example questions added"))
