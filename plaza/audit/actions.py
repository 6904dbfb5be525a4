"""Every audit action, named once with the label people read (issue 13 "names"; issue 14 "nothing raw").

A service records ``actions.RECRUITMENT_STEP``, never a bare string, so a typo cannot write an action nobody
can find or filter by; :func:`plaza.audit.services.record` refuses an unregistered action under DEBUG and in
the test suite (``PLAZA_AUDIT_STRICT``), and in production keeps it (losing an audit entry is worse than an
unlabelled one). The audit log shows :func:`label` and :func:`describe_changes`, never codes or dicts.

The codes themselves are stored in the tamper-evident log and in older entries, so a code is never renamed;
a new action is a new line here.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from plaza.rules.local import RULES as LOCAL_RULES
from plaza.rules.recruitment import Step

#: action code -> its label (lazy, so it follows the reader's language)
LABELS: dict[str, Promise] = {}


def _action(code: str, label: Promise) -> str:
    if code in LABELS:
        raise ValueError(f"audit action {code!r} is registered twice")
    LABELS[code] = label
    return code


# accounts
ACCOUNTS_LANGUAGE = _action("accounts.language", _("切换界面语言"))
ACCOUNTS_ROTATE_KEYS = _action("accounts.rotate_keys", _("轮换字段加密密钥"))
ACCOUNTS_TOKEN_CREATE = _action("accounts.token_create", _("创建接口令牌"))
ACCOUNTS_TOKEN_REVOKE = _action("accounts.token_revoke", _("吊销接口令牌"))

# activities
ACTIVITIES_CANCEL = _action("activities.cancel", _("取消活动"))
ACTIVITIES_CHECK_IN = _action("activities.check_in", _("活动签到"))
ACTIVITIES_CLOSE = _action("activities.close", _("关闭活动报名"))
ACTIVITIES_CREATE = _action("activities.create", _("新建活动"))
ACTIVITIES_EXPORT = _action("activities.export", _("导出活动名单或统计"))
ACTIVITIES_PARTNER_CONTACT = _action("activities.partner_contact", _("维护共建联系人"))
ACTIVITIES_PARTNER_PHONE = _action("activities.partner_phone", _("查看共建联系人电话"))
ACTIVITIES_PARTNER_RECORD = _action("activities.partner_record", _("添加共建记录"))
ACTIVITIES_PARTNER_SAVE = _action("activities.partner_save", _("保存共建单位"))
ACTIVITIES_PHOTO = _action("activities.photo", _("上传活动照片"))
ACTIVITIES_REPORT = _action("activities.report", _("填写活动小结"))
ACTIVITIES_SIGNUP = _action("activities.signup", _("活动报名"))
ACTIVITIES_SIGNUP_CANCEL = _action("activities.signup_cancel", _("取消活动报名"))
ACTIVITIES_UPDATE = _action("activities.update", _("修改活动"))

# ambassadors
AMBASSADORS_CAMPAIGN_SAVE = _action("ambassadors.campaign_save", _("保存通星汇推广活动"))
AMBASSADORS_DEALER_SAVE = _action("ambassadors.dealer_save", _("保存经销商"))
AMBASSADORS_DEALER_STAFF = _action("ambassadors.dealer_staff", _("维护经销商销售顾问"))
AMBASSADORS_EXECUTIVE = _action("ambassadors.executive", _("设定通星汇领导人员"))
AMBASSADORS_EXPORT = _action("ambassadors.export", _("导出通星汇数据"))
AMBASSADORS_LEAD_PHONE = _action("ambassadors.lead_phone", _("查看线索完整手机号"))
AMBASSADORS_LEAD_STAGE = _action("ambassadors.lead_stage", _("更新线索跟进阶段"))
AMBASSADORS_PRODUCT_SAVE = _action("ambassadors.product_save", _("保存通星汇车型"))
AMBASSADORS_PROGRAMME = _action("ambassadors.programme", _("修改通星汇设置"))
AMBASSADORS_REGISTER = _action("ambassadors.register", _("注册品牌大使"))
AMBASSADORS_ROUTE_SAVE = _action("ambassadors.route_save", _("维护线索分配规则"))

# assistant
ASSISTANT_ANSWER = _action("assistant.answer", _("党群小智作答"))
ASSISTANT_FAQ = _action("assistant.faq", _("维护常见问题"))
ASSISTANT_HAND_OFF = _action("assistant.hand_off", _("转人工答复"))
ASSISTANT_IMPORT = _action("assistant.import", _("导入制度文件"))
ASSISTANT_PUBLISH = _action("assistant.publish", _("发布制度文件"))
ASSISTANT_REIMPORT = _action("assistant.reimport", _("重新导入制度文件"))
ASSISTANT_EXAMPLE_ADD = _action("assistant.example_add", _("添加常见问法"))
ASSISTANT_EXAMPLE_REMOVE = _action("assistant.example_remove", _("删除常见问法"))

# booking
BOOKING_BOOK = _action("booking.book", _("预约办理"))
BOOKING_CANCEL = _action("booking.cancel", _("取消预约"))
BOOKING_CHECK_IN = _action("booking.check_in", _("预约签到"))
BOOKING_CLOSED_DAY_ADD = _action("booking.closed_day_add", _("添加停办日"))
BOOKING_CLOSED_DAY_REMOVE = _action("booking.closed_day_remove", _("删除停办日"))
BOOKING_DONE = _action("booking.done", _("办结预约"))
BOOKING_HOURS_ADD = _action("booking.hours_add", _("添加办理时段"))
BOOKING_HOURS_REMOVE = _action("booking.hours_remove", _("删除办理时段"))
BOOKING_MOVE = _action("booking.move", _("改约"))
BOOKING_NO_SHOW = _action("booking.no_show", _("记为爽约"))
BOOKING_PAUSE = _action("booking.pause", _("暂停预约服务"))
BOOKING_RATE = _action("booking.rate", _("评价办理"))
BOOKING_SERVICE_CREATE = _action("booking.service_create", _("新建办理事项"))
BOOKING_SERVICE_UPDATE = _action("booking.service_update", _("修改办理事项"))
BOOKING_STATS_EXPORT = _action("booking.stats_export", _("导出预约统计"))

# demo
DEMO_SEED = _action("demo.seed", _("生成演示数据"))

# dues
DUES_BASE = _action("dues.base", _("核定党费基数"))
DUES_CERTIFICATE = _action("dues.certificate", _("开具党费证明"))
DUES_CORRECT = _action("dues.correct", _("更正党费记录"))
DUES_EXPORT = _action("dues.export", _("导出党费数据"))
DUES_EXTRA = _action("dues.extra", _("登记自愿多交党费"))
DUES_IMPORT = _action("dues.import", _("导入工资数据"))
DUES_PAID = _action("dues.paid", _("登记已交党费"))
DUES_REDUCTION = _action("dues.reduction", _("减免党费"))

# elections
ELECTIONS_APPROVE = _action("elections.approve", _("批准换届请示"))
ELECTIONS_CLOSE = _action("elections.close", _("结束投票"))
ELECTIONS_CONFIRM = _action("elections.confirm", _("确认选举结果"))
ELECTIONS_COUNT = _action("elections.count", _("计票"))
ELECTIONS_CREATE = _action("elections.create", _("新建换届选举"))
ELECTIONS_NOMINATE = _action("elections.nominate", _("提名候选人"))
ELECTIONS_OPEN = _action("elections.open", _("开始投票"))
ELECTIONS_REPORT = _action("elections.report", _("上报选举结果"))
ELECTIONS_REQUEST = _action("elections.request", _("提交换届请示"))
ELECTIONS_RETURN = _action("elections.return", _("退回换届请示"))
ELECTIONS_SHIFT = _action("elections.shift", _("调整选举日程"))
ELECTIONS_TERM = _action("elections.term", _("设置任期"))
ELECTIONS_WITHDRAW = _action("elections.withdraw", _("撤回候选人"))

# evaluation
EVALUATION_CLOSE = _action("evaluation.close", _("结束民主评议"))
EVALUATION_CREATE = _action("evaluation.create", _("新建民主评议"))
EVALUATION_DECIDE = _action("evaluation.decide", _("作出评议结论"))
EVALUATION_FOLLOW_UP = _action("evaluation.follow_up", _("安排整改跟进"))
EVALUATION_FOLLOW_UP_STEP = _action("evaluation.follow_up_step", _("记录整改进展"))
EVALUATION_INVITE = _action("evaluation.invite", _("邀请参加测评"))
EVALUATION_OPEN = _action("evaluation.open", _("开始民主评议"))
EVALUATION_PROPOSE = _action("evaluation.propose", _("提出评定意见"))
EVALUATION_REPORT_EXPORT = _action("evaluation.report_export", _("导出评议报告"))
EVALUATION_SELF_EVALUATION = _action("evaluation.self_evaluation", _("提交自我评价"))
EVALUATION_UPDATE = _action("evaluation.update", _("修改民主评议"))

# league
LEAGUE_DUES_PAID = _action("league.dues_paid", _("登记已交团费"))
LEAGUE_EXPORT = _action("league.export", _("导出团员名册"))
LEAGUE_COMPLIANCE_EXPORT = _action("league.compliance_export", _("导出团组织生活落实情况"))
LEAGUE_RECOMMEND = _action("league.recommend", _("推优入党"))
LEAGUE_RECOMMEND_CONFIRM = _action("league.recommend_confirm", _("确定推优人选为入党积极分子"))
LEAGUE_RECOMMEND_WITHDRAW = _action("league.recommend_withdraw", _("撤回推优"))

# learning
LEARNING_ARTICLE_CHANGE = _action("learning.article_change", _("修改文章"))
LEARNING_ARTICLE_CREATE = _action("learning.article_create", _("发布文章"))
LEARNING_ARTICLE_RESTORE = _action("learning.article_restore", _("恢复文章"))
LEARNING_ARTICLE_WITHDRAW = _action("learning.article_withdraw", _("撤回文章"))
LEARNING_COMPLETION_EXPORT = _action("learning.completion_export", _("导出学习完成情况"))
LEARNING_DOWNLOAD = _action("learning.download", _("下载学习资料"))
LEARNING_PLAN_CHANGE = _action("learning.plan_change", _("修改学习计划"))
LEARNING_PLAN_CREATE = _action("learning.plan_create", _("新建学习计划"))
LEARNING_PLAN_ITEM_ADD = _action("learning.plan_item_add", _("学习计划添加内容"))
LEARNING_PLAN_RESTORE = _action("learning.plan_restore", _("恢复学习计划"))
LEARNING_PLAN_WITHDRAW = _action("learning.plan_withdraw", _("撤回学习计划"))
LEARNING_RESOURCE_CHANGE = _action("learning.resource_change", _("修改学习资料"))
LEARNING_RESOURCE_CREATE = _action("learning.resource_create", _("上传学习资料"))
LEARNING_RESOURCE_RESTORE = _action("learning.resource_restore", _("恢复学习资料"))
LEARNING_RESOURCE_WITHDRAW = _action("learning.resource_withdraw", _("撤回学习资料"))

# localrules
LOCALRULES_CLEAR = _action("localrules.clear", _("清除本单位规定"))
LOCALRULES_SET = _action("localrules.set", _("设置本单位规定"))

# meetings
MEETINGS_APPROVE_MINUTES = _action("meetings.approve_minutes", _("审核会议记录"))
MEETINGS_ATTENDANCE = _action("meetings.attendance", _("登记出席"))
MEETINGS_CANCEL = _action("meetings.cancel", _("取消会议"))
MEETINGS_CHANGE = _action("meetings.change", _("修改会议"))
MEETINGS_LEAVE = _action("meetings.leave", _("请假"))
MEETINGS_MAKEUP = _action("meetings.makeup", _("补学"))
MEETINGS_MINUTES = _action("meetings.minutes", _("填写会议记录"))
MEETINGS_MINUTES_PDF = _action("meetings.minutes_pdf", _("导出会议记录"))
MEETINGS_PLAN = _action("meetings.plan", _("安排会议"))
MEETINGS_REMIND = _action("meetings.remind", _("提醒党支部召开组织生活"))
MEETINGS_RESOLUTION = _action("meetings.resolution", _("记录会议决议"))
MEETINGS_SERIES = _action("meetings.series", _("安排周期会议"))

# notify
NOTIFY_PREFERENCES = _action("notify.preferences", _("修改通知设置"))

# orgs
ORGS_APPOINT = _action("orgs.appoint", _("任命职务"))
ORGS_CREATE = _action("orgs.create", _("新建组织"))
ORGS_END_POSITION = _action("orgs.end_position", _("免去职务"))
ORGS_IMPORT = _action("orgs.import", _("导入组织和人员"))
ORGS_MEMBERSHIP = _action("orgs.membership", _("调整组织关系"))
ORGS_UPDATE = _action("orgs.update", _("修改组织"))

# people
PEOPLE_CREATE = _action("people.create", _("新增人员"))
PEOPLE_EXPORT = _action("people.export", _("导出人员名单"))
PEOPLE_EXPORT_FULL = _action("people.export_full", _("导出人员完整信息"))
PEOPLE_IMPORT = _action("people.import", _("导入人员"))
PEOPLE_REVEAL = _action("people.reveal", _("查看敏感信息"))
PEOPLE_STATUS = _action("people.status", _("变更政治面貌"))
PEOPLE_STATUS_CORRECTION = _action("people.status_correction", _("更正政治面貌"))
PEOPLE_UPDATE = _action("people.update", _("修改人员信息"))

# points
POINTS_ADJUST = _action("points.adjust", _("调整积分"))
POINTS_AWARD = _action("points.award", _("奖励积分"))
POINTS_CANCEL = _action("points.cancel", _("取消兑换"))
POINTS_EXPIRE = _action("points.expire", _("积分过期"))
POINTS_HAND_OVER = _action("points.hand_over", _("兑换交付"))
POINTS_ITEM_CHANGE = _action("points.item_change", _("修改兑换商品"))
POINTS_ITEM_CREATE = _action("points.item_create", _("上架兑换商品"))
POINTS_STOCK = _action("points.stock", _("调整商品库存"))

# quiz
QUIZ_CERTIFICATE = _action("quiz.certificate", _("下载竞赛证书"))
QUIZ_CONTEST_CLOSE = _action("quiz.contest_close", _("结束竞赛"))
QUIZ_CONTEST_CREATE = _action("quiz.contest_create", _("新建竞赛"))
QUIZ_CONTEST_OPEN = _action("quiz.contest_open", _("发布竞赛"))
QUIZ_EXPORT = _action("quiz.export", _("导出题库或成绩"))
QUIZ_IMPORT = _action("quiz.import", _("导入题库"))
QUIZ_QUESTION_CHANGE = _action("quiz.question_change", _("修改题目"))
QUIZ_QUESTION_CREATE = _action("quiz.question_create", _("新增题目"))
QUIZ_QUESTION_RESTORE = _action("quiz.question_restore", _("恢复题目"))
QUIZ_QUESTION_WITHDRAW = _action("quiz.question_withdraw", _("撤回题目"))
QUIZ_TEAMS = _action("quiz.teams", _("竞赛组队"))
QUIZ_VOID = _action("quiz.void", _("作废竞赛题目"))

# recruitment
RECRUITMENT_BRANCH_MEETING = _action("recruitment.branch_meeting", _("支部大会讨论"))
RECRUITMENT_DOCUMENT = _action("recruitment.document", _("上传发展材料"))
RECRUITMENT_EXTEND_APPROVAL = _action("recruitment.extend_approval", _("延长审批期限"))
RECRUITMENT_FILE_PDF = _action("recruitment.file_pdf", _("导出入党材料"))
RECRUITMENT_IMPORT = _action("recruitment.import", _("导入发展档案"))
RECRUITMENT_LEAVING = _action("recruitment.leaving", _("登记离开单位日期"))
RECRUITMENT_OPEN = _action("recruitment.open", _("建立发展档案"))
RECRUITMENT_OVERRIDE = _action("recruitment.override", _("越过规则记录步骤"))
RECRUITMENT_PLAN = _action("recruitment.plan", _("制定发展计划"))
RECRUITMENT_REMIND = _action("recruitment.remind", _("提醒培养联系人和入党介绍人"))
RECRUITMENT_REPORT = _action("recruitment.report", _("提交思想汇报"))
RECRUITMENT_REPORT_REVIEW = _action("recruitment.report_review", _("审阅思想汇报"))
RECRUITMENT_STATS_EXPORT = _action("recruitment.stats_export", _("导出发展统计"))
RECRUITMENT_STEP = _action("recruitment.step", _("记录发展步骤"))

# retreats
RETREATS_ALLOCATE = _action("retreats.allocate", _("分配疗休养名额"))
RETREATS_BATCH = _action("retreats.batch", _("安排疗休养批次"))
RETREATS_EXPORT = _action("retreats.export", _("导出疗休养名单"))
RETREATS_FEEDBACK = _action("retreats.feedback", _("评价疗休养"))
RETREATS_QUOTA = _action("retreats.quota", _("核定疗休养名额"))
RETREATS_ROUTE = _action("retreats.route", _("新建疗休养线路"))
RETREATS_SIGN_UP = _action("retreats.sign_up", _("报名疗休养"))
RETREATS_WITHDRAW = _action("retreats.withdraw", _("退出疗休养"))

# space
SPACE_AUTO_HIDE = _action("space.auto_hide", _("互动空间内容因多人举报自动隐藏待审"))
SPACE_COMMENT = _action("space.comment", _("发表互动空间评论"))
SPACE_DISPLAY_NAME = _action("space.display_name", _("设置互动空间显示名称"))
SPACE_EXPORT = _action("space.export", _("导出互动空间敏感词或审核记录"))
SPACE_MODERATE = _action("space.moderate", _("审核互动空间内容"))
SPACE_PIN = _action("space.pin", _("置顶或取消置顶官方帖子"))
SPACE_POST = _action("space.post", _("发布互动空间帖子"))
SPACE_POST_DELETE = _action("space.post_delete", _("删除互动空间帖子"))
SPACE_REPORT = _action("space.report", _("举报互动空间内容"))
SPACE_SETTINGS = _action("space.settings", _("设置互动空间"))
SPACE_VIEW_IDENTITY = _action("space.view_identity", _("在审核队列查看发帖人实名"))
SPACE_WORDS = _action("space.words", _("维护敏感词"))

# studios
STUDIOS_ACHIEVEMENT_ADD = _action("studios.achievement_add", _("登记工作室成果"))
STUDIOS_CHECK_IN = _action("studios.check_in", _("记录师带徒月度交流"))
STUDIOS_CRAFT_LEARNED = _action("studios.craft_learned", _("登记学会绝活"))
STUDIOS_CRAFT_SAVE = _action("studios.craft_save", _("登记绝活"))
STUDIOS_HONOUR_ADD = _action("studios.honour_add", _("登记荣誉"))
STUDIOS_MEMBER_ADD = _action("studios.member_add", _("添加工作室成员"))
STUDIOS_PAIR_CREATE = _action("studios.pair_create", _("结成师徒对子"))
STUDIOS_PAIR_FINISH = _action("studios.pair_finish", _("师带徒出师"))
STUDIOS_SKILL_REFUSE = _action("studios.skill_refuse", _("退回技能签认"))
STUDIOS_SKILL_SIGN = _action("studios.skill_sign", _("签认技能"))
STUDIOS_STATS_EXPORT = _action("studios.stats_export", _("导出工作室统计"))
STUDIOS_STUDIO_SAVE = _action("studios.studio_save", _("保存工匠工作室"))

# transfers
TRANSFERS_ACCEPT = _action("transfers.accept", _("接收组织关系"))
TRANSFERS_CONTACT = _action("transfers.contact", _("登记失联党员联系"))
TRANSFERS_DECLINE = _action("transfers.decline", _("退回组织关系转接"))
TRANSFERS_INCOMING = _action("transfers.incoming", _("登记转入党员"))
TRANSFERS_LETTER = _action("transfers.letter", _("开具介绍信"))
TRANSFERS_LETTER_PDF = _action("transfers.letter_pdf", _("打印介绍信"))
TRANSFERS_MEMBERSHIP_END = _action("transfers.membership_end", _("转出组织关系"))
TRANSFERS_MEMBERSHIP_START = _action("transfers.membership_start", _("转入组织关系"))
TRANSFERS_PIPELINE = _action("transfers.pipeline", _("转移发展档案"))
TRANSFERS_RECEIPT = _action("transfers.receipt", _("登记回执"))
TRANSFERS_START = _action("transfers.start", _("发起组织关系转接"))
TRANSFERS_VERIFY = _action("transfers.verify", _("核验介绍信"))
TRANSFERS_WITHDRAW = _action("transfers.withdraw", _("撤回组织关系转接"))

# union
UNION_APPLY = _action("union.apply", _("申请加入工会"))
UNION_CARE_APPLY = _action("union.care_apply", _("申请慰问"))
UNION_CARE_DECIDE = _action("union.care_decide", _("审核慰问"))
UNION_CARE_IMPORT = _action("union.care_import", _("导入慰问事项"))
UNION_DECIDE = _action("union.decide", _("审批入会申请"))
UNION_DUES_PAY = _action("union.dues_pay", _("登记会费"))
UNION_EXPORT = _action("union.export", _("导出工会名册或报表"))
UNION_FILE_VIEW = _action("union.file_view", _("查看困难档案"))
UNION_HARDSHIP_FILE = _action("union.hardship_file", _("建立困难档案"))
UNION_HARDSHIP_REVIEW = _action("union.hardship_review", _("复核困难档案"))
UNION_HELP_APPLY = _action("union.help_apply", _("申请帮扶"))
UNION_HELP_DECIDE = _action("union.help_decide", _("审批帮扶"))
UNION_LEAVE = _action("union.leave", _("退出工会"))
UNION_MOVE = _action("union.move", _("转移会员关系"))
UNION_PAYMENT = _action("union.payment", _("发放慰问帮扶"))
UNION_PROVISION = _action("union.provision", _("设置慰问帮扶标准"))
UNION_WAGES_IMPORT = _action("union.wages_import", _("导入会费工资基数"))

# vanguard
VANGUARD_DOCUMENT = _action("vanguard.document", _("上传先锋行动项目文档"))
VANGUARD_MEMBER_ADD = _action("vanguard.member_add", _("添加先锋行动项目成员"))
VANGUARD_MILESTONE_ADD = _action("vanguard.milestone_add", _("添加先锋行动项目节点"))
VANGUARD_MILESTONE_DONE = _action("vanguard.milestone_done", _("完成先锋行动项目节点"))
VANGUARD_MILESTONE_ESCALATE = _action("vanguard.milestone_escalate", _("先锋行动节点逾期上报"))
VANGUARD_MILESTONE_URGE = _action("vanguard.milestone_urge", _("督办先锋行动逾期节点"))
VANGUARD_POST_REVIEW = _action("vanguard.post_review", _("年度评议先锋岗承诺"))
VANGUARD_POST_SAVE = _action("vanguard.post_save", _("设立党员先锋岗或责任区"))
VANGUARD_PROGRESS = _action("vanguard.progress", _("记录先锋行动项目进展"))
VANGUARD_PROJECT_CREATE = _action("vanguard.project_create", _("发起先锋行动项目"))
VANGUARD_REVIEW = _action("vanguard.review", _("评审先锋行动项目"))
VANGUARD_RISK = _action("vanguard.risk", _("登记先锋行动项目风险"))
VANGUARD_STATS_EXPORT = _action("vanguard.stats_export", _("导出先锋行动统计"))
VANGUARD_SUBMIT = _action("vanguard.submit", _("提交先锋行动项目结项"))
VANGUARD_TARGET_ADD = _action("vanguard.target_add", _("添加先锋行动项目指标"))

# voice
VOICE_ACCEPT = _action("voice.accept", _("受理E线声音"))
VOICE_ANSWER = _action("voice.answer", _("答复E线声音"))
VOICE_ASK = _action("voice.ask", _("向E线声音提交人提问"))
VOICE_CATEGORY = _action("voice.category", _("维护E线声音类别"))
VOICE_CONGRESS = _action("voice.congress", _("设立职代会提案征集"))
VOICE_ESCALATE = _action("voice.escalate", _("E线声音逾期督办"))
VOICE_EXPORT = _action("voice.export", _("导出E线声音报表"))
VOICE_EXTEND = _action("voice.extend", _("E线声音延期"))
VOICE_FAQ = _action("voice.faq", _("E线声音加入党群小智常见问题"))
VOICE_FILE = _action("voice.file", _("提交E线声音"))
VOICE_FORWARD = _action("voice.forward", _("转交E线声音"))
VOICE_FORWARD_DECLINE = _action("voice.forward_decline", _("不接收转来的E线声音"))
VOICE_IDENTITY_VIEW = _action("voice.identity_view", _("查看匿名反映的提交人"))
VOICE_MERGE = _action("voice.merge", _("合并E线声音"))
VOICE_PROGRESS = _action("voice.progress", _("开始办理E线声音"))
VOICE_PROPOSAL_ACCEPT = _action("voice.proposal_accept", _("职代会提案立案"))
VOICE_PROPOSAL_ANSWER = _action("voice.proposal_answer", _("答复职代会提案"))
VOICE_PROPOSAL_COSIGN = _action("voice.proposal_cosign", _("附议职代会提案"))
VOICE_PROPOSAL_EXPORT = _action("voice.proposal_export", _("导出职代会提案汇总"))
VOICE_PROPOSAL_FILE = _action("voice.proposal_file", _("提出职代会提案"))
VOICE_PROPOSAL_RATE = _action("voice.proposal_rate", _("评价提案答复"))
VOICE_PROPOSAL_RETURN = _action("voice.proposal_return", _("职代会提案不予立案"))
VOICE_RATE = _action("voice.rate", _("评价E线声音答复"))
VOICE_REOPEN = _action("voice.reopen", _("E线声音重新办理"))
VOICE_REPLY = _action("voice.reply", _("E线声音提交人回复"))
VOICE_RETURN = _action("voice.return", _("退回E线声音"))
VOICE_SUPPORT = _action("voice.support", _("附议E线声音"))


#: Labels for change keys that are not fields of the audited model (or are named differently there), and for the
#: keys of records inside a value. Every key a service passes to ``record()`` is labelled here or by the audited
#: model's field (``plaza/audit/tests/test_change_labels.py`` scans the source). A key keeps one meaning across
#: apps, so its label is the plain word for it ("from" 自, "to" 至); a new meaning is a new key.
FIELD_LABELS: dict[str, Promise] = {
    "achieved_on": _("取得日期"),
    "active": _("启用"),
    "activity": _("活动"),
    "added": _("添加的敏感词"),
    "amount": _("金额"),
    "amounts": _("各月金额"),
    "answers": _("涉及答题数"),
    "applied_on": _("申请入党日期"),
    "appointed": _("任职人员"),
    "apprentice": _("徒弟"),
    "approved_by": _("批准人"),
    "approved_on": _("批准日期"),
    "article": _("依据条款"),
    "at": _("时间"),
    "attachments": _("附件数"),
    "attendance": _("出席记录"),
    "audience": _("面向范围"),
    "author": _("作者"),
    "balance": _("积分余额"),
    "ballots_seal": _("选票封存值"),
    "batch": _("批次"),
    "booking": _("预约"),
    "branch": _("支部"),
    "by": _("经办组织"),
    "cancelled": _("取消的预约"),
    "candidates": _("候选人"),
    "change": _("据此改进"),
    "checksum": _("校验值"),
    "closes": _("结束时间"),
    "comment": _("评论"),
    "congress": _("职代会"),
    "content": _("内容"),
    "count": _("数量"),
    "counters": _("窗口数"),
    "crafts": _("学会的绝活"),
    "created": _("新增"),
    "creator": _("创造人"),
    "day": _("日期"),
    "days_late": _("逾期天数"),
    "dealer": _("经销商"),
    "decided_by": _("决定机关"),
    "decision": _("处理决定"),
    "decisions": _("决议"),
    "display_name": _("显示名称"),
    "document": _("文档"),
    "done_on": _("完成日期"),
    "downloads": _("下载次数"),
    "due": _("期限"),
    "due_on": _("截止日期"),
    "effective_from": _("生效日期"),
    "effective_on": _("生效日期"),
    "elected": _("当选人"),
    "email": _("邮件通知"),
    "ended": _("结束的组织关系和职务"),
    "entitled": _("应到人数"),
    "expected": _("应到人数"),
    "fields": _("查看的信息"),
    "file": _("文件名"),
    "filters": _("筛选条件"),
    "first": _("起始日期"),
    "format": _("格式"),
    "from": _("自"),
    "grade": _("等级"),
    "grades": _("评定等次"),
    "guests": _("列席人员"),
    "held_place": _("已占名额"),
    "holder": _("持有人"),
    "hours": _("办理时段"),
    "in_time": _("按期答复"),
    "initiator": _("发起方"),
    "into": _("并入"),
    "invalid": _("无效票"),
    "invited": _("邀请参加测评的人员"),
    "issued_on": _("开具日期"),
    "issuing_org": _("开具介绍信的党组织"),
    "item": _("商品"),
    "items": _("查看的内容"),
    "keep": _("继续保留"),
    "kind": _("类型"),
    "kinds": _("未落实的组织生活"),
    "language": _("界面语言"),
    "last": _("截止日期"),
    "last_contact_on": _("最近联系日期"),
    "late": _("逾期申请"),
    "lead": _("负责人"),
    "leader": _("领衔人"),
    "leaves_on": _("离开单位日期"),
    "letter_no": _("介绍信编号"),
    "level": _("级别"),
    "members": _("参评正式党员"),
    "membership": _("组织关系"),
    "memberships": _("组织关系"),
    "mentor": _("师傅"),
    "method": _("方式"),
    "milestone": _("节点"),
    "month": _("月份"),
    "monthly_dues": _("月交党费"),
    "months": _("月份"),
    "moved_from": _("原预约"),
    "muted_kinds": _("不接收的类别"),
    "n": _("分配人数"),
    "name": _("名称"),
    "note": _("备注"),
    "number": _("编号"),
    "on": _("日期"),
    "opens": _("开始时间"),
    "org": _("组织"),
    "organisation": _("组织"),
    "organisations": _("组织"),
    "others": _("其他台账的行数"),
    "outcome": _("结论"),
    "over_cap": _("超出标准人数"),
    "owner": _("负责组织"),
    "paid_on": _("缴纳日期"),
    "partner": _("共建单位"),
    "partners": _("共建单位"),
    "passages": _("段落数"),
    "passed": _("通过"),
    "path": _("树路径"),
    "people": _("人员"),
    "per_year": _("每年次数"),
    "person": _("人员"),
    "photos": _("照片数"),
    "pictures": _("图片数"),
    "pipeline": _("发展档案"),
    "places": _("名额"),
    "plan": _("学习计划"),
    "planned": _("计划发展人数"),
    "points": _("积分"),
    "political_status": _("政治面貌"),
    "positions": _("职务"),
    "post": _("帖子"),
    "present": _("实到人数"),
    "probationary": _("参评预备党员"),
    "proposals": _("建议等次"),
    "q": _("搜索关键词"),
    "question": _("问题"),
    "quorate": _("达到法定人数"),
    "rating": _("评价"),
    "reason": _("原因"),
    "receipt_on": _("回执日期"),
    "recipients": _("提醒对象"),
    "reference": _("凭证号"),
    "report": _("思想汇报"),
    "reports": _("举报次数"),
    "reports_closed": _("处理的举报数"),
    "result": _("核验结果"),
    "risk": _("风险"),
    "role": _("角色"),
    "round": _("轮次"),
    "rows": _("行数"),
    "rules": _("未满足的规则"),
    "runoff": _("需另行选举"),
    "self_evaluation": _("自我评价"),
    "service": _("办理事项"),
    "sheets": _("测评表数"),
    "signups": _("报名人数"),
    "since": _("起始日期"),
    "size": _("文件大小"),
    "skill": _("技能"),
    "skills": _("技能"),
    "skipped": _("跳过"),
    "source": _("来源"),
    "space": _("互动空间"),
    "staff_answer": _("人工答复"),
    "stage": _("阶段"),
    "starts_at": _("开始时间"),
    "state": _("状态"),
    "status": _("状态"),
    "status_change": _("政治面貌变更记录"),
    "status_changes": _("政治面貌变更记录"),
    "step": _("步骤"),
    "step_record": _("发展步骤记录"),
    "target": _("指标"),
    "targets": _("指标完成值"),
    "teams": _("队伍数"),
    "terms_version": _("协议版本"),
    "text": _("内容"),
    "threshold": _("自动隐藏阈值"),
    "time": _("时间"),
    "title": _("标题"),
    "to": _("至"),
    "to_centre": _("全额上缴中央"),
    "topics": _("议题"),
    "unchanged": _("未变更"),
    "unfilled": _("空缺名额"),
    "unit": _("计量单位"),
    "until": _("结束日期"),
    "updated": _("更新"),
    "valid": _("有效票"),
    "valid_until": _("有效期至"),
    "value": _("取值"),
    "votes": _("表决情况"),
    "warnings": _("提示条数"),
    "wecom": _("企业微信通知"),
    "weekdays": _("星期"),
    "withdrawn_at": _("撤回时间"),
    "year": _("年度"),
    "yes": _("赞成票"),
}

#: Keys whose values are codes of a field the audited model does not have: the values read as that field's
#: choices ("app_label.model.field"), in the reader's language. ``"object_type:key"`` when the key is generic.
FIELD_CHOICES: dict[str, str] = {
    "decision": "space.moderationdecision.decision",
    "evaluation.followup:kind": "evaluation.followupstep.kind",
    "grade": "evaluation.participant.grade",
    "kinds": "meetings.meeting.kind",
    "method": "dues.duespayment.method",
}

#: Keys whose values name fields of the audited model (the personal data someone viewed): read as their labels.
FIELD_NAMES = frozenset({"fields"})

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# ``isoformat()`` writes a T, ``str()`` of a datetime a space: both are stored in older entries
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_ISO_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")


def is_known(code: str) -> bool:
    return code in LABELS


def label(code: str) -> str:
    """What people read for an action; an action no longer registered (an old entry) shows its code."""
    found = LABELS.get(code)
    return str(found) if found is not None else code


def choices() -> list[tuple[str, str]]:
    """(code, label) of every registered action, in label order, for the audit log's filter."""
    return sorted(((code, str(text)) for code, text in LABELS.items()), key=lambda pair: (pair[1], pair[0]))


