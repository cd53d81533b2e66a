import { makeShim } from "../shim";

export = makeShim("fluence:GpuVm");
