# The state machine is a proxy model of grants.Application, registered with the others.
from ..workflow import ApplicationWorkflow
from .audit import AppendOnlyError, AuditSeal, TransitionLog
from .committee import CommitteeDecision, CommitteeSession, ConflictDeclaration, StageOverride
from .hearings import HearingInvitation, HearingSession, HearingSlot
from .information import InformationAnswer, InformationAnswerFile, InformationRequest
from .notifications import NotificationPreference
from .shortlist import ShortlistDecision

__all__ = [
    "AppendOnlyError",
    "ApplicationWorkflow",
    "AuditSeal",
    "CommitteeDecision",
    "CommitteeSession",
    "ConflictDeclaration",
    "HearingInvitation",
    "HearingSession",
    "HearingSlot",
    "InformationAnswer",
    "InformationAnswerFile",
    "InformationRequest",
    "NotificationPreference",
    "ShortlistDecision",
    "StageOverride",
    "TransitionLog",
]
