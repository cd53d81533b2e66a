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

// Readers of README.md and bench/RESULTS.md have no access to the tracker the project was built
// from: a figure or rule is explained by what it measures or does, never by an issue number. An
// upstream reference such as pulumi/pulumi#16175 names its repository and stays allowed.
const issueNumber = /\bissues?[ -]?#?\d+|(?<![\w/-])#\d+\b/i;

function linesNamingAnIssue(text: string): string[] {
  return text
    .split("\n")
    .map((line, i) => `${i + 1}: ${line}`)
    .filter((line) => issueNumber.test(line.replace(/^\d+: /, "")));
}

test.each(["README.md", path.join("bench", "RESULTS.md")])("%s names no issue number", (file) => {
  const text = fs.readFileSync(path.join(__dirname, "..", file), "utf8");
  expect(linesNamingAnIssue(text)).toEqual([]);
});

test("the issue-number check catches the forms that crept in before", () => {
  expect(linesNamingAnIssue("a\nTwo processes on one key (issue 18 item 3): x\nb")).toEqual(["2: Two processes on one key (issue 18 item 3): x"]);
  expect(linesNamingAnIssue("(issues 20/21)")).toHaveLength(1);
  expect(linesNamingAnIssue("the issue-20 case")).toHaveLength(1);
  expect(linesNamingAnIssue("Issue 16's cost figures")).toHaveLength(1);
  expect(linesNamingAnIssue("see #42")).toHaveLength(1);
  expect(linesNamingAnIssue("dynamic resources (pulumi/pulumi#16175)")).toEqual([]);
  expect(linesNamingAnIssue("an issue with 2 clouds; a 429 answer")).toEqual([]);
});
