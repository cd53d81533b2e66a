import { CliProcess } from "./cliProcess";

// --help is the user's manual for the emulator: every flag, every knob each running cloud
// accepts (asked of the clouds themselves, so a new knob without a help line fails here), and
// the admin endpoints.

let help: CliProcess;
let clouds: CliProcess;
afterAll(async () => {
  await Promise.all([help?.stop(), clouds?.stop()]);
});

test("--help documents every flag, every cloud's fault knobs and the admin endpoints, and exits 0", async () => {
  help = new CliProcess(["--help"]);
  expect(await help.exited).toBe(0);
  const text = help.stdout.join("\n");
  for (const flag of ["--cloud <name>", "--port <n>", "--time-scale <x>", "--seed <s>", "--api-key <key>", "--fault [<cloud>:]<knob>=<json>", "--help"]) {
    expect(text).toContain(flag);
  }
  // Options every knob takes (emulator/core/faults.ts CountedKnob).
  for (const option of ['"count"', '"method"', '"pathPrefix"', '"skip"']) expect(text).toContain(option);
  for (const route of ["GET  /_admin/state", "GET  /_admin/faults", "POST /_admin/faults", "POST /_admin/reset", "POST /_admin/time-scale", "POST /_admin/rate-limit"]) {
    expect(text).toContain(route);
  }

  // What each cloud really accepts, from its own admin endpoint.
  clouds = new CliProcess(["--cloud", "all", "--port", "0"]);
  await clouds.waitForLine(/^Ready\./);
  const started = clouds.stdout.flatMap((l, i) => {
    const origin = /^  admin: (\S+)\/_admin\/state$/.exec(l)?.[1];
    const name = /^\s+pulumi config set (\w+):endpoint/.exec(clouds.stdout[i - 2] ?? "")?.[1];
    return origin && name ? [{ name, origin }] : [];
  });
  expect(started.map((s) => s.name).sort()).toEqual(["fluence", "gpcn", "nova", "novita"]);

  const section = (title: string) => {
    const lines = help.stdout;
    const start = lines.indexOf(`  ${title}:`);
    expect(start).toBeGreaterThan(0);
    const end = lines.findIndex((l, i) => i > start && !l.startsWith("    "));
    return lines.slice(start + 1, end).map((l) => l.trim().split(/\s+/)[0]);
  };
  const everyCloud = section("every cloud");
  for (const { name, origin } of started) {
    const { knownKnobs } = await (await fetch(`${origin}/_admin/faults`)).json();
    expect(knownKnobs.length).toBeGreaterThan(3);
    expect([...everyCloud, ...section(name)].sort()).toEqual([...knownKnobs].sort());
  }
});
