from .calls import CallCriterion, CallCutoff, CallDocument, CallPage, CallQuestion, CallReviewTrack
from .pages import CallIndexPage, ContentPage, HomePage, PersonalDataPage
from .snippets import Operator, Theme

__all__ = [
    "CallCriterion",
    "CallCutoff",
    "CallDocument",
    "CallIndexPage",
    "CallPage",
    "CallQuestion",
    "CallReviewTrack",
    "ContentPage",
    "HomePage",
    "Operator",
    "PersonalDataPage",
    "Theme",
]
