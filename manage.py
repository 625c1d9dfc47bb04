#!/usr/bin/env python3
"""Django's command-line utility; `onestop` (onestop/cli.py) is the same with a friendlier name."""
from onestop.cli import main

if __name__ == "__main__":
    main()
