import * as fs from "fs";
import * as path from "path";
import { resourceTypes } from "../provider/index";
import { renderReadme } from "../provider/ruleTables";

test("README's in-place / replace tables match the providers' rule tables (npm run docs)", () => {
  const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
  expect(readme).toBe(renderReadme(readme));
});

test("README opens with the set-up commands and the demo", () => {
  const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
  const firstBlock = readme.split("```")[1];
  expect(firstBlock).toMatch(/npm ci[\s\S]*npm test[\s\S]*npm run demo/);
});

test("every registered resource has its rules block in the README; a missing block fails naming the resource", () => {
  const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
  for (const type of resourceTypes) {
    expect(readme).toContain(`<!-- rules:${type} -->`);
  }
  const withoutNovita = readme.replace("<!-- rules:novita:GpuVm -->", "");
  expect(() => renderReadme(withoutNovita)).toThrow(/no <!-- rules:novita:GpuVm --> … <!-- \/rules:novita:GpuVm --> block for novita:GpuVm, a registered resource/);
});

test("bench/RESULTS.md names no issue numbers: it says what was measured and what the fault was", () => {
  const results = fs.readFileSync(path.join(__dirname, "..", "bench", "RESULTS.md"), "utf8");
  const naming = (text: string) => text.split("\n").flatMap((line, i) => (/\bissues?[\s-]*#?\d/i.test(line) ? [`line ${i + 1}: ${line.slice(0, 120)}`] : []));
  expect(naming(results)).toEqual([]);
  // The check itself sees the forms such notes took.
  expect(naming("x\nbefore (issue 17's soak)\nissues 20/21\nthe issue-20 case\nIssue 16: prices")).toHaveLength(4);
});
