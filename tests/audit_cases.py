"""The audit coverage table's vocabulary. Each app lists in `tests/<app>/audit_cases.py`:

    CASES = {"volunteers.Volunteer": exercise}   # exercise(world) creates, changes and removes one record
                                                  # through the real code paths (services, views, admin)

`tests/test_audit_coverage.py` runs each case and checks that every write left an audit entry; a model that
declares personal fields but has no case makes the test fail.
"""
