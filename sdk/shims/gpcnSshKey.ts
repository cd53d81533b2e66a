import { makeShim } from "../shim";

export = makeShim("gpcn:SshKey");
