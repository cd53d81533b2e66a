import * as fluence from "./fluence";
import * as gpcn from "./gpcn";
import * as nova from "./nova";
import * as novita from "./novita";

export { fluence, gpcn, nova, novita };