@dataclass(frozen=True)
class Change:
    """One changed field as people read it: 字段：旧值 → 新值 (``before`` is "" when only the new value is known)."""

    field: str
    before: str
    after: str
    had_before: bool

    def __str__(self) -> str:
        if self.had_before:
            return f"{self.field}：{self.before} → {self.after}"
        return f"{self.field}：{self.after}"


def _model(object_type: str) -> Any:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model: Any, key: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        if key.endswith("_id"):
            return _field(model, key[:-3])
        return None


def _value_field(model: Any, key: str, object_type: str = "") -> Any:
    """The field whose choices read a key's values: the audited model's own, else the one
    :data:`FIELD_CHOICES` names (a code recorded about something the audited object does not hold itself)."""
    field = _field(model, key)
    if getattr(field, "choices", None):
        return field
    path = FIELD_CHOICES.get(f"{object_type}:{key}") or FIELD_CHOICES.get(key)
    if path:
        app_model, _dot, name = path.rpartition(".")
        return _field(_model(app_model), name) or field
    return field


def _step(value: Any) -> str | None:
    """A recruitment step number as 第N步「名称」 (the step's name from plaza.rules.recruitment)."""
    if isinstance(value, int) and not isinstance(value, bool) and min(Step) <= value <= max(Step):
        return gettext("第%(n)s步「%(name)s」") % {"n": value, "name": Step(value).label}
    return None


