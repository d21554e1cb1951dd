# hnscc-edu on The Littlest JupyterHub (TLJH): what the course adds to TLJH's own JupyterHub configuration.
#
# Who reads this: the person who runs one TLJH server for a class. Copy this file to
# /opt/tljh/config/jupyterhub_config.d/hnscc_edu.py and run `sudo tljh-config reload`; TLJH loads it after its own
# settings. The README ("The Littlest JupyterHub") has the whole recipe.
#
# TLJH keeps what is its own: the ports and the proxy (Traefik), the spawner (a system user per learner, with the
# memory limit of `tljh-config set limits.memory`), the authenticator (`tljh-config set auth.type ...`) and the idle
# culler (`tljh-config set services.cull.timeout ...`). This file chooses or changes none of them; it adds (a
# mistake in its settings stops the hub with a message in `sudo journalctl -u jupyterhub`):
#
#   - the course server as the hub service "hnscc" (/services/hnscc/) and the live-poll server as the hub service
#     "hnscc-live" (/services/hnscc-live/: phones, projectors, presenters' dashboards, in a process of their own so a
#     hall voting never slows the course server), both run with the Python of TLJH's user environment
#     (/opt/tljh/user), where the course package is installed;
#   - learners' servers: the course folder as their root, the rendered start page as their first page, and the
#     addresses of the course server and the live-poll server (never the store's);
#   - the roles and the group "course-directors" of deploy/jupyterhub_config.py;
#   - with LTI 1.3 chosen in tljh-config (auth.type): the platform's addresses and the tool's client id (from the
#     settings below, as deploy/jupyterhub_config.py takes them: tljh-config would turn a numeric client id into a
#     number, which the authenticator refuses), the launch hook of hnscc_edu.lti (course directors from
#     instructors' launches, replayed launches refused), kept launch claims (auth state) and the cookies an LMS on
#     another site needs.
#
# Its settings are read from a root-only file, /opt/tljh/config/hnscc-edu.env (KEY=VALUE lines, # comments; the
# folder is root-only already; `chmod 600` the file too). Template: deploy/tljh/hnscc-edu.env.example. Every key is
# optional:
#
#   HNSCC_EDU_COURSE_ROOT     the course folder (the repository's copy): /srv/hnscc-edu
#   HNSCC_EDU_DB_URL          the course store: sqlite:////opt/tljh/state/hnscc-edu/course.sqlite3, or a PostgreSQL
#                             URL (postgresql+psycopg://user:pw@host/db); given to the course and live-poll servers
#                             only
#   HNSCC_EDU_KEY_DIR         the certificate signing key's folder: /opt/tljh/state/hnscc-edu/keys (course server only)
#   HNSCC_EDU_PRIVATE_CONTENT the private post-test pool (course server only)
#   HNSCC_EDU_LIVE_PUBLIC_URL https://<hub>/services/hnscc-live, the live-poll server as phones reach it
#   HNSCC_EDU_DIRECTOR_GROUP  the hub group of course directors: course-directors
#   HNSCC_EDU_LIVE_JOIN_BURST, HNSCC_EDU_LIVE_JOIN_RATE, HNSCC_EDU_LIVE_IDLE_HOURS   the live-poll server's join
#                             limits and how long a session lives without its presenter, as in
#                             deploy/jupyterhub_config.py and the README
#   HNSCC_EDU_IDLE_SECONDS    how long the course and live-poll servers keep an idle connection: 60
#   HNSCC_HUB_DIRECTORS       comma-separated hub user names put in that group (not LTI: there, launches set it)
#   HNSCC_HUB_SERVICE_PORT, HNSCC_HUB_LIVE_PORT   the loopback ports of the course server (8890) and the live-poll
#                             server (8891)
#   HNSCC_EDU_PYTHON          the Python that runs both: /opt/tljh/user/bin/python
#   LTI 1.3 only, required:
#   HNSCC_LTI_ISSUER, HNSCC_LTI_AUTHORIZE_URL, HNSCC_LTI_JWKS_URL, HNSCC_LTI_CLIENT_ID   the platform's issuer, OIDC
#                             login endpoint and key set, and the client id it gave this tool
#   JUPYTERHUB_CRYPT_KEY      the key that encrypts launch claims (openssl rand -hex 32)
#   LTI 1.3 grade passback, optional:
#   HNSCC_LTI_TOKEN_URL       the platform's OAuth 2 token endpoint
#
# The file is a traitlets config snippet: TLJH loads it into a configuration of its own and merges that into its
# main one, so lists and dicts below are extended (services, roles, the spawner's environment), never replaced:
# TLJH's idle culler stays the only culler.

