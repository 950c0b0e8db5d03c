// The report's output formats, in a module of their own so the CLI can check --format before loading any report code.

// 'table, json' first: the order users (and scripts matching the error message) have always seen.
export const FORMATS = ['table', 'json', 'md', 'csv', 'html'] as const;
export type Format = (typeof FORMATS)[number];
