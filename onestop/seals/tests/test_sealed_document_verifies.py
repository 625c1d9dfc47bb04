"""A sealed document verifies valid and trusted, with pyHanko (our endpoint) and with poppler's pdfsig;
one changed byte makes it invalid with both; its Chinese font is embedded and its text extracts."""
import subprocess

import pytest

from onestop.seals import actions, aio, keystore, verify
from onestop.seals.tests.conftest import APPOINTMENT, pdfsig


def flip_a_byte(data: bytes) -> bytes:
    """Change one byte inside the first page's content stream (covered by every signature)."""
    b = bytearray(data)
    i = b.find(b"stream\n", b.find(b"/Length")) + 20
    b[i] ^= 0x01
    return bytes(b)


def test_sealed_document_is_valid_and_trusted_then_invalid_after_one_byte(clerk, seal, nssdir, tmp_path):
    doc = actions.issue_document(clerk, seal_id=seal.pk, kind="appointment", data=APPOINTMENT)
    data = (actions.seals_dir() / doc.path).read_bytes()

    report = verify.verify_pdf(data)
    assert report["valid"] is True, report
    assert report["document_number"] == doc.number
    [sig] = report["signatures"]
    assert sig["intact"] and sig["trusted"] and sig["timestamped"] and not sig["revoked"]
    assert "人力资源和社会保障局" in sig["signer"]

    good = tmp_path / "good.pdf"
    good.write_bytes(data)
    out = pdfsig(good, nssdir)
    assert "Signature is Valid." in out and "Certificate is Trusted." in out, out

    bad = tmp_path / "bad.pdf"
    bad.write_bytes(flip_a_byte(data))
    report = verify.verify_pdf(bad.read_bytes())
    assert report["valid"] is False
    assert "digest mismatch" in report["signatures"][0]["problems"][0]
    assert "Digest Mismatch" in pdfsig(bad, nssdir)


def test_chinese_font_is_embedded_and_text_extracts(clerk, seal, tmp_path):
    doc = actions.issue_document(clerk, seal_id=seal.pk, kind="appointment", data=APPOINTMENT)
    path = actions.seals_dir() / doc.path
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all(r[-5] == "yes" for r in rows), fonts  # emb column
    assert any("WenQuanYi" in r[0] for r in rows)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "电子聘书" in text and "张三" in text and "青岛西海岸新区第一中学" in text


def test_two_seals_on_one_document_both_stay_valid(admin, clerk, seal, nssdir, tmp_path):
    from onestop import testing

    org = testing.enterprise(name="海格尔科技(青岛)有限公司")
    own = actions.create_seal(admin, kind="official", organisation=org.pk, passphrase="holder-secret-1",
                              algorithm="rsa_2048")
    actions.grant_use(admin, own.pk, clerk.pk)
    doc = actions.issue_document(clerk, seal_id=seal.pk, kind="approval",
                                 data={"recipient": org.name, "matter": "建设工程规划许可"})
    doc = actions.countersign(clerk, document_id=doc.pk, seal_id=own.pk, passphrase="holder-secret-1")
    data = (actions.seals_dir() / doc.path).read_bytes()
    report = verify.verify_pdf(data)
    assert report["valid"] and len(report["signatures"]) == 2, report
    path = tmp_path / "two.pdf"
    path.write_bytes(data)
    out = pdfsig(path, nssdir)
    assert out.count("Signature is Valid.") == 2 and out.count("Certificate is Trusted.") == 2, out


def test_b_lt_document_carries_its_own_validation_data(clerk, seal):
    """B-LT: pyHanko validates the signature and its time-stamp with revocation checking on (hard-fail), no
    network, and nothing but the root certificate and what the file itself carries (its /DSS)."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    from onestop.seals import pki
    from onestop.seals.signing import to_asn1

    doc = actions.issue_document(clerk, seal_id=seal.pk, kind="appointment", data=APPOINTMENT, level="B-LT")
    reader = PdfFileReader(io.BytesIO((actions.seals_dir() / doc.path).read_bytes()))
    root = to_asn1(pki.load_cert(keystore.authority().root_cert_pem))
    vc = DocumentSecurityStore.read_dss(reader).as_validation_context(
        {"trust_roots": [root], "allow_fetching": False, "revocation_mode": "hard-fail"})
    status = aio.call(validate_pdf_signature, reader.embedded_signatures[0], signer_validation_context=vc,
                      ts_validation_context=vc)
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    # and without the DSS, hard-fail revocation checking cannot succeed: the data really comes from the file
    from pyhanko_certvalidator import ValidationContext

    bare = ValidationContext(trust_roots=[root], allow_fetching=False, revocation_mode="hard-fail", crls=[], ocsps=[])
    assert not aio.call(validate_pdf_signature, reader.embedded_signatures[0], signer_validation_context=bare).trusted


@pytest.mark.parametrize("kind,title", [
    ("acceptance", "受理通知书"), ("missing", "一次性告知书"), ("tolerance", "容缺受理通知书"),
    ("approval", "准予许可决定书"), ("licence", "许可证"), ("refusal", "不予许可决定书"), ("appointment", "电子聘书"),
])
def test_every_document_kind_renders_its_chinese_text_and_qr_link(kind, title, tmp_path, settings):
    from onestop.seals.documents import render

    settings.PUBLIC_BASE_URL = "https://onestop.example.cn"
    data = {**APPOINTMENT, "recipient": "青岛海之晨工业装备有限公司", "matter": "建设工程规划许可证核发",
            "materials": ["营业执照副本", "项目备案证明"], "deadline": "2026年12月31日", "reasons": "用地性质不符"}
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(render(kind, "一件事〔2026〕受000001号", "泊里镇便民服务中心", "2026年11月25日", data))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert title in text and "一件事〔2026〕受000001号" in text and "泊里镇便民服务中心" in text
    if kind == "missing":
        assert "营业执照副本" in text
