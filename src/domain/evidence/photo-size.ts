/** Evidence photos are kept small enough for a cheap phone's storage and a weak uplink. */
export const PHOTO_MAX_EDGE_PX = 1280;
export const PHOTO_MAX_BYTES = 300 * 1024;
/** JPEG qualities tried in turn until the photo fits under PHOTO_MAX_BYTES. */
export const PHOTO_QUALITIES = [0.82, 0.72, 0.62, 0.52, 0.42] as const;
/** When even the lowest quality is too big, the edge shrinks by this factor and the qualities repeat. */
export const PHOTO_SHRINK_FACTOR = 0.75;
export const PHOTO_MIN_EDGE_PX = 320;

/** The size to draw a width × height photo at: the long edge at most `maxEdge`, ratio kept. */
export function fitWithin(
  width: number,
  height: number,
  maxEdge: number = PHOTO_MAX_EDGE_PX,
): { width: number; height: number } {
  const longest = Math.max(width, height);
  if (longest <= maxEdge) return { width, height };
  const scale = maxEdge / longest;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * The sequence of (edge, quality) attempts an encoder should make, largest first, so the first
 * result under PHOTO_MAX_BYTES is the best-looking one that fits.
 */
export function compressionAttempts(maxEdge: number = PHOTO_MAX_EDGE_PX): { edge: number; quality: number }[] {
  const attempts: { edge: number; quality: number }[] = [];
  for (let edge = maxEdge; edge >= PHOTO_MIN_EDGE_PX; edge = Math.round(edge * PHOTO_SHRINK_FACTOR)) {
    for (const quality of PHOTO_QUALITIES) attempts.push({ edge, quality });
  }
  return attempts;
}
