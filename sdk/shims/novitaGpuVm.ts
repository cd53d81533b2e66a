import { makeShim } from "../shim";

export = makeShim("novita:GpuVm");
