"""A real SoftHSM2 token for the tests (Debian `softhsm2`): one token store per test process.

SoftHSM reads its configuration (SOFTHSM2_CONF) and its tokens once, when the PKCS#11 module is first
initialised in the process, and python-pkcs11 keeps that module for the life of the process; so every test
of the process shares this one token, and each test makes its own key pair on it (a fresh label).
"""
from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
LABEL, PIN, SO_PIN = "onestop-test", "246810", "13579111"
_made: list[Path] = []


def token() -> str:
    """The token's label, creating the token store and the token on first use."""
    if not _made:
        root = Path(tempfile.mkdtemp(prefix="onestop-softhsm-"))
        (root / "tokens").mkdir()
        conf = root / "softhsm2.conf"
        conf.write_text(f"directories.tokendir = {root / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
        os.environ["SOFTHSM2_CONF"] = str(conf)
        subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", LABEL, "--pin", PIN, "--so-pin", SO_PIN],
                       check=True, capture_output=True)
        atexit.register(shutil.rmtree, root, True)
        _made.append(root)
    return LABEL


def new_ec_key(label: str | None = None) -> str:
    """An EC P-256 key pair generated on the token (the private key never leaves it); returns its label."""
    import pkcs11
    from pkcs11 import Attribute, KeyType
    from pkcs11.util.ec import encode_named_curve_parameters

    label = label or f"seal-{uuid.uuid4().hex[:12]}"
    label_of_token = token()  # first: the module must not be initialised before SOFTHSM2_CONF is set
    tok = pkcs11.lib(MODULE).get_token(token_label=label_of_token)
    with tok.open(user_pin=PIN, rw=True) as session:
        params = session.create_domain_parameters(
            KeyType.EC, {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")}, local=True)
        params.generate_keypair(store=True, label=label)
    return label