def readable(value: Any, field: Any = None, model: Any = None) -> str:
    """A stored value as people read it: choices by their label, yes/no, dates in the reader's format, lists
    joined, a record inside a value as 标签：值，标签：值 (its keys labelled from ``model`` or
    :data:`FIELD_LABELS`); never a Python repr or a key's code."""
    if value is None or value == "":
        return "—"
    if field is not None and getattr(field, "choices", None):
        for choice, text in field.flatchoices:
            if str(choice) == str(value):
                return str(text)
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            try:
                return formats.date_format(datetime.date.fromisoformat(value))
            except ValueError:
                return value
        if _ISO_DATETIME.match(value):
            try:
                moment = datetime.datetime.fromisoformat(value)
            except ValueError:
                return value
            return formats.date_format(moment, "DATETIME_FORMAT") if moment.tzinfo is None else _local(moment)
        if _ISO_TIME.match(value):
            try:
                return formats.time_format(datetime.time.fromisoformat(value))
            except ValueError:
                return value
        return value
    if isinstance(value, list | tuple):
        # a list of records (the items of a review queue, the votes of a meeting) reads one record after another
        separator = "；" if any(isinstance(v, Mapping | list | tuple) for v in value) else "、"
        return separator.join(readable(v, field, model) for v in value) or "—"
    if isinstance(value, Mapping):
        # one record inside a change: its keys are labelled like the change's own, never shown as code
        return (
            "，".join(
                f"{_key_label(model, str(k))}：{readable(v, _value_field(model, str(k)), model)}"
                for k, v in value.items()
            )
            or "—"
        )
    return str(value)


