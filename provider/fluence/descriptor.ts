import { describeCloud } from "../cloudDescriptor";

/** Fluence as the registry (provider/clouds.ts) sees it; nothing here loads the cloud's code. */
export const fluenceDescriptor = describeCloud({
  name: "fluence",
  title: "Fluence",
  resources: {
    GpuVm: () => require("./gpuVm").fluenceGpuVm,
    SshKey: () => require("./sshKey").fluenceSshKey,
  },
  offerSource: () => require("./offerSource").fluenceOfferSource,
  emulator: () => require("../../emulator/fluence/cloudEntry").fluenceCloud,
  functions: () => require("./functions").functions,
});
