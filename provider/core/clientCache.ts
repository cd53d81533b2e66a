import { createHash } from "node:crypto";
import type { CloudSettings } from "./settings";

/**
 * One client per endpoint and key in the process, so batching and rate limiting see every
 * resource of the stack (the host serves them all). The key is only hashed.
 */
export function processWideClients<C>(make: (settings: CloudSettings) => C): (settings: CloudSettings) => C {
  const clients = new Map<string, C>();
  return (settings) => {
    const key = `${settings.endpoint}|${createHash("sha256").update(settings.apiKey ?? "").digest("hex")}`;
    let client = clients.get(key);
    if (!client) {
      client = make(settings);
      clients.set(key, client);
    }
    return client;
  };
}
