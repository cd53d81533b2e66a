import * as fluence from "./fluence";
import * as gpcn from "./gpcn";
import * as multicloud from "./multicloud";
import * as nova from "./nova";
import * as novita from "./novita";

export { fluence, gpcn, multicloud, nova, novita };
export { getOffers } from "./multicloud";
