/**
 * The app's areas: which screens' code a phone stores. Kept apart from the router (no imports) so
 * vite.config.ts can read it when it names each built chunk `assets/<area>-<name>-<hash>.js`.
 *
 * - field: what a volunteer's phone needs offline (the field screens, sync, English, and the
 *   national list of communes, `field-units-*.js`, ~40 KB gzip, which the enrol form loads too).
 * - setup: choosing the commune on first run. Precached too, so a phone installed at the office
 *   can be set up in a village with no network, but never in the start-up JavaScript.
 * - office, reports: the commune office's screens; fetched when first opened, then kept by the
 *   service worker, never stored on volunteers' phones ahead of use.
 */
export const AREAS = ['field', 'setup', 'office', 'reports'] as const;
export type Area = (typeof AREAS)[number];

/** Areas the service worker stores at install; the others are cached on first use only. */
export const PRECACHED_AREAS: readonly Area[] = ['field', 'setup'];
