"""Public credential documents and the upload verifier; plus the download response the
training and community certificate views hand their credential to."""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from registry.models import Office

from . import achievements, actions, documents, verification
from .models import Credential, SigningKey, StatusList

PUBLIC_CACHE = "public, max-age=300"


def _json(data: dict, content_type: str = "application/json") -> JsonResponse:
    response = JsonResponse(
        data, content_type=content_type, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Cache-Control"] = PUBLIC_CACHE
    response["Access-Control-Allow-Origin"] = "*"  # verifiers on other sites fetch these
    return response


@require_GET
def issuer(request, office_code: str):
    office = get_object_or_404(Office, code=office_code)
    profile = documents.issuer_profile(office)
    return _json({"@context": [documents.VC_CONTEXT, documents.OB_CONTEXT], **profile})


@require_GET
def jwks(request, office_code: str):
    """Every key the office has signed with, retired ones included: rotation never makes
    an earlier credential unverifiable."""
    office = get_object_or_404(Office, code=office_code)
    keys = SigningKey.objects.filter(office=office).order_by("created_at", "id")
    return _json({"keys": [k.public_jwk for k in keys]}, "application/jwk-set+json")


@require_GET
def key(request, kid: str):
    signing_key = get_object_or_404(SigningKey, kid=kid)
    return _json(signing_key.public_jwk, "application/jwk+json")


@require_GET
def status_list(request, office_code: str, number: int):
    found = get_object_or_404(
        StatusList.objects.select_related("office"), office__code=office_code, number=number
    )
    response = HttpResponse(actions.signed_status_list(found), content_type="application/vc+jwt")
    response["Cache-Control"] = PUBLIC_CACHE
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def achievement(request, kind: str, pk: int):
    found = achievements.achievement(kind, pk)
    if found is None:
        raise Http404
    return _json({"@context": [documents.VC_CONTEXT, documents.OB_CONTEXT], **found})


@require_http_methods(["GET", "POST"])
def verify_upload(request):
    verdict = None
    if request.method == "POST":
        verdict = verification.verify_upload(request.FILES.get("credential"))
    return render(
        request,
        "credentials/verify_upload.html",
        {"verdict": verdict, "upload_max_mb": verification.MAX_UPLOAD_BYTES // 2**20},
    )


def download(credential: Credential, fmt: str) -> HttpResponse:
    """The credential as its holder keeps it: the VC-JWT itself (.jwt), or the same wrapped
    as a VC 2.0 EnvelopedVerifiableCredential (.json) for wallets that take JSON."""
    if fmt == "json":
        body = json.dumps(
            {
                "@context": documents.VC_CONTEXT,
                "id": verification.ENVELOPE_PREFIX + credential.token,
                "type": "EnvelopedVerifiableCredential",
            },
            indent=2,
        )
        response = HttpResponse(body, content_type="application/json")
        name = f"credential-{credential.code}.json"
    else:
        response = HttpResponse(credential.token, content_type="application/vc+jwt")
        name = f"credential-{credential.code}.jwt"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
