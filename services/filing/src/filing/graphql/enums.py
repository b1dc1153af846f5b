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
