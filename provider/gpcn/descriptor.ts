import { describeCloud } from "../cloudDescriptor";

/** GPCN as the registry (provider/clouds.ts) sees it; nothing here loads the cloud's code. */
export const gpcnDescriptor = describeCloud({
  name: "gpcn",
  title: "GPCN",
  resources: {
    GpuVm: () => require("./gpuVm").gpcnGpuVm,
    SshKey: () => require("./sshKey").gpcnSshKey,
  },
  offerSource: () => require("./offerSource").gpcnOfferSource,
  emulator: () => require("../../emulator/gpcn/cloudEntry").gpcnCloud,
  functions: () => require("./functions").functions,
});
