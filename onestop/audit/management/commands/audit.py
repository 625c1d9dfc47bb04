"""`onestop audit verify` walks every chain and checkpoint; `onestop audit checkpoint` makes one now."""
from django.core.management.base import BaseCommand, CommandError

from onestop.audit.actions import make_checkpoint
from onestop.audit.verify import verify_trail


class Command(BaseCommand):
    help = "Verify the audit trail (verify) or write a checkpoint now (checkpoint)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("what", choices=["verify", "checkpoint"])

    def handle(self, what: str, **options) -> None:
        if what == "checkpoint":
            cp = make_checkpoint(force=True)
            self.stdout.write(f"checkpoint #{cp.id} covers {len(cp.heads)} chains")
            return
        problems = verify_trail()
        if problems:
            self.stderr.write(f"first problem: {problems[0]}")
            for p in problems[1:20]:
                self.stderr.write(f"also: {p}")
            raise CommandError(f"audit trail NOT intact: {len(problems)} problem(s)")
        self.stdout.write(self.style.SUCCESS("audit trail intact"))
