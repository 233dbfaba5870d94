"""Settings precedence: CLI flag > environment > config file > default."""

from __future__ import annotations

from pathlib import Path

import pytest

from civicllm.config import Settings, load_settings
from civicllm.errors import ConfigError


def test_defaults(tmp_path: Path) -> None:
    settings = load_settings({}, environ={"CIVICLLM_HOME": str(tmp_path)})
    assert settings.home == tmp_path
    assert (settings.host, settings.port, settings.engine) == ("127.0.0.1", 8000, "llama-cpp")
    assert settings.resolved_model is not None and settings.resolved_model.suffix == ".gguf"


def test_precedence_flag_over_env_over_file(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("port: 7000\nparallel: 3\nctx-size: 4096\n")
    environ = {"CIVICLLM_HOME": str(tmp_path), "CIVICLLM_PORT": "7100", "CIVICLLM_PARALLEL": "5"}
    from_file_and_env = load_settings({}, environ=environ)
    assert from_file_and_env.port == 7100  # environment beats file
    assert from_file_and_env.parallel == 5
    assert from_file_and_env.ctx_size == 4096  # file beats default
    flagged = load_settings({"port": 7200}, environ=environ)
    assert flagged.port == 7200  # flag beats environment


def test_comma_separated_lists_from_environment(tmp_path: Path) -> None:
    environ = {"CIVICLLM_HOME": str(tmp_path), "CIVICLLM_BASE_URLS": "http://a/v1, http://b/v1"}
    assert load_settings({}, environ=environ).base_urls == ["http://a/v1", "http://b/v1"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"port": 0}, "port"), ({"engine": "gpt"}, "engine"), ({"parallel": -1}, "parallel")],
)
def test_bad_settings_name_the_field(
    tmp_path: Path, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(overrides, environ={"CIVICLLM_HOME": str(tmp_path)})
    assert caught.value.param == field


def test_unreadable_config_file_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("- just\n- a list\n")
    with pytest.raises(ConfigError, match="mapping"):
        load_settings({}, environ={"CIVICLLM_HOME": str(tmp_path)})


def test_served_model_name(tmp_path: Path) -> None:
    assert Settings(engine="echo", home=tmp_path).served_model_name == "echo"
    assert Settings(home=tmp_path, model_name="llama-3").served_model_name == "llama-3"
    assert Settings(home=tmp_path).served_model_name == "SmolLM2-135M-Instruct.Q4_1"
