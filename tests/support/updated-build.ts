/**
 * A second build of the app, as the next deploy would serve it: the same sources copied to a
 * temporary directory, with one Dexie schema version more (a new index on the outbox, so the
 * upgrade runs over the unsent changes) and a new app version, built by Vite like `npm run build`.
 * Its service worker differs from the first build's because its precache manifest does.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DB_SOURCE = 'src/client/db/db.ts';
/** The outbox index the new schema version adds. */
export const NEW_OUTBOX_INDEX = 'clientTime';

export interface UpdatedBuild {
  /** The built app, to serve as STATIC_DIR. */
  readonly staticDir: string;
  /** What the settings screen says after the update ("Phiên bản …"). */
  readonly appVersion: string;
  /** The Dexie schema version of the current sources, and the new build's (one more). */
  readonly previousSchemaVersion: number;
  readonly schemaVersion: number;
  remove(): void;
}

/**
 * Appends `this.version(N + 1)` to the AppDatabase constructor: the outbox's latest schema plus
 * NEW_OUTBOX_INDEX. Returns the edited source and N.
 */
export function addSchemaVersion(source: string): { source: string; previous: number } {
  const versions = [...source.matchAll(/this\.version\((\d+)\)/g)];
  const previous = Math.max(...versions.map((m) => Number(m[1])));
  const outboxSpecs = [...source.matchAll(/\boutbox: '([^']+)'/g)];
  const outbox = outboxSpecs.at(-1)?.[1];
  if (versions.length === 0 || !Number.isFinite(previous) || !outbox) {
    throw new Error(`${DB_SOURCE}: no "this.version(n)" or "outbox: '…'" found; the update test's edit needs updating`);
  }
  if (outbox.split(',').some((index) => index.trim() === NEW_OUTBOX_INDEX)) {
    throw new Error(`${DB_SOURCE}: the outbox already has a ${NEW_OUTBOX_INDEX} index; pick another for the test`);
  }
  // The constructor's closing brace is the first one at class-member indent after its last version.
  const lastVersion = versions.at(-1)?.index ?? 0;
  const end = source.indexOf('\n  }\n', lastVersion);
  if (end < 0) throw new Error(`${DB_SOURCE}: the end of the AppDatabase constructor was not found`);
  const added = `\n    this.version(${previous + 1}).stores({ outbox: '${outbox}, ${NEW_OUTBOX_INDEX}' });`;
  return { source: source.slice(0, end) + added + source.slice(end), previous };
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  // Not vitest's environment: NODE_ENV=test would make Vite bundle React's development build.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => key !== 'NODE_ENV' && !key.startsWith('VITEST')),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
}

/** Copies the app's sources to a temporary directory, edits them as above, and builds them. */
export async function buildUpdatedApp(): Promise<UpdatedBuild> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skh-e2e-update-'));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    // The app's build inputs: every top-level file (configs, index.html) plus src/ and public/.
    for (const entry of fs.readdirSync(ROOT, { withFileTypes: true })) {
      if (entry.isFile()) fs.copyFileSync(path.join(ROOT, entry.name), path.join(dir, entry.name));
    }
    for (const folder of ['src', 'public']) {
      fs.cpSync(path.join(ROOT, folder), path.join(dir, folder), { recursive: true });
    }
    fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(dir, 'node_modules'), 'dir');

    const dbFile = path.join(dir, DB_SOURCE);
    const { source, previous } = addSchemaVersion(fs.readFileSync(dbFile, 'utf8'));
    fs.writeFileSync(dbFile, source);
    const packageFile = path.join(dir, 'package.json');
    const packageJson = JSON.parse(fs.readFileSync(packageFile, 'utf8')) as { version: string };
    const appVersion = `${packageJson.version}-next`;
    // vite.config.ts defines __APP_VERSION__ from package.json.
    fs.writeFileSync(packageFile, JSON.stringify({ ...packageJson, version: appVersion }, null, 2));

    const staticDir = path.join(dir, 'dist');
    await run(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], dir);
    if (!fs.existsSync(path.join(staticDir, 'sw.js')))
      throw new Error(`the second build wrote no sw.js in ${staticDir}`);
    return { staticDir, appVersion, previousSchemaVersion: previous, schemaVersion: previous + 1, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
