"""The library layer: modules that import no Plaza app (only Django, third-party packages, plaza.rules and each
other). Apps at every layer may import them; see docs/layout.md."""
