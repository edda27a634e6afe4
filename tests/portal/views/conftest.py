import pytest

from portal.roles import Role
from portal.services import workflow_start


@pytest.fixture
def ticket(division, officer, new_ticket):
    """A division ticket waiting for its first step, the officer's."""
    return workflow_start(new_ticket(division, title="Tiket uji", summary="Ringkasan"), actor=officer)


@pytest.fixture
def outsider(uptd, make_user):
    """An officer of a sibling unit: the right role, the wrong unit."""
    return make_user(uptd, Role.OFFICER)


@pytest.fixture
def storekeeper(government, make_user):
    """A storekeeper at the top of the tree: every unit, but no business with tickets."""
    return make_user(government, Role.STOREKEEPER)
