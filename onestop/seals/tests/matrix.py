"""Permission-matrix entries of the seals API added after onestop/org/tests/matrix_seals.py (collected by
onestop/org/tests/test_permission_matrix.py): registering a PKCS#11 token seal, and a batch that adds a seal
to issued documents. The world's objects (seal S, official seal S2, document D sealed with S, both seals
granted to the window clerk) come from matrix_seals; `build` adds a key pair on a real SoftHSM2 token.

Who: registering a seal is an administrator's (a department owns it: everyone else 403, like creating
one); a documents batch needs a grant on its seal (the clerk: 201; the administrator sees S2 as its
manager but may not use it: 403; everyone else does not see S2: 404).
"""
from __future__ import annotations


def build(w) -> None:
    from onestop.seals.tests import softhsm

    w.p11_key = softhsm.new_ec_key()


def entries(m) -> dict:
    from onestop.seals.tests import softhsm

    def token_body(w) -> dict:
        return {"kind": "official", "department": w.department.pk, "module": softhsm.MODULE,
                "token_label": softhsm.token(), "key_label": w.p11_key, "pin": softhsm.PIN}

    return {
        ("POST", "/api/seals/seals/pkcs11"): m.Op(
            lambda w: ("/api/seals/seals/pkcs11", token_body(w)), m.expect(403, administrator=201), audited=True),
        ("POST", "/api/seals/batches/documents"): m.Op(
            lambda w: ("/api/seals/batches/documents",
                       {"seal": w.seals.seal2.pk, "documents": [w.seals.document.pk], "level": "B-B"}),
            m.expect(404, administrator=403, window_clerk=201), audited=True,
            note="S2 on D: the clerk holds a grant on S2 and D does not bear it yet"),
    }
