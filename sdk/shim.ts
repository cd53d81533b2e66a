import type * as pulumi from "@pulumi/pulumi";

// The provider object is serialized into state as `__provider` for every resource. It holds only
// a type token and one-line methods that load the implementation when called, so it never
// captures a client, schema, agent or secret. `configure` only stores config: it must stay
// synchronous (the host races concurrent first calls against it).
//
// Each shim is the whole export of its own module in shims/ so that, when the package is
// installed under node_modules, Pulumi's serializer writes `require("pulumi-gpucloud/dist/sdk/
// shims/<type>.js")` (a few hundred bytes, identical across releases) instead of the code.
// Those module paths are therefore part of the state format: never rename them.

export function makeShim(type: string): pulumi.dynamic.ResourceProvider {
  return {
    type,
    configure(req: any) {
      (this as any).config = req.config;
      return Promise.resolve();
    },
    check(olds: any, news: any) {
      return require("pulumi-gpucloud/provider").invoke(this, "check", [olds, news]);
    },
    diff(id: any, olds: any, news: any) {
      return require("pulumi-gpucloud/provider").invoke(this, "diff", [id, olds, news]);
    },
    create(inputs: any) {
      return require("pulumi-gpucloud/provider").invoke(this, "create", [inputs]);
    },
    read(id: any, props: any) {
      return require("pulumi-gpucloud/provider").invoke(this, "read", [id, props]);
    },
    update(id: any, olds: any, news: any) {
      return require("pulumi-gpucloud/provider").invoke(this, "update", [id, olds, news]);
    },
    delete(id: any, props: any) {
      return require("pulumi-gpucloud/provider").invoke(this, "delete", [id, props]);
    },
  } as pulumi.dynamic.ResourceProvider;
}
