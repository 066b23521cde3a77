"""The `haven` console script: Django's manage.py under Haven's own name."""

import os
import sys

from django.core.management import execute_from_command_line


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
