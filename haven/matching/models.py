"""Stored sentence vectors: the source of truth every vector index is built from.

A row holds one item's vector under one model. Rows live in the same database as the content,
so deleting or hiding content deletes its vector in the same transaction; the in-memory and
external indexes follow on commit (see haven.matching.vectors).
"""

from django.db import models
from django.utils import timezone

from haven.core.search_index import Namespace


class Vector(models.Model):
    namespace = models.CharField(max_length=16, choices=Namespace.choices)
    object_id = models.BigIntegerField()
    model = models.CharField(max_length=16)  # embedder key: "minilm" or "hashing"
    vector = models.BinaryField()  # float32, unit length, little-endian
    # Hash of the text the vector was made from, so re-embedding skips unchanged items.
    digest = models.CharField(max_length=64)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["namespace", "model", "object_id"], name="matching_vector_unique"
            )
        ]
        indexes = [models.Index(fields=["namespace", "model", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.namespace}:{self.object_id} ({self.model})"


class VectorTombstone(models.Model):
    """Says a vector was deleted, so other processes drop it from their in-memory index.

    Pruned after a day: a process that has not synced for that long reloads in full.
    """

    namespace = models.CharField(max_length=16, choices=Namespace.choices)
    object_id = models.BigIntegerField()
    deleted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["namespace", "deleted_at"])]

    def __str__(self) -> str:
        return f"{self.namespace}:{self.object_id} deleted"


class PeerProfile(models.Model):
    """A member's choice to be suggested to others who are going through something similar.

    Its existence is the opt-in. Only what is written here, the member's bio and topics, and
    their non-anonymous public posts feed person matching; deleting it (opting out) deletes the
    member's person vector in the same transaction.
    """

    EXPERIENCE_MAX_LENGTH = 1000

    member = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="peer_profile"
    )
    experience = models.TextField(max_length=EXPERIENCE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Peer profile of {self.member_id}"


class ResponderOffer(models.Model):
    """A thread that waited for a first reply, offered to one peer responder or listener on
    duty (haven.matching.unanswered). Remembered so nobody is offered the same thread twice and
    nobody is asked too often."""

    thread = models.ForeignKey("forums.Thread", on_delete=models.CASCADE, related_name="+")
    responder = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="responder_offers"
    )
    offered_at = models.DateTimeField(default=timezone.now)
    # When the responder's own reply in the thread was first seen; empty while they have not.
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "responder"], name="matching_one_offer_per_thread_responder"
            )
        ]
        indexes = [
            models.Index(fields=["responder", "offered_at"]),
            models.Index(fields=["answered_at", "offered_at"]),
        ]

    def __str__(self) -> str:
        return f"thread {self.thread_id} offered to {self.responder_id}"
