"""Where a part was found and what it proves; who may see it; what was reported from it."""

from .data_version import DataVersion
from .items import EvidenceFile, Finding, RecoveredItem
from .reference import Source, Strike, WeaponAlias, WeaponModel
from .reports import BriefingReport
from .sharing import AccessLog, Organisation, OrganisationAPIKey

__all__ = [
    "AccessLog",
    "BriefingReport",
    "DataVersion",
    "EvidenceFile",
    "Finding",
    "Organisation",
    "OrganisationAPIKey",
    "RecoveredItem",
    "Source",
    "Strike",
    "WeaponAlias",
    "WeaponModel",
]
