/** Every Novita GPU-instance route lives under this prefix; the emulator's public `url` includes it. */
export const API_PREFIX = "/gpu-instance/openapi/v1";
