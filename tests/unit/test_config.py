import pytest

from milestones.config import DEV_SECRET, ConfigError, load_config


@pytest.fixture
def clean_env(monkeypatch):
    for name in (
        "APP_ENV",
        "SECRET_KEY",
        "DATABASE_URL",
        "STORAGE_BACKEND",
        "MAIL_SERVER",
        "MAX_UPLOAD_MB",
        "PUBLIC_BASE_URL",
        "SESSION_COOKIE_SECURE",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_runs_with_no_variables(clean_env, tmp_path):
    cfg = load_config(str(tmp_path))
    assert cfg["APP_ENV"] == "development"
    assert cfg["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'milestones.sqlite3'}"
    assert cfg["STORAGE_BACKEND"] == "local"
    assert cfg["STORAGE_LOCAL_PATH"] == str(tmp_path / "uploads")
    assert cfg["MAIL_SERVER"] is None
    assert cfg["MAIL_SUPPRESS_SEND"] is True  # mail goes to the log
    assert cfg["MAX_UPLOAD_MB"] == 25
    assert cfg["SECRET_KEY"] == DEV_SECRET
    assert cfg["SESSION_COOKIE_HTTPONLY"] is True
    assert cfg["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert cfg["SESSION_COOKIE_SECURE"] is False


def test_environment_overrides(clean_env, tmp_path):
    clean_env.setenv("DATABASE_URL", "postgresql+psycopg://u@db/x")
    clean_env.setenv("STORAGE_BACKEND", "s3")
    clean_env.setenv("MAIL_SERVER", "smtp.example.test")
    clean_env.setenv("MAX_UPLOAD_MB", "10")
    clean_env.setenv("PUBLIC_BASE_URL", "https://mt.example.test/")
    cfg = load_config(str(tmp_path))
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/x"
    assert cfg["STORAGE_BACKEND"] == "s3"
    assert cfg["MAIL_SUPPRESS_SEND"] is False
    assert cfg["MAX_UPLOAD_MB"] == 10
    assert cfg["PUBLIC_BASE_URL"] == "https://mt.example.test"


def test_production_refuses_the_development_secret(clean_env, tmp_path):
    clean_env.setenv("APP_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config(str(tmp_path))
    clean_env.setenv("SECRET_KEY", DEV_SECRET)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config(str(tmp_path))
    clean_env.setenv("SECRET_KEY", "a-real-random-secret")
    cfg = load_config(str(tmp_path))
    assert cfg["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("STORAGE_BACKEND", "ftp", "STORAGE_BACKEND"),
        ("MAX_UPLOAD_MB", "lots", "MAX_UPLOAD_MB"),
        ("MAX_UPLOAD_MB", "0", "MAX_UPLOAD_MB"),
        ("APP_ENV", "staging", "APP_ENV"),
    ],
)
def test_bad_settings_fail_fast(clean_env, tmp_path, name, value, message):
    clean_env.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        load_config(str(tmp_path))
