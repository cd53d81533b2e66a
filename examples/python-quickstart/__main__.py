"""One SSH key and one GPU VM on GPCN, from Python.

`pulumi package add ../..` generates the `pulumi_gpucloud` SDK from the plugin's schema into
sdks/gpucloud and records it in Pulumi.yaml (see README.md).
"""
import pulumi
import pulumi_gpucloud as gpucloud

config = pulumi.Config()
# Pin the datacenter in config (look it up once with gpucloud.gpcn.get_inventory()): resolving it
# on every run could pick another one later, and a datacenter change replaces the VM.
# The default is the emulator's KAN-1.
datacenter_id = config.get("datacenterId") or "a6d181c0-0b4e-4f79-b69e-6e15c05e019d"

# GPCN generates the pair; the private key is a secret output, returned once.
key = gpucloud.gpcn.SshKey("quickstart-key", algorithm="ed25519")

vm = gpucloud.gpcn.GpuVm(
    "trainer",
    datacenter_id=datacenter_id,
    series_code="h100_series",
    gpu_count=config.get_int("gpuCount") or 1,
    ssh_key_id=key.id,
    image_name="ubuntu-24.04",
    # A native provider gets customTimeouts: the create's wait ends here, and a VM that is not
    # running by then is recorded as a partial create, never lost.
    opts=pulumi.ResourceOptions(custom_timeouts=pulumi.CustomTimeouts(create="30m")),
)

pulumi.export("vmId", vm.id)
pulumi.export("status", vm.status)
pulumi.export("sshCommand", pulumi.Output.concat("ssh ", vm.username, "@", vm.ip))
pulumi.export("privateKey", key.private_key)  # secret
