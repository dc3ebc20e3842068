"""A form's body as the plain JSON frozen in a version (``ApplicationFormVersion.definition``),
and back (to load the shipped reference form).

A definition is ``{"sections": [...], "attachments": [...]}``: each section has its ``slug``,
``title``, ``help``, ``review_track``, ``kind`` (questions, team, budget, attachments) and its
``questions`` (key, kind, label, help, required, ``only_if`` as [key, value typed by staff],
and per kind max_length, choices, min_value, max_value); each attachment slot its key, label,
formats, max_size_mb, required, multiple, only_if, review_track and section.
"""

from __future__ import annotations

from .application_form_blocks import KIND_BLOCKS, QUESTION_BLOCKS
from .application_form_kinds import (
    ATTACHMENTS,
    BUDGET,
    CHOICE,
    DECLARATION,
    MULTI,
    QUESTIONS,
    SHORT_TEXT_FORMATS,
    TEAM,
    TEXT,
)


def _condition(key: str, raw_value: str) -> list | None:
    key = (key or "").strip()
    return [key, (raw_value or "").strip()] if key else None


def _question(kind: str, value) -> dict:
    question = {
        "key": value["key"],
        "kind": kind,
        "label": value["label"],
        "help": value.get("help") or "",
        "required": bool(value.get("required")),
        "only_if": _condition(value.get("only_if_key"), value.get("only_if_value")),
    }
    if kind == TEXT and value.get("format"):
        question["kind"] = value["format"]
    if value.get("max_length"):
        question["max_length"] = value["max_length"]
    if kind in (CHOICE, MULTI):
        question["choices"] = [[item["value"], item["label"]] for item in value["choices"]]
        question["from_call_themes"] = bool(value.get("from_call_themes"))
    for bound in ("min_value", "max_value"):
        if value.get(bound) is not None:
            question[bound] = value[bound]
    return question


def _section(value) -> tuple[dict, list[dict]]:
    section = {
        "slug": value["slug"],
        "title": value["title"],
        "help": value.get("help") or "",
        "review_track": value.get("review_track") or None,
        "kinds": [],
        "questions": [],
    }
    slots, heading = [], None
    for child in value["content"]:
        name, item = child.block_type, child.value
        section["kinds"].append(name)
        if name == "heading":
            heading = {"heading": item["title"], "heading_help": item.get("help") or ""}
        elif name == "declaration":
            section["questions"].append(
                {
                    "key": item["key"],
                    "kind": DECLARATION,
                    "label": item["text"],
                    "required": bool(item.get("required")),
                }
            )
        elif name in QUESTION_BLOCKS:
            section["questions"].append(
                {**_question(QUESTION_BLOCKS[name][1], item), **(heading or {})}
            )
            heading = None
        elif name in ("team_table", "budget_table"):
            section["help"] = section["help"] or item.get("help") or ""
        elif name == "attachment":
            slots.append(
                {
                    "key": item["key"],
                    "label": item["label"],
                    "formats": list(item["formats"]),
                    "max_size_mb": item.get("max_size_mb"),
                    "required": bool(item.get("required")),
                    "multiple": bool(item.get("multiple")),
                    "only_if": _condition(item.get("only_if_key"), item.get("only_if_value")),
                    "review_track": item.get("review_track") or None,
                    "section": value["slug"],
                }
            )
    section["kind"] = section_kind(section["kinds"])
    return section, slots


def section_kind(block_names: list[str]) -> str:
    if "budget_table" in block_names:
        return BUDGET
    if "team_table" in block_names:
        return TEAM
    if "attachment" in block_names:
        return ATTACHMENTS
    return QUESTIONS


def definition_from_body(body) -> dict:
    """The form as plain JSON: sections with their questions, and the attachment slots."""
    sections, slots = [], []
    for child in body:
        section, section_slots = _section(child.value)
        sections.append(section)
        slots += section_slots
    return {"sections": sections, "attachments": slots}


def _raw_question(question: dict) -> tuple[str, dict]:
    kind = question["kind"]
    only_if = question.get("only_if") or ["", ""]
    if kind == DECLARATION:
        return "declaration", {
            "key": question["key"],
            "text": question["label"],
            "required": question.get("required", True),
        }
    value = {
        "key": question["key"],
        "label": question["label"],
        "help": question.get("help", ""),
        "required": question.get("required", False),
        "only_if_key": only_if[0],
        "only_if_value": only_if[1],
    }
    name = KIND_BLOCKS.get(kind, "short_text")
    if name == "short_text":
        value["format"] = kind if kind in dict(SHORT_TEXT_FORMATS) else TEXT
    for field in ("max_length", "min_value", "max_value"):
        if question.get(field) is not None:
            value[field] = question[field]
    if kind in (CHOICE, MULTI):
        value["choices"] = [{"value": v, "label": label} for v, label in question["choices"]]
    if kind == CHOICE:
        value["from_call_themes"] = question.get("from_call_themes", False)
    return name, value


def body_from_definition(definition: dict) -> list[dict]:
    """The body's raw stream data for a definition (the reverse of ``definition_from_body``)."""
    body = []
    for section in definition["sections"]:
        content = []
        if section["kind"] == TEAM:
            content.append({"type": "team_table", "value": {"help": section.get("help", "")}})
        elif section["kind"] == BUDGET:
            content.append({"type": "budget_table", "value": {"help": section.get("help", "")}})
        for question in section["questions"]:
            if question.get("heading"):
                content.append(
                    {
                        "type": "heading",
                        "value": {
                            "title": question["heading"],
                            "help": question.get("heading_help", ""),
                        },
                    }
                )
            name, value = _raw_question(question)
            content.append({"type": name, "value": value})
        for slot in definition["attachments"]:
            if slot["section"] == section["slug"]:
                only_if = slot.get("only_if") or ["", ""]
                value = {
                    **{k: v for k, v in slot.items() if k not in ("section", "only_if")},
                    "only_if_key": only_if[0],
                    "only_if_value": only_if[1],
                    "review_track": slot.get("review_track") or "",
                }
                content.append({"type": "attachment", "value": value})
        body.append(
            {
                "type": "section",
                "value": {
                    "slug": section["slug"],
                    "title": section["title"],
                    "help": "" if section["kind"] in (TEAM, BUDGET) else section.get("help", ""),
                    "review_track": section.get("review_track") or "",
                    "content": content,
                },
            }
        )
    return body
