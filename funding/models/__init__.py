from .conventions import (
    COMMITTED_STATES,
    Convention,
    ConventionStatus,
    ConventionVersion,
    ProjectStatus,
    Signature,
)
from .money import AppendOnly, Ledger, Payment, Repayment, RepaymentInstalment, Tranche
from .reports import Milestone, PublicProgress, ReportFile, ReportStatus, ReportVersion
from .terms import FundingTerms, Indicator

__all__ = [
    "COMMITTED_STATES",
    "AppendOnly",
    "Convention",
    "ConventionStatus",
    "ConventionVersion",
    "FundingTerms",
    "Indicator",
    "Ledger",
    "Milestone",
    "Payment",
    "ProjectStatus",
    "PublicProgress",
    "Repayment",
    "RepaymentInstalment",
    "ReportFile",
    "ReportStatus",
    "ReportVersion",
    "Signature",
    "Tranche",
]
