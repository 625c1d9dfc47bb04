from onestop.feedback.bridges import register_issued_applications
from onestop.feedback.sweeps import overdue_follow_ups
from onestop.periodic import every


@every(60)
def notify_overdue_follow_ups() -> None:
    overdue_follow_ups()


@every(60)
def register_issued_services() -> None:
    register_issued_applications()
