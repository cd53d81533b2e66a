import * as gpcn from "./gpcn";

export { gpcn };
/** Nova Cloud resources arrive with their own issue. */
export const nova = {};
/** Novita resources arrive with their own issue. Novita has no SSH-key API, so there is no novita.SshKey. */
export const novita = {};
/** Fluence resources arrive with their own issue. */
export const fluence = {};
