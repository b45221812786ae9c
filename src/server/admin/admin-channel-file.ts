import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * `DATA_DIR/admin.json`: how the admin CLI reaches the running server (PGlite allows one process
 * per data directory, so the CLI must not open the store while the server holds it). Readable by
 * the server's user only (0600): whoever can read it can already read the database files.
 */
export const ADMIN_CHANNEL_FILE = 'admin.json';

export const adminChannelFileSchema = z.object({
  /** The server's pid: the CLI trusts the file only while this process holds server.lock. */
  pid: z.number().int().positive(),
  /** A loopback address the server listens on (127.0.0.1 or ::1). */
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535),
  /** The server's HOST setting, for the address the enrolment QR code shows. */
  listenHost: z.string().min(1),
  token: z.string().min(40),
});
export type AdminChannelInfo = z.infer<typeof adminChannelFileSchema>;

/** 32 random bytes, base64url: new at every start, never logged, only in the 0600 file. */
export function createAdminToken(): string {
  return randomBytes(32).toString('base64url');
}

export function adminChannelPath(dataDir: string): string {
  return path.join(dataDir, ADMIN_CHANNEL_FILE);
}

/**
 * Writes the file atomically (a reader never sees half of it) with mode 0600 from its creation.
 * Returns the remover for a clean shutdown; it removes only the file this process wrote.
 */
export function publishAdminChannel(dataDir: string, info: AdminChannelInfo): () => void {
  const file = adminChannelPath(dataDir);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.rmSync(temporary, { force: true });
  fs.writeFileSync(temporary, `${JSON.stringify(info)}\n`, { mode: 0o600, flag: 'wx' });
  fs.renameSync(temporary, file);
  return () => {
    try {
      const current = adminChannelFileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
      if (current.success && current.data.token === info.token) fs.unlinkSync(file);
    } catch {
      // Already gone or unreadable: nothing of ours to remove.
    }
  };
}

/** The file, or undefined when it is missing or not one the server wrote. */
export function readAdminChannel(dataDir: string): AdminChannelInfo | undefined {
  try {
    const parsed = adminChannelFileSchema.safeParse(JSON.parse(fs.readFileSync(adminChannelPath(dataDir), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The loopback address the CLI should call, from the addresses the server listens on: a loopback
 * one as is, a wildcard one through its family's loopback. Undefined when the server listens
 * only on other addresses (HOST=192.168.1.5): then there is no local-only channel.
 */
export function loopbackHostFor(addresses: readonly { address: string; family: string }[]): string | undefined {
  for (const { address } of addresses) if (address === '127.0.0.1' || address === '::1') return address;
  for (const { address } of addresses) {
    if (address === '0.0.0.0') return '127.0.0.1';
    if (address === '::') return '::1';
  }
  return undefined;
}
