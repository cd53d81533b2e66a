import * as fs from "fs";
import * as path from "path";
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
