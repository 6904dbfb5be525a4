"""``channels.testing.WebsocketCommunicator`` without daphne.

``channels.testing``'s package ``__init__`` imports its live-server test case, which needs daphne (Plaza serves
with uvicorn and does not install daphne). The communicator itself needs nothing of daphne, so when daphne is
missing an empty ``daphne.testing`` stands in for the import and the real communicator is used.
"""

from __future__ import annotations

import importlib.util
import sys
import types

if importlib.util.find_spec("daphne") is None and "daphne.testing" not in sys.modules:
    daphne = types.ModuleType("daphne")
    testing = types.ModuleType("daphne.testing")

    class DaphneProcess:  # the live-server test case's base; never started here
        pass

    testing.DaphneProcess = DaphneProcess  # type: ignore[attr-defined]
    daphne.testing = testing  # type: ignore[attr-defined]
    sys.modules["daphne"] = daphne
    sys.modules["daphne.testing"] = testing

from channels.testing import WebsocketCommunicator  # noqa: E402

__all__ = ["WebsocketCommunicator"]
