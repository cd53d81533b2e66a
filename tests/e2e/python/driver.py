"""Runs one Pulumi operation on a Python program through the Automation API's inline programs.

The built CLI has no Python language host (its Go module is not served), so the program runs in
this process: Automation API starts its LanguageServer here and runs `pulumi <op> --client=<addr>
--exec-kind auto.inline` (PulumiCommand(root=...): the CLI scripts/install-pulumi built). The
program file runs as `python <file>` would run it. The project folder (Pulumi.yaml, stack `e2e`,
its config, backend and passphrase in the environment) is made by the test.

    python driver.py '{"op": "preview|up|destroy", "workDir": ..., "project": ..., "program": <file>}'

Prints one JSON line: the operation's result and, per resource, the op and diffs the engine sent.
"""
import json
import os
import runpy
import sys

import pulumi.automation as auto

spec = json.loads(sys.argv[1])


def program():
    runpy.run_path(spec["program"], run_name="__main__")


stack = auto.select_stack(
    "e2e",
    project_name=spec["project"],
    program=program,
    opts=auto.LocalWorkspaceOptions(
        work_dir=spec["workDir"],
        pulumi_command=auto.PulumiCommand(root=os.environ["PULUMI_GPUCLOUD_ENGINE_ROOT"]),
    ),
)

steps = []


def on_event(event):
    pre = event.resource_pre_event
    if pre is not None and pre.metadata.type != "pulumi:pulumi:Stack":
        m = pre.metadata
        steps.append({"op": str(m.op.value), "type": m.type, "name": m.urn.split("::")[-1], "diffs": m.diffs or []})


def plain(value):
    return value.value if hasattr(value, "value") else value


op = spec["op"]
if op == "preview":
    r = stack.preview(on_event=on_event)
    result = {"changeSummary": {plain(k): v for k, v in r.change_summary.items()}}
elif op == "up":
    r = stack.up(on_event=on_event)
    result = {
        "result": r.summary.result,
        "resourceChanges": r.summary.resource_changes,
        "outputs": {k: {"value": v.value, "secret": v.secret} for k, v in r.outputs.items()},
    }
elif op == "destroy":
    r = stack.destroy(on_event=on_event)
    result = {"result": r.summary.result, "resourceChanges": r.summary.resource_changes}
else:
    raise SystemExit(f"unknown op {op}")
result["steps"] = steps
print(json.dumps(result))
