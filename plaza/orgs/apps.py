from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "plaza.orgs"
    label = "orgs"
    verbose_name = _("组织")

    def ready(self) -> None:
        from plaza.lib.sections import Function, register

        from .permissions import Cap, can

        register(Function("work", "my_org", _("我的组织"), "orgs:mine", "users", _("所在支部、小组与负责人"), order=5))
        register(
            Function(
                "work",
                "roster",
                _("人员花名册"),
                "orgs:people",
                "contact",
                _("搜索、筛选、导出"),
                visible=lambda p: can(p, Cap.VIEW_PEOPLE),
                order=20,
                office=True,
            )
        )
        register(
            Function(
                "work",
                "org_tree",
                _("组织架构"),
                "orgs:tree",
                "network",
                _("组织树与各级人数"),
                visible=lambda p: can(p, Cap.VIEW_PEOPLE),
                order=25,
                office=True,
            )
        )
        register(
            Function(
                "work",
                "stats",
                _("人员统计"),
                "orgs:stats",
                "chart-column",
                _("各政治面貌人数"),
                visible=lambda p: can(p, Cap.VIEW_STATS),
                order=30,
                office=True,
            )
        )
