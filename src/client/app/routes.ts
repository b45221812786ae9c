import { useSyncExternalStore } from 'react';

/** Hash routes: they work from the precache and from a home-screen icon with no server. */
export const ROUTES = {
  home: '#/',
  settings: '#/cai-dat',
} as const;
export type RouteName = keyof typeof ROUTES;

export function routeFromHash(hash: string): RouteName {
  const found = (Object.keys(ROUTES) as RouteName[]).find((name) => ROUTES[name] === hash);
  return found ?? 'home';
}

function subscribe(listener: () => void) {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

export function useRoute(): RouteName {
  return useSyncExternalStore(subscribe, () => routeFromHash(window.location.hash));
}
