"""`onestop worker`: the task queue (django-tasks' database backend) plus the periodic jobs."""
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand

from onestop import periodic


class Command(BaseCommand):
    help = "Run background tasks and periodic jobs (light sweep, audit checkpoints, deadlines)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-periodic", action="store_true", help="only the task queue")

    def handle(self, *args, no_periodic: bool = False, **options) -> None:
        stop = threading.Event()
        if not no_periodic:
            threading.Thread(target=periodic.loop, args=(stop,), name="periodic", daemon=True).start()
        try:
            call_command("db_worker", "--queue-name=*", "--no-reload", "--interval=1")
        finally:
            stop.set()
