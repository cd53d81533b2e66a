import { makeShim } from "../shim";

export = makeShim("gpcn:GpuVm");
