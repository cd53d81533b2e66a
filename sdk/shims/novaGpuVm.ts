import { makeShim } from "../shim";

export = makeShim("nova:GpuVm");
