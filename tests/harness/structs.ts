import { Struct } from "google-protobuf/google/protobuf/struct_pb";

export type Props = Record<string, any>;

// Struct.fromJavaScript rejects `undefined`; the engine never sends it, so drop it like JSON does.
export function toStruct(props: Props): Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(props ?? {})));
}

export function fromStruct(struct: Struct | undefined): Props {
  return (struct?.toJavaScript() as Props) ?? {};
}
