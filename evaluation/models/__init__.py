from .audit import AppendOnlyError, AuditChainHead, TransitionLog
from .committee import CommitteeDecision, CommitteeSession, StageOverride
from .information import InformationAnswer, InformationAnswerFile, InformationRequest
from .notifications import NotificationPreference

__all__ = [
    "AppendOnlyError",
    "AuditChainHead",
    "CommitteeDecision",
    "CommitteeSession",
    "InformationAnswer",
    "InformationAnswerFile",
    "InformationRequest",
    "NotificationPreference",
    "StageOverride",
    "TransitionLog",
]
