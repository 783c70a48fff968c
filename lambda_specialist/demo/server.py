"""The embedded mock account: moto's server in this process, on loopback, shimmed and seeded."""

from __future__ import annotations

import json
import logging
import os
import time
import urllib.request
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any

from lambda_specialist.aws.context import AwsContext, ClientFactory
from lambda_specialist.config import Settings
from lambda_specialist.demo.shims import install_shims, remove_shims

if TYPE_CHECKING:
    from lambda_specialist.demo.scenario import SeedReport

__all__ = ["MockAccount", "start_seeded"]

logger = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
ACCOUNT_ID = "123456789012"
# Environment the server needs while it runs, restored on stop. Loading the AWS managed IAM
# policies must be on before the IAM backend is built. Pinning the account ID stops moto from
# looking each request's access key up in the IAM backend of every partition (aws, aws-cn,
# aws-us-gov, ...), which builds the managed policies once per partition: about a second on
# the first request after every start and reset.
SERVER_ENV = {
    "MOTO_IAM_LOAD_MANAGED_POLICIES": "true",
    "MOTO_ACCOUNT_ID": ACCOUNT_ID,
}
# Lambda without Docker: invoke answers from a stub instead of running a container. It is a
# separate backend in moto, so it must be chosen before the first function is created.
MOTO_CONFIG: dict[str, Any] = {"lambda": {"use_docker": False}}
_QUIET_LOGGERS = ("werkzeug",)
_API_TIMEOUT = 10.0


class MockAccount:
    """Run moto's server in this process as a fake AWS account, for the demo and tests.

    The server listens on 127.0.0.1 on a free port, loads the AWS managed IAM policies, runs
    Lambda without Docker and carries the shims from ``lambda_specialist.demo.shims``. moto
    keeps its state per process, so run one account per process and ``reset()`` it between
    uses that need a clean account. Nothing is written to stdout.

    Environment variables: sets ``MOTO_IAM_LOAD_MANAGED_POLICIES=true`` and
    ``MOTO_ACCOUNT_ID=123456789012`` while running and restores the previous values on
    ``stop()``.

    Example::

        with MockAccount() as account:
            account.seed()
            functions = account.context().call("lambda", "list_functions")
    """

    def __init__(self, *, region: str = "us-east-1") -> None:
        self.region = region
        self.seed_report: SeedReport | None = None
        self._server: Any = None
        self._endpoint_url: str | None = None
        self._factory: ClientFactory | None = None
        self._previous_env: dict[str, str | None] = {}
        self._own_shims: tuple[str, ...] = ()

    @property
    def endpoint_url(self) -> str:
        """The server's base URL, such as ``http://127.0.0.1:49152``."""
        if self._endpoint_url is None:
            raise RuntimeError("The mock account is not running; call start() first.")
        return self._endpoint_url

    @property
    def is_running(self) -> bool:
        """Whether the server is running."""
        return self._endpoint_url is not None

    def start(self) -> MockAccount:
        """Start the server, configure it and return this account (already running: no-op)."""
        if self.is_running:
            return self
        started = time.perf_counter()
        from moto.server import ThreadedMotoServer

        _silence_server_logs()
        self._previous_env = {name: os.environ.get(name) for name in SERVER_ENV}
        os.environ.update(SERVER_ENV)
        self._own_shims = install_shims()

        self._server = ThreadedMotoServer(ip_address=LOOPBACK, port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self._endpoint_url = f"http://{host}:{port}"
        try:
            self._post("/moto-api/config", MOTO_CONFIG)
        except BaseException:
            self.stop()
            raise
        logger.info(
            "mock account: started at %s in %.0f ms",
            self._endpoint_url,
            (time.perf_counter() - started) * 1000,
        )
        return self

    def settings(self, **overrides: Any) -> Settings:
        """Return settings that point every AWS client at this account."""
        values: dict[str, Any] = {
            "mock": True,
            "endpoint_url": self.endpoint_url,
            "region": self.region,
        }
        values.update(overrides)
        return Settings(**values)

    def context(self) -> AwsContext:
        """Return an AWS context for this account (clients are created once and cached)."""
        if self._factory is None:
            self._factory = ClientFactory(self.settings())
        return self._factory.context()

    def seed(self, *, now: datetime | None = None) -> SeedReport:
        """Seed the Tidewater Goods scenario into this account and remember the report."""
        from lambda_specialist.demo.scenario import seed

        self.seed_report = seed(self.context(), now=now)
        return self.seed_report

    def reset(self) -> None:
        """Delete everything in the account, then re-apply the server configuration."""
        self._post("/moto-api/reset", {})
        self._post("/moto-api/config", MOTO_CONFIG)
        self.seed_report = None

    def stop(self) -> None:
        """Stop the server and restore the environment (not running: no-op)."""
        if not self.is_running:
            return
        if self._factory is not None:
            self._factory.close()
            self._factory = None
        self._server.stop()
        self._server = None
        self._endpoint_url = None
        remove_shims(self._own_shims)
        self._own_shims = ()
        for name, value in self._previous_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        logger.info("mock account: stopped")

    def __enter__(self) -> MockAccount:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _post(self, path: str, body: dict[str, Any]) -> None:
        request = urllib.request.Request(
            self.endpoint_url + path,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=_API_TIMEOUT) as response:
            response.read()


def start_seeded(region: str = "us-east-1", *, now: datetime | None = None) -> MockAccount:
    """Start a mock account, seed the Tidewater Goods scenario and return the running account.

    Args:
        region: The region to seed.
        now: The end of the seeded fortnight of logs and metrics; the current hour if None.

    Returns:
        The running account; ``seed_report`` holds what was seeded. Call ``stop()`` when done.
    """
    account = MockAccount(region=region).start()
    try:
        account.seed(now=now)
    except BaseException:
        account.stop()
        raise
    return account


def _silence_server_logs() -> None:
    # werkzeug logs every request and would add its own stream handler; the MCP stdio
    # transport owns stdout, so the server must stay quiet.
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
