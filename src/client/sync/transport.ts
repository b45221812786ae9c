import { z } from 'zod';
import { API_PREFIX } from '../../shared/protocol/api';
import type { ExportFile } from '../../shared/protocol/export-file.schema';
import { importResponseSchema, type ImportResponse } from '../../shared/protocol/import.schema';
import {
  enrollResponseSchema,
  pullResponseSchema,
  pushResponseSchema,
  receiptResponseSchema,
  type EnrollRequest,
  type EnrollResponse,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type ReceiptResponse,
} from '../../shared/protocol/sync.schema';

/** Bodies smaller than this go uncompressed: gzip would not pay for its own header. */
const GZIP_MIN_BYTES = 1024;
/** A request that has not answered by then counts as a network failure and is retried later. */
const REQUEST_TIMEOUT_MS = 60_000;
/** An import of months of changes is applied while the office waits (≈ 700 ops a second). */
const IMPORT_TIMEOUT_MS = 10 * 60_000;

export type TransportFailure = {
  readonly ok: false;
  /** offline: no answer at all; overloaded: 429/503; unauthorized: 401; refused: another 4xx (a 413 from anything); server: 5xx or a malformed answer. */
  readonly kind: 'offline' | 'overloaded' | 'unauthorized' | 'refused' | 'server';
  readonly status?: number;
  readonly code?: string;
  readonly retryAfterMs?: number;
};
export type TransportResult<T> = { readonly ok: true; readonly value: T } | TransportFailure;

export interface AttachmentUpload {
  readonly id: string;
  readonly communeCode: string;
  readonly recordId: string;
  readonly blob: Blob;
  readonly sha256: string;
}

export interface SyncTransport {
  push(request: PushRequest): Promise<TransportResult<PushResponse>>;
  /** Idempotent: 201 stored, 200 already stored with the same bytes. */
  putAttachment?(upload: AttachmentUpload): Promise<TransportResult<{ stored: true }>>;
  /** A photo another device of the commune took, for viewing here. */
  getAttachment?(id: string): Promise<TransportResult<Blob>>;
  pull(cursor: string | undefined, limit: number): Promise<TransportResult<PullResponse>>;
  receipt(): Promise<TransportResult<ReceiptResponse>>;
  /** Another device's export file, applied on the server as that device's pushes (commune-wide devices only). */
  importFile?(file: ExportFile): Promise<TransportResult<ImportResponse>>;
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

async function gzip(text: string): Promise<ArrayBuffer | undefined> {
  if (typeof CompressionStream === 'undefined' || text.length < GZIP_MIN_BYTES) return undefined;
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  const seconds = header === null ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

async function request<T>(
  fetchFn: FetchLike,
  url: string,
  init: RequestInit,
  schema: z.ZodType<T>,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<TransportResult<T>> {
  let response: Response;
  try {
    response = await fetchFn(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    return { ok: false, kind: 'offline' };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    // Not our server's JSON: a captive portal or a proxy answered, treated as no answer (retried),
    // except 413: something on the way found the request too large, which smaller batches fix.
    if (response.status === 413) return { ok: false, kind: 'refused', status: 413 };
    return { ok: false, kind: response.ok ? 'server' : 'offline', status: response.status };
  }
  if (!response.ok) {
    const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
    const common = { ok: false as const, status: response.status, code: typeof code === 'string' ? code : undefined };
    if (response.status === 429 || response.status === 503)
      return { ...common, kind: 'overloaded', retryAfterMs: retryAfterMs(response) };
    if (response.status === 401) return { ...common, kind: 'unauthorized' };
    return { ...common, kind: response.status >= 500 ? 'server' : 'refused' };
  }
  const parsed = schema.safeParse(body);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, kind: 'server', status: response.status, code: 'malformed_response' };
}

function apiUrl(serverUrl: string, path: string): string {
  return `${serverUrl.replace(/\/+$/, '')}${API_PREFIX}${path}`;
}

/** The device's HTTP link to its commune server (sync-protocol.md). */
export function createHttpTransport(options: { serverUrl: string; token: string; fetch?: FetchLike }): SyncTransport {
  const fetchFn: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const auth = { authorization: `Bearer ${options.token}` };
  const postJson = async <T>(path: string, body: unknown, schema: z.ZodType<T>, timeoutMs?: number) => {
    const json = JSON.stringify(body);
    const compressed = await gzip(json);
    const headers = {
      ...auth,
      'content-type': 'application/json',
      ...(compressed ? { 'content-encoding': 'gzip' } : {}),
    };
    return request(
      fetchFn,
      apiUrl(options.serverUrl, path),
      { method: 'POST', headers, body: compressed ?? json },
      schema,
      timeoutMs,
    );
  };
  return {
    push: (body) => postJson('/sync/push', body, pushResponseSchema),
    importFile: (file) => postJson('/imports', file, importResponseSchema, IMPORT_TIMEOUT_MS),
    pull(cursor, limit) {
      const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
      return request(
        fetchFn,
        apiUrl(options.serverUrl, `/sync/pull?${query.toString()}`),
        { headers: auth },
        pullResponseSchema,
      );
    },
    receipt() {
      return request(fetchFn, apiUrl(options.serverUrl, '/sync/receipt'), { headers: auth }, receiptResponseSchema);
    },
    async getAttachment(id) {
      let response: Response;
      try {
        response = await fetchFn(apiUrl(options.serverUrl, `/attachments/${id}`), {
          headers: auth,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch {
        return { ok: false, kind: 'offline' };
      }
      if (!response.ok)
        return {
          ok: false,
          kind: response.status === 401 ? 'unauthorized' : response.status >= 500 ? 'server' : 'refused',
          status: response.status,
        };
      return { ok: true, value: await response.blob() };
    },
    async putAttachment(upload) {
      const query = new URLSearchParams({ communeCode: upload.communeCode, recordId: upload.recordId });
      const headers = { ...auth, 'content-type': upload.blob.type || 'image/jpeg', 'x-content-sha256': upload.sha256 };
      const answer = await request(
        fetchFn,
        apiUrl(options.serverUrl, `/attachments/${upload.id}?${query.toString()}`),
        { method: 'PUT', headers, body: upload.blob },
        anyJson,
      );
      return answer.ok ? { ok: true, value: { stored: true } } : answer;
    },
  };
}

/** Attachment answers carry no body the device needs. */
const anyJson = z.unknown();

/** Joins a commune with a one-time enrolment code. */
export function enrollWithServer(
  serverUrl: string,
  body: EnrollRequest,
  fetchFn: FetchLike = (i, init) => fetch(i, init),
): Promise<TransportResult<EnrollResponse>> {
  return request(
    fetchFn,
    apiUrl(serverUrl, '/devices/enroll'),
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    enrollResponseSchema,
  );
}
