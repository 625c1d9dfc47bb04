"""Sealing a batch on every core: child processes render and seal, the runner keeps every database write.

A runner of a large batch (>= MIN_ITEMS pending) of a platform-held seal starts `processes()` children
(spawn: nothing of the worker's threads or connections is inherited). Each child builds the seal's
SealEngine once, then renders, seals and atomically writes the documents it is given and returns
(path, sha256); the runner records each item in its own transaction, exactly as in the serial path.
Children never touch the database. If the runner is killed, its children see their pipe close and exit;
a file a child wrote for an item that was never recorded is an orphan that nothing references.
"""
from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from multiprocessing import get_context
from types import SimpleNamespace
from typing import Any, Iterator

from django.conf import settings

MIN_ITEMS = 64
_state: dict[str, Any] = {}


def processes() -> int:
    value = os.environ.get("ONESTOP_SEALS_PROCESSES") or getattr(settings, "SEALS_BATCH_PROCESSES", 0)
    return int(value) if value else (os.cpu_count() or 1)


def _material(batch) -> dict[str, Any]:
    from cryptography.hazmat.primitives import serialization

    from onestop.seals import actions, keystore, pki, tsa

    seal, trust = batch.seal, keystore.trust()
    der = lambda key: key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,  # noqa: E731
                                        serialization.NoEncryption())
    return {
        "key": der(pki.unlock(seal.key_enc, pki.platform_secret())), "cert": seal.certificate_pem,
        "chain": seal.chain_pem, "image": bytes(seal.image_png), "name": f"Seal{seal.pk}",
        "owner_name": seal.owner_name, "kind": batch.kind, "level": batch.level,
        "root": pki.pem(trust.root), "tsa": pki.pem(trust.tsa_cert), "tsa_key": der(trust.tsa_key),
        "crl": trust.crl_der, "seals_dir": str(actions.seals_dir()),
        "base_url": getattr(settings, "PUBLIC_BASE_URL", None), "tsa_config": tsa.configured(),
    }


def _orphan_watch(parent: int) -> None:
    """A child whose runner was killed (SIGKILL) is re-parented; it then exits instead of waiting forever."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def _init(m: dict[str, Any]) -> None:
    threading.Thread(target=_orphan_watch, args=(os.getppid(),), daemon=True).start()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")
    import django

    django.setup()
    from cryptography.hazmat.primitives.serialization import load_der_private_key

    from onestop.seals import keystore, pki
    from onestop.seals.signing import SealEngine, Trust

    settings.SEALS_DIR = m["seals_dir"]
    if m["base_url"]:
        settings.PUBLIC_BASE_URL = m["base_url"]
    trust = Trust(pki.load_cert(m["root"]), pki.load_cert(m["tsa"]), load_der_private_key(m["tsa_key"], None), m["crl"])
    chain = [pki.load_cert(p) for p in keystore._split_pem(m["chain"])]
    _state.update(
        engine=SealEngine(load_der_private_key(m["key"], None), pki.load_cert(m["cert"]), chain, m["image"], trust,
                          name=m["name"], tsa=m["tsa_config"]),
        seal=SimpleNamespace(owner_name=m["owner_name"]), kind=m["kind"], level=m["level"],
    )


def _work(args: tuple[str, dict, str]) -> tuple[str, str] | Exception:
    from onestop.seals.batch import produce_item
    from onestop.seals.tsa import TimestampUnavailable

    number, data, token = args
    try:
        return produce_item(_state["engine"], _state["seal"], _state["kind"], _state["level"], number, data, token)
    except Exception as exc:  # sent back as a plain, picklable error for the row's failure report
        if isinstance(exc.__cause__, TimestampUnavailable):  # not the row's fault: the runner pauses the batch
            return exc.__cause__
        return RuntimeError(str(getattr(exc, "zh", "") or exc) or repr(exc))


class SealPool:
    def __init__(self, batch, size: int):
        self.size = size
        self.pool = get_context("spawn").Pool(size, initializer=_init, initargs=(_material(batch),))

    @classmethod
    @contextmanager
    def for_batch(cls, batch, pending: int) -> Iterator["SealPool | None"]:
        """A pool for a large batch of a platform-held seal on a machine with several cores, else None."""
        from onestop.seals.models import KeyProtection

        size = processes()
        # documents batches read each document's current file and lock its row: the runner does them itself
        if (size < 2 or pending < MIN_ITEMS or batch.seal.protection != KeyProtection.PLATFORM
                or batch.source != "sheet"):
            yield None
            return
        pool = cls(batch, size)
        try:
            yield pool
        finally:
            pool.pool.terminate()
            pool.pool.join()

    def run(self, rows: list[tuple[str, dict]], token: str) -> list[tuple[str, str] | Exception]:
        return self.pool.map(_work, [(number, data, token) for number, data in rows],
                             chunksize=max(1, len(rows) // (self.size * 2)))
