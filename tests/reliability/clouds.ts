import { cloudNames, type CloudName } from "../../provider/clouds";
import { doors } from "../harness/doors";
import type { CloudUnderTest } from "./cloudsUnderTest";
import { fluenceUnderTest } from "./fluence";
import { gpcnUnderTest } from "./gpcn";
import { novaUnderTest } from "./nova";
import { novitaUnderTest } from "./novita";

/** Each registered cloud's test adapter: the type makes a cloud added to provider/clouds.ts without one fail to compile. */
const adapters: Record<CloudName, CloudUnderTest> = { gpcn: gpcnUnderTest, nova: novaUnderTest, novita: novitaUnderTest, fluence: fluenceUnderTest };

/** Every cloud the reliability matrices run against: every registered cloud, in the registry's order. */
export const cloudsUnderTest: CloudUnderTest[] = cloudNames.map((name) => adapters[name]);

/** Every cloud through every door (Pulumi's dynamic-provider host, the native plugin): `[label, cloud, door]`. */
export const cloudsAndDoors = cloudsUnderTest.flatMap((c) => doors.map((door) => [`${c.cloud} via ${door}`, c, door] as const));
