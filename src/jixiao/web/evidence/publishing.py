"""Evidence in the published copy: when the campaign's policy says so, a new publication includes
the files attached to the package at that moment, in the publication's own transaction (the
post_save of bureau.Publication runs inside do_publish's). Later removals do not touch it."""

from __future__ import annotations

from ..audit.log import record
from .models import Evidence, EvidencePolicy, PublishedEvidence


def on_publication_saved(sender, instance, created: bool, **kwargs) -> None:
    if not created or kwargs.get("raw"):
        return
    policy = EvidencePolicy.objects.filter(campaign_id=instance.campaign_id).first()
    if policy is None or not policy.publish_evidence:
        return
    files = list(Evidence.objects.filter(package_id=instance.package_id, removed_at__isnull=True).only("pk"))
    PublishedEvidence.objects.bulk_create(PublishedEvidence(publication=instance, evidence=e) for e in files)
    if files:
        record(None, "evidence_published", obj=instance.package, user=instance.published_by,
               detail={"publication": instance.pk, "files": len(files)})


def published_files(publication) -> list[Evidence]:
    return [pe.evidence for pe in PublishedEvidence.objects.filter(publication=publication).select_related("evidence")]
