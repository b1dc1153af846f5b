"""Enums shared with other subgraphs: the same names and values everywhere."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum
class Sex(Enum):
    MALE = "MALE"
    FEMALE = "FEMALE"


@strawberry.enum
class IdType(Enum):
    RESIDENT_ID = "RESIDENT_ID"
    PASSPORT = "PASSPORT"
    HK_MO_PERMIT = "HK_MO_PERMIT"
    TW_PERMIT = "TW_PERMIT"
    FOREIGNER_PR = "FOREIGNER_PR"


@strawberry.enum(description="What an uploaded file is for (the same values in documents)")
class AttachmentKind(Enum):
    APPLICATION_FORM = "APPLICATION_FORM"
    COMMITMENT_LETTER = "COMMITMENT_LETTER"
    BUSINESS_LICENCE = "BUSINESS_LICENCE"
    LIAISON_ID_CARD = "LIAISON_ID_CARD"
    SOCIAL_SECURITY_PROOF = "SOCIAL_SECURITY_PROOF"
    CHANGE_FORM = "CHANGE_FORM"
    SUPPLEMENTARY = "SUPPLEMENTARY"
    EXIT_ENTRY_OPINION = "EXIT_ENTRY_OPINION"  # personnel: a stamped employment form
