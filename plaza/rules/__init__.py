"""Party procedure as plain Python: ``dues``, ``elections``, ``meetings`` and ``recruitment``.

No Django import anywhere in this package: other systems may import and call it as a library. Every rule
names its source (see :mod:`plaza.rules.sources`); figures and interpretations follow Plaza's rulebook.
Dates are :class:`datetime.date`, money is :class:`decimal.Decimal`.
"""

from . import dues, elections, meetings, recruitment

__all__ = ["dues", "elections", "meetings", "recruitment"]
