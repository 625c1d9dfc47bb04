from onestop.periodic import every
from onestop.stewards.sweeps import late_milestones


@every(60)
def notify_late_milestones() -> None:
    late_milestones()
