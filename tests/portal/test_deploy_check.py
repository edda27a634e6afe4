import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_prints_no_warning_with_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_", "PYTEST"))},
        "DJANGO_SETTINGS_MODULE": "layanan.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "a-production-secret-" + "x9Qz3" * 12,
        "DJANGO_ALLOWED_HOSTS": "layanan.example.go.id",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("demo", ["0", "1"])
def test_production_settings_refuse_to_start_without_a_secret(demo):
    # Demo mode with debug off once fell back to the public development key.
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_", "PYTEST"))},
        "DJANGO_SETTINGS_MODULE": "layanan.settings",
        "DJANGO_DEBUG": "0",
        "PORTAL_DEMO": demo,
    }
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
