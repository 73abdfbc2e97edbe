"""The content model: pydantic models for every content kind. Knows nothing of HTML."""

from .catalog import Area, Deadline, Item
from .common import (
    ATTRIBUTE_LABELS,
    CHANNEL_ORDER,
    FIVE_PUBLIC_ORDER,
    Attribute,
    Audience,
    Channel,
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
from .services import Guide, ListEntry, Material, ServiceList
from .town import Contact, Town, Village

__all__ = [
    "ATTRIBUTE_LABELS", "CHANNEL_ORDER", "FIVE_PUBLIC_ORDER", "QA", "Area", "Attachment", "Attribute", "Audience",
    "Channel", "Consultation", "Contact", "Deadline", "DocKind", "Document", "FivePublic", "Guide",
    "InterpretationForm", "Item", "KeyArea", "LegalGround", "Level", "ListEntry", "Material",
    "Mode", "ParticipationMethod", "Period", "ServiceList", "Town", "Validity", "Village", "VillageKind",
]
