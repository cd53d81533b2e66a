import { resolveSettings, type ConfigSource } from "../core/settings";
import { novitaClientFor, novitaCloud } from "./client";
import { MARKER_ENV } from "./instanceMarker";

// `pulumi import` of a Novita instance: the inputs that would have created it, as Novita reports
// it (ports come from the read itself). The instance's own GET has no productId; its list entry
// has. The marker env the provider adds at create is not an input. Secrets Novita never returns
// (imageAuth) stay out.

export async function importInputs(config: ConfigSource | undefined, id: string): Promise<Record<string, unknown> | undefined> {
  const client = novitaClientFor(resolveSettings(novitaCloud, config));
  const i = await client.getInstance(id);
  if (!i) return undefined;
  const listed = i.productId ? undefined : (await client.listAllInstances()).find((l) => l.id === id);
  const envs = i.envs.filter((e) => e.key !== MARKER_ENV);
  return {
    name: i.name || undefined,
    productId: i.productId ?? listed?.productId,
    gpuCount: i.gpuCount,
    rootfsSize: i.rootfsSize,
    imageUrl: i.imageUrl,
    imageAuthId: i.imageAuthId,
    envs: envs.length ? envs : undefined,
    command: i.command,
    entrypoint: i.entrypoint,
    clusterId: i.clusterId,
    kind: i.kind,
    billingMode: i.billingMode,
    autoRenew: i.billingMode === "monthly" ? i.autoRenew : undefined,
  };
}
