from .grids import CallGrid, Criterion, ReviewGrid
from .reviews import CriterionRating, Review, ReviewAssignment, ReviewerProfile

__all__ = [
    "CallGrid",
    "Criterion",
    "CriterionRating",
    "Review",
    "ReviewAssignment",
    "ReviewGrid",
    "ReviewerProfile",
]
