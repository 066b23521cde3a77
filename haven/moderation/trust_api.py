"""The member's trust level in the JSON API: the same summary as the /trust/ page."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from haven.accounts.api_auth import member_auth
from haven.moderation.trust import trust_summary

router = Router(auth=member_auth, tags=["trust"])


class TrustCapabilityOut(Schema):
    name: str = Field(description="post_links, post_images, sensitive_threads, ...")
    label: str
    level: int = Field(description="The level that opens it.")
    level_name: str
    unlocked: bool


class TrustProgressOut(Schema):
    name: str = Field(description="days, threads_read, helpful_reactions or clean_days")
    label: str
    text: str = Field(description='In words, e.g. "12 of 20 threads read".')
    have: int
    need: int
    met: bool


class TrustOut(Schema):
    level: int = Field(description="The level in force now (a moderator's hold applied).")
    level_name: str
    earned_level: int = Field(description="The level earned; it never drops by itself.")
    earned_level_name: str
    is_capped: bool = Field(description="A moderator holds the level below the one earned.")
    cap_until: datetime | None = Field(description="When the hold ends; null: until lifted.")
    capabilities: list[TrustCapabilityOut]
    next_level: int | None = Field(description="null at the highest level.")
    next_level_name: str
    progress: list[TrustProgressOut] = Field(description="Towards the next level.")


@router.get("/me/trust", response=TrustOut, summary="Your trust level and what comes next")
def my_trust(request: HttpRequest):
    summary = trust_summary(request.user)
    return {
        **{name: getattr(summary, name) for name in TrustOut.model_fields},
        "capabilities": [vars(capability) for capability in summary.capabilities],
        "progress": [{**vars(step), "met": step.met} for step in summary.progress],
    }
