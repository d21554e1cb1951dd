"""The deployment files that cannot run here (no Docker, Kubernetes or TLJH on this machine) agree with the tested hub
configuration, deploy/jupyterhub_config.py: the course service's name, port and prefix, the start page, the roles,
culling, memory, and the token the hub and the course server share. The TLJH snippet is loaded as TLJH loads it
(a configuration of its own, merged into TLJH's) and must add the course without touching TLJH's own parts."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from ruamel.yaml import YAML
from traitlets.config import Config
from traitlets.config.loader import LazyConfigValue, PyFileConfigLoader

from hnscc_edu.content.course import CONTENT_DIRS, COURSE_FILE

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
LTI13 = "ltiauthenticator.lti13.auth.LTI13Authenticator"


def load(path: Path) -> Config:
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def value(config: Config, default):
    """A setting as JupyterHub would see it (a list or dict extended in a snippet applies to the default)."""
    return config.get_value(default) if isinstance(config, LazyConfigValue) else config


@pytest.fixture
def hub_config(tmp_path, monkeypatch) -> Config:
    """deploy/jupyterhub_config.py as `make hub` loads it ("log in or register"). It takes the store's settings out of
    the environment as it loads; monkeypatch puts the test session's back afterwards."""
    monkeypatch.setenv("HNSCC_HUB_STATE", str(tmp_path / "hub"))
    monkeypatch.setenv("HNSCC_HUB_AUTH", "native")
    monkeypatch.setenv("HNSCC_EDU_DB_URL", "sqlite:///unused")
    monkeypatch.setenv("HNSCC_EDU_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.delenv("HNSCC_EDU_PRIVATE_CONTENT", raising=False)
    return load(DEPLOY / "jupyterhub_config.py")


def yaml_documents(path: Path) -> list:
    return [doc for doc in YAML(typ="safe").load_all(path.read_text(encoding="utf-8")) if doc]


def course_service(config: Config) -> dict:
    return next(service for service in value(config.JupyterHub.services, []) if service["name"] == "hnscc")


def roles(config: Config) -> dict[str, dict]:
    return {role["name"]: role for role in value(config.JupyterHub.load_roles, [])}


def test_z2jh_values_name_the_same_service_page_roles_culling_and_memory(hub_config):
    values = yaml_documents(DEPLOY / "z2jh-values.yaml")[0]
    hub, single = values["hub"], values["singleuser"]
    service = course_service(hub_config)
    assert list(hub["services"]) == [service["name"]]
    assert urlsplit(hub["services"]["hnscc"]["url"]).port == urlsplit(service["url"]).port == 8890
    assert single["defaultUrl"] == hub_config.Spawner.default_url
    tested = roles(hub_config)
    assert hub["loadRoles"]["user"]["scopes"] == tested["user"]["scopes"]
    assert hub["loadRoles"]["hnscc-service"]["scopes"] == tested["hnscc-service"]["scopes"]
    assert hub["loadRoles"]["hnscc-service"]["services"] == tested["hnscc-service"]["services"]
    assert list(hub["config"]["JupyterHub"]["load_groups"]) == list(hub_config.JupyterHub.load_groups)
    culler = next(s for s in hub_config.JupyterHub.services if s["name"] == "idle-culler")["command"]
    assert f"--timeout={values['cull']['timeout']}" in culler and f"--cull-every={values['cull']['every']}" in culler
    assert single["memory"] == {"guarantee": hub_config.Spawner.mem_guarantee, "limit": hub_config.Spawner.mem_limit}
    # learners' servers get the course server's address, never the store's or the key's
    environment = single["extraEnv"]
    assert environment["HNSCC_EDU_SERVICE_URL"].endswith(":8890/services/hnscc/")
    assert not {"HNSCC_EDU_DB_URL", "HNSCC_EDU_KEY_DIR", "HNSCC_EDU_PRIVATE_CONTENT"} & set(environment)


def test_the_course_server_manifest_matches_the_values_and_the_image():
    values = yaml_documents(DEPLOY / "z2jh-values.yaml")[0]
    documents = {doc["kind"]: doc for doc in yaml_documents(DEPLOY / "k8s" / "course-server.yaml")}
    assert set(documents) == {"Deployment", "Service", "NetworkPolicy"}
    hub_url = urlsplit(values["hub"]["services"]["hnscc"]["url"])
    service = documents["Service"]
    assert (service["metadata"]["name"], service["spec"]["ports"][0]["port"]) == (hub_url.hostname, hub_url.port)
    assert urlsplit(values["singleuser"]["extraEnv"]["HNSCC_EDU_SERVICE_URL"]).hostname == hub_url.hostname
    pod = documents["Deployment"]["spec"]["template"]
    assert pod["metadata"]["labels"]["app.kubernetes.io/name"] == service["spec"]["selector"]["app.kubernetes.io/name"]
    (container,) = pod["spec"]["containers"]
    env = {item["name"]: item for item in container["env"]}
    # the token the chart made for the service "hnscc", from the chart's Secret "hub"
    assert env["JUPYTERHUB_API_TOKEN"]["valueFrom"]["secretKeyRef"] == {
        "name": "hub",
        "key": "hub.services.hnscc.apiToken",
    }
    assert env["JUPYTERHUB_API_URL"]["value"] == "http://hub:8081/hub/api"
    prefix = env["JUPYTERHUB_SERVICE_PREFIX"]["value"]
    assert prefix == "/services/hnscc/"
    listen = urlsplit(env["JUPYTERHUB_SERVICE_URL"]["value"])
    assert listen.hostname == "0.0.0.0" and listen.port == hub_url.port == container["ports"][0]["containerPort"]
    assert container["readinessProbe"]["httpGet"]["path"] == prefix + "hnscc/live/"
    assert "secretKeyRef" in env["HNSCC_EDU_DB_URL"]["valueFrom"]
    image = values["singleuser"]["image"]
    assert container["image"] == f"{image['name']}:{image['tag']}"
    # every network policy that lets pods reach the course server names its label and port
    label = pod["metadata"]["labels"]["app.kubernetes.io/name"]
    for rules in (
        values["hub"]["networkPolicy"]["egress"],
        values["proxy"]["chp"]["networkPolicy"]["egress"],
        values["singleuser"]["networkPolicy"]["egress"],
    ):
        assert rules == [
            {
                "to": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": label}}}],
                "ports": [{"port": hub_url.port}],
            }
        ]


def test_the_image_holds_every_course_folder_the_loader_reads():
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    root = re.search(r"^ENV HNSCC_EDU_COURSE_ROOT=(\S+)$", dockerfile, re.MULTILINE).group(1)
    copied = set(re.findall(rf"^COPY (\S+) {re.escape(root)}/\1$", dockerfile, re.MULTILINE))
    assert copied == {COURSE_FILE, *CONTENT_DIRS, "notebooks"}
    values = yaml_documents(DEPLOY / "z2jh-values.yaml")[0]
    assert values["hub"]["config"]["KubeSpawner"]["notebook_dir"] == root
    assert values["singleuser"]["defaultUrl"].startswith("/voila/render/notebooks/")
    deployment = yaml_documents(DEPLOY / "k8s" / "course-server.yaml")[0]
    assert deployment["spec"]["template"]["spec"]["containers"][0]["workingDir"] == root


def tljh(tmp_path, monkeypatch, authenticator: str, settings: str) -> Config:
    """TLJH's configuration after it loads deploy/tljh/hnscc_edu.py from its jupyterhub_config.d: the snippet gets a
    configuration of its own (traitlets' load_subconfig), merged into TLJH's, which already holds its culler."""
    monkeypatch.setenv("TLJH_INSTALL_PREFIX", str(tmp_path))
    (tmp_path / "config").mkdir(parents=True)
    (tmp_path / "config" / "hnscc-edu.env").write_text(settings, encoding="utf-8")
    configurer = types.ModuleType("tljh.configurer")
    configurer.load_config = lambda: {"auth": {"type": authenticator}}
    monkeypatch.setitem(sys.modules, "tljh", types.ModuleType("tljh"))
    monkeypatch.setitem(sys.modules, "tljh.configurer", configurer)
    config = Config()
    config.JupyterHub.services = [{"name": "cull-idle", "admin": True, "command": ["python", "-m", "culler"]}]
    config.Spawner.default_url = "/lab"
    config.Spawner.mem_limit = "1G"
    config.JupyterHub.authenticator_class = authenticator
    config.merge(load(DEPLOY / "tljh" / "hnscc_edu.py"))
    return config


def test_tljh_snippet_adds_the_course_and_leaves_tljh_its_own_parts(tmp_path, monkeypatch, hub_config):
    config = tljh(
        tmp_path,
        monkeypatch,
        "nativeauthenticator.NativeAuthenticator",
        "# a comment\nHNSCC_HUB_DIRECTORS=director, ana\nHNSCC_EDU_DB_URL='postgresql+psycopg://u:p@db/x'\n",
    )
    services = [service["name"] for service in config.JupyterHub.services]
    assert services == ["cull-idle", "hnscc"]  # TLJH's culler kept, none added
    service = course_service(config)
    assert service["command"] == [
        str(tmp_path / "user" / "bin" / "python"),
        "-m",
        "hnscc_edu.hub_service",
        "--auth",
        "hub",
    ]
    assert service["url"] == course_service(hub_config)["url"] == "http://127.0.0.1:8890"
    assert service["environment"]["HNSCC_EDU_DB_URL"] == "postgresql+psycopg://u:p@db/x"
    assert service["environment"]["HNSCC_EDU_KEY_DIR"] == str(tmp_path / "state" / "hnscc-edu" / "keys")
    assert config.Spawner.default_url == hub_config.Spawner.default_url
    learners = value(config.Spawner.environment, {})
    assert learners["HNSCC_EDU_SERVICE_URL"] == hub_config.Spawner.environment["HNSCC_EDU_SERVICE_URL"]
    assert not {"HNSCC_EDU_DB_URL", "HNSCC_EDU_KEY_DIR"} & set(learners)
    assert roles(config) == {name: roles(hub_config)[name] for name in ("user", "hnscc-service")}
    assert value(config.JupyterHub.load_groups, {}) == {"course-directors": {"users": ["ana", "director"]}}
    # TLJH's own: ports, proxy, spawner, authenticator, limits
    assert config.Spawner.mem_limit == "1G" and config.JupyterHub.authenticator_class.startswith("native")
    for name in ("ip", "port", "hub_ip", "hub_port", "proxy_class", "spawner_class"):
        assert name not in config.JupyterHub
    assert "ConfigurableHTTPProxy" not in config and "Authenticator" not in config


def test_tljh_snippet_with_lti_sets_the_launch_and_refuses_missing_settings(tmp_path, monkeypatch):
    with pytest.raises(SystemExit, match="HNSCC_LTI_ISSUER"):
        tljh(tmp_path / "a", monkeypatch, LTI13, "JUPYTERHUB_CRYPT_KEY=" + "ab" * 32 + "\n")
    settings = "\n".join(
        [
            "JUPYTERHUB_CRYPT_KEY=" + "ab" * 32,
            "HNSCC_LTI_ISSUER=https://lms.example.org",
            "HNSCC_LTI_AUTHORIZE_URL=https://lms.example.org/auth",
            "HNSCC_LTI_JWKS_URL=https://lms.example.org/jwks",
            "HNSCC_LTI_CLIENT_ID=10000000000001",
            "HNSCC_LTI_TOKEN_URL=https://lms.example.org/token",
        ]
    )
    config = tljh(tmp_path / "b", monkeypatch, LTI13, settings)
    assert config.LTI13Authenticator.client_id == ["10000000000001"]  # a string, as the authenticator requires
    assert config.Authenticator.enable_auth_state and config.Authenticator.manage_groups
    assert callable(config.Authenticator.post_auth_hook)
    assert (tmp_path / "b" / "state" / "hnscc-edu" / "lti-nonces.sqlite3").exists()
    assert "admin:auth_state" in roles(config)["hnscc-service"]["scopes"]
    assert course_service(config)["environment"]["HNSCC_LTI_CLIENT_ID"] == "10000000000001"
    assert "load_groups" not in config.JupyterHub  # the launches set the groups
