"""The `onestop` command line: Django's management commands under the platform's name.

`onestop worker`, `onestop demo`, `onestop audit verify` and every Django command (`migrate`, ...).
"""
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
