"""No post left unanswered: a day of threads replayed in simulated time, without and with the
routing of threads that wait for a first reply to peer responders and listeners on duty.

Run: .venv/bin/python bench/unanswered.py [--threads 200] [--responders 30] [--listeners 4]
     [--hours 24] [--seed 17]

This is `haven unanswered_simulation` (haven/matching/management/commands/
unanswered_simulation.py, where the scenario is described): the same seeded day twice, on a
throwaway database (in memory with SQLite), with the real routing code deciding who is offered
what. It prints time to first reply p50/p90 and the share of threads still unanswered after two
hours for both arms, then one JSON line; the figures are also written to bench/results/.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("unanswered_simulation", *sys.argv[1:])


if __name__ == "__main__":
    main()
