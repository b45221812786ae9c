import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

const ONE_YEAR_S = 365 * 24 * 60 * 60;

/** Files Vite names by content hash never change; everything else must be revalidated. */
function cacheControlFor(filePath: string): string {
  const rel = filePath.split(path.sep).join('/');
  return /\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.\w+$/.test(rel) ? `public, max-age=${ONE_YEAR_S}, immutable` : 'no-cache';
}

export function hasBuiltApp(staticDir: string): boolean {
  return fs.existsSync(path.join(staticDir, 'index.html'));
}

/** Serves the built PWA; returns the SPA fallback (index.html) for in-app routes. */
export async function registerStaticFiles(app: FastifyInstance, staticDir: string) {
  await app.register(fastifyStatic, {
    root: staticDir,
    prefix: '/',
    index: ['index.html'],
    cacheControl: false,
    setHeaders: (reply, filePath) => {
      reply.header('Cache-Control', cacheControlFor(filePath));
    },
  });
  return (reply: FastifyReply) => reply.header('Cache-Control', 'no-cache').sendFile('index.html');
}
