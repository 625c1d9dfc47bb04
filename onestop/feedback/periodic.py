from onestop.feedback.sweeps import overdue_follow_ups
from onestop.periodic import every


@every(60)
def notify_overdue_follow_ups() -> None:
    overdue_follow_ups()
