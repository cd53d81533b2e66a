// Tests and the hosts they spawn (which inherit the environment) keep observed provisioning times
// in memory only: no test reads what an earlier run left in ~/.cache/pulumi-gpucloud, nor writes
// there (provider/core/provisioningTimes.ts). Tests of the file itself pass their own path.
process.env.GPUCLOUD_CACHE_DIR = "off";
