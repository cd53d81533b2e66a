// Filled in by the fluence issue.
export {};
