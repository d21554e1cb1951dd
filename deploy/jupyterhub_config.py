# JupyterHub configuration for a class of hnscc-edu (JupyterHub 5.5.x).
#
# Who reads this: the person who runs the hub for a provider. `make hub` starts it on this machine (127.0.0.1:8000,
# SQLite store) for a try-out; the tests in tests/hub start it with their own ports and a PostgreSQL store. The
# Littlest JupyterHub uses deploy/tljh/hnscc_edu.py instead: this file sets ports, the proxy, the spawner and the
# authenticator, which would override TLJH's own (see the README, "The Littlest JupyterHub").
# Zero to JupyterHub on Kubernetes uses deploy/z2jh-values.yaml instead, which sets the same things in Helm's words.
#
# Everything a deployment changes comes from environment variables, so this file stays as it is:
#
#   HNSCC_EDU_DB_URL        the course store (PostgreSQL for a class: postgresql+psycopg://user:pw@host/db). It is
#                           given to the course service only; no learner's server or kernel ever sees it.
#   HNSCC_EDU_KEY_DIR       the folder of the provider's certificate signing key (`hnscc-edu keys init`); service only
#   HNSCC_EDU_PRIVATE_CONTENT  optional: the private post-test pool (service only)
#   HNSCC_HUB_STATE         where the hub keeps its own database, cookie secret and the learners' home folders
#   HNSCC_HUB_AUTH          how people sign in: "native" (register, then a course director approves: "log in or
#                           register"), "lti13" (launched from the LMS), or "shared" (any name and one shared
#                           password: a try-out or a workshop)
#   HNSCC_LTI_ISSUER, HNSCC_LTI_AUTHORIZE_URL, HNSCC_LTI_JWKS_URL, HNSCC_LTI_CLIENT_ID   for "lti13": the platform's
#                           issuer, OIDC login endpoint and key set, and the client id it gave this tool
#   HNSCC_LTI_TOKEN_URL     for "lti13" with grade passback: the platform's OAuth 2 token endpoint (the tool's key set
#                           for the platform to register is <hub>/services/hnscc/hnscc/lti/jwks)
#   HNSCC_HUB_DIRECTORS     comma-separated user names with course-director rights (hub admins, group
#                           "course-directors": the report, the certificate tools, the live-poll presenter calls)
#   HNSCC_HUB_PASSWORD, HNSCC_HUB_ADMIN_PASSWORD   for "shared" only (8+ and 32+ characters)
#   HNSCC_HUB_IP, HNSCC_HUB_PORT          where people connect (127.0.0.1 and 8000 by default; put TLS in front)
#   HNSCC_HUB_API_PORT, HNSCC_HUB_PROXY_API_PORT, HNSCC_HUB_SERVICE_PORT, HNSCC_HUB_LIVE_PORT   internal loopback
#                           ports (the live-poll server's is 8891)
#   HNSCC_HUB_PROXY         the configurable-http-proxy program (`make hub` installs one with npm when missing)
#   HNSCC_HUB_CULL_TIMEOUT, HNSCC_HUB_CULL_EVERY   idle culling, in seconds (3600 and 300 by default)
#   HNSCC_EDU_LIVE_PUBLIC_URL  behind TLS or another public name: https://<hub>/services/hnscc-live, the live-poll
#                           server as phones reach it (the join address and QR code of live polls); given to the
#                           live-poll server and to learners' servers (the presenter's dashboard)
#   HNSCC_EDU_DIRECTOR_GROUP   the hub group whose members are course directors ("course-directors" by default)
#   HNSCC_EDU_LIVE_JOIN_BURST, HNSCC_EDU_LIVE_JOIN_RATE   phones joining a live poll from one network address: at
#                           once (300) and then per second (10); raise them for a hall of more than 2,000 on one Wi-Fi
#   HNSCC_EDU_IDLE_SECONDS  how long the course and live-poll servers keep an idle connection (60)
#   HNSCC_EDU_LIVE_IDLE_HOURS  a live session ends after this long without a presenter action (6)
#
# The course's own configuration (voila.json) is for one machine; here the hub decides what each learner runs.

import os
import sys
from pathlib import Path

import platformdirs

c = get_config()  # noqa: F821 - JupyterHub provides get_config when it loads this file

COURSE = Path(os.environ.get("HNSCC_EDU_COURSE_ROOT") or Path(__file__).resolve().parents[1])
# outside the repository: the signing key must never sit in a folder that is shared or committed
STATE = Path(os.environ.get("HNSCC_HUB_STATE") or Path(platformdirs.user_data_dir("hnscc-edu")) / "hub")
STATE.mkdir(parents=True, exist_ok=True)
BIN = Path(sys.executable).parent  # the environment the hub runs in also runs the learners' servers


def _setting(name, default):
    value = os.environ.get(name, "").strip()
    return value or default