def _local(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def field_label(model: Any, key: str) -> str | None:
    """The label of a change key: the audited model's field's verbose name, else :data:`FIELD_LABELS`, else the
    local-practice rule of that key (``localrules`` records a rule's value under the rule's key); None when the
    key has none, which ``plaza/audit/tests/test_change_labels.py`` refuses for every key a service records."""
    field = _field(model, key)
    named = getattr(field, "verbose_name", None)
    # a field given no verbose name is labelled by Django from its code ("round"): not a label people read
    if named and str(named) != field.name.replace("_", " "):
        return str(named)
    found = FIELD_LABELS.get(key)
    if found is None and field is not None:  # "person_id" of a foreign key named "person"
        found = FIELD_LABELS.get(field.name)
    if found is not None:
        return str(found)
    rule = LOCAL_RULES.get(key)
    return str(rule.label) if rule is not None else None


def _key_label(model: Any, key: str) -> str:
    """What people read for a key; an entry written before its key had a label shows the key itself."""
    return field_label(model, key) or key


def _shown(model: Any, object_type: str, key: str, value: Any) -> str:
    if key == "step" and (step := _step(value)):
        return step
    if key in FIELD_NAMES and isinstance(value, list):
        return "、".join(_key_label(model, str(name)) for name in value) or "—"
    return readable(value, _value_field(model, key, object_type), model)


def describe_changes(
    object_type: str, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> list[Change]:
    """The changes of one audit entry, field by field, labelled from the audited model's fields (its
    verbose names and choices) or :data:`FIELD_LABELS`, values read by :func:`readable`."""
    model = _model(object_type)
    before = before if isinstance(before, Mapping) else {}
    after = after if isinstance(after, Mapping) else {}
    return [
        Change(
            _key_label(model, key),
            _shown(model, object_type, key, before.get(key)) if key in before else "",
            _shown(model, object_type, key, after.get(key)) if key in after else "—",
            key in before,
        )
        for key in dict.fromkeys([*after, *before])
    ]
