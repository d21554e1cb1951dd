"""The deployment files that cannot run here (no Docker, Kubernetes or TLJH on this machine) agree with the tested hub
configuration, deploy/jupyterhub_config.py: the two hub services (the course server "hnscc" and the live-poll server
"hnscc-live"), their names, ports, prefixes and programs, what each is given (the live-poll server never the signing
key), the addresses learners' servers get, the start page, the roles, culling, memory, and the tokens the hub and each
server share. The TLJH snippet is loaded as TLJH loads it (a configuration of its own, merged into TLJH's) and must add
the course without touching TLJH's own parts."""

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
COURSE, LIVE = "hnscc", "hnscc-live"  # the hub services
# what only the course server may hold; the live-poll server, which phones reach, is given none of it
COURSE_ONLY = {"HNSCC_EDU_KEY_DIR", "HNSCC_EDU_PRIVATE_CONTENT", "HNSCC_LTI_TOKEN_URL", "HNSCC_LTI_CLIENT_ID"}


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
    # the defaults: no optional setting passed on, the usual ports (the comparisons below assume them)
    for name in (
        "HNSCC_EDU_LIVE_PUBLIC_URL",
        "HNSCC_EDU_DIRECTOR_GROUP",
        "HNSCC_EDU_LIVE_JOIN_BURST",
        "HNSCC_EDU_LIVE_JOIN_RATE",
        "HNSCC_EDU_IDLE_SECONDS",
        "HNSCC_HUB_SERVICE_PORT",
        "HNSCC_HUB_LIVE_PORT",
    ):
        monkeypatch.delenv(name, raising=False)
    return load(DEPLOY / "jupyterhub_config.py")


def yaml_documents(path: Path) -> list:
    return [doc for doc in YAML(typ="safe").load_all(path.read_text(encoding="utf-8")) if doc]


def hub_service(config: Config, name: str = COURSE) -> dict:
    return next(service for service in value(config.JupyterHub.services, []) if service["name"] == name)


def course_services(config: Config) -> list[str]:
    """The names of the services the course adds (not the idle culler)."""
    return [s["name"] for s in value(config.JupyterHub.services, []) if "cull" not in s["name"]]


def program(service: dict) -> list[str]:
    """What a service runs, without the Python that runs it: ["-m", "hnscc_edu...", "--auth", "hub"]."""
    return service["command"][1:]


def roles(config: Config) -> dict[str, dict]:
    return {role["name"]: role for role in value(config.JupyterHub.load_roles, [])}


def test_z2jh_values_name_the_same_services_page_roles_culling_and_memory(hub_config):
    values = yaml_documents(DEPLOY / "z2jh-values.yaml")[0]
    hub, single = values["hub"], values["singleuser"]
    assert list(hub["services"]) == course_services(hub_config) == [COURSE, LIVE]
    for name, port in ((COURSE, 8890), (LIVE, 8891)):
        tested_url = hub_service(hub_config, name)["url"]
        assert urlsplit(hub["services"][name]["url"]).port == urlsplit(tested_url).port == port
        # no api token in the values: the chart makes one per service and keeps it in its Secret "hub"
        assert not {"api_token", "apiToken"} & set(hub["services"][name])
    assert single["defaultUrl"] == hub_config.Spawner.default_url
    tested = roles(hub_config)
    assert hub["loadRoles"]["user"]["scopes"] == tested["user"]["scopes"]
    assert f"access:services!service={LIVE}" in hub["loadRoles"]["user"]["scopes"]
    assert hub["loadRoles"]["hnscc-service"]["scopes"] == tested["hnscc-service"]["scopes"]
    assert hub["loadRoles"]["hnscc-service"]["services"] == tested["hnscc-service"]["services"]
    # the live-poll server has no role of its own, here as in the tested hub
    for granted in (hub["loadRoles"].values(), tested.values()):
        assert not any(LIVE in role.get("services", []) for role in granted)
    assert list(hub["config"]["JupyterHub"]["load_groups"]) == list(hub_config.JupyterHub.load_groups)
    culler = next(s for s in hub_config.JupyterHub.services if s["name"] == "idle-culler")["command"]
    assert f"--timeout={values['cull']['timeout']}" in culler and f"--cull-every={values['cull']['every']}" in culler
    assert single["memory"] == {"guarantee": hub_config.Spawner.mem_guarantee, "limit": hub_config.Spawner.mem_limit}
    # learners' servers get the course server's and the live-poll server's addresses, never the store's or the key's
    environment = single["extraEnv"]
    tested_environment = hub_config.Spawner.environment
    for variable, port in (("HNSCC_EDU_SERVICE_URL", 8890), ("HNSCC_EDU_LIVE_SERVICE_URL", 8891)):
        assert urlsplit(environment[variable]).port == urlsplit(tested_environment[variable]).port == port
        assert urlsplit(environment[variable]).path == urlsplit(tested_environment[variable]).path
    assert environment["HNSCC_EDU_LIVE_SERVICE_URL"].endswith("/services/hnscc-live/")
    # phones join at the live-poll server's public address
    assert urlsplit(environment["HNSCC_EDU_LIVE_PUBLIC_URL"]).path == "/services/hnscc-live"
    assert not {"HNSCC_EDU_DB_URL", *COURSE_ONLY} & set(environment)