import os
from pathlib import Path

# TLJH's own folders (its hub runs with TLJH_INSTALL_PREFIX set, /opt/tljh unless installed elsewhere)
TLJH = Path(os.environ.get("TLJH_INSTALL_PREFIX") or "/opt/tljh")
SETTINGS_FILE = TLJH / "config" / "hnscc-edu.env"
STATE = TLJH / "state" / "hnscc-edu"  # TLJH's state folder is root-only
SERVICE_NAME = "hnscc"
LIVE_SERVICE_NAME = "hnscc-live"
START_PAGE = "/voila/render/notebooks/00_start_here.ipynb"


def read_settings(path):
    """KEY=VALUE lines of ``path`` (blank lines and # comments skipped, quotes around a value removed); {} when the
    file does not exist."""
    settings = {}
    if not path.exists():
        return settings
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, equals, value = line.partition("=")
        if not equals or not key.strip():
            raise SystemExit(f"{path}, line {number}: expected KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        settings[key.strip()] = value
    return settings


def tljh_authenticator():
    """The authenticator chosen with `tljh-config set auth.type ...`, as TLJH reads it ("" when tljh is absent)."""
    try:
        from tljh.configurer import load_config
    except ImportError:
        return ""
    return str(load_config()["auth"]["type"])


def configure(c, settings, authenticator):
    """Add the course to the JupyterHub configuration ``c``."""
    course = settings.get("HNSCC_EDU_COURSE_ROOT") or "/srv/hnscc-edu"
    python = settings.get("HNSCC_EDU_PYTHON") or str(TLJH / "user" / "bin" / "python")
    port = int(settings.get("HNSCC_HUB_SERVICE_PORT") or "8890")
    live_port = int(settings.get("HNSCC_HUB_LIVE_PORT") or "8891")
    group = settings.get("HNSCC_EDU_DIRECTOR_GROUP") or "course-directors"
    lti = "LTI13Authenticator" in authenticator
    STATE.mkdir(mode=0o700, parents=True, exist_ok=True)  # the default store, key folder and launch record live here

    # -- the course server: the one process given the signing key; and the live-poll server, on the same store ------
    store = settings.get("HNSCC_EDU_DB_URL") or f"sqlite:///{STATE / 'course.sqlite3'}"
    environment = {
        "HNSCC_EDU_DB_URL": store,
        "HNSCC_EDU_KEY_DIR": settings.get("HNSCC_EDU_KEY_DIR") or str(STATE / "keys"),
        "HNSCC_EDU_COURSE_ROOT": course,
    }
    course_settings = ["HNSCC_EDU_PRIVATE_CONTENT", "HNSCC_EDU_DIRECTOR_GROUP", "HNSCC_EDU_IDLE_SECONDS"]
    if lti and settings.get("HNSCC_LTI_TOKEN_URL"):  # grade passback: the token endpoint and the tool's client id
        course_settings += ["HNSCC_LTI_TOKEN_URL", "HNSCC_LTI_CLIENT_ID"]
    environment.update({name: settings[name] for name in course_settings if settings.get(name)})
    # no signing key, private pool or LTI setting: phones reach this one
    live_environment = {"HNSCC_EDU_DB_URL": store, "HNSCC_EDU_COURSE_ROOT": course}
    live_settings = [
        "HNSCC_EDU_LIVE_PUBLIC_URL",
        "HNSCC_EDU_DIRECTOR_GROUP",
        "HNSCC_EDU_LIVE_JOIN_BURST",
        "HNSCC_EDU_LIVE_JOIN_RATE",
        "HNSCC_EDU_LIVE_IDLE_HOURS",
        "HNSCC_EDU_IDLE_SECONDS",
    ]
    live_environment.update({name: settings[name] for name in live_settings if settings.get(name)})
    c.JupyterHub.services.extend(
        [
            {
                "name": SERVICE_NAME,
                "url": f"http://127.0.0.1:{port}",
                "command": [python, "-m", "hnscc_edu.hub_service", "--auth", "hub"],
                "cwd": course,
                "environment": environment,
                "oauth_no_confirm": True,
            },
            {  # no hub rights of its own: it checks a presenter's hub token by asking the hub with that token
                "name": LIVE_SERVICE_NAME,
                "url": f"http://127.0.0.1:{live_port}",
                "command": [python, "-m", "hnscc_edu.hub_live", "--auth", "hub"],
                "cwd": course,
                "environment": live_environment,
            },
        ]
    )

    # -- each learner's server: the course folder, the start page, the course and live-poll servers' addresses ------
    # (replaces TLJH's default page, so `tljh-config set user_environment.default_app` no longer applies)
    c.Spawner.notebook_dir = course
    c.Spawner.default_url = START_PAGE
    learner_environment = {
        "HNSCC_EDU_SERVICE_URL": f"http://127.0.0.1:{port}/services/{SERVICE_NAME}/",
        "HNSCC_EDU_LIVE_SERVICE_URL": f"http://127.0.0.1:{live_port}/services/{LIVE_SERVICE_NAME}/",
        "HNSCC_EDU_COURSE_ROOT": course,
    }
    if settings.get("HNSCC_EDU_LIVE_PUBLIC_URL"):
        learner_environment["HNSCC_EDU_LIVE_PUBLIC_URL"] = settings["HNSCC_EDU_LIVE_PUBLIC_URL"]
    c.Spawner.environment.update(learner_environment)

    # -- roles and the course directors' group ----------------------------------------------------------------------
    # TLJH defines no roles of its own. The "user" role keeps JupyterHub's default scope ("self") and adds the course
    # and live-poll services; TLJH's culler keeps the admin rights TLJH gives it.
    c.JupyterHub.load_roles.extend(
        [
            {
                "name": "user",
                "scopes": [
                    "self",
                    f"access:services!service={SERVICE_NAME}",
                    f"access:services!service={LIVE_SERVICE_NAME}",
                ],
            },
            {
                "name": "hnscc-service",
                "services": [SERVICE_NAME],
                "scopes": ["read:users", "list:users", "read:groups", *(["admin:auth_state"] if lti else [])],
            },
        ]
    )
    if not lti:
        # TLJH's admins (users.admin) are course directors too, but they also get sudo on the machine: name course
        # directors here instead.
        names = settings.get("HNSCC_HUB_DIRECTORS", "").split(",")
        directors = sorted({name.strip() for name in names if name.strip()})
        c.JupyterHub.load_groups.update({group: {"users": directors}})
        return

    # -- LTI 1.3 (auth.type ltiauthenticator.lti13.auth.LTI13Authenticator in tljh-config) ----------------------------
    try:
        from hnscc_edu import lti as launches  # in TLJH's hub environment: see the README
    except ImportError as exc:
        raise SystemExit(
            "LTI 1.3 on TLJH needs the course package in the hub's environment "
            f"(/opt/tljh/hub/bin/python3 -m pip install ...): {exc}"
        ) from None
    needed = [
        "HNSCC_LTI_ISSUER",
        "HNSCC_LTI_AUTHORIZE_URL",
        "HNSCC_LTI_JWKS_URL",
        "HNSCC_LTI_CLIENT_ID",
        "JUPYTERHUB_CRYPT_KEY",
    ]
    missing = [name for name in needed if not settings.get(name)]
    if missing:
        raise SystemExit(f"LTI 1.3 needs {', '.join(missing)} in {SETTINGS_FILE} (the key: openssl rand -hex 32)")
    c.LTI13Authenticator.issuer = settings["HNSCC_LTI_ISSUER"]
    c.LTI13Authenticator.authorize_url = settings["HNSCC_LTI_AUTHORIZE_URL"]
    c.LTI13Authenticator.jwks_endpoint = settings["HNSCC_LTI_JWKS_URL"]
    c.LTI13Authenticator.client_id = [settings["HNSCC_LTI_CLIENT_ID"]]
    c.LTI13Authenticator.username_key = "sub"  # the learner's LMS id is the hub user and the course's learner id
    if settings.get("HNSCC_EDU_DIRECTOR_GROUP"):
        os.environ["HNSCC_EDU_DIRECTOR_GROUP"] = group  # the launch hook names the same group as the course server
    c.CryptKeeper.keys = [settings["JUPYTERHUB_CRYPT_KEY"]]
    c.Authenticator.enable_auth_state = True  # the launch claims: the gradebook line item for grade passback
    c.Authenticator.manage_groups = True  # groups come from each launch's roles
    c.Authenticator.post_auth_hook = launches.launch_hook(STATE / "lti-nonces.sqlite3")
    # the LMS is another site: its return to the hub carries the login cookies only if they are SameSite=None; Secure
    c.JupyterHub.tornado_settings.update({"cookie_options": {"samesite": "None", "secure": True}})


if "c" in globals():  # loaded by JupyterHub (TLJH's load_subconfig), not imported
    configure(c, read_settings(SETTINGS_FILE), tljh_authenticator())  # noqa: F821 - c is the config being loaded
