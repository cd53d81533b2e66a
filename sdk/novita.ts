// Filled in by the novita issue.
export {};
