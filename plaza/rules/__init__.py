"""Party procedure as plain Python: the public rules API of Plaza.

Modules: ``dues`` (党费), ``elections`` (换届选举), ``meetings`` (组织生活, branch resolutions),
``recruitment`` (党员发展, 25 steps), ``evaluation`` (民主评议), ``transfers`` (组织关系转接), ``workdays``
(working days and 调休, from the chinesecalendar package), ``quiz`` (答题 scoring), ``referrals`` (通星汇
attribution), with ``dates``
(calendar arithmetic) and ``sources`` (the documents cited, and ``Violation``).

No Django import anywhere in this package: other systems may import and call it as a library. Every rule
names its source as Plaza's rulebook (``rules.md``) names it. Dates are :class:`datetime.date`, money is
:class:`decimal.Decimal`; bad input raises ValueError with a message saying what is wrong.
"""

from . import dates, dues, elections, evaluation, meetings, quiz, recruitment, referrals, sources, transfers, workdays
from .sources import Violation

__all__ = [
    "Violation",
    "dates",
    "dues",
    "elections",
    "evaluation",
    "meetings",
    "quiz",
    "recruitment",
    "referrals",
    "sources",
    "transfers",
    "workdays",
]
