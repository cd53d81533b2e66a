import type { CloudUnderTest } from "./cloudsUnderTest";
import { fluenceUnderTest } from "./fluence";
import { gpcnUnderTest } from "./gpcn";

/** Every cloud the reliability matrix runs against. */
export const cloudsUnderTest: CloudUnderTest[] = [gpcnUnderTest, fluenceUnderTest];
