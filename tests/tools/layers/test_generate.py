"""generate_layer installs the right wheels into python/, refuses what would not load."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from lambda_specialist.errors import InvalidInputError, LayerBuildError
from lambda_specialist.tools.layers.generate import LayerBuild, generate_layer


def build(
    tmp: Path, requirements: str | list[str], runtime: str, arch: str, **kw: object
) -> LayerBuild:
    return generate_layer(
        requirements=requirements,
        runtime=runtime,
        architecture=arch,
        output_path=str(tmp / kw.pop("name", "layer.zip")),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def names(result: LayerBuild) -> list[str]:
    with zipfile.ZipFile(result.path) as archive:
        return archive.namelist()


def chosen_tag(result: LayerBuild, package: str) -> str:
    with zipfile.ZipFile(result.path) as archive:
        return archive.read(f"python/{package}/TAG").decode()


@pytest.mark.parametrize(
    ("runtime", "arch", "tag", "machine", "glibc"),
    [
        # AL2 (glibc 2.26): the 2_28 wheel is newer than the runtime, so the 2_17 one wins.
        (
            "python3.11",
            "x86_64",
            "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64",
            "x86_64",
            "2.17",
        ),
        # AL2023 (glibc 2.34): the newest wheel the runtime accepts wins.
        ("python3.12", "arm64", "cp312-cp312-manylinux_2_34_aarch64", "arm64 (aarch64)", "2.34"),
    ],
)
def test_each_runtime_and_architecture_gets_the_newest_wheel_it_can_load(
    offline_pip: Path, runtime: str, arch: str, tag: str, machine: str, glibc: str
) -> None:
    result = build(offline_pip, "tinynative==1.0", runtime, arch)

    [native] = result.native_libraries
    assert (chosen_tag(result, "tinynative"), native.machine, native.glibc, native.python_abi) == (
        tag,
        machine,
        glibc,
        runtime.removeprefix("python"),
    )


def test_a_runtime_with_no_matching_wheel_and_no_source_is_refused(offline_pip: Path) -> None:
    with pytest.raises(LayerBuildError, match="tinynative"):
        build(offline_pip, "tinynative==1.0", "python3.13", "x86_64")


@pytest.mark.parametrize(
    ("package", "runtime", "arch"),
    [("glibcliar", "python3.11", "x86_64"), ("archliar", "python3.12", "arm64")],
)
def test_a_wheel_whose_binary_breaks_its_tag_is_refused_naming_the_package(
    offline_pip: Path, package: str, runtime: str, arch: str
) -> None:
    with pytest.raises(LayerBuildError, match=package):
        build(offline_pip, package, runtime, arch)

    assert not (offline_pip / "layer.zip").exists()


def test_a_pure_python_sdist_is_built_here_and_installed(offline_pip: Path) -> None:
    result = build(offline_pip, "puresrc", "python3.12", "arm64")

    assert (result.built_from_source, "python/puresrc/__init__.py" in names(result)) == (
        ["puresrc"],
        True,
    )


def test_a_native_sdist_is_refused_with_the_container_advice(offline_pip: Path) -> None:
    with pytest.raises(LayerBuildError, match=r"nativesrc.*--use-container"):
        build(offline_pip, "nativesrc", "python3.12", "x86_64")


def test_slim_removes_byte_code_tests_and_docs_and_keeps_dist_info(offline_pip: Path) -> None:
    result = build(offline_pip, "purelib", "python3.12", "x86_64")

    assert sorted(names(result)) == [
        "python/purelib-2.0.dist-info/INSTALLER",
        "python/purelib-2.0.dist-info/METADATA",
        "python/purelib-2.0.dist-info/RECORD",
        "python/purelib-2.0.dist-info/REQUESTED",
        "python/purelib-2.0.dist-info/WHEEL",
        "python/purelib/TAG",
        "python/purelib/__init__.py",
    ]


def test_without_slim_every_installed_file_is_kept(offline_pip: Path) -> None:
    result = build(offline_pip, "purelib", "python3.12", "x86_64", slim=False)

    assert {
        "python/purelib/tests/test_it.py",
        "python/purelib/__pycache__/mod.cpython-312.pyc",
        "python/purelib/docs/index.txt",
    } <= set(names(result))


def test_two_builds_of_the_same_inputs_have_the_same_sha256(offline_pip: Path) -> None:
    first = build(offline_pip, ["tinynative==1.0", "purelib"], "python3.11", "x86_64", name="a.zip")
    second = build(
        offline_pip, ["tinynative==1.0", "purelib"], "python3.11", "x86_64", name="b.zip"
    )

    assert (first.sha256, first.code_sha256) == (second.sha256, second.code_sha256)
    assert Path(first.path).read_bytes() == Path(second.path).read_bytes()


def test_every_entry_has_the_fixed_timestamp_and_a_readable_mode(offline_pip: Path) -> None:
    result = build(offline_pip, "purelib", "python3.12", "x86_64")

    with zipfile.ZipFile(result.path) as archive:
        stamps = {(info.date_time, info.external_attr >> 16 & 0o777) for info in archive.infolist()}
    assert stamps == {((1980, 1, 1, 0, 0, 0), 0o644)}


def test_the_runtime_sdk_pulled_in_by_a_dependency_is_left_out(offline_pip: Path) -> None:
    result = build(offline_pip, "sdkuser", "python3.12", "x86_64")

    assert (result.excluded, [p.name for p in result.packages], result.warnings) == (
        ["botocore==1.40.0"],
        ["sdkuser"],
        [],
    )


def test_the_runtime_sdk_named_in_the_requirements_is_kept_with_a_warning(
    offline_pip: Path,
) -> None:
    result = build(offline_pip, ["sdkuser", "botocore==1.40.0"], "python3.12", "x86_64")

    assert (result.excluded, sorted(p.name for p in result.packages), len(result.warnings)) == (
        [],
        ["botocore", "sdkuser"],
        1,
    )


def test_the_default_output_is_a_new_zip_named_after_target_and_hash(offline_pip: Path) -> None:
    result = generate_layer(requirements="purelib", runtime="python3.12", architecture="arm64")

    assert Path(result.path) == offline_pip / f"layer-python3.12-arm64-{result.sha256[:12]}.zip"


@pytest.mark.parametrize(
    "arguments",
    [
        {"requirements": "--index-url http://example.invalid", "runtime": "python3.12"},
        {"requirements": "", "runtime": "python3.12"},
        {"requirements": "purelib", "runtime": "nodejs22.x"},
        {"requirements": "purelib", "runtime": "python3.12", "architecture": "ppc64"},
        {"requirements": "purelib", "runtime": "python2.7"},
        {"requirements": "purelib", "runtime": "python3.12", "output_path": "layer.tar"},
    ],
)
def test_bad_arguments_are_refused_before_anything_is_built(
    offline_pip: Path, arguments: dict[str, str]
) -> None:
    with pytest.raises(InvalidInputError):
        generate_layer(**arguments)  # type: ignore[arg-type]

    assert list(offline_pip.iterdir()) == []