def manifest() -> dict[tuple[str, str], dict]:
    """deploy/k8s/course-server.yaml's objects by (kind, name)."""
    documents = yaml_documents(DEPLOY / "k8s" / "course-server.yaml")
    return {(doc["kind"], doc["metadata"]["name"]): doc for doc in documents}


def test_the_manifest_runs_both_services_as_the_values_and_the_tested_hub_name_them(hub_config):
    values = yaml_documents(DEPLOY / "z2jh-values.yaml")[0]
    objects = manifest()
    servers = {COURSE: "hnscc-course", LIVE: "hnscc-live"}  # hub service -> the Kubernetes name of its server
    kinds = ("Deployment", "Service", "NetworkPolicy")
    assert set(objects) == {(kind, name) for kind in kinds for name in servers.values()}
    image = values["singleuser"]["image"]
    envs = {}
    for service_name, name in servers.items():
        hub_url = urlsplit(values["hub"]["services"][service_name]["url"])
        service = objects["Service", name]
        assert (service["metadata"]["name"], service["spec"]["ports"][0]["port"]) == (hub_url.hostname, hub_url.port)
        pod = objects["Deployment", name]["spec"]["template"]
        label = pod["metadata"]["labels"]["app.kubernetes.io/name"]
        assert label == service["spec"]["selector"]["app.kubernetes.io/name"] == name
        # the chart's hub NetworkPolicy admits to the hub's API only pods with this label
        assert pod["metadata"]["labels"]["hub.jupyter.org/network-access-hub"] == "true"
        (container,) = pod["spec"]["containers"]
        assert container["image"] == f"{image['name']}:{image['tag']}"
        # the program the tested hub runs for this service
        assert container["args"][1:] == program(hub_service(hub_config, service_name))
        env = envs[service_name] = {item["name"]: item for item in container["env"]}
        # the token the chart made for this service, from the chart's Secret "hub"
        assert env["JUPYTERHUB_API_TOKEN"]["valueFrom"]["secretKeyRef"] == {
            "name": "hub",
            "key": f"hub.services.{service_name}.apiToken",
        }
        assert env["JUPYTERHUB_API_URL"]["value"] == "http://hub:8081/hub/api"
        prefix = env["JUPYTERHUB_SERVICE_PREFIX"]["value"]
        assert prefix == f"/services/{service_name}/"
        listen = urlsplit(env["JUPYTERHUB_SERVICE_URL"]["value"])
        assert listen.hostname == "0.0.0.0" and listen.port == hub_url.port == container["ports"][0]["containerPort"]
        assert "secretKeyRef" in env["HNSCC_EDU_DB_URL"]["valueFrom"]
        # who may connect: the proxy, the hub and learners' servers, on this port
        policy = objects["NetworkPolicy", name]["spec"]
        assert policy["podSelector"]["matchLabels"]["app.kubernetes.io/name"] == label
        (rule,) = policy["ingress"]
        assert rule["ports"] == [{"port": hub_url.port}]
        assert set(rule["from"][0]["podSelector"]["matchExpressions"][0]["values"]) == {
            "proxy",
            "hub",
            "singleuser-server",
        }
    # the probes: the live-poll participant page answers 200 without a token; nothing on the course server does, so it
    # is ready once it accepts connections
    live = objects["Deployment", "hnscc-live"]["spec"]["template"]["spec"]
    course = objects["Deployment", "hnscc-course"]["spec"]["template"]["spec"]
    for probe in ("readinessProbe", "livenessProbe"):
        assert live["containers"][0][probe]["httpGet"]["path"] == "/services/hnscc-live/hnscc/live/"
        assert course["containers"][0][probe]["tcpSocket"] == {"port": "http"}
        assert "httpGet" not in course["containers"][0][probe]
    # the same store; the signing key, the private pool and LTI settings stay with the course server
    assert envs[LIVE]["HNSCC_EDU_DB_URL"] == envs[COURSE]["HNSCC_EDU_DB_URL"]
    assert "HNSCC_EDU_KEY_DIR" in envs[COURSE] and not COURSE_ONLY & set(envs[LIVE])
    assert "volumes" not in live and "volumeMounts" not in live["containers"][0]
    assert not COURSE_ONLY & set(hub_service(hub_config, LIVE)["environment"])  # as the tested hub does
    public = values["singleuser"]["extraEnv"]["HNSCC_EDU_LIVE_PUBLIC_URL"]
    assert envs[LIVE]["HNSCC_EDU_LIVE_PUBLIC_URL"]["value"] == public
    # exactly one course server (its grade passback would post a score once per copy)
    assert objects["Deployment", "hnscc-course"]["spec"]["replicas"] == 1
    # every network policy that lets pods reach the two servers names their labels and ports
    for rules in (
        values["hub"]["networkPolicy"]["egress"],
        values["proxy"]["chp"]["networkPolicy"]["egress"],
        values["singleuser"]["networkPolicy"]["egress"],
    ):
        assert rules == [
            {
                "to": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": name}}}],
                "ports": [{"port": urlsplit(values["hub"]["services"][service_name]["url"]).port}],
            }
            for service_name, name in servers.items()
        ]
    # learners' kernels reach each server at its Service
    for variable, service_name in (("HNSCC_EDU_SERVICE_URL", COURSE), ("HNSCC_EDU_LIVE_SERVICE_URL", LIVE)):
        url, server = urlsplit(values["singleuser"]["extraEnv"][variable]), servers[service_name]
        assert (url.hostname, url.port) == (server, objects["Service", server]["spec"]["ports"][0]["port"])
        assert url.path == envs[service_name]["JUPYTERHUB_SERVICE_PREFIX"]["value"]


