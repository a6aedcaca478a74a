"""The production units in deploy/: gunicorn and the job worker as two services.

`systemd-analyze verify` checks them where systemd is installed (with the paths pointed at this checkout,
whose .venv exists); where it is not, the same files are parsed and their essentials checked, so the test
never passes by being skipped."""

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UNITS = ("tenk-web.service", "tenk-worker.service")


def _parse(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read_string(path.read_text())
    return parser


@pytest.mark.parametrize("name", UNITS)
def test_the_unit_has_the_sections_and_commands_it_needs(name):
    unit = _parse(ROOT / "deploy" / name)
    assert {"Unit", "Service", "Install"} <= set(unit.sections())
    service = unit["Service"]
    assert service["WorkingDirectory"] == "/srv/tenk" and service["EnvironmentFile"] == "/etc/tenk/tenk.env"
    assert service["User"] == "tenk" and service["Restart"] in {"always", "on-failure"}
    command = service["ExecStart"].split()
    assert command[0].startswith("/srv/tenk/.venv/bin/")
    if name == "tenk-worker.service":
        assert command[1:4] == ["manage.py", "procrastinate", "worker"]
        assert service["KillSignal"] == "SIGTERM", "the worker finishes its job on SIGTERM"
    else:
        assert command[1] == "config.wsgi"
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_systemd_accepts_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    for name in UNITS:
        text = (ROOT / "deploy" / name).read_text().replace("/srv/tenk", str(ROOT))
        (tmp_path / name).write_text(text)
    if analyze is None:
        # no systemd on this machine: at least every line is a section, a comment or key=value
        for name in UNITS:
            for line in (tmp_path / name).read_text().splitlines():
                assert not line or line.startswith(("#", "[")) or "=" in line, line
            _parse(tmp_path / name)
        return
    result = subprocess.run(
        [analyze, "verify", *(str(tmp_path / name) for name in UNITS)], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr


def test_the_web_unit_runs_gunicorn_with_the_settings_file_of_the_repository():
    command = _parse(ROOT / "deploy" / "tenk-web.service")["Service"]["ExecStart"].split()
    assert command[command.index("--config") + 1] == "config/gunicorn.py"  # relative to WorkingDirectory
    assert (ROOT / "config" / "gunicorn.py").is_file()


class _Worker:
    nr = 0


@pytest.fixture
def collector():
    """The collector's state as a test found it, restored after (a frozen test process would keep its garbage)."""
    import gc

    threshold = gc.get_threshold()
    gc.unfreeze()
    yield gc
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_a_worker_freezes_what_it_loaded_and_collects_less_often(collector):
    from config import gunicorn

    assert collector.get_freeze_count() == 0
    gunicorn.post_worker_init(_Worker())
    assert collector.get_freeze_count() > 10_000  # Django, the apps, their URL patterns
    assert collector.get_threshold() == gunicorn.GC_THRESHOLD


def test_a_worker_freezes_again_after_its_first_requests_only(collector):
    from config import gunicorn

    frozen_after = {}
    worker = _Worker()
    for worker.nr in range(1, 102):
        keep = [object() for _ in range(3)] + [[]]  # a tracked object alive after each request
        gunicorn.post_request(worker, None, {}, None)
        frozen_after[worker.nr] = collector.get_freeze_count()
        collector.unfreeze()
        del keep
    assert {nr for nr, count in frozen_after.items() if count} == {1, 10, 100}
