"""Where a part was found and what it proves; who may see it; what was reported from it."""

from .data_version import DataVersion
from .items import EvidenceFile, Finding, RecoveredItem
from .reference import Source, Strike, WeaponAlias, WeaponModel
from .reports import BriefingReport
from .review import CustodyEvent, ItemTransition
from .sharing import AccessLog, Organisation, OrganisationAPIKey

__all__ = [
    "AccessLog",
    "BriefingReport",
    "CustodyEvent",
    "DataVersion",
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
