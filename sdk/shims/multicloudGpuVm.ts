import { makeShim } from "../shim";

export = makeShim("multicloud:GpuVm");
