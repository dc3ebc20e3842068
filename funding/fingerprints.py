"""Verifying a signed convention: a PDF (the generated document or a party's signed copy) is
matched by its SHA-256 against the versions and signatures, and each stored file is checked
against the fingerprint recorded when it was generated or signed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .models import ConventionVersion, Signature


@dataclass
class Verification:
    version: ConventionVersion | None = None
    matched: str = ""  # "document" or "signed_copy"
    signatures: list[Signature] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.version is not None and not self.problems


def _digest(stored) -> str:
    with stored.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def verify_bytes(content: bytes) -> Verification:
    """Which version (or signed copy) these bytes are, and whether the stored files and
    signatures still match their recorded fingerprints."""
    digest = hashlib.sha256(content).hexdigest()
    result = Verification()
    version = ConventionVersion.objects.filter(sha256=digest).first()
    if version is not None:
        result.matched = "document"
    else:
        signature = Signature.objects.filter(signed_file_sha256=digest).first()
        if signature is None:
            result.problems.append("aucune convention ni copie signée n'a cette empreinte")
            return result
        version, result.matched = signature.version, "signed_copy"
    result.version = version
    if _digest(version.pdf) != version.sha256:
        result.problems.append("le document conservé ne correspond plus à son empreinte")
    for signature in version.signatures.select_related("signer"):
        result.signatures.append(signature)
        if signature.document_sha256 != version.sha256:
            result.problems.append(f"la signature {signature.party} porte une autre empreinte")
        if signature.signed_file and _digest(signature.signed_file) != signature.signed_file_sha256:
            result.problems.append(f"la copie signée ({signature.party}) a été modifiée")
    return result
