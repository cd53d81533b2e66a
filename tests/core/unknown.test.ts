import { containsUnknown, isUnknown, UNKNOWN } from "../../provider/core/unknown";

const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

test("the placeholder is the engine's constant", () => {
  expect(UNKNOWN).toBe(U);
  expect(isUnknown(U)).toBe(true);
  expect(isUnknown("04da6b54-80e4-46f7-96ec-b56ff0331ba8")).toBe(false);
  expect(isUnknown(undefined)).toBe(false);
});

test("containsUnknown looks inside arrays and objects at any depth", () => {
  expect(containsUnknown(U)).toBe(true);
  expect(containsUnknown([1, [2, { a: U }]])).toBe(true);
  expect(containsUnknown({ a: { b: { c: [U] } } })).toBe(true);
  expect(containsUnknown({ a: { b: { c: [1, "x", null] } } })).toBe(false);
  expect(containsUnknown({ [U]: 1 })).toBe(false); // keys are not values
  expect(containsUnknown(null)).toBe(false);
  expect(containsUnknown(0)).toBe(false);
});
