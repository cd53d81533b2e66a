"""The e2e suite's GPCN program (tests/e2e/gpcnStack.ts GPCN_PROGRAM) in Python, on the SDK that
Pulumi's codegen generates from schema.json: the VM's name and GPU count come from config."""
import pulumi
import pulumi_gpucloud as gpucloud

config = pulumi.Config()
key = gpucloud.gpcn.SshKey("key", algorithm="ed25519")
vm = gpucloud.gpcn.GpuVm(
    "trainer",
    name=config.require("vmName"),
    datacenter_id=config.require("datacenterId"),
    series_code="h100_series",
    gpu_count=config.require_int("gpuCount"),
    ssh_key_id=key.id,
)

pulumi.export("vmId", vm.id)
pulumi.export("status", vm.status)
pulumi.export("privateKey", key.private_key)
