"""``python -m kzbudget_graph`` runs the ``kzbudget`` command."""

from .cli import main

main()
