"""The Kubernetes manifests in deploy/k8s/ are valid and complete, checked offline.

kubeconform (built by deploy/tools.sh with `go install` from the Go module proxy) validates them
against the JSON schemas that the PyPI package kubernetes-validate ships. Those schemas point at
their shared definitions with a root-relative URL (`/api/_definitions.json`), which kubeconform's
file loader cannot follow, so the schemas the manifests need are copied with that reference made
a `file://` URL. Nothing is fetched from the network.
"""

import json
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
MANIFESTS = REPO / "deploy" / "k8s"
SCHEMAS = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
DEFINITIONS_REF = '"/api/_definitions.json'


def _documents(folder: Path) -> list[dict]:
    return [
        document
        for path in sorted(folder.glob("*.yaml"))
        if path.name != "kustomization.yaml"
        for document in yaml.safe_load_all(path.read_text())
        if document
    ]


def _newest_version() -> str:
    versions = [p.name.removesuffix("-local-strict") for p in SCHEMAS.glob("v*-local-strict")]
    return max(versions, key=lambda v: tuple(int(x) for x in v[1:].split(".")))


def _schema_name(document: dict) -> str:
    group, _, version = document["apiVersion"].rpartition("/")
    suffix = f"-{group.split('.')[0]}-{version}" if group else f"-{version}"
    return f"{document['kind'].lower()}{suffix}.json"


@pytest.fixture(scope="module")
def kubeconform() -> Path:
    subprocess.run([REPO / "deploy" / "tools.sh"], check=True, capture_output=True)
    return REPO / ".data" / "bin" / "kubeconform"


@pytest.fixture(scope="module")
def schema_location(tmp_path_factory) -> str:
    version = _newest_version()
    source = SCHEMAS / f"{version}-local-strict"
    target = tmp_path_factory.mktemp("schemas") / f"{version}-local-strict"
    target.mkdir()
    definitions = f'"{(target / "_definitions.json").as_uri()}'
    names = {"_definitions.json"} | {_schema_name(d) for d in _documents(MANIFESTS)}
    for name in names:
        text = (source / name).read_text().replace(DEFINITIONS_REF, definitions)
        (target / name).write_text(text)
    return str(target.parent / "{{ .NormalizedKubernetesVersion }}-local{{ .StrictSuffix }}"
               / "{{ .ResourceKind }}{{ .KindSuffix }}.json")  # fmt: skip


def _validate(kubeconform, schema_location, folder: Path):
    return subprocess.run(
        [
            kubeconform, "-strict", "-summary", "-output", "json",
            "-kubernetes-version", _newest_version()[1:],
            "-ignore-filename-pattern", "kustomization.yaml",
            "-schema-location", schema_location, folder,
        ],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_the_manifests_are_valid_against_the_kubernetes_schemas(kubeconform, schema_location):
    result = _validate(kubeconform, schema_location, MANIFESTS)
    summary = json.loads(result.stdout)["summary"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert summary["valid"] == len(_documents(MANIFESTS)) >= 8
    assert summary["invalid"] == summary["errors"] == summary["skipped"] == 0


def test_the_validator_refuses_a_misspelt_field(kubeconform, schema_location, tmp_path):
    broken = (MANIFESTS / "web.yaml").read_text().replace("replicas: 2", "replica: 2")
    (tmp_path / "web.yaml").write_text(broken)
    result = _validate(kubeconform, schema_location, tmp_path)
    assert result.returncode != 0
    assert json.loads(result.stdout)["summary"]["invalid"] == 1


def test_web_worker_one_beat_migrations_and_the_office_wildcard_are_all_there():
    by_name = {(d["kind"], d["metadata"]["name"]): d for d in _documents(MANIFESTS)}
    web = by_name["Deployment", "xinfang-web"]["spec"]["template"]["spec"]["containers"][0]
    assert web["command"][0] == "gunicorn"
    assert web["readinessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert by_name["Deployment", "xinfang-worker"]
    beat = by_name["Deployment", "xinfang-beat"]["spec"]
    assert beat["replicas"] == 1 and beat["strategy"]["type"] == "Recreate"
    assert ("Service", "xinfang-web") in by_name and ("Job", "xinfang-migrate") in by_name
    hosts = [rule["host"] for rule in by_name["Ingress", "xinfang"]["spec"]["rules"]]
    assert any(host.startswith("*.") for host in hosts)
    assert by_name["ConfigMap", "xinfang-config"]["data"]["DJANGO_DEBUG"] == "0"
    secret = by_name["Secret", "xinfang-secrets"]["stringData"]
    assert not any(secret.values())  # no secret is ever committed, not even an example one
    for variable in ("DJANGO_SECRET_KEY", "XINFANG_FIELD_KEYS", "XINFANG_PERSON_KEY_SECRET",
                     "XINFANG_QUERY_CODE_KEY"):  # fmt: skip
        assert variable in secret
