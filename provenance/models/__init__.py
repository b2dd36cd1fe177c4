"""Where a part was found and what it proves; who may see it; what was reported from it."""

from .data_version import WEIGHT_BITS, DataVersion, DataVersionWeight
from .items import EvidenceFile, Finding, RecoveredItem
from .reference import Source, Strike, WeaponAlias, WeaponModel
from .reports import BriefingReport
from .review import CustodyEvent, ItemTransition
from .sharing import AccessLog, Organisation, OrganisationAPIKey

__all__ = [
    "WEIGHT_BITS",
    "AccessLog",
    "BriefingReport",
    "CustodyEvent",
    "DataVersion",
    "DataVersionWeight",
    "EvidenceFile",
    "Finding",
    "ItemTransition",
    "Organisation",
    "OrganisationAPIKey",
    "RecoveredItem",
    "Source",
    "Strike",
    "WeaponAlias",
    "WeaponModel",
]
