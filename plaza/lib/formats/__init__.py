"""Plaza's date formats by language (issue 14 "dates in Chinese format in Chinese"): ``FORMAT_MODULE_PATH``.

Templates name a format, never spell one: ``{{ day|date }}`` (DATE_FORMAT), ``{{ at|date:"DATETIME_FORMAT" }}``,
``{{ month|date:"YEAR_MONTH_FORMAT" }}``, ``{{ day|date:"MONTH_DAY_FORMAT" }}``,
``{{ at|date:"SHORT_DATETIME_FORMAT" }}``, ``{{ at|time }}``. Python code that puts a date into a sentence uses
``plaza.lib.dates``. A literal format such as ``|date:'Y-m-d'`` is only for machine values (an ``<input>``'s
value, a query parameter).

=========================  ==================  ===================
name                       简体中文             English
=========================  ==================  ===================
DATE_FORMAT                2026年12月7日        7 Dec 2026
DATETIME_FORMAT            2026年12月7日 14:30  7 Dec 2026 14:30
SHORT_DATETIME_FORMAT      12月7日 14:30        7 Dec 14:30
YEAR_MONTH_FORMAT          2026年12月           Dec 2026
MONTH_DAY_FORMAT           12月7日              7 Dec
TIME_FORMAT                14:30               14:30
=========================  ==================  ===================

Only display formats are set here; input formats stay Django's for each language.
"""
