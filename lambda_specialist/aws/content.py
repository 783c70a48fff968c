"""Download the code of a layer version from the pre-signed URL Lambda returns for it."""

from __future__ import annotations

import logging

import httpx

from lambda_specialist.errors import EndpointError, UnsupportedOperationError

__all__ = ["MAX_CONTENT_BYTES", "download_content"]

logger = logging.getLogger(__name__)

# Code plus layers may not exceed 250 MB unzipped, so no layer zip is larger than this.
MAX_CONTENT_BYTES = 262_144_000
_TIMEOUT = httpx.Timeout(60.0, connect=10.0)


def download_content(location: str, *, what: str) -> bytes:
    """Return the bytes at ``location`` (``Content.Location`` of GetLayerVersion).

    The URL is pre-signed and carries a temporary signature: it is never logged or returned.

    Args:
        location: The pre-signed HTTPS URL (an HTTP URL on a local endpoint).
        what: The resource, for messages (a layer version ARN).

    Raises:
        UnsupportedOperationError: The endpoint returned no downloadable URL.
        EndpointError: The download failed, timed out or was larger than any layer can be.
    """
    if not location.startswith(("https://", "http://")):
        raise UnsupportedOperationError(
            f"The endpoint returned no downloadable location for {what} (got "
            f"'{location.split('?', 1)[0][:40]}'). Download the layer zip another way and pass "
            "its local path instead.",
            operation="GetLayerVersion",
        )
    try:
        with (
            httpx.Client(timeout=_TIMEOUT, follow_redirects=True) as client,
            client.stream("GET", location) as response,
        ):
            response.raise_for_status()
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_CONTENT_BYTES:
                    raise EndpointError(
                        f"The content of {what} is larger than 250 MB, more than any "
                        "layer can be; it was not downloaded."
                    )
                chunks.append(chunk)
    except httpx.HTTPStatusError as exc:
        raise EndpointError(
            f"Downloading the content of {what} failed with HTTP {exc.response.status_code}. "
            "The pre-signed URL is valid for 10 minutes: run the tool again."
        ) from exc
    except httpx.HTTPError as exc:
        raise EndpointError(
            f"Downloading the content of {what} failed ({type(exc).__name__}). Check the network "
            "and run the tool again."
        ) from exc
    logger.info("layer content: downloaded %d bytes", size)
    return b"".join(chunks)
