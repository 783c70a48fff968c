"""The layer doctor finds each planted problem in published layers and local zips."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from lambda_specialist.aws.content import download_content
from lambda_specialist.aws.context import AwsContext, ClientFactory
from lambda_specialist.demo.broken_layer import EM_X86_64, broken_layer_package, shared_object
from lambda_specialist.demo.server import MockAccount
from lambda_specialist.errors import InvalidInputError, ResourceNotFoundError
from lambda_specialist.tools.layers.content import read_zip
from lambda_specialist.tools.layers.doctor import (
    LayerInspection,
    inspect_layer,
    inspect_local_layer,
)
from lambda_specialist.tools.layers.findings import duplicate_packages


def download(location: str, what: str) -> bytes:
    return download_content(location, what=what)


def summary(result: LayerInspection) -> list[tuple[str, str]]:
    return [(f.id, f.title) for f in result.findings]


def layer_zip(files: dict[str, bytes], mode: int = 0o644) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in files.items():
            info = zipfile.ZipInfo(path)
            info.external_attr = mode << 16
            archive.writestr(info, data)
    return buffer.getvalue()


@pytest.fixture
def ctx(factory: ClientFactory) -> AwsContext:
    return factory.context()


@pytest.fixture
def writable(fresh_account: MockAccount) -> Iterator[AwsContext]:
    yield ClientFactory(fresh_account.settings()).context()


def publish(ctx: AwsContext, name: str, data: bytes, runtimes: list[str]) -> str:
    answer = ctx.call(
        "lambda",
        "publish_layer_version",
        LayerName=name,
        Content={"ZipFile": data},
        CompatibleRuntimes=runtimes,
    )
    return str(answer["LayerVersionArn"])


def test_the_demo_function_layer_is_diagnosed_with_every_planted_problem(ctx: AwsContext) -> None:
    result = inspect_layer(ctx, download, function_name="image-labeler")

    assert (result.targets, summary(result), result.not_evaluated) == (
        ["python3.11/arm64"],
        [
            ("LY-04", "Native code built for another CPU architecture"),
            ("LY-04", "Native code needs a newer glibc than the runtime has"),
            ("LY-04", "Extension modules built for another Python version"),
            ("LY-06", "Layer bundles the AWS SDK the runtime already provides"),
        ],
        [],
    )
    assert result.findings[3].evidence["bundled"] == ["botocore==1.29.0"]


def test_a_healthy_layer_checked_against_its_declared_runtimes_has_no_findings(
    ctx: AwsContext,
) -> None:
    result = inspect_layer(ctx, download, layer="shared-deps:1")

    assert (result.targets, result.findings) == (["python3.12/x86_64", "python3.13/x86_64"], [])


def test_a_layer_without_python_folder_and_unreadable_files_breaks_the_layout(
    writable: AwsContext,
) -> None:
    data = layer_zip({"requests/__init__.py": b"", "python/ok.py": b""}, mode=0o600)
    arn = publish(writable, "flat-layout", data, ["python3.12"])

    result = inspect_layer(writable, download, layer=arn)

    assert summary(result) == [
        ("LY-05", "Layer code sits outside the folders the runtime searches"),
        ("LY-05", "Layer files are not world-readable"),
    ]
    assert result.findings[0].evidence["misplaced"] == ["requests/__init__.py"]


def test_the_same_package_in_two_layers_of_a_function_is_reported(writable: AwsContext) -> None:
    first = publish(writable, "deps-a", layer_zip({"python/six.py": b""}), ["python3.12"])
    second = publish(writable, "deps-b", layer_zip({"python/six.py": b""}), ["python3.12"])
    role = writable.call("lambda", "get_function_configuration", FunctionName="orders-api")["Role"]
    writable.call(
        "lambda",
        "create_function",
        FunctionName="two-layers",
        Runtime="python3.12",
        Role=role,
        Handler="app.handler",
        Code={"ZipFile": layer_zip({"app.py": b"def handler(e, c):\n    return 1\n"})},
        Layers=[first, second],
    )

    result = inspect_layer(writable, download, function_name="two-layers")

    assert summary(result) == [("LY-07", "The same package is in several layers")]
    assert result.findings[0].evidence["packages"] == ["six"]


def test_a_local_zip_is_checked_against_the_given_target(tmp_path: Path) -> None:
    path = tmp_path / "layer.zip"
    path.write_bytes(broken_layer_package())

    result = inspect_local_layer(str(path), runtime="python3.12", architecture="x86_64")

    assert (result.context, summary(result)) == (
        None,
        [("LY-06", "Layer bundles the AWS SDK the runtime already provides")],
    )


def test_a_local_zip_without_a_target_lists_the_native_check_as_not_evaluated(
    tmp_path: Path,
) -> None:
    path = tmp_path / "layer.zip"
    path.write_bytes(layer_zip({"python/x.so": shared_object(machine=EM_X86_64)}))

    result = inspect_local_layer(str(path))

    assert ([n.check_id for n in result.not_evaluated], result.findings) == (["LY-04"], [])


def test_a_missing_layer_version_is_a_not_found_error(ctx: AwsContext) -> None:
    with pytest.raises(ResourceNotFoundError):
        inspect_layer(ctx, download, layer="shared-deps:99")


@pytest.mark.parametrize(
    "arguments",
    [{}, {"layer": "shared-deps:1", "function_name": "orders-api"}, {"layer": "not a layer"}],
)
def test_ambiguous_or_malformed_references_are_refused(
    ctx: AwsContext, arguments: dict[str, str]
) -> None:
    with pytest.raises(InvalidInputError):
        inspect_layer(ctx, download, **arguments)


def test_a_function_without_layers_is_refused(ctx: AwsContext) -> None:
    with pytest.raises(InvalidInputError):
        inspect_layer(ctx, download, function_name="orders-api")


def test_a_package_whose_import_name_differs_by_underscore_is_not_a_duplicate(
    tmp_path: Path,
) -> None:
    path = tmp_path / "one.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("python/charset_normalizer/__init__.py", "")
        archive.writestr(
            "python/charset_normalizer-3.4.2.dist-info/METADATA",
            "Metadata-Version: 2.1\nName: charset-normalizer\nVersion: 3.4.2\n",
        )

    assert duplicate_packages([(str(path), read_zip(path))]) == []
