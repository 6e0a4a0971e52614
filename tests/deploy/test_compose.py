"""docker-compose.yml is the production way to run (issue 14, goal 1): secrets only from the env
file, gunicorn, DEBUG off, and demo data (with its known password) only in the demo profile."""

from pathlib import Path

import yaml

from xinfang.platform.safety import SECRET_VARIABLES

REPO = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
APP_SERVICES = {
    name: service
    for name, service in COMPOSE["services"].items()
    if service.get("image", "").startswith("xinfang")
}
DEMO_COMMANDS = ("seed_demo", "create_office", "import_offices", "create_officer")


def _command(service) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_every_app_container_reads_its_secrets_from_the_env_file_and_never_a_default():
    assert {"migrate", "web", "worker", "beat", "demo"} <= set(APP_SERVICES)
    for name, service in APP_SERVICES.items():
        assert service["env_file"] == ".env", name
        environment = service.get("environment", {})
        assert not set(SECRET_VARIABLES) & set(environment), name
        assert environment.get("DJANGO_DEBUG", "0") in {"0", "false"}, name
    for ignore in (".gitignore", ".dockerignore"):
        assert ".env" in (REPO / ignore).read_text().split(), ignore


def test_demo_data_is_seeded_only_in_the_demo_profile():
    for name, service in APP_SERVICES.items():
        seeds = any(command in _command(service) for command in DEMO_COMMANDS)
        assert seeds == (service.get("profiles") == ["demo"]), name


def test_the_web_container_runs_gunicorn_never_runserver():
    assert _command(APP_SERVICES["web"]).startswith("gunicorn -c deploy/gunicorn.conf.py")
    assert not any("runserver" in _command(s) for s in APP_SERVICES.values())


def test_the_image_runs_gunicorn_with_static_files_outside_the_package():
    dockerfile = (REPO / "deploy" / "Dockerfile").read_text()
    assert 'CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py"]' in dockerfile
    assert "XINFANG_STATIC_ROOT=/app/static" in dockerfile and "collectstatic" in dockerfile
    assert "DJANGO_DEBUG=1" not in dockerfile
