/** The emulator CLI, run in-process. */

import { parseCliArgs, parseFaultArg, CliUsageError } from "../../emulator/cliArgs";
import { clouds } from "../../emulator/clouds";
import { runCli } from "../../emulator/runCli";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe("parseCliArgs", () => {
  it("has the documented defaults and options", () => {
    expect(parseCliArgs([])).toEqual({ cloud: "gpcn", port: 8080, timeScale: undefined, seed: undefined, apiKey: undefined, faults: [], help: false });
    expect(parseCliArgs(["--cloud", "ALL", "--port", "0", "--time-scale", "180", "--seed", "s", "--api-key", "gpcn_k"])).toEqual({
      cloud: "all",
      port: 0,
      timeScale: 180,
      seed: "s",
      apiKey: "gpcn_k",
      faults: [],
      help: false,
    });
  });

  it("parses repeatable --fault [<cloud>:]<knob>=<json>, leaving knob validation to the started clouds", () => {
    const args = parseCliArgs(["--fault", 'rateLimitBurst={"count":3,"retryAfterSec":2}', "--fault=nova:failNextCreates={\"count\":1}"]);
    expect(args.faults).toEqual([
      { knob: "rateLimitBurst", value: { count: 3, retryAfterSec: 2 }, text: 'rateLimitBurst={"count":3,"retryAfterSec":2}' },
      { cloud: "nova", knob: "failNextCreates", value: { count: 1 }, text: 'nova:failNextCreates={"count":1}' },
    ]);
    expect(parseFaultArg("anyName=7")).toMatchObject({ knob: "anyName", value: 7 }); // the fault store says what is wrong
    for (const bad of ["rateLimitBurst", "=1", "rateLimitBurst={count:1}", "Nova:x={}"]) expect(() => parseFaultArg(bad)).toThrow(CliUsageError);
  });

  it("rejects bad values and unknown flags", () => {
    for (const argv of [["--port", "http"], ["--port", "70000"], ["--time-scale", "0"], ["--bogus"]]) {
      expect(() => parseCliArgs(argv)).toThrow(CliUsageError);
    }
  });
});

describe("runCli", () => {
  // Starting one cloud (config lines, key, request log) runs for every cloud in emulatorMatrix.test.ts.
  it("'all' starts every registered cloud", async () => {
    const { io } = capture();
    const { session } = await runCli(["--cloud", "all", "--port", "0"], io);
    try {
      expect(session!.running.map((r) => r.name)).toEqual(Object.keys(clouds));
    } finally {
      await session?.close();
    }
  });

  it("exits 2 on an unknown cloud and 0 on --help, starting nothing", async () => {
    const bad = capture();
    expect(await runCli(["--cloud", "aws"], bad.io)).toEqual({ session: null, exitCode: 2 });
    expect(bad.err.join("\n")).toMatch(/Unknown cloud "aws"/);
    const help = capture();
    expect(await runCli(["--help"], help.io)).toEqual({ session: null, exitCode: 0 });
    expect(help.out.join("\n")).toMatch(/--time-scale/);
  });
});
