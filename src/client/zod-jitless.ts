import { z } from 'zod';

/**
 * The server's Content-Security-Policy allows no eval (security-headers.ts). Zod would otherwise
 * probe `new Function` once to compile its object parsers, and the browser reports that probe as a
 * CSP violation even though Zod catches it; without eval Zod parses the same way, a little slower.
 *
 * Zod loads lazily (never in the start-up chunk), so no single import site can be sure to come
 * first: in the browser build every `import … from 'zod'` resolves to this module instead
 * (vite.config.ts, zodJitless), which configures Zod before any importer's code runs.
 */
z.config({ jitless: true });

export * from 'zod';
