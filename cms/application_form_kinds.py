"""The vocabulary of application forms: kinds of questions and sections, file kinds.

Staff build forms from blocks (``cms.application_form_blocks``); grants reads the frozen
definition with these same names (``grants.questions``), so they live here, below both.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Kinds of questions, as stored in a form's frozen definition.
TEXT = "text"
TEXTAREA = "textarea"
CHOICE = "choice"
MULTI = "multi"
YESNO = "yesno"
CHECK = "check"  # a box to tick; "required" means it must be ticked
INTEGER = "integer"
DATE = "date"
URL = "url"
EMAIL = "email"
AMOUNT = "amount"  # euros and cents
# A declaration on honour: not answered while drafting but signed at submission by the person
# submitting (name, role, instant and the exact text), then printed on the receipt.
DECLARATION = "declaration"

# Kinds whose answer another question's condition can test.
CONDITION_KINDS = (TEXT, CHOICE, MULTI, YESNO, CHECK, INTEGER)

# Kinds of sections: questions, or one of the tables and the attachments page.
QUESTIONS, TEAM, BUDGET, ATTACHMENTS = "questions", "team", "budget", "attachments"

# File kinds an attachment slot may accept (checked by content, grants.uploads.FileKind).
FILE_KINDS = (
    ("pdf", "PDF"),
    ("xlsx", "Excel (XLSX)"),
    ("ods", "OpenDocument (ODS)"),
)

# What a short text must look like.
SHORT_TEXT_FORMATS = (
    (TEXT, _("texte")),
    (URL, _("adresse web")),
    (EMAIL, _("courriel")),
)
