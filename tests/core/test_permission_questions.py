"""Every question of rights and scope is answered by core/permissions.py (issue #16), with the same
answers as the raw-role queries and code combinations it replaced."""

import re
from pathlib import Path

import pytest

from core.models import Role
from core.permissions import ALL_ORGANISATIONS, ROLE_PERMS, has_perm, members_with, users_with
from reporting.permissions import may_record_expenses, sees_people
from tandems.matching import candidate_volunteers, load_context

ROOT = Path(__file__).resolve().parents[2]
APPS = ("core", "volunteers", "refugees", "trainings", "tandems", "reporting")
# asking a role, a role's codes or the all-organisations reach directly, instead of asking core.permissions
RAW_ROLE = re.compile(
    r"memberships__role|\bmembership\.role\b|\bRole\.[A-Z]+\b|\bROLE_PERMS\b|\bALL_ORGANISATIONS\b"
)
# where naming a role is the point: the mechanism, the roles' own definition and constraint, the admin's
# filter by role (a display, not a right), and the demo seeders and migrations that create memberships
ALLOWED = {"core/permissions.py", "core/models.py", "core/admin.py"}


def test_no_module_decides_rights_from_raw_roles():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            if name in ALLOWED or "migrations" in path.parts or path.name == "demo.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if RAW_ROLE.search(line) and "MemberRole" not in line:
                    found.append(f"{name}:{number}: {line.strip()}")
    assert found == []


@pytest.mark.parametrize("role", Role.values)
def test_the_reporting_codes_answer_as_the_combinations_did(role):
    perms = ROLE_PERMS[role]
    people = {"volunteers.view", "refugees.view"}
    staff_everywhere = {"reporting.grant", "volunteers.change", ALL_ORGANISATIONS}
    assert ("reporting.view_people" in perms) is people.issubset(perms)
    assert ("reporting.record_expenses" in perms) is staff_everywhere.issubset(perms)


def test_reporting_asks_one_code_each(world):
    answers = {name: (sees_people(user), may_record_expenses(user)) for name, user in world.users.items()}
    assert answers == {
        "coordinator": (True, True),
        "partner": (True, False),
        "other_partner": (True, False),
        "referrer": (False, False),
        "other_referrer": (False, False),
        "steering": (False, False),
        "evaluator": (False, False),
        "admin": (False, False),
    }
    assert all(
        sees_people(user) == has_perm(user=user, perm="reporting.view_people")
        for user in world.users.values()
    )


def test_users_with_is_everywhere_roles_and_the_organisations_own_members(world):
    users = world.users
    assert set(users_with(perm="tandems.change", organisations=[world.org])) == {
        users["coordinator"],
        users["partner"],
    }
    assert set(users_with(perm="tandems.change", organisations=[])) == {users["coordinator"]}
    assert set(users_with(perm="reporting.grant", organisations=[world.org])) == {
        users["coordinator"],
        users["steering"],
        users["evaluator"],
    }


def test_members_with_counts_only_memberships_in_the_organisations(world):
    users = world.users
    assert set(members_with(perm="volunteers.change", organisations=[world.org])) == {users["partner"]}
    assert set(members_with(perm="volunteers.change", organisations=[world.org, world.fwz])) == {
        users["coordinator"],
        users["partner"],
    }


def test_the_matching_scope_comes_from_core_permissions(world):
    users = world.users
    assert load_context(user=users["coordinator"]).all_organisations is True
    assert load_context(user=users["partner"]).all_organisations is False
    # acting everywhere is a right of tandems.change: the admin's reach does not make them a matcher
    assert load_context(user=users["admin"]).all_organisations is False
    assert not candidate_volunteers(user=users["admin"]).exists()
    # a proposal made by the system (no person) is not narrowed to anyone's organisation
    assert load_context(user=None).all_organisations is True
