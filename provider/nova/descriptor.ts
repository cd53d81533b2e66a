import { describeCloud } from "../cloudDescriptor";

/** Nova as the registry (provider/clouds.ts) sees it; nothing here loads the cloud's code. */
export const novaDescriptor = describeCloud({
  name: "nova",
  title: "Nova",
  resources: {
    GpuVm: () => require("./gpuVm").novaGpuVm,
    SshKey: () => require("./sshKey").novaSshKey,
  },
  offerSource: () => require("./offerSource").novaOfferSource,
  emulator: () => require("../../emulator/nova/cloudEntry").novaCloud,
  functions: () => require("./functions").functions,
});
