"""The light sweep, run by every `onestop worker` (safe in several at once: see `lights.sweep`)."""
from onestop.lights.sweep import sweep
from onestop.periodic import every


@every(30)
def light_sweep() -> None:
    sweep()
