import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { UNKNOWN } from "../core/unknown";

// Property values between protobuf Structs and the plain objects the handlers take.
// - Unknowns (preview values not known yet) arrive as the string UNKNOWN and stay that string:
//   the handlers' check and diff already tolerate it, and a preview Create echoes it back.
// - Secrets: the plugin tells the engine acceptSecrets=false, so resource properties arrive
//   plain and the engine re-marks secret outputs itself. Configure's `args` still carry the
//   wrapper; `unwrapSecrets` takes it off (the value is kept, the mark is not needed: config is
//   held in memory only).
// - Struct.fromJavaScript throws on `undefined` and turns a Date into {}: values go through JSON
//   first, which drops undefined and writes dates as ISO text, as state would hold them.

export type Props = Record<string, unknown>;

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export { UNKNOWN };

export function fromStruct(struct: Struct | undefined): Props {
  return (struct?.toJavaScript() as Props | undefined) ?? {};
}

export function toStruct(props: Props | undefined): Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(props ?? {})));
}

export function isSecretWrapper(value: unknown): value is { value: unknown } {
  return !!value && typeof value === "object" && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** Removes the engine's secret wrappers at any depth. */
export function unwrapSecrets<T>(value: T): T {
  if (isSecretWrapper(value)) return unwrapSecrets(value.value) as T;
  if (Array.isArray(value)) return value.map(unwrapSecrets) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)])) as T;
  }
  return value;
}
