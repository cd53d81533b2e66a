import type { CloudUnderTest } from "./cloudsUnderTest";
import { fluenceUnderTest } from "./fluence";
import { gpcnUnderTest } from "./gpcn";
import { novaUnderTest } from "./nova";
import { novitaUnderTest } from "./novita";

/** Every cloud the reliability matrices run against: a new cloud adds one entry. */
export const cloudsUnderTest: CloudUnderTest[] = [gpcnUnderTest, novaUnderTest, novitaUnderTest, fluenceUnderTest];
