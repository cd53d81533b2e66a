import { z } from "zod";
import { planChanges, planWarnings, type ResourceRules } from "../../provider/core/diffRules";
import { setLogSink } from "../../provider/core/progressLog";
import { defineResource } from "../../provider/core/resourceHandler";
import { novitaCloud } from "../../provider/novita/client";
import { gpuVmRules } from "../../provider/novita/rules";
import { STOP_WARNING, warnWhenStopping } from "../../provider/novita/powerState";

// The preview warning for a Novita stop (issue 16): a change of powerState to "stopped" warns
// through the engine's log at diff, before anything is stopped, that the data is kept only
// keepDataDay days and a restart may fail for lack of capacity. The rule below is Novita's own
// powerState rule with `warnWhen: warnWhenStopping` added, as the hook-up in rules.ts will do.

const rules: ResourceRules = {
  type: "novita:GpuVm",
  fields: { ...gpuVmRules.fields, powerState: { ...(gpuVmRules.fields.powerState as any), warnWhen: warnWhenStopping } },
};

test("planWarnings: a stop warns, a start, an unchanged or an unknown state does not", () => {
  const warn = (from: unknown, to: unknown) => planWarnings(planChanges(rules, { powerState: from }, { powerState: to }));
  expect(warn("running", "stopped")).toEqual([`stopping: ${STOP_WARNING}`]);
  expect(warn(undefined, "stopped")).toEqual([`stopping: ${STOP_WARNING}`]);
  expect(warn("stopped", "running")).toEqual([]);
  expect(warn("stopped", "stopped")).toEqual([]);
  expect(warn("running", "04da257b-e0ff-4b23-ba6e-cfdd56b1fb2b")).toEqual([]); // the engine's unknown marker
  expect(STOP_WARNING).toMatch(/keepDataDay days \(7, as Novita documents\).*lack of capacity/);
});

test("the resource's diff logs the warning through the engine's log, once, and still plans an in-place update", async () => {
  const logs: Array<[string, string]> = [];
  setLogSink((level, message) => logs.push([level, message]));
  try {
    const handler = defineResource({
      type: "novita:GpuVm",
      cloud: novitaCloud,
      inputSchema: z.object({ name: z.string(), powerState: z.enum(["running", "stopped"]).optional() }),
      rules,
      create: async () => ({ id: "x", outs: {} }),
      read: async () => ({}),
      update: async () => ({}),
      delete: async () => undefined,
    });
    const diff = await handler.diff(undefined, "inst-1", { name: "nb", powerState: "running" }, { name: "nb", powerState: "stopped" });
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    expect(logs.filter(([level]) => level === "warn")).toEqual([["warn", `novita:GpuVm "nb": stopping: ${STOP_WARNING}`]]);
    logs.length = 0;
    await handler.diff(undefined, "inst-1", { name: "nb", powerState: "stopped" }, { name: "nb", powerState: "running" });
    expect(logs.filter(([level]) => level === "warn")).toEqual([]);
  } finally {
    setLogSink(undefined);
  }
});
