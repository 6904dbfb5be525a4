"""Signals of the organisation trees, for apps that keep lists of people by organisation.

``placement_changed(sender, person)`` is sent after a person's memberships, positions or political status
change (assigned, moved, transferred, appointed, removed, admitted), inside the transaction that changed
them. Receivers bring what they keep up to date (``plaza.meetings``: the lists of meetings still to come)
and must be idempotent: one transfer may send it twice, for the membership that ends and the one that starts.
"""

from django.dispatch import Signal

placement_changed = Signal()
