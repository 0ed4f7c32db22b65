"""Deployment files say what the docs say: compose has two app replicas and PostgreSQL with
health checks, the image runs the README's commands, and every setting is documented."""

from __future__ import annotations

import re
import tomllib

import yaml

from helpers import ROOT

COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
DEPLOY = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
STREAMLIT_CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_compose_runs_two_app_replicas_and_postgres_with_health_checks():
    assert set(COMPOSE) == {"services", "volumes"}
    assert set(COMPOSE["services"]) == {"app", "db"}
    app, db = COMPOSE["services"]["app"], COMPOSE["services"]["db"]
    assert app["build"] == "." and app["deploy"]["replicas"] == 2
    assert app["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert "/_stcore/health" in " ".join(app["healthcheck"]["test"])
    assert db["image"].startswith("postgres:") and "pg_isready" in db["healthcheck"]["test"][1]
    url = app["environment"]["ADVISOR_DATABASE_URL"]
    assert re.fullmatch(r"postgresql://advisor:\$\{ADVISOR_DB_PASSWORD:\?[^}]+\}@db:5432/advisor",
                        url)
    assert db["environment"]["POSTGRES_DB"] == "advisor"
    assert all(port.startswith("127.0.0.1:") for port in app["ports"])
    assert {v.split(":")[0] for v in app["volumes"] + db["volumes"]} == set(COMPOSE["volumes"])


def test_the_image_runs_the_readme_commands_and_checks_health():
    install = "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt"
    assert install in README and install in DOCKERFILE
    assert ".venv/bin/streamlit run app.py" in README
    assert "exec .venv/bin/streamlit run app.py" in DOCKERFILE
    assert "HEALTHCHECK" in DOCKERFILE and "/_stcore/health" in DOCKERFILE
    assert "-m advisor.store check" in DOCKERFILE


def test_every_setting_the_code_reads_is_documented():
    code = "\n".join(p.read_text(encoding="utf-8") for folder in ("advisor", "ui")
                     for p in (ROOT / folder).rglob("*.py"))
    code += (ROOT / "advisor" / "store" / "snapshots.py").read_text(encoding="utf-8")
    settings = set(re.findall(r'"(ADVISOR_[A-Z_]+)"', code))
    assert settings >= {"ADVISOR_DATABASE_URL", "ADVISOR_USER_HEADER", "ADVISOR_SNAPSHOT_DB",
                        "ADVISOR_ALLOW_RULE_EDITS", "ADVISOR_RULES_DIR"}
    documented = set(re.findall(r"^\| `(ADVISOR_[A-Z_]+)` \|", DEPLOY, flags=re.M))
    assert documented == settings


def test_the_image_keeps_the_production_streamlit_settings():
    """Users of a shared app see no tracebacks and no Deploy button or developer menu
    (issue 12)."""
    assert STREAMLIT_CONFIG["client"] == {"showErrorDetails": "none", "toolbarMode": "viewer"}
    assert STREAMLIT_CONFIG["server"]["maxUploadSize"] == 1
    assert "COPY .streamlit/ .streamlit/" in DOCKERFILE
