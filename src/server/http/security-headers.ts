import type { FastifyInstance } from 'fastify';

/**
 * The built PWA loads only its own files: module scripts and one stylesheet from /assets, the
 * service worker and workbox from /, icons and the manifest. React sets `style={…}` through the
 * CSSOM, which style-src does not govern, so no 'unsafe-inline' is needed. Evidence photos are
 * shown from blob: URLs (and data: is allowed for images only). The app talks to the server it was
 * loaded from (connect-src 'self'), and no page may frame it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Sent with every answer: the app, the API, errors and 404s alike. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY', // frame-ancestors for browsers that predate it
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  // The QR scanner needs the camera; nothing needs the rest.
  'permissions-policy': 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()',
};

export function installSecurityHeaders(app: FastifyInstance) {
  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      if (!reply.hasHeader(name)) void reply.header(name, value);
    return payload;
  });
}
