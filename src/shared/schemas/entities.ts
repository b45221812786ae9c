/** Record types that sync (sync-protocol.md, "Record envelope": `entity`). */
export const ENTITIES = ['village', 'household', 'citizen', 'clan', 'unit', 'assessment'] as const;
export type Entity = (typeof ENTITIES)[number];
