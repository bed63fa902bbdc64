"""tools.jupyter_settings: installs the shipped settings into a prefix, keeps what a hub already has, idempotent."""
import json

from tools import jupyter_settings


def test_install_into_an_empty_prefix_then_check_passes(tmp_path):
    assert jupyter_settings.missing(tmp_path)                       # nothing there yet: reported
    written = jupyter_settings.install(tmp_path)
    assert {p.relative_to(tmp_path).as_posix() for p in written} == {
        "etc/jupyter/jupyter_server_config.json", "etc/jupyter/voila.json",
        "etc/jupyter/labconfig/default_setting_overrides.json"}
    assert jupyter_settings.missing(tmp_path) == []
    server = json.loads((tmp_path / "etc/jupyter/jupyter_server_config.json").read_text())
    assert server["ServerApp"]["contents_manager_class"].endswith("largefilemanager.LargeFileManager")
    shortcuts = json.loads((tmp_path / "etc/jupyter/labconfig/default_setting_overrides.json").read_text())[
        "@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"]
    assert {(s["command"], s["keys"][0], s["disabled"]) for s in shortcuts} == {
        ("notebook:move-cursor-heading-above-or-collapse", "ArrowLeft", True),
        ("notebook:move-cursor-heading-below-or-expand", "ArrowRight", True)}


def test_a_hubs_own_settings_are_kept_and_a_second_install_changes_nothing(tmp_path):
    conf = tmp_path / "etc/jupyter/jupyter_server_config.json"
    conf.parent.mkdir(parents=True)
    conf.write_text(json.dumps({"ServerApp": {"shutdown_no_activity_timeout": 3600}, "Other": {"x": 1}}))
    jupyter_settings.install(tmp_path)
    once = {p: p.read_bytes() for p in tmp_path.rglob("*.json")}
    data = json.loads(conf.read_text())
    assert data["ServerApp"]["shutdown_no_activity_timeout"] == 3600 and data["Other"] == {"x": 1}
    jupyter_settings.install(tmp_path)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.json")} == once


def test_a_changed_setting_is_reported_by_check(tmp_path):
    jupyter_settings.install(tmp_path)
    conf = tmp_path / "etc/jupyter/jupyter_server_config.json"
    data = json.loads(conf.read_text())
    data["ServerApp"]["contents_manager_class"] = (
        "jupyter_server.services.contents.largefilemanager.AsyncLargeFileManager")
    conf.write_text(json.dumps(data))
    assert any("jupyter_server_config.json" in p for p in jupyter_settings.missing(tmp_path))
    assert jupyter_settings.main(["check", "--prefix", str(tmp_path)]) == 1
