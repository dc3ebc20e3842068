"""The rules a form definition must follow before it can be saved, each with a clear message.

Keys are unique in the whole form (grids cite them), a condition cites another question of
the same section and never loops back (a → b → a), choice questions have their choices, a
section is either questions or one of the special parts (team, budget, attachments).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .application_form_kinds import (
    ATTACHMENTS,
    BUDGET,
    CHECK,
    CHOICE,
    CONDITION_KINDS,
    DECLARATION,
    INTEGER,
    MULTI,
    QUESTIONS,
    TEAM,
    YESNO,
)

YES = {"oui", "true", "yes", "1"}
NO = {"non", "false", "no", "0"}
SPECIAL_PARTS = {"team_table", "budget_table", "attachment"}


def condition_value(kind: str, raw) -> object:
    """The typed value an answer of ``kind`` must have for a condition written as ``raw``
    (staff type « oui », « non », a choice's value or a number). ValueError if impossible."""
    if not isinstance(raw, str):
        return raw
    text = raw.strip()
    if kind in (YESNO, CHECK):
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        raise ValueError(text)
    if kind == INTEGER:
        return int(text)
    return text


def _questions_by_key(section: dict) -> dict[str, dict]:
    return {q["key"]: q for q in section["questions"]}


def _loops(section: dict) -> list[list[str]]:
    """Conditions that come back to where they started, each as its chain of keys."""
    cites = {q["key"]: q["only_if"][0] for q in section["questions"] if q.get("only_if")}
    loops, reported = [], set()
    for start in cites:
        chain, key = [start], cites[start]
        while key in cites and key not in chain:
            chain.append(key)
            key = cites[key]
        if key in chain and frozenset(chain[chain.index(key) :]) not in reported:
            cycle = chain[chain.index(key) :]
            reported.add(frozenset(cycle))
            loops.append([*cycle, key])
    return loops


def _condition_problems(section: dict) -> list[str]:
    problems = []
    questions = _questions_by_key(section)
    for question in section["questions"]:
        if not question.get("only_if"):
            continue
        key, raw = question["only_if"]
        where = {"key": question["key"], "other": key, "section": section["title"]}
        if key == question["key"]:
            problems.append(_("« %(key)s » : la condition ne peut porter sur elle-même.") % where)
            continue
        cited = questions.get(key)
        if cited is None:
            problems.append(
                _(
                    "« %(key)s » : la condition cite « %(other)s », qui n'est pas une question "
                    "de la section « %(section)s »."
                )
                % where
            )
        elif cited["kind"] not in CONDITION_KINDS:
            problems.append(
                _("« %(key)s » : la réponse à « %(other)s » ne peut pas servir de condition.")
                % where
            )
        else:
            problems += _value_problems(question["key"], cited, raw)
    for loop in _loops(section):
        problems.append(
            _("Conditions en boucle : %(chain)s. Une question ne peut dépendre d'elle-même.")
            % {"chain": " → ".join(loop)}
        )
    return problems


def _value_problems(key: str, cited: dict, raw) -> list[str]:
    try:
        value = condition_value(cited["kind"], raw)
    except ValueError:
        return [
            _("« %(key)s » : la valeur attendue « %(value)s » ne convient pas à « %(other)s ».")
            % {"key": key, "value": raw, "other": cited["key"]}
        ]
    choices = {v for v, _label in cited.get("choices", [])}
    if cited["kind"] in (CHOICE, MULTI) and choices and value not in choices:
        return [
            _("« %(key)s » : « %(value)s » n'est pas un des choix de « %(other)s » (%(choices)s).")
            % {"key": key, "value": raw, "other": cited["key"], "choices": ", ".join(choices)}
        ]
    return []


def _section_problems(section: dict) -> list[str]:
    problems = []
    names = section.get("kinds", [])
    parts = {n for n in names if n in SPECIAL_PARTS}
    others = {n for n in names if n not in SPECIAL_PARTS and n != "heading"}
    title = {"section": section["title"]}
    if len(parts) > 1 or (parts and others):
        problems.append(
            _(
                "Section « %(section)s » : un tableau de l'équipe, un tableau du budget ou des "
                "pièces jointes forment une section à eux seuls."
            )
            % title
        )
    if names.count("team_table") > 1 or names.count("budget_table") > 1:
        problems.append(_("Section « %(section)s » : un seul tableau par section.") % title)
    if not names:
        problems.append(_("Section « %(section)s » : elle est vide.") % title)
    for question in section["questions"]:
        no_choices = not question.get("choices") and not question.get("from_call_themes")
        if question["kind"] in (CHOICE, MULTI) and no_choices:
            problems.append(_("« %(key)s » : donnez au moins un choix.") % {"key": question["key"]})
        low, high = question.get("min_value"), question.get("max_value")
        if low is not None and high is not None and low > high:
            problems.append(
                _("« %(key)s » : le minimum dépasse le maximum.") % {"key": question["key"]}
            )
    return problems + _condition_problems(section)


def _duplicates(keys: list[str]) -> list[str]:
    return sorted({key for key in keys if keys.count(key) > 1})


def _slot_problems(definition: dict, questions: dict[str, dict]) -> list[str]:
    problems = []
    for slot in definition["attachments"]:
        if not slot.get("only_if"):
            continue
        key, raw = slot["only_if"]
        cited = questions.get(key)
        if cited is None or cited["kind"] == DECLARATION:
            problems.append(
                _("Pièce « %(slot)s » : la condition cite « %(key)s », qui n'est pas une question.")
                % {"slot": slot["key"], "key": key}
            )
        else:
            problems += _value_problems(slot["key"], cited, raw)
    return problems


def definition_problems(definition: dict) -> list[str]:
    """Everything wrong with a form definition, in words staff understand; [] if none."""
    sections = definition.get("sections", [])
    if not sections:
        return [_("Ajoutez au moins une section au formulaire.")]
    problems = []
    slugs = _duplicates([s["slug"] for s in sections])
    if slugs:
        problems.append(
            _("Identifiants de section en double : %(keys)s.") % {"keys": ", ".join(slugs)}
        )
    keys = [q["key"] for s in sections for q in s["questions"]]
    duplicated = _duplicates(keys)
    if duplicated:
        problems.append(
            _("Clés de question en double : %(keys)s. Chaque clé doit être unique.")
            % {"keys": ", ".join(duplicated)}
        )
    slots = _duplicates([slot["key"] for slot in definition["attachments"]])
    if slots:
        problems.append(_("Clés de pièce en double : %(keys)s.") % {"keys": ", ".join(slots)})
    for kind, label in ((TEAM, _("de l'équipe")), (BUDGET, _("du budget"))):
        if sum(1 for s in sections if s["kind"] == kind) > 1:
            problems.append(
                _("Le formulaire ne peut avoir qu'un tableau %(what)s.") % {"what": label}
            )
    if sum(1 for s in sections if s["kind"] == ATTACHMENTS) > 1:
        problems.append(_("Les pièces jointes forment une seule section."))
    for section in sections:
        problems += _section_problems(section)
    questions = {q["key"]: q for s in sections if s["kind"] == QUESTIONS for q in s["questions"]}
    return problems + _slot_problems(definition, questions)


def cited_keys(definition: dict) -> set[str]:
    """Every key a review grid may cite in this form: « section », « section.question »,
    « section.part » of the tables and « piece:slot »."""
    parts = {
        TEAM: ("lead", "members", "partners"),
        BUDGET: ("lines", "cofunding", "amount_requested"),
    }
    keys = set()
    for section in definition.get("sections", []):
        keys.add(section["slug"])
        keys |= {f"{section['slug']}.{q['key']}" for q in section["questions"]}
        keys |= {f"{section['slug']}.{part}" for part in parts.get(section["kind"], ())}
    keys |= {f"piece:{slot['key']}" for slot in definition.get("attachments", [])}
    return keys
