"""Benchmark of batch sealing: render and seal N documents (default 1,000) with all cores.

    .venv/bin/python bench/seal.py [--n 1000] [--processes 2]

Prints documents per second for
  - OneStop's batch path (onestop.seals.signing.SealEngine: templated CMS and TSA tokens, cached key and
    stamp image, reserved size, DSS written with the signature) at PAdES B-B and at B-LT (platform TSA
    time-stamp + certificates and CRL in the DSS);
  - pyHanko's plain path (SimpleSigner + PdfSigner, stamp from PdfImage, size estimated by a dry run,
    DummyTimeStamper, embed_validation_info for B-LT) with the same number of processes;
and the ratios. A sample of each run is checked with pyHanko's validator and with poppler's `pdfsig`
(given the platform root certificate in a throw-away NSS database); the script exits 1 if any fails.
Needs no database: the CA, the TSA and the seal are made in memory.
"""
from __future__ import annotations

import argparse
import io
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")

import django  # noqa: E402

django.setup()
# The plain path embeds the platform CRL without fetching (no network here), which pyHanko warns about on
# every document; the warning says nothing the benchmark does not already know.
logging.getLogger("pyhanko.sign.signers.pdf_signer").setLevel(logging.ERROR)

from cryptography.hazmat.primitives import serialization  # noqa: E402

from onestop.seals import pki, stamp  # noqa: E402
from onestop.seals.documents import render, stamp_box  # noqa: E402
from onestop.seals.signing import SealEngine, Trust, quick_verify, to_asn1  # noqa: E402

ISSUER = "青岛西海岸新区人力资源和社会保障局"
SAMPLE = (0, 1, 499, 998)
_engine = None
_plain = None


def material() -> dict:
    """The CA, TSA and one seal, serialised for the worker processes."""
    a = pki.make_authority("OneStop 基准测试")
    key = pki.new_key("ec_p256")
    cert = pki.issue(a.root_cert, a.root_key, key.public_key(), pki.seal_subject(ISSUER, "人事专用章"), days=365)
    crl = pki.make_crl(a.root_cert, a.root_key, [], 1)
    return {"root": pki.pem(a.root_cert), "tsa": pki.pem(a.tsa_cert), "tsa_key": pki.key_der(a.tsa_key),
            "cert": pki.pem(cert), "key": pki.key_der(key), "crl": crl.public_bytes(serialization.Encoding.DER),
            "image": stamp.draw_seal(ISSUER, "人事专用章")}


def _trust(m: dict) -> Trust:
    return Trust(pki.load_cert(m["root"]), pki.load_cert(m["tsa"]),
                 serialization.load_der_private_key(m["tsa_key"], None), m["crl"])


def init(m: dict) -> None:
    global _engine, _plain
    key = serialization.load_der_private_key(m["key"], None)
    _engine = SealEngine(key, pki.load_cert(m["cert"]), [], m["image"], _trust(m), name="Bench")
    _plain = PlainPath(m)


class PlainPath:
    """pyHanko out of the box: SimpleSigner, PdfImage stamp, dry-run size estimate, DummyTimeStamper."""

    def __init__(self, m: dict):
        from asn1crypto import keys
        from PIL import Image
        from pyhanko.pdf_utils.images import PdfImage
        from pyhanko.sign import signers
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
        from pyhanko.stamp import StaticStampStyle
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        root, trust = to_asn1(pki.load_cert(m["root"])), _trust(m)
        self.signer = signers.SimpleSigner(
            signing_cert=to_asn1(pki.load_cert(m["cert"])), signing_key=keys.PrivateKeyInfo.load(m["key"]),
            cert_registry=SimpleCertificateStore.from_certs([root]))
        self.timestamper = DummyTimeStamper(to_asn1(trust.tsa_cert), keys.PrivateKeyInfo.load(m["tsa_key"]),
                                            certs_to_embed=[root])
        img = Image.open(io.BytesIO(m["image"])).convert("RGBA").resize((240, 240))
        self.stamp = StaticStampStyle(background=PdfImage(img), border_width=0, background_opacity=1.0)
        self.vc = trust.validation_context()

    def seal(self, pdf: bytes, level: str) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        lt = level == "B-LT"
        meta = signers.PdfSignatureMetadata(field_name="Seal", md_algorithm="sha256",
                                            subfilter=fields.SigSeedSubFilter.PADES, embed_validation_info=lt,
                                            validation_context=self.vc if lt else None)
        pdf_signer = signers.PdfSigner(meta, signer=self.signer, timestamper=self.timestamper if lt else None,
                                       stamp_style=self.stamp,
                                       new_field_spec=fields.SigFieldSpec("Seal", on_page=0, box=stamp_box(0)))
        out = io.BytesIO()
        pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False), output=out)
        return out.getvalue()


