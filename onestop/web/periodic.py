from onestop.periodic import every
from onestop.web.idempotency import prune_idempotency_records


@every(3600)
def prune_idempotency_keys() -> None:
    prune_idempotency_records()
