from .audit import AppendOnlyError, AuditChainHead, TransitionLog
from .committee import CommitteeDecision, CommitteeSession, StageOverride

__all__ = [
    "AppendOnlyError",
    "AuditChainHead",
    "CommitteeDecision",
    "CommitteeSession",
    "StageOverride",
    "TransitionLog",
]
