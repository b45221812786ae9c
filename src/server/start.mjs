// `npm start`: install what is missing, build the PWA if its sources changed, then run the
// server in THIS process (tsx compiles the TypeScript on load), so Ctrl-C reaches it directly.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuild, ensureDependencies } from './setup.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
process.chdir(root);
ensureDependencies(root);
ensureBuild(root);

process.env.SKH_RUN_MAIN = '1';
const { register } = await import('tsx/esm/api');
register();
await import('./main.ts');
