"""Pages and downloads of the seals app: the public verification page, the CA's certificate and CRL,
batch progress (htmx-polled), and the files (sealed PDFs, batch zip, failure report, use log)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from onestop.errors import DomainError
from onestop.seals import actions, batch, hsm, keystore, queries, tsa, verify
from onestop.seals.models import KeyAlgorithm, SealKind
from onestop.throttle import limited


def ca_crl(request: HttpRequest) -> HttpResponse:
    """The platform CA's revocation list (DER), the URL in every seal certificate."""
    return HttpResponse(keystore.current_crl(), content_type="application/pkix-crl")


def ca_pem(request: HttpRequest) -> HttpResponse:
    """The platform root certificate, to import into a reader or `certutil` (pdfsig)."""
    response = HttpResponse(keystore.authority().root_cert_pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="onestop-root-ca.pem"'
    return response


def _tsa_credentials_ok(request: HttpRequest) -> bool:
    """Open unless SEALS_TSA_SERVE_USER/PASSWORD are set; then HTTP basic auth with exactly those."""
    import base64
    import hmac

    user, password = tsa._setting("SEALS_TSA_SERVE_USER"), tsa._setting("SEALS_TSA_SERVE_PASSWORD")
    if not (user and password):
        return True
    kind, _, value = request.headers.get("Authorization", "").partition(" ")
    try:
        given = base64.b64decode(value, validate=True).decode() if kind.lower() == "basic" else ""
    except ValueError:
        return False
    return hmac.compare_digest(given.encode(), f"{user}:{password}".encode())


@csrf_exempt  # a protocol endpoint for other machines, not a form: no session, no cookie
@require_POST
@limited("tsa")  # a signature per request
def tsa_endpoint(request: HttpRequest) -> HttpResponse:
    """The platform's RFC 3161 time-stamp service over HTTP (application/timestamp-query in,
    application/timestamp-reply out), for another installation's SEALS_TSA_URL."""
    if not _tsa_credentials_ok(request):
        response = HttpResponse("authentication required", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Basic realm="onestop-tsa"'
        return response
    if request.content_type != "application/timestamp-query":
        return HttpResponse("expected application/timestamp-query", status=415, content_type="text/plain")
    if int(request.META.get("CONTENT_LENGTH") or 0) > tsa.MAX_REQUEST:
        return HttpResponse("request too large", status=413, content_type="text/plain")
    return HttpResponse(tsa.respond(request.body), content_type="application/timestamp-reply")


@require_http_methods(["GET", "POST"])
@limited("verify")  # every upload is parsed and its signatures checked
def verify_page(request: HttpRequest) -> HttpResponse:
    """验章 page: upload a PDF, or look up a document number (the QR code on every document opens this)."""
    context: dict = {"number": request.GET.get("number", "").strip()}
    if context["number"]:
        try:
            context["lookup"] = queries.lookup(context["number"])
        except DomainError as exc:
            context["lookup_error"] = exc
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise verify.field_error("file", "请选择PDF文件。", "Choose a PDF file.")
            if upload.size > verify.MAX_UPLOAD:
                raise verify.field_error("file", "文件过大。", "The file is too large.", code="too_large")
            context["report"] = verify.verify_pdf(upload.read())
        except DomainError as exc:
            context["error"] = exc
    status = 400 if "error" in context else 200
    return render(request, "seals/verify.html", context, status=status)


@login_required
def batch_page(request: HttpRequest, batch_id: int) -> HttpResponse:
    b = _batch(request, batch_id)
    template = "seals/_progress.html" if request.htmx else "seals/batch.html"
    return render(request, template, {"batch": b, "p": batch.progress(b), "failures": batch.failures(b.pk)[:50]})


def _batch(request: HttpRequest, batch_id: int):
    try:
        return batch.batch_for(request.user, batch_id)
    except DomainError as exc:
        raise Http404 from exc


@login_required
def batch_zip(request: HttpRequest, batch_id: int) -> FileResponse:
    b = _batch(request, batch_id)
    if not b.zip_path:
        raise Http404
    return FileResponse(open(actions.seals_dir() / b.zip_path, "rb"), as_attachment=True,
                        filename=f"batch-{b.pk}.zip")


@login_required
def batch_failures_csv(request: HttpRequest, batch_id: int) -> HttpResponse:
    b = _batch(request, batch_id)
    response = HttpResponse("\ufeff" + batch.failure_csv(b.pk), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="batch-{b.pk}-failures.csv"'
    return response


@login_required
def document_pdf(request: HttpRequest, document_id: int) -> FileResponse:
    try:
        doc = queries.document_for(request.user, document_id)
    except DomainError as exc:
        raise Http404 from exc
    return FileResponse(open(actions.seals_dir() / doc.path, "rb"), content_type="application/pdf",
                        filename=f"{doc.pk}.pdf")


@login_required
def uses_csv(request: HttpRequest, seal_id: int) -> HttpResponse:
    try:
        rows = queries.uses(request.user, seal_id)
    except DomainError as exc:
        return HttpResponse(exc.zh, status=exc.status)
    response = HttpResponse("\ufeff" + queries.uses_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="seal-{seal_id}-uses.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def personnel_page(request: HttpRequest) -> HttpResponse:
    """人事事项网上报送: an employer unit files a batch of personnel matters, sealed with its own seal."""
    from onestop.seals import personnel

    context: dict = {"matters": personnel.personnel_matters(), "seals": personnel.own_seals(request.user),
                     "form": request.POST}
    if request.method == "POST":
        code = request.POST.get("matter_code", "")
        try:
            seal_id = int(request.POST.get("seal_id") or 0)
            if not seal_id:
                raise verify.field_error("seal_id", "请选择本单位的电子印章。", "Choose your organisation's seal.")
            context["application"] = personnel.submit_personnel_batch(
                request.user, matter_code=code, rows=personnel.rows_from_text(request.POST.get("rows", ""), code),
                seal_id=seal_id, passphrase=request.POST.get("passphrase", ""))
        except ValueError:
            context["error"] = verify.field_error("seal_id", "印章无效。", "Not a seal.")
        except DomainError as exc:
            context["error"] = exc
    status = context["error"].status if "error" in context else 200
    return render(request, "seals/personnel.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def batch_new(request: HttpRequest) -> HttpResponse:
    """开始批量签章: a spreadsheet of new documents, or issued documents picked by number or id (one a line)."""
    seals = queries.usable_seals(request.user)
    context: dict = {"seals": seals, "levels": ("B-LT", "B-T", "B-B"), "form": request.POST}
    if request.method == "POST":
        seal_id = int(request.POST["seal_id"]) if request.POST.get("seal_id", "").isdigit() else 0
        try:
            level = request.POST.get("level", "B-LT")
            if request.POST.get("source") == "documents":
                picks = [line.strip() for line in request.POST.get("documents", "").splitlines() if line.strip()]
                b = batch.start_documents_batch(request.user, seal_id=seal_id, documents=picks, level=level)
            else:
                upload = request.FILES.get("file")
                if upload is None:
                    raise verify.field_error("file", "请选择电子表格。", "Choose a spreadsheet.")
                if upload.size > verify.MAX_UPLOAD:
                    raise verify.field_error("file", "文件过大。", "The file is too large.", code="too_large")
                b = batch.start_batch(request.user, seal_id=seal_id, sheet=upload.read(), level=level)
            return redirect("seals:batch", batch_id=b.pk)
        except DomainError as exc:
            context["error"] = exc
    status = context["error"].status if "error" in context else 200
    return render(request, "seals/batch_new.html", context, status=status)


# -- 印章管理: the seals a caller manages ------------------------------------------------------------------

OWNER_FIELDS = ("department", "service_centre", "organisation")


def _owner(value: str) -> dict[str, int]:
    """The form's owner ("department:12") as the actions take it (department=12)."""
    field, _, pk = value.partition(":")
    if field not in OWNER_FIELDS or not pk.isdigit():
        raise verify.field_error("owner", "请选择印章所属单位。", "Choose whom the seal belongs to.")
    return {field: int(pk)}


def _upload(request: HttpRequest, name: str, limit: int = 1024 * 1024) -> bytes | None:
    upload = request.FILES.get(name)
    if upload is None:
        return None
    if upload.size > limit:
        raise verify.field_error(name, "文件过大。", "The file is too large.", code="too_large")
    return upload.read()


def _seal_id(request: HttpRequest) -> int:
    value = request.POST.get("seal_id", "")
    if not value.isdigit():
        raise verify.field_error("seal_id", "请选择印章。", "Choose a seal.")
    return int(value)


def _manage(request: HttpRequest, do: str) -> str:
    """Carry out one management action from the page's forms; what to say once it is done."""
    user, p = request.user, request.POST
    if do == "create":
        seal = actions.create_seal(user, kind=p.get("kind", ""), algorithm=p.get("algorithm", ""),
                                   passphrase=p.get("passphrase") or None, **_owner(p.get("owner", "")))
    elif do == "import":
        data = _upload(request, "file")
        if data is None:
            raise verify.field_error("file", "请选择PKCS#12证书文件。", "Choose a PKCS#12 file.")
        seal = actions.import_pkcs12(user, kind=p.get("kind", ""), data=data, password=p.get("password", ""),
                                     passphrase=p.get("passphrase") or None, **_owner(p.get("owner", "")))
    elif do == "token":
        seal = actions.register_pkcs11(
            user, kind=p.get("kind", ""), module=p.get("module", ""), token_label=p.get("token_label", ""),
            key_label=p.get("key_label", ""), pin=p.get("pin", ""), pin_env=p.get("pin_env", ""),
            certificate=_upload(request, "certificate"), **_owner(p.get("owner", "")))
    elif do == "revoke":
        seal = actions.revoke_seal(user, _seal_id(request), p.get("reason", ""))
    elif do == "grant":
        account = queries.active_account(p.get("username", ""))
        if account is None:
            raise verify.field_error("username", "账号不存在。", "No such account.")
        seal = actions.grant_use(user, _seal_id(request), account.pk).seal
    elif do == "withdraw":
        account_id = p.get("account_id", "")
        actions.withdraw_use(user, _seal_id(request), int(account_id) if account_id.isdigit() else 0)
        return "withdrawn"
    else:
        raise verify.field_error("do", "未知操作。", "Unknown action.")
    return f"{do}:{seal.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def manage_page(request: HttpRequest) -> HttpResponse:
    """印章管理: the seals the caller manages, who may use each; make one by the platform CA, import a
    PKCS#12 certificate, register one on a hardware token; revoke; grant and withdraw its use."""
    if not queries.may_manage_seals(request.user):
        raise PermissionDenied
    done = request.GET.get("done", "").partition(":")[0]  # which action, for the message
    context: dict = {"form": request.POST, "do": request.POST.get("do", ""), "done": done}
    if request.method == "POST":
        try:
            return redirect(f"{reverse('seals:manage')}?done={_manage(request, context['do'])}")
        except DomainError as exc:
            context["error"] = exc
    context.update(seals=queries.managed_seals(request.user), owners=queries.seal_owners(request.user),
                   kinds=SealKind.choices, algorithms=KeyAlgorithm.choices, modules=hsm.allowed_modules(),
                   organisation_owner=queries.manages_own_seals(request.user))
    status = context["error"].status if "error" in context else 200
    return render(request, "seals/manage.html", context, status=status)
