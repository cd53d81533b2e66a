/** Novita API keys: `Authorization: Bearer <key>` only (shared/api/novita.md §1). */

import { apiKeyAuth, bearerToken } from "../core/apiKeyAuth";
import { failure } from "./envelope";

export function createAuth(apiKeys: readonly string[]) {
  return apiKeyAuth({
    apiKeys,
    keyFrom: bearerToken,
    refuse: (_request, key) => failure("UNAUTHORIZED", key === undefined ? "missing Authorization: Bearer <API key>" : "invalid API key"),
  });
}
