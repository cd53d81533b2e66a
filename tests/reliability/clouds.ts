import { doors } from "../harness/doors";
import type { CloudUnderTest } from "./cloudsUnderTest";
import { fluenceUnderTest } from "./fluence";
import { gpcnUnderTest } from "./gpcn";
import { novaUnderTest } from "./nova";
import { novitaUnderTest } from "./novita";

/** Every cloud the reliability matrices run against: a new cloud adds one entry. */
export const cloudsUnderTest: CloudUnderTest[] = [gpcnUnderTest, novaUnderTest, novitaUnderTest, fluenceUnderTest];

/** Every cloud through every door (Pulumi's dynamic-provider host, the native plugin): `[label, cloud, door]`. */
export const cloudsAndDoors = cloudsUnderTest.flatMap((c) => doors.map((door) => [`${c.cloud} via ${door}`, c, door] as const));
