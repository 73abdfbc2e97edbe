"""The content model: pydantic models for every content kind. Knows nothing of HTML."""

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
    FIVE_PUBLIC_ORDER,
    DocKind,
    FivePublic,
    InterpretationForm,
    KeyArea,
    LegalGround,
    Level,
    Mode,
    ParticipationMethod,
    Period,
    Validity,
    VillageKind,
)
from .consultation import Consultation
from .document import QA, Attachment, Document
from .institution import ARTICLES, OPTIONAL_CATEGORIES, Department, Institution, Leader, StatutoryCategory, StatutoryMapping
from .services import Guide, ListEntry, Material, ServiceList
from .town import CHANNEL_FIELDS, ApplyChannel, Contact, Town, Village

__all__ = [
    "ARTICLES", "ATTRIBUTE_LABELS", "ApplicantType", "Application", "ApplyChannel", "Area", "Attachment", "Attribute", "Audience", "CHANNEL_FIELDS", "CHANNEL_ORDER", "Channel", "Consultation", "Contact", "Deadline", "Department", "DocKind", "Document", "FIVE_PUBLIC_ORDER", "FivePublic", "Guide", "Institution", "InterpretationForm", "Item", "KeyArea", "Leader", "LegalGround", "Level", "ListEntry", "Material", "Mode", "NotHandledReason", "OPTIONAL_CATEGORIES", "OtherHandling", "Outcome", "ParticipationMethod", "Period", "QA", "REASONS", "ServiceList", "StatutoryCategory", "StatutoryMapping", "Town", "UnavailableReason", "Validity", "Village", "VillageKind", "WithholdGround",
]