def test_the_image_holds_every_course_folder_the_loader_reads():
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    root = re.search(r"^ENV HNSCC_EDU_COURSE_ROOT=(\S+)$", dockerfile, re.MULTILINE).group(1)
    copied = set(re.findall(rf"^COPY (\S+) {re.escape(root)}/\1$", dockerfile, re.MULTILINE))
    assert copied == {COURSE_FILE, *CONTENT_DIRS, "notebooks"}
    values = yaml_documents(DEPLOY / "z2jh-values.yaml")[0]
    assert values["hub"]["config"]["KubeSpawner"]["notebook_dir"] == root
    assert values["singleuser"]["defaultUrl"].startswith("/voila/render/notebooks/")
    for kind, name in manifest():
        if kind == "Deployment":
            assert manifest()[kind, name]["spec"]["template"]["spec"]["containers"][0]["workingDir"] == root


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
    assert services == ["cull-idle", COURSE, LIVE]  # TLJH's culler kept, none added
    assert course_services(config) == course_services(hub_config)
    python = str(tmp_path / "user" / "bin" / "python")
    for name, port in ((COURSE, 8890), (LIVE, 8891)):
        service, tested = hub_service(config, name), hub_service(hub_config, name)
        assert service["command"] == [python, *program(tested)]
        assert service["url"] == tested["url"] == f"http://127.0.0.1:{port}"
        assert service["environment"]["HNSCC_EDU_DB_URL"] == "postgresql+psycopg://u:p@db/x"
        # given the same variables as the tested hub gives it (the settings file names no optional one)
        assert set(service["environment"]) == set(tested["environment"])
    assert hub_service(config)["environment"]["HNSCC_EDU_KEY_DIR"] == str(tmp_path / "state" / "hnscc-edu" / "keys")
    assert not COURSE_ONLY & set(hub_service(config, LIVE)["environment"])
    assert config.Spawner.default_url == hub_config.Spawner.default_url
    learners = value(config.Spawner.environment, {})
    for variable in ("HNSCC_EDU_SERVICE_URL", "HNSCC_EDU_LIVE_SERVICE_URL"):
        assert learners[variable] == hub_config.Spawner.environment[variable]
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
    assert hub_service(config)["environment"]["HNSCC_LTI_CLIENT_ID"] == "10000000000001"
    assert not COURSE_ONLY & set(hub_service(config, LIVE)["environment"])  # the LMS's settings stay with the course
    assert "load_groups" not in config.JupyterHub  # the launches set the groups
