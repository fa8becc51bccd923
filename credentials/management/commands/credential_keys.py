"""Offices' credential signing keys.

    manage.py credential_keys list
    manage.py credential_keys generate --office 7601      (or --all: every office without one)
    manage.py credential_keys rotate --office 7601        (a new key; the old one retires)

A key's private half is written to KRUPD_CREDENTIAL_KEY_DIR (mode 0600), never to the
database; retired keys stay published so that what they signed still verifies.
"""

from django.core.management.base import BaseCommand, CommandError

from credentials import keys
from credentials.documents import issuer_id
from credentials.models import SigningKey
from registry.models import Office


class Command(BaseCommand):
    help = "Create, rotate and list the offices' credential signing keys (Ed25519)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "generate", "rotate"])
        parser.add_argument("--office", help="office code, e.g. 7601")
        parser.add_argument("--all", action="store_true", help="every office (generate only)")

    def handle(self, *args, action, office=None, all=False, **options):
        if action == "list":
            return self._list()
        if action == "generate" and all:
            offices = Office.objects.exclude(signing_keys__retired_at__isnull=True)
            for found in offices.distinct():
                self._made(found, keys.generate(found))
            return
        if not office:
            raise CommandError("Give --office <code> (or --all with generate).")
        found = Office.objects.filter(code=office).first()
        if found is None:
            raise CommandError(f"No office with code {office}.")
        current = SigningKey.objects.filter(office=found, retired_at__isnull=True).first()
        if action == "generate" and current is not None:
            raise CommandError(
                f"{found.code} already has key {current.kid}; use rotate to replace it."
            )
        self._made(found, keys.generate(found))

    def _made(self, office: Office, key: SigningKey) -> None:
        self.stdout.write(
            f"{office.code}: new key {key.kid} (private key in {keys.key_dir()}); "
            f"public keys at {issuer_id(office)}jwks/"
        )

    def _list(self) -> None:
        for key in SigningKey.objects.select_related("office").order_by("office__code", "id"):
            state = f"retired {key.retired_at:%Y-%m-%d}" if key.retired_at else "signing"
            has_file = "file present" if keys.key_path(key.kid).exists() else "no file"
            self.stdout.write(f"{key.office.code}  {key.kid}  {state}  {has_file}")
