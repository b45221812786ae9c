/**
 * The little of PouchDB's API the comparison benchmark uses (the packages ship no types; the
 * DefinitelyTyped ones are not installed to keep the dev dependencies small).
 */
declare module 'pouchdb-bench-types' {
  export interface PouchDoc {
    _id: string;
    _rev?: string;
    [key: string]: unknown;
  }
  export interface ReplicationResult {
    ok: boolean;
    docs_written: number;
    doc_write_failures: number;
  }
  export interface Replication extends PromiseLike<ReplicationResult> {
    on(event: 'change', listener: (info: { docs_written: number }) => void): Replication;
    cancel(): void;
  }
  export interface PouchDatabase {
    info(): Promise<{ doc_count: number; update_seq: number | string }>;
    bulkDocs(docs: readonly PouchDoc[]): Promise<unknown[]>;
    put(doc: PouchDoc): Promise<{ ok: boolean; id: string; rev: string }>;
    allDocs(options?: { include_docs?: boolean; conflicts?: boolean }): Promise<{
      total_rows: number;
      rows: { id: string; value: { rev: string }; doc?: PouchDoc & { _conflicts?: string[] } }[];
    }>;
    query(view: string, options?: Record<string, unknown>): Promise<{ rows: { key: unknown; value: unknown }[] }>;
    replicate: {
      to(target: PouchDatabase | string, options?: Record<string, unknown>): Replication;
      from(source: PouchDatabase | string, options?: Record<string, unknown>): Replication;
    };
  }
  export interface PouchStatic {
    new (name: string, options?: Record<string, unknown>): PouchDatabase;
    defaults(options: Record<string, unknown>): PouchStatic;
  }
}

declare module 'pouchdb-node' {
  import type { PouchStatic } from 'pouchdb-bench-types';
  const PouchDB: PouchStatic;
  export default PouchDB;
}

declare module 'pouchdb-browser' {
  import type { PouchStatic } from 'pouchdb-bench-types';
  const PouchDB: PouchStatic;
  export default PouchDB;
}

declare module 'express-pouchdb' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import type { PouchStatic } from 'pouchdb-bench-types';
  type Handler = (request: IncomingMessage, response: ServerResponse) => void;
  function expressPouchDB(PouchDB: PouchStatic, options?: Record<string, unknown>): Handler;
  export default expressPouchDB;
}
