"""A mail backend for the tests that run a real Celery worker: the worker is another process, so Django's outbox
cannot be read; each message is written as a file into the folder MAIL_FOLDER names. While a file `slow` lies in
that folder, a send first leaves a `sending` marker and waits, so a test can kill the worker in the middle of it."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class FolderBackend(BaseEmailBackend):
    def send_messages(self, messages):
        folder = Path(os.environ["MAIL_FOLDER"])
        for message in messages:
            if (folder / "slow").exists():
                (folder / "sending").write_text(message.subject)
                time.sleep(60)
            (folder / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(messages)
