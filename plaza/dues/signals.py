"""Signals of 党费 for other apps (plaza.union listens): the same payroll file feeds more than one ledger."""

from django.dispatch import Signal

#: Sent by :func:`plaza.dues.imports.import_bases` inside its transaction, after the Party dues bases are
#: written, with ``actor``, ``month`` (first day) and ``wages`` (``{person_id: Decimal}``): the monthly wages of
#: the employees in the file who are not Party members (a Party member's base is the dues base itself). A
#: receiver returns how many rows it recorded; if it raises, the whole import is rolled back.
payroll_wages_imported = Signal()
