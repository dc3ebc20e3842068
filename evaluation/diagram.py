"""The workflow's picture, drawn from the transitions themselves (never by hand).

``workflow_edges`` reads the django-fsm transitions of ``Application.status``: every
(source, transition, target) with who may fire it. ``workflow_graph`` writes them as Graphviz
DOT with French labels; ``render_svg`` has Graphviz's ``dot`` draw it (Debian package
graphviz). ``manage.py workflow_diagram`` keeps a copy in docs/; the back office draws it
at request time (cached in the process) next to a text alternative built from the same edges.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ANY_OTHER_STATE, ANY_STATE, State

from core.vocabulary import ApplicationStatus

from . import roles
from .services import TRANSITION_LABELS
from .workflow import ApplicationWorkflow

# Who may fire a transition, from its ``permission`` (the predicates of roles.py).
ROLE_LABELS = {
    roles.is_applicant: gettext_lazy("candidat"),
    # Submitting: owners, and members when the owners allow it (grants.permissions).
    roles.may_submit: gettext_lazy("candidat"),
    roles.may_withdraw: gettext_lazy("candidat (responsable de l'organisation)"),
    roles.is_programme_staff: gettext_lazy("chargé de mission"),
    roles.is_committee_member: gettext_lazy("comité de sélection"),
}
# Edge styles per role: the words say who, colour and line only help the eye.
ROLE_STYLES = {
    roles.is_applicant: 'color="#18753c", fontcolor="#18753c", style=dashed',
    roles.may_submit: 'color="#18753c", fontcolor="#18753c", style=dashed',
    roles.may_withdraw: 'color="#18753c", fontcolor="#18753c", style=dashed',
    roles.is_programme_staff: 'color="#000091", fontcolor="#000091"',
    roles.is_committee_member: 'color="#a94645", fontcolor="#a94645", penwidth=2',
}
FONT = "DejaVu Sans"
DOT_TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class Edge:
    name: str  # the transition method, e.g. "start_eligibility_check"
    label: str  # its French label (services.TRANSITION_LABELS)
    source: str
    target: str
    role: str  # who may fire it, in words
    conditional: bool  # further conditions apply (stage complete, call requires the track…)
    style: str = ""  # Graphviz attributes of the role's edges

    @property
    def source_label(self) -> str:
        return state_label(self.source)

    @property
    def target_label(self) -> str:
        return state_label(self.target)


def state_label(value: str) -> str:
    return str(ApplicationStatus(value).label)


def _role(permission) -> str:
    if permission is None:
        return _("tout le monde")
    if permission in ROLE_LABELS:
        return str(ROLE_LABELS[permission])
    return str(getattr(permission, "__name__", permission))


def _states(value) -> list[str]:
    """The states a transition's source or target stands for."""
    if isinstance(value, State):  # RETURN_VALUE / GET_STATE: the states it may return
        return [str(s) for s in value.allowed_states]
    if value in (ANY_STATE, ANY_OTHER_STATE):
        return [s.value for s in ApplicationStatus]
    return [str(value)]


def workflow_edges() -> list[Edge]:
    """Every (source, transition, target) of the workflow, in the states' order."""
    field = ApplicationWorkflow._meta.get_field("status")
    edges = set()
    for transition in field.get_all_transitions(ApplicationWorkflow):
        for source in _states(transition.source):
            for target in _states(transition.target):
                if transition.source == ANY_OTHER_STATE and source == target:
                    continue
                edges.add(
                    Edge(
                        name=transition.name,
                        label=str(TRANSITION_LABELS.get(transition.name, transition.name)),
                        source=source,
                        target=target,
                        role=_role(transition.permission),
                        conditional=bool(transition.conditions),
                        style=ROLE_STYLES.get(transition.permission, ""),
                    )
                )
    order = {s.value: i for i, s in enumerate(ApplicationStatus)}
    return sorted(edges, key=lambda e: (order[e.source], order[e.target], e.name))


def _quote(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def workflow_graph(language: str = "fr") -> str:
    """The workflow as Graphviz DOT: one node per state, one edge per transition."""
    with translation.override(language):
        edges = workflow_edges()
        sources = {e.source for e in edges}
        title = _("Circuit d'instruction d'un dossier")
        lines = [
            "digraph workflow {",
            f"  graph [rankdir=TB, labelloc=t, fontsize=18, fontname={_quote(FONT)}, "
            f"label={_quote(title)}];",
            f'  node [shape=box, style="rounded,filled", fillcolor="#f5f5fe", color="#000091", '
            f"fontname={_quote(FONT)}, fontsize=12];",
            f"  edge [fontname={_quote(FONT)}, fontsize=9];",
        ]
        for state in ApplicationStatus:
            attributes = [f"label={_quote(state.label)}"]
            if state == ApplicationStatus.DRAFT:
                attributes.append('fillcolor="#ececfe", penwidth=2')
            elif state.value not in sources:  # an outcome: nothing leaves it
                attributes.append('fillcolor="#eeeeee", peripheries=2')
            lines.append(f"  {_quote(state.value)} [{', '.join(attributes)}];")
        for edge in edges:
            who = edge.role
            if edge.conditional:
                who = _("%(role)s, sous conditions") % {"role": edge.role}
            words = f"{edge.label}\n({who})"
            attributes = [
                f"label={_quote(words)}",
                f"id={_quote(f'{edge.name}--{edge.source}--{edge.target}')}",
            ]
            if edge.style:
                attributes.append(edge.style)
            lines.append(
                f"  {_quote(edge.source)} -> {_quote(edge.target)} [{', '.join(attributes)}];"
            )
        lines.append("}")
    return "\n".join(lines) + "\n"


def render_svg(language: str = "fr") -> str:
    """The diagram drawn by Graphviz as SVG. Raises ``FileNotFoundError`` without ``dot``."""
    return _render_svg(language)


@lru_cache(maxsize=8)
def _render_svg(language: str) -> str:
    dot = shutil.which("dot")
    if dot is None:
        raise FileNotFoundError("Graphviz's dot is not installed (Debian package graphviz)")
    result = subprocess.run(  # noqa: S603 (a fixed command; our own DOT on stdin)
        [dot, "-Tsvg"],
        input=workflow_graph(language).encode(),
        capture_output=True,
        check=True,
        timeout=DOT_TIMEOUT_SECONDS,
    )
    return result.stdout.decode()
