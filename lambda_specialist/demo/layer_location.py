"""The moto shim that lets a layer version's code be downloaded, as from AWS.

The gap: moto 5.2's ``LayerVersion.get_layer_version`` answers ``Content.Location: "s3://"``
for every layer version, a value nothing can download, although moto keeps the zip it was
given (``LayerVersion.code_bytes``). AWS answers a pre-signed HTTPS URL, valid for ten
minutes, from which the layer doctor downloads the zip. This shim serves each layer
version's stored zip from the embedded server at
``/lambda_<region>/layer-content/<account>/<name>/<version>`` (a path moto's dispatcher
routes to its Lambda backend without a signature) and puts that URL in
GetLayerVersion's ``Content.Location``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, unquote

__all__ = ["CONTENT_PATH", "serve_layer_content"]

CONTENT_PATH = (
    r"{0}/lambda_(?P<region>[a-z0-9-]+)/layer-content/(?P<account>\d+)/"
    r"(?P<layer_name>[\w-]+)/(?P<version>\d+)$"
)
_SHIM = "layer-content-location"


def serve_layer_content() -> None:
    """Serve stored layer zips and point GetLayerVersion's ``Content.Location`` at them.

    Install it before the server's first Lambda request: the server builds its Lambda URL map
    then.
    """
    from moto.awslambda import urls
    from moto.awslambda.responses import LambdaResponse

    from lambda_specialist.demo.shims import _INSTALLED, _install, _Patch

    if _SHIM in _INSTALLED:
        return
    original = LambdaResponse.get_layer_version

    def get_layer_version(self: Any) -> str:
        answer = json.loads(original(self))
        name = str(answer["LayerArn"]).rsplit(":", 1)[-1]
        host = self.headers.get("Host", "localhost")
        answer["Content"]["Location"] = (
            f"http://{host}/lambda_{self.region}/layer-content/{self.current_account}/"
            f"{quote(name)}/{answer['Version']}"
        )
        return json.dumps(answer)

    _install(
        _SHIM,
        [
            _Patch(urls.url_paths, CONTENT_PATH, _layer_content),
            _Patch(LambdaResponse, "get_layer_version", get_layer_version),
        ],
    )


def _layer_content(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], bytes]:
    from moto.awslambda.utils import get_backend

    parts = unquote(full_url.split("?", 1)[0]).rstrip("/").split("/")
    region, account, name, version = (
        parts[-5].removeprefix("lambda_"),
        parts[-3],
        parts[-2],
        parts[-1],
    )
    try:
        layer = get_backend(account, region).get_layer_version(name, version)
    except Exception:  # moto raises its own not-found types; any miss is a 404 here
        return 404, {"Content-Type": "text/plain"}, b"NoSuchKey"
    body = bytes(layer.code_bytes)
    return 200, {"Content-Type": "application/zip", "Content-Length": str(len(body))}, body
