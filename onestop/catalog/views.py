"""Pages of the catalogue: the published list, a matter, a bundle, and the import page for administrators."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from onestop.catalog import actions, layout, queries
from onestop.catalog.models import HandlingLevel, MatterSource
from onestop.catalog.transfer import Document, ImportRejected, RowError
from onestop.errors import DomainError
from onestop.org.models import Department


def _is_admin(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated and getattr(request.user, "is_admin_role", False))


def catalogue(request: HttpRequest) -> HttpResponse:
    """事项清单 with filters (source, department, lowest level, words) and the bundles."""
    filters = {key: request.GET.get(key, "").strip() for key in ("source", "department", "lowest_level", "q")}
    page = Paginator(queries.matters(**filters), 50).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})  # words with & or # stay one value
    return render(request, "catalog/list.html", {
        "page": page, "filters": filters, "query": query,
        "sources": MatterSource.choices, "levels": HandlingLevel.choices,
        "departments": Department.objects.filter(matters__active=True).distinct().order_by("code"),
        "bundles": queries.bundles(), "is_admin": _is_admin(request),
    })


def matter(request: HttpRequest, code: str) -> HttpResponse:
    """A matter: limits, materials with 容缺/告知承诺 marked, form fields, legal basis, bundle stages."""
    found = queries.matter_detail(code, include_inactive=_is_admin(request))
    if found is None:
        raise Http404
    return render(request, "catalog/matter.html", {"matter": found})


def bundle(request: HttpRequest, code: str) -> HttpResponse:
    """A bundle: its stages in order and the matters handled in parallel in each."""
    found = queries.bundle_detail(code)
    if found is None:
        raise Http404
    return render(request, "catalog/bundle.html", {"bundle": found})


def _problem(error: RowError) -> str:
    return error.en if (get_language() or "").startswith("en") else error.zh


def error_sheets(errors: list[RowError], document: Document | None) -> list[dict[str, Any]]:
    """Rows with problems, grouped by sheet, each row's cells beside its problems (for the import page)."""
    by_title = {s.title: s for s in layout.DATA_SHEETS} | {s.key: s for s in layout.DATA_SHEETS}
    sheets: dict[str, dict[str, Any]] = {}
    for error in errors:
        sheet = sheets.setdefault(error.sheet, {"title": error.sheet, "rows": {}, "layout": by_title.get(error.sheet)})
        row = sheet["rows"].setdefault(error.row, {"number": error.row, "problems": [], "bad": set()})
        row["problems"].append({"column": error.column or error.field, "problem": _problem(error)})
        row["bad"].add(error.column)
    out = []
    for title, sheet in sheets.items():
        spec, cells = sheet["layout"], (document.rows.get(title, {}) if document else {})
        headers = [h for _, h in spec.columns] if spec and cells else []
        rows = []
        for number in sorted(sheet["rows"]):
            row = sheet["rows"][number]
            values = cells.get(number, {})
            row["cells"] = [{"value": "" if values.get(f) is None else values.get(f), "bad": h in row["bad"]}
                            for f, h in spec.columns] if headers else []
            rows.append(row)
        out.append({"title": title, "headers": headers, "rows": rows})
    return out


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """导入事项清单: upload an .xlsx or .json file; a bad file shows each row's problems beside it."""
    if not _is_admin(request):
        raise PermissionDenied
    context: dict[str, Any] = {}
    upload = request.FILES.get("file")
    if request.method == "POST":
        if upload is None:
            context["file_error"] = "请选择文件。" if not (get_language() or "").startswith("en") else "Choose a file."
        else:
            try:
                context["report"] = actions.import_catalogue(request.user, upload.read(), upload.name or "")
            except ImportRejected as exc:
                context["sheets"] = error_sheets(exc.errors, exc.document)
                context["error_count"] = len(exc.errors)
            except DomainError as exc:
                en = (get_language() or "").startswith("en")
                context["file_error"] = exc.en if en else exc.zh
    status = 400 if ("sheets" in context or "file_error" in context) else 200
    return render(request, "catalog/import.html", context, status=status)
