"""Sub-commands of ``python -m esskb``: one module each, with ``register(subparsers)``."""

MODULES = ("check", "export", "new", "stats", "newsletter", "dossier")
