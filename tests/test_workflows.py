"""The GitHub workflows, held to the supply-chain rules of issue 20: read-only by default with write permissions only in
the jobs that push the lock or publish Pages (neither runs project code), every action pinned to a commit SHA, no
checkout keeping its token except the one that pushes, no untrusted event text expanded inside a script; and the test
workflow runs `make test` on the oldest and newest supported Python with the distribution's Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
WRITERS = {("reports.yml", "commit-lock"): {"contents"}, ("reports.yml", "publish"): {"pages", "id-token"}}


def _load(path: Path) -> dict:
    document = yaml.safe_load(path.read_text())
    document["on"] = document.pop(True, document.get("on"))  # YAML 1.1 reads the key `on` as True
    return document


def _writes(permissions) -> set[str]:
    if permissions in ("write-all",):
        return {"*"}
    return {scope for scope, level in (permissions or {}).items() if level == "write"}


def _runs_project_code(job: dict) -> bool:
    return any(re.search(r"\bmake\b|regional-divide(?![\w-])|python|pytest", step.get("run", "")) for step in job["steps"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_per_job_and_read_by_default(path):
    workflow = _load(path)
    assert "permissions" in workflow and not _writes(workflow["permissions"]), "workflow-level permissions must be read"
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"{name}: declare the job's permissions"
        writes = _writes(job["permissions"])
        assert writes <= WRITERS.get((path.name, name), set()), f"{name} may not write {writes}"
        if writes:
            assert not _runs_project_code(job), f"{name} holds write permissions and runs project code"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_commit_shas(path):
    text = path.read_text()
    uses = re.findall(r"uses:\s*([^\s#]+)", text)
    assert uses
    for action in uses:
        assert action.startswith("./") or re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), action


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkouts_keep_no_token_except_to_push(path):
    for name, job in _load(path)["jobs"].items():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                keep = (step.get("with") or {}).get("persist-credentials", True)
                assert keep is ("contents" in _writes(job["permissions"])), f"{name}: persist-credentials {keep}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_event_text_is_expanded_in_a_script(path):
    for job in _load(path)["jobs"].values():
        for step in job["steps"]:
            expanded = re.findall(r"\$\{\{\s*([^}]+?)\s*\}\}", step.get("run", ""))
            assert not expanded, f"use env: for {expanded} (a ${{{{ }}}} in a script is injected as code)"


def test_the_test_workflow_runs_make_test_on_two_pythons_with_debian_chromium():
    workflow = _load(ROOT / ".github" / "workflows" / "test.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    [job] = workflow["jobs"].values()
    assert job["strategy"]["matrix"]["python"] == ["3.11", "3.13"]
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "apt-get install" in runs and "chromium chromium-driver" in runs
    assert re.search(r"^make test\b", runs, re.M) and "REGIONAL_DIVIDE_DATA_MIRROR" not in yaml.safe_dump(job)
    assert "make test" in (ROOT / ".ci" / "run").read_text()  # the offline path runs the same tests


def test_reports_workflow_lists_what_a_release_changed():
    job = _load(ROOT / ".github" / "workflows" / "reports.yml")["jobs"]["regenerate"]
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "regional-divide changes --since published-findings.csv --markdown" in runs and "GITHUB_STEP_SUMMARY" in runs


def test_the_scheduled_site_builds_every_area():
    job = _load(ROOT / ".github" / "workflows" / "reports.yml")["jobs"]["regenerate"]
    runs = [step.get("run", "") for step in job["steps"]]
    assert any(run.strip() == "make report-all" for run in runs), runs
    assert not any(run.strip() == "make report" for run in runs)
