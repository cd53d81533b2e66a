/** Dynamic resources expose only the properties passed to the constructor: name each output. */
export function outputSlots(names: readonly string[]): Record<string, undefined> {
  return Object.fromEntries(names.map((n) => [n, undefined]));
}

/** Pulumi config of a cloud namespace as the provider implementation reads it. */
export function programConfig(): { get(key: string): string | undefined } {
  const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
  return {
    get(key: string) {
      const [ns, name] = key.split(":");
      return new pulumi.Config(ns).get(name);
    },
  };
}