def work(args: tuple[str, str, range]) -> tuple[float, list[tuple[int, bytes | None]]]:
    """Render and seal documents `numbers`; return the CPU seconds used and the sample documents' bytes."""
    path, level, numbers = args
    cpu = time.process_time()
    out = []
    for i in numbers:
        data = {"name": f"职工{i:04d}", "unit": "青岛西海岸新区第一中学", "post": "专业技术岗位", "grade": "十级",
                "id_number": "370211199001011237", "term": "2026年1月1日至2028年12月31日",
                "start": "2026年1月1日", "end": "2028年12月31日"}
        pdf = render("appointment", f"一件事〔2026〕聘{i:06d}号", ISSUER, "2026年11月25日", data)
        sealed = _engine.seal(pdf, level=level) if path == "onestop" else _plain.seal(pdf, level)
        out.append((i, sealed if i in SAMPLE else None))
    return time.process_time() - cpu, out


def run(pool, path: str, level: str, n: int, processes: int) -> tuple[float, float, list[bytes]]:
    chunk = 25
    jobs = [(path, level, range(s, min(n, s + chunk))) for s in range(0, n, chunk)]
    pool.map(work, [(path, level, range(0, processes * 2))])  # warm up every process (engine, font, template)
    t = time.perf_counter()
    results = pool.map(work, jobs, chunksize=1)
    elapsed = time.perf_counter() - t
    cpu = sum(c for c, _ in results)
    return n / elapsed, cpu / n, [d for _, batch in results for _, d in batch if d is not None]


def nss_db(root_pem: str) -> str:
    d = tempfile.mkdtemp(prefix="onestop-nss-")
    Path(d, "root.pem").write_text(root_pem)
    subprocess.run(["certutil", "-N", "-d", f"sql:{d}", "--empty-password"], check=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{d}", "-n", "root", "-t", "CT,C,C", "-i", f"{d}/root.pem"], check=True)
    return d


def check(samples: list[bytes], root_pem: str, nss: str) -> tuple[int, int]:
    """(pyHanko valid, pdfsig valid+trusted) counts for the sample."""
    ok_hanko = sum(quick_verify(s, root_pem) for s in samples)
    ok_pdfsig = 0
    for s in samples:
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(s)
            f.flush()
            out = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", f.name], capture_output=True, text=True).stdout
            ok_pdfsig += "Signature is Valid." in out and "Certificate is Trusted." in out
    return ok_hanko, ok_pdfsig


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--skip-plain", action="store_true")
    opts = ap.parse_args()
    if not shutil.which("certutil"):
        print("certutil (Debian libnss3-tools) is needed for the pdfsig check", file=sys.stderr)
        return 2
    m = material()
    nss = nss_db(m["root"])
    print(f"{opts.n} documents, {opts.processes} processes, load average {os.getloadavg()[0]:.1f}")
    rates, cpu_ms, failures = {}, {}, 0
    with get_context("fork").Pool(opts.processes, initializer=init, initargs=(m,)) as pool:
        runs = [("onestop", "B-B"), ("onestop", "B-LT")]
        if not opts.skip_plain:
            runs += [("plain", "B-B"), ("plain", "B-LT")]
        for path, level in runs:
            rate, cpu, samples = run(pool, path, level, opts.n, opts.processes)
            hanko, pdfsig = check(samples, m["root"], nss)
            failures += (len(samples) - hanko) + (len(samples) - pdfsig)
            rates[path, level], cpu_ms[path, level] = rate, cpu * 1000
            print(f"{path:8s} {level:5s} {rate:7.1f} docs/s  ({opts.n / rate:5.1f} s wall)  {cpu * 1000:5.1f} ms CPU/doc"
                  f" -> {opts.processes / cpu:6.1f} docs/s on {opts.processes} idle cores   sample: pyHanko"
                  f" {hanko}/{len(samples)} valid, pdfsig {pdfsig}/{len(samples)} valid+trusted")
    shutil.rmtree(nss, ignore_errors=True)
    for level in ("B-B", "B-LT"):
        if ("plain", level) in rates:
            print(f"ratio {level}: onestop / plain = {rates['onestop', level] / rates['plain', level]:.2f}x wall,"
                  f" {cpu_ms['plain', level] / cpu_ms['onestop', level]:.2f}x CPU per document")
    print(f"load average now {os.getloadavg()[0]:.1f} (wall figures are shared with whatever else runs; the CPU"
          " figures are per document and independent of it)")
    print("goals: B-B >= 100 docs/s and >= 2x plain; B-LT >= 50 docs/s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
