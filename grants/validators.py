"""SIREN and SIRET checks with python-stdnum: length, digits and Luhn checksum."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret


def _explain(error: stdnum_errors.ValidationError, name: str, digits: int) -> str:
    if isinstance(error, stdnum_errors.InvalidLength):
        return _("Le %(name)s doit comporter %(digits)d chiffres.") % {
            "name": name,
            "digits": digits,
        }
    if isinstance(error, stdnum_errors.InvalidFormat):
        return _("Le %(name)s ne doit contenir que des chiffres.") % {"name": name}
    return _("Ce %(name)s n'existe pas : sa clé de contrôle est fausse.") % {"name": name}


def clean_siren(value: str) -> str:
    try:
        return stdnum_siren.validate(value)
    except stdnum_errors.ValidationError as error:
        raise ValidationError(_explain(error, "SIREN", 9), code="invalid_siren") from error


def clean_siret(value: str) -> str:
    try:
        return stdnum_siret.validate(value)
    except stdnum_errors.ValidationError as error:
        raise ValidationError(_explain(error, "SIRET", 14), code="invalid_siret") from error


def validate_siren(value: str) -> None:
    clean_siren(value)


def validate_siret(value: str) -> None:
    clean_siret(value)
