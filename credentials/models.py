"""Signed digital credentials (W3C Verifiable Credentials 2.0 / Open Badges 3.0) issued
alongside the certificates of training and community, their signing keys and their
revocation lists.

Only public material is stored here: a key's public half (its private half is a file
outside the database, see keys.py), the signed credential as issued, and the bit each
credential owns in its office's revocation list.
"""

from django.db import models

from registry.models import Office

# Bitstring Status List v1.0: a list holds at least 131,072 entries (16 KiB), so one
# revoked credential cannot be told apart from the rest of the list ("herd privacy").
STATUS_LIST_SIZE = 131_072


class SigningKey(models.Model):
    """An office's Ed25519 key. The newest unretired key signs; retired keys stay published
    (and stored) so that what they signed still verifies."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="signing_keys")
    kid = models.CharField("รหัสกุญแจ", max_length=64, unique=True)  # RFC 7638 thumbprint
    public_jwk = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "กุญแจลงนาม"
        verbose_name_plural = "กุญแจลงนาม"
        ordering = ["office_id", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.office_id}:{self.kid}"


class StatusList(models.Model):
    """One revocation list of an office; a new one starts when this one is three-quarters
    used, because indexes are drawn at random (the spec's advice) among the free ones."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="status_lists")
    number = models.PositiveIntegerField()
    size = models.PositiveIntegerField(default=STATUS_LIST_SIZE)
    used = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["office_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["office", "number"], name="status_list_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.number}"


class CredentialKind(models.TextChoices):
    COURSE = "course", "เกียรติบัตรการพัฒนา"
    AWARD = "award", "เกียรติบัตรรางวัล"


class Credential(models.Model):
    """The signed credential of one certificate (same verification code), as issued."""

    code = models.CharField("รหัสตรวจสอบ", max_length=16, unique=True)
    kind = models.CharField(max_length=8, choices=CredentialKind.choices)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="credentials")
    status_list = models.ForeignKey(
        StatusList, on_delete=models.PROTECT, related_name="credentials"
    )
    status_index = models.PositiveIntegerField()
    token = models.TextField()  # the VC-JWT, exactly as signed
    issued_at = models.DateTimeField(auto_now_add=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    # Set when its certificate is revoked or replaced: its bit in the status list is 1.
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "เครดเดนเชียลดิจิทัล"
        verbose_name_plural = "เครดเดนเชียลดิจิทัล"
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="credential_unique_status_index"
            )
        ]

    def __str__(self) -> str:
        return self.code
