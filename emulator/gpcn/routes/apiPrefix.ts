/** Every GPCN route lives under this prefix; the emulator's public `url` includes it. */
export const API_PREFIX = "/v1";
