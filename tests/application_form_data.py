"""Building application forms for tests: as the Wagtail admin posts them, or straight."""

from __future__ import annotations

from cms.application_form_definition import body_from_definition
from cms.models import ApplicationForm


def question(key: str, label: str, kind: str = "text", **extra) -> dict:
    return {"key": key, "kind": kind, "label": label, "required": False, "only_if": None, **extra}


def section(slug: str, title: str, questions=(), kind: str = "questions", **extra) -> dict:
    return {"slug": slug, "title": title, "kind": kind, "questions": list(questions), **extra}


def slot(key: str, label: str, section_slug: str = "pieces", **extra) -> dict:
    return {
        "key": key,
        "label": label,
        "formats": ["pdf"],
        "max_size_mb": None,
        "required": False,
        "multiple": False,
        "only_if": None,
        "review_track": None,
        "section": section_slug,
        **extra,
    }


def build_form(name: str, sections: list[dict], slots: list[dict] = ()) -> ApplicationForm:
    """A form saved as staff would (its first version published)."""
    form = ApplicationForm(name=name)
    form.body = body_from_definition({"sections": sections, "attachments": list(slots)})
    form.save()
    return form


# -- The admin's form data ----------------------------------------------------------------


def stream(items: list[tuple[str, dict]]) -> dict:
    """A StreamBlock's posted data (wagtail.test.utils.form_data.streamfield, nestable)."""
    data = {
        str(i): {"type": kind, "value": value, "deleted": "", "order": str(i)}
        for i, (kind, value) in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def list_block(items: list[dict]) -> dict:
    data = {
        str(i): {"value": value, "deleted": "", "order": str(i)} for i, value in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def posted_question(key: str, label: str, *, required: bool = False, only_if=("", "")) -> dict:
    return {
        "key": key,
        "label": label,
        "help": "",
        "required": "on" if required else "",
        "only_if_key": only_if[0],
        "only_if_value": only_if[1],
    }


def posted_section(slug: str, title: str, content: list[tuple[str, dict]]) -> dict:
    return {
        "slug": slug,
        "title": title,
        "help": "",
        "review_track": "",
        "content": stream(content),
    }
