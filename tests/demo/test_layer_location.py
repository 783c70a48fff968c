"""The layer-content shim: GetLayerVersion's Location downloads the zip that was published."""

from __future__ import annotations

import httpx

from lambda_specialist.aws.context import AwsContext
from lambda_specialist.demo.broken_layer import broken_layer_package
from lambda_specialist.demo.shims import installed_shims


def test_the_location_of_a_layer_version_serves_its_zip(ctx: AwsContext) -> None:
    answer = ctx.call("lambda", "get_layer_version", LayerName="vision-deps", VersionNumber=1)

    response = httpx.get(answer["Content"]["Location"], timeout=10)

    assert (response.status_code, response.content) == (200, broken_layer_package())


def test_an_unknown_layer_version_location_is_not_found(ctx: AwsContext) -> None:
    answer = ctx.call("lambda", "get_layer_version", LayerName="vision-deps", VersionNumber=1)
    location = answer["Content"]["Location"].rsplit("/", 1)[0] + "/42"

    assert httpx.get(location, timeout=10).status_code == 404


def test_the_shim_is_installed_with_the_others() -> None:
    assert "layer-content-location" in installed_shims()
