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
