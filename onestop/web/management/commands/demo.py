"""`onestop demo`: load the deterministic demo data (once) and print one account per role."""
from __future__ import annotations

import unicodedata

from django.core.management.base import BaseCommand, CommandError

from onestop.demo import loader


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def table(rows: list[list[str]]) -> str:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Load the demo data of 泊里镇 (idempotent: a second run changes nothing) and print the demo accounts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-history", action="store_true",
                            help="only the organisation, catalogue, enterprises and accounts, no year of activity")

    def handle(self, *args, no_history: bool = False, **options) -> None:
        try:
            result = loader.load()
        except loader.DemoConflict as exc:
            raise CommandError(f"Demo data not loaded, nothing written: {exc}") from exc
        c = result.counts
        if result.created:
            places = c["places"]
            self.stdout.write(self.style.SUCCESS(
                f"Demo data loaded in {result.seconds:.2f} s: {places['town']} towns, {places['community']} communities, "
                f"{places['village']} villages, {places['grid']} grids; {c['departments']} departments; "
                f"{c['delegated_matters']} delegated + {c['village_matters']} village matters ({c['matters']} in all); "
                f"{c['bundles']} bundles; {c['enterprises']} enterprises; {c['projects']} projects; "
                f"{c['stewards']} stewards; {c['commissioners']} commissioners; {c['accounts']} accounts."
            ))
        else:
            self.stdout.write("Demo data already loaded; nothing changed.")
        if not no_history:
            timings = loader.load_histories()
            self.stdout.write("History (seconds per part, 0 when already there): "
                              + ", ".join(f"{k} {v}" for k, v in timings.items()))
        rows = [["username", "role", "name", "attached to"]] + [
            [r["username"], f"{r['role']} ({r['role_label']})", r["name"], r["attached"]]
            for r in loader.shown_accounts()
        ]
        self.stdout.write(table(rows))
        self.stdout.write(f"Password of every demo account: {loader.PASSWORD}")
