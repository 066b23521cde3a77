"""Therapists in the search index, keyed by therapist profile id (see
haven.core.search_index.SearchSource): only therapists who may practise here now."""

from haven.care.models import TherapistProfile
from haven.care.therapists.permissions import practising_therapists
from haven.core.search_index import Namespace, SearchSource, register_search_source
from haven.core.words import readable


def _words(keys) -> str:
    return ", ".join(readable(keys))


def therapist_texts(ids: list[int]) -> dict[int, str]:
    return {
        t.pk: "\n".join(
            [
                f"Specialties: {_words(t.specialties)}",
                f"Approaches: {_words(t.approaches)}",
                t.statement,
            ]
        )
        for t in practising_therapists().filter(pk__in=ids)
    }


def all_therapist_ids() -> list[int]:
    return list(practising_therapists().values_list("pk", flat=True))


register_search_source(
    SearchSource(Namespace.THERAPIST, TherapistProfile, therapist_texts, all_therapist_ids)
)
