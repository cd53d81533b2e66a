// Filled in by the nova issue.
export {};
