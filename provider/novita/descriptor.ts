import { describeCloud } from "../cloudDescriptor";

/** Novita as the registry (provider/clouds.ts) sees it; nothing here loads the cloud's code. */
export const novitaDescriptor = describeCloud({
  name: "novita",
  title: "Novita",
  resources: {
    GpuVm: () => require("./gpuVm").novitaGpuVm,
  },
  offerSource: () => require("./offerSource").novitaOfferSource,
  emulator: () => require("../../emulator/novita/cloudEntry").novitaCloud,
  functions: () => require("./functions").functions,
});
