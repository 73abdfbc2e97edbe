"""The content model: pydantic models for every content kind. Knows nothing of HTML."""

from .annual import AnnualData, CaseResults
from .application import (
    REASONS,
    ApplicantType,
    Application,
    NotHandledReason,
    OtherHandling,
    Outcome,
    UnavailableReason,
    WithholdGround,
)
from .catalog import Area, Deadline, Item
from .common import (
    ATTRIBUTE_LABELS,
    CHANNEL_ORDER,
    Attribute,
    Audience,
    Channel,
    DocKind,
    InterpretationForm,
    KeyArea,
    LegalGround,
    Level,
    Mode,
    ParticipationMethod,
    Period,
    VillageKind,
)
from .consultation import Consultation
from .document import QA, Attachment, Document
from .institution import ARTICLES, OPTIONAL_CATEGORIES, Department, Institution, Leader, StatutoryCategory, StatutoryMapping
from .services import Guide, ListEntry, Material, ServiceList
from .town import CHANNEL_FIELDS, ApplyChannel, Contact, Town, Village

__all__ = [
    "ARTICLES", "REASONS", "AnnualData", "CaseResults", "ApplicantType", "Application", "NotHandledReason", "OtherHandling", "Outcome",
    "UnavailableReason", "WithholdGround", "ATTRIBUTE_LABELS", "CHANNEL_FIELDS", "CHANNEL_ORDER", "OPTIONAL_CATEGORIES", "ApplyChannel", "QA", "Area", "Attachment", "Attribute", "Audience",
    "Channel", "Consultation", "Contact", "Deadline", "Department", "DocKind", "Document", "Guide", "Institution",
    "InterpretationForm", "Item", "KeyArea", "Leader", "LegalGround", "Level", "ListEntry", "Material",
    "Mode", "ParticipationMethod", "Period", "ServiceList", "StatutoryCategory", "StatutoryMapping", "Town",
    "Village", "VillageKind",
]
