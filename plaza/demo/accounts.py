"""The well-known demo logins, one per role, shared by ``seed_demo``, ``welcome`` and the README.

Every demo account (and every generated employee) has the password ``DEMO_PASSWORD``: the data is
made up, and anyone trying the demo needs to be able to sign in as each role without asking.
"""

from __future__ import annotations

DEMO_PASSWORD = "plaza-demo"

#: (employee_no, role, description) — in the order a visitor should try them.
DEMO_LOGINS: list[tuple[str, str, str]] = [
    ("admin", "系统管理员", "超级用户：账号、参数、管理后台"),
    ("zzb001", "党委组织部", "组织部（党群工作部）工作人员：整棵组织树、审批、统计、导入"),
    ("sj001", "支部书记", "东岳动力总成党总支 装调车间党支部 书记"),
    ("dy001", "党员", "装调车间党支部 正式党员"),
    ("jj001", "入党积极分子", "装调车间党支部 入党积极分子"),
    ("yg001", "员工", "群众，工会会员：学习、服务、互动"),
    ("gh001", "工会主席", "公司工会主席：会员、会费、慰问帮扶、疗休养、职代会提案"),
    ("tw001", "团委书记", "公司团委书记：团员、团费、推优入党、即将超龄提醒"),
    ("jxs001", "经销商销售顾问", "上海浦东凯迪拉克中心：跟进分配给本店的通星汇线索"),
]
