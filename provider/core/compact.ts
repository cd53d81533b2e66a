/**
 * The object without its undefined and null fields: request bodies leave out what the user did
 * not declare, and outputs leave out what the cloud did not show.
 */
export function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}
