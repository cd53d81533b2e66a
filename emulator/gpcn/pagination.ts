/** GPCN list paging (API doc §3): `page` >= 1, `limit` 1–100 (default 10), `sort=field:dir[,…]`, `search`. */

import type { ValidationIssue } from "./envelope";

export interface ListQuery {
  page: number;
  limit: number;
  search?: string;
  sort: { field: string; descending: boolean }[];
}

export interface PageMeta {
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

function positiveInt(raw: string | null, fallback: number): number | undefined {
  if (raw === null || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

export function parseListQuery(
  query: URLSearchParams,
  sortable: readonly string[],
  defaultSort: string,
): { ok: true; value: ListQuery } | { ok: false; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const page = positiveInt(query.get("page"), 1);
  if (page === undefined || page < 1) issues.push({ path: "page", message: "Page must be an integer >= 1" });
  const limit = positiveInt(query.get("limit"), 10);
  if (limit === undefined || limit < 1 || limit > 100) issues.push({ path: "limit", message: "Limit must be an integer between 1 and 100" });
  const sort: ListQuery["sort"] = [];
  for (const part of (query.get("sort") || defaultSort).split(",")) {
    const [field, dir = "asc"] = part.trim().split(":");
    if (!sortable.includes(field) || !["asc", "desc"].includes(dir.toLowerCase())) {
      issues.push({ path: "sort", message: `Sort must be field:asc|desc with field one of ${sortable.join(", ")}` });
      break;
    }
    sort.push({ field, descending: dir.toLowerCase() === "desc" });
  }
  if (issues.length > 0) return { ok: false, issues };
  const search = query.get("search")?.trim() || undefined;
  return { ok: true, value: { page: page as number, limit: limit as number, sort, search } };
}

/** Sorts by the requested keys (ties keep the given order) and cuts one page. */
export function paginate<T>(items: T[], q: ListQuery, keyOf: (item: T, field: string) => string | number): { items: T[]; meta: PageMeta } {
  const sorted = items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => {
      for (const { field, descending } of q.sort) {
        const ka = keyOf(a.item, field);
        const kb = keyOf(b.item, field);
        if (ka !== kb) return (ka < kb ? -1 : 1) * (descending ? -1 : 1);
      }
      return a.index - b.index;
    })
    .map((x) => x.item);
  const total = sorted.length;
  const totalPages = Math.ceil(total / q.limit);
  return {
    items: sorted.slice((q.page - 1) * q.limit, q.page * q.limit),
    meta: { total, page: q.page, pageSize: q.limit, totalPages, hasNextPage: q.page < totalPages, hasPreviousPage: q.page > 1 },
  };
}