IP = _setting("HNSCC_HUB_IP", "127.0.0.1")
PORT = int(_setting("HNSCC_HUB_PORT", "8000"))
SERVICE_PORT = int(_setting("HNSCC_HUB_SERVICE_PORT", "8890"))
LIVE_PORT = int(_setting("HNSCC_HUB_LIVE_PORT", "8891"))

# -- the hub and its proxy -----------------------------------------------------------------------------------------
c.JupyterHub.ip = IP
c.JupyterHub.port = PORT
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(_setting("HNSCC_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{_setting('HNSCC_HUB_PROXY_API_PORT', '8001')}"
proxy = _setting("HNSCC_HUB_PROXY", "")
if proxy:
    c.ConfigurableHTTPProxy.command = [proxy]
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"  # the hub's own records, not the course store
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # a stopped hub stops the learners' servers (their answers are in the store)

# -- who may sign in -----------------------------------------------------------------------------------------------
DIRECTORS = {name.strip() for name in _setting("HNSCC_HUB_DIRECTORS", "director").split(",") if name.strip()}
AUTH = _setting("HNSCC_HUB_AUTH", "native")
if AUTH == "native":
    # "Log in or register": anyone may ask for an account at /hub/signup; a course director approves it at
    # /hub/authorize before it can sign in. Directors named above are approved when they register.
    c.JupyterHub.authenticator_class = "native"
    c.NativeAuthenticator.open_signup = False
    c.NativeAuthenticator.minimum_password_length = 10
    c.NativeAuthenticator.check_common_password = True
elif AUTH == "shared":
    # One password for every learner (a try-out, a workshop room); directors use the separate admin password.
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ["HNSCC_HUB_PASSWORD"]
    admin_password = os.environ.get("HNSCC_HUB_ADMIN_PASSWORD", "")
    if admin_password:
        c.SharedPasswordAuthenticator.admin_password = admin_password
elif AUTH == "lti13":
    # Launched from the LMS (LTI 1.3): the platform's issuer, its OIDC login endpoint and its public keys, and the
    # client id it gave this tool. The learner's LMS id (`sub`) becomes the hub user and the course's learner id;
    # instructors become course directors; a launch used twice is refused (hnscc_edu.lti). The launch claims are kept
    # encrypted as the user's auth state (JUPYTERHUB_CRYPT_KEY: `openssl rand -hex 32`), for grade passback.
    from hnscc_edu import lti

    if not os.environ.get("JUPYTERHUB_CRYPT_KEY"):
        raise SystemExit("HNSCC_HUB_AUTH=lti13 needs JUPYTERHUB_CRYPT_KEY (openssl rand -hex 32) to keep launch claims")
    c.JupyterHub.authenticator_class = "ltiauthenticator.lti13.auth.LTI13Authenticator"
    c.LTI13Authenticator.issuer = os.environ["HNSCC_LTI_ISSUER"]
    c.LTI13Authenticator.authorize_url = os.environ["HNSCC_LTI_AUTHORIZE_URL"]
    c.LTI13Authenticator.jwks_endpoint = os.environ["HNSCC_LTI_JWKS_URL"]
    c.LTI13Authenticator.client_id = [os.environ["HNSCC_LTI_CLIENT_ID"]]
    c.LTI13Authenticator.username_key = "sub"
    c.Authenticator.enable_auth_state = True
    c.Authenticator.manage_groups = True  # groups come from each launch's roles
    c.Authenticator.post_auth_hook = lti.launch_hook(STATE / "lti-nonces.sqlite3")
else:
    raise SystemExit(f"HNSCC_HUB_AUTH={AUTH!r}: use 'native', 'shared' or 'lti13'")
c.Authenticator.allow_all = True  # JupyterHub 5 lets nobody in without an allow rule; approval is the gate
c.Authenticator.admin_users = DIRECTORS if AUTH != "lti13" else set()

# -- each learner's server: JupyterLab and Voila, opening on the course's start page ---------------------------------
# SimpleLocalProcessSpawner runs every learner's server as the hub's own system user, in a home folder of its own: right
# for one server and a class that trusts its machine. For separate system users use TLJH (SystemdSpawner); for
# thousands, Zero to JupyterHub (KubeSpawner: one container per learner, deploy/z2jh-values.yaml).
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "home" / "{username}")
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.args = ["--allow-root"] if os.geteuid() == 0 else []
c.Spawner.notebook_dir = str(COURSE)
c.Spawner.default_url = "/voila/render/notebooks/00_start_here.ipynb"
c.Spawner.start_timeout = 180  # a burst of learners on 2 cores (benchmarks/hub.py)
c.Spawner.http_timeout = 180
# Measured (benchmarks/hub.py; README, "Sizing"): about 137 MiB per idle server, 241 MiB with the start page open. Only
# container spawners enforce these; they size Kubernetes requests in deploy/z2jh-values.yaml.
c.Spawner.mem_guarantee = "300M"
c.Spawner.mem_limit = "1G"
# The learner's kernels reach the course service directly (loopback) and prove who they are with their hub token.
# Nothing else of the hub's environment is passed on: Spawner.env_keep keeps its default (PATH, LANG, ...), which
# never includes HNSCC_EDU_DB_URL or HNSCC_EDU_KEY_DIR.
c.Spawner.environment = {
    "HNSCC_EDU_SERVICE_URL": f"http://127.0.0.1:{SERVICE_PORT}/services/hnscc/",
    "HNSCC_EDU_LIVE_SERVICE_URL": f"http://127.0.0.1:{LIVE_PORT}/services/hnscc-live/",
    "HNSCC_EDU_COURSE_ROOT": str(COURSE),
}
PUBLIC_LIVE_URL = os.environ.get("HNSCC_EDU_LIVE_PUBLIC_URL", "")
if PUBLIC_LIVE_URL:
    c.Spawner.environment["HNSCC_EDU_LIVE_PUBLIC_URL"] = PUBLIC_LIVE_URL

# -- the course server: the one process that holds the store -------------------------------------------------------
store_url = os.environ.pop("HNSCC_EDU_DB_URL", "") or f"sqlite:///{STATE / 'course.sqlite3'}"
service_environment = {
    "HNSCC_EDU_DB_URL": store_url,
    "HNSCC_EDU_COURSE_ROOT": str(COURSE),
    "HNSCC_EDU_KEY_DIR": os.environ.pop("HNSCC_EDU_KEY_DIR", "") or str(STATE / "keys"),
}
for shared_setting in (
    "HNSCC_EDU_LIVE_PUBLIC_URL",
    "HNSCC_EDU_DIRECTOR_GROUP",
    "HNSCC_EDU_LIVE_JOIN_BURST",
    "HNSCC_EDU_LIVE_JOIN_RATE",
    "HNSCC_EDU_IDLE_SECONDS",
    "HNSCC_EDU_LIVE_IDLE_HOURS",
):
    if os.environ.get(shared_setting):
        service_environment[shared_setting] = os.environ[shared_setting]
# the live-poll server: the same store, none of the course server's keys or private banks
live_environment = {key: service_environment[key] for key in service_environment if key not in ("HNSCC_EDU_KEY_DIR",)}
private = os.environ.pop("HNSCC_EDU_PRIVATE_CONTENT", "")
if private:
    service_environment["HNSCC_EDU_PRIVATE_CONTENT"] = private
if AUTH == "lti13" and os.environ.get("HNSCC_LTI_TOKEN_URL"):
    # grade passback: the platform's OAuth token endpoint, and the client id the assertion names
    service_environment["HNSCC_LTI_TOKEN_URL"] = os.environ["HNSCC_LTI_TOKEN_URL"]
    service_environment["HNSCC_LTI_CLIENT_ID"] = os.environ["HNSCC_LTI_CLIENT_ID"]
CULL_TIMEOUT = int(_setting("HNSCC_HUB_CULL_TIMEOUT", "3600"))
CULL_EVERY = int(_setting("HNSCC_HUB_CULL_EVERY", "300"))
c.JupyterHub.services = [
    {  # /services/hnscc/: the course service (answers, path, certificates, the director's report), certificate pages
        "name": "hnscc",
        "url": f"http://127.0.0.1:{SERVICE_PORT}",
        "command": [sys.executable, "-m", "hnscc_edu.hub_service", "--auth", "hub"],
        "cwd": str(COURSE),
        "environment": service_environment,
        "oauth_no_confirm": True,
    },
    {  # /services/hnscc-live/: the live polls (phones, projectors, presenters' dashboards), in a process of their own
        # so that a hall of phones voting at once never slows the course server that learners' dashboards wait on
        "name": "hnscc-live",
        "url": f"http://127.0.0.1:{LIVE_PORT}",
        "command": [sys.executable, "-m", "hnscc_edu.hub_live", "--auth", "hub"],
        "cwd": str(COURSE),
        "environment": live_environment,
    },
    {  # stops learners' servers that have been idle (their answers are stored; a new visit resumes)
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={CULL_TIMEOUT}",
            f"--cull-every={CULL_EVERY}",
        ],
    },
]
if AUTH != "lti13":  # with LTI the launches set the groups (manage_groups)
    c.JupyterHub.load_groups = {
        os.environ.get("HNSCC_EDU_DIRECTOR_GROUP") or "course-directors": {"users": sorted(DIRECTORS)}
    }
c.JupyterHub.load_roles = [
    # learners may use the course service from their browser (hub login) as well as from their kernels (token)
    {"name": "user", "scopes": ["self", "access:services!service=hnscc", "access:services!service=hnscc-live"]},
    {
        "name": "idle-culler",
        "services": ["idle-culler"],
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    },
    # the course service asks the hub who a token belongs to and whether they are a course director
    # (and, launched from an LMS, reads each learner's launch for the gradebook line item of their score)
    {
        "name": "hnscc-service",
        "services": ["hnscc"],
        "scopes": ["read:users", "list:users", "read:groups", *(["admin:auth_state"] if AUTH == "lti13" else [])],
    },
]
