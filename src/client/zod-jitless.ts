import { z } from 'zod';

/**
 * The server's Content-Security-Policy allows no eval (security-headers.ts). Zod would otherwise
 * probe `new Function` once to compile its object parsers, and the browser reports that probe as a
 * CSP violation even though Zod catches it; without eval Zod parses the same way, a little slower.
 * Imported first by main.tsx, before any schema parses.
 */
z.config({ jitless: true });
