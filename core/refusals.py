"""A rule said no: the exception services raise, with messages for the person who asked."""


class Refused(Exception):
    """A rule refused the action; ``messages`` say why, in the user's language."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = messages
