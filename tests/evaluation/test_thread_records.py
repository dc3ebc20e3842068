"""The message thread's records, at the HTTP level: the retention purge, the personal-data
export, account closure, the page's query count, the queues' days in state, the demo.

The thread itself, who writes and who reads: test_thread.py."""

from __future__ import annotations

import io
import json
import os
import zipfile
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation import audit
from evaluation.models import (
    TransitionLog,
)
from evaluation.retention import purge_closed_applications
from evaluation.services import fire, withdraw_application
from evaluation.thread import Side, post_message
from grants.models import Application, Message, MessageFile
from grants.services.personal_data import close_account

from ..grants_factories import (
    minimal_pdf,
)
from .thread_helpers import (
    QUESTION,
    REPLY,
    applicant_post,
    followup,
    pdf,
    staff_page,
    staff_post,
    text,
)

pytestmark = pytest.mark.django_db


def test_the_thread_stays_open_after_withdrawal_until_the_retention_purge(
    client, thread_world, django_capture_on_commit_callbacks
):
    application, alice, claire = (
        thread_world["application"],
        thread_world["alice"],
        thread_world["claire"],
    )
    withdraw_application(application, alice, "")
    client.force_login(alice)
    client.post(applicant_post(application), {"message-text": QUESTION, "message-files": [pdf()]})
    client.force_login(claire)
    client.post(staff_post(application), {"message-text": REPLY})
    assert Message.objects.count() == 2
    stored = MessageFile.objects.get()
    path = stored.file.path

    # Past the operator's period (5 years by default) after the withdrawal, not the messages.
    later = timezone.now() + relativedelta(years=5, days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_closed_applications(now=later).count == 1

    rows = []
    with connection.cursor() as cursor:
        for table in ("grants_message", "grants_messagefile", "evaluation_transitionlog"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            rows += [" | ".join(str(v) for v in row) for row in cursor.fetchall()]
    everything = "\n".join(rows)
    assert QUESTION not in everything and REPLY not in everything
    assert "attestation.pdf" not in everything
    assert not MessageFile.objects.exists()
    assert not os.path.exists(path)
    assert audit.verify().ok
    # The thread is closed; the page says the messages were erased.
    client.force_login(alice)
    page = text(client.get(followup(application)))
    assert "Message effacé" in page and "Les échanges de ce dossier sont clos." in page
    client.post(applicant_post(application), {"message-text": "Encore une question"})
    assert not Message.objects.exclude(body="").exists()


def test_the_export_holds_the_persons_messages_only(client, thread_world):
    application, alice, bob = (
        thread_world["application"],
        thread_world["alice"],
        thread_world["bob"],
    )
    post_message(application, alice, Side.APPLICANT, QUESTION, [pdf("hds-alice.pdf")])
    post_message(application, bob, Side.APPLICANT, "Message de Bob, pas d'Alice", [pdf("bob.pdf")])
    post_message(application, thread_world["claire"], Side.STAFF, REPLY)
    client.force_login(alice)
    response = client.get(reverse("grants:personal_data_zip"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("donnees.json"))

    (mine,) = data["thread_messages"]
    assert mine["text"] == QUESTION and mine["application"] == application.pk
    (path,) = mine["files"]
    assert path.endswith("hds-alice.pdf")
    assert archive.read(path) == minimal_pdf("Attestation HDS")
    everything = archive.read("donnees.json").decode() + " ".join(archive.namelist())
    assert "Bob" not in everything and "bob.pdf" not in everything and REPLY not in everything


def test_a_closed_account_is_no_longer_named_in_the_thread(client, thread_world):
    application, bob = thread_world["application"], thread_world["bob"]
    post_message(application, bob, Side.APPLICANT, QUESTION)
    close_account(bob)
    client.force_login(thread_world["claire"])
    page = text(client.get(staff_page(application)))
    assert QUESTION in page  # the organisation's record stays
    assert "Bob" not in page and "Lemoine" not in page and "Compte fermé" in page


@pytest.mark.parametrize("side", ["staff", "applicant"])
def test_the_thread_page_costs_the_same_with_3_or_30_messages(client, thread_world, side):
    application, alice, claire = (
        thread_world["application"],
        thread_world["alice"],
        thread_world["claire"],
    )
    reader, url = (claire, staff_page(application)) if side == "staff" else (alice, None)
    url = url or followup(application)
    client.force_login(reader)

    def write(count):
        for n in range(count):
            author, who = (alice, Side.APPLICANT) if n % 2 else (claire, Side.STAFF)
            post_message(application, author, who, f"Message {n}", [pdf(f"piece-{n}.pdf")])

    def queries():
        client.get(url)  # warm caches and read marks
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    write(3)
    few = queries()
    write(27)
    assert Message.objects.count() == 30
    assert queries() == few


def test_a_message_does_not_reset_the_days_in_state(client, thread_world):
    application = thread_world["application"]
    TransitionLog.objects.filter(application=application).update(
        at=timezone.now() - timedelta(days=40)
    )
    post_message(application, thread_world["alice"], Side.APPLICANT, QUESTION)
    client.force_login(thread_world["claire"])
    queue = client.get(reverse("evaluation:queues"), {"non_lus": "on"})
    assert application.reference in text(queue)
    assert "En retard" in text(queue)
    fire(application, "start_eligibility_check", thread_world["claire"])
    assert application.reference not in text(client.get(reverse("evaluation:queues")))


def test_the_demo_shows_a_thread_on_each_side_and_loads_once(client, calls_index):
    for _ in range(2):  # idempotent
        call_command("load_demo", applicant_password="demo-2026", verbosity=0)
    domicare = Application.objects.get(project_title="Domicare")
    assert domicare.messages.count() == 1 and domicare.messages.get().files.count() == 1
    assert Message.objects.filter(side=Side.STAFF).count() == 1
    client.force_login(get_user_model().objects.get(email="instructeur@ruche.local"))
    queue = client.get(reverse("evaluation:queues"), {"etat": domicare.status, "non_lus": "on"})
    assert domicare.reference in text(queue) and "1 message non lu" in text(queue)
    client.force_login(get_user_model().objects.get(email="candidat@ruche.local"))
    assert "1 message non lu" in text(client.get(reverse("grants:dashboard")))
