from .application_forms import ApplicationForm, ApplicationFormVersion
from .call_parts import CallCriterion, CallCutoff, CallDocument, CallQuestion, CallReviewTrack
from .calls import CallPage
from .pages import CallIndexPage, ContentPage, HomePage, PersonalDataPage
from .snippets import Operator, Theme

__all__ = [
    "ApplicationForm",
    "ApplicationFormVersion",
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
