import { useEffect, useSyncExternalStore, type ComponentType, type ReactNode } from 'react';
import { inject, parse } from 'regexparam';
import { matchRoute, useLocation, type DefaultParams } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import type { Area } from './areas';
import type { DeviceState } from './use-device';

/**
 * What a route table is made of (the table itself is routes.ts). Addresses are matched by wouter
 * (regexparam patterns such as `/thon/:villageId`) on the part of the address after "#", so they
 * work from the precache and from a home-screen icon with no server.
 */

export type { Area } from './areas';

/** One part of an address: read from its text (undefined: the address is not this route) and written back. */
export interface Param<T> {
  read(text: string): T | undefined;
  write(value: T): string;
}

/** The `:name` parts of a path pattern, in order. */
type PathNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? [Name, ...PathNames<`/${Rest}`>]
  : P extends `${string}:${infer Name}`
    ? [Name]
    : [];
/** What `href` takes, in order: the path's parts, then the query's. */
type ArgNames<P extends string, S extends readonly string[]> = [...PathNames<P>, ...S];
export type ParamValues<C> = { [K in keyof C]: C[K] extends Param<infer T> ? T : never };
type HrefArgs<N extends readonly string[], C> = {
  -readonly [I in keyof N]: N[I] extends keyof C ? ParamValues<C>[N[I]] : never;
};
type HrefArgsOf<R> = R extends RouteSpec<infer P, infer S, infer C> ? HrefArgs<ArgNames<P, S>, C> : never;

/** A screen as the table holds it: a function component of the route's params. */
export type ScreenComponent<Props> = (props: Props) => ReactNode;

/** Where a lazily loaded screen's code is. */
export type LoadState<Props> =
  | { readonly status: 'idle' | 'loading' | 'failed' }
  | { readonly status: 'loaded'; readonly Component: ScreenComponent<Props> };

/** A screen whose code is fetched the first time it is shown (or preloaded), as a small store. */
export interface LazyScreen<Props> {
  readonly state: () => LoadState<Props>;
  readonly subscribe: (listener: () => void) => () => void;
  /** Fetches the code (again, after a failure); resolves once it is here. */
  readonly preload: () => Promise<unknown>;
}

/** What a guard sees when it decides; the next issue adds the device's role here. */
export interface RouteContext {
  readonly device: DeviceState;
}

/** The bottom navigation's tabs: a screen lights the one it belongs to. */
export type Tab = 'home' | 'villages' | 'clans' | 'units' | 'settings';

export interface RouteSpec<P extends string, S extends readonly string[], C> {
  /** The address after "#", e.g. `/ho/:householdId/sua`. */
  readonly path: P;
  /** Keys read from the query after the path (`#/ket-noi?code=…`); `href` takes them after the path's. */
  readonly search?: S;
  /** How each `:name` and query key reads and writes. */
  readonly params: C;
  readonly area: Area;
  readonly screen: LazyScreen<NoInfer<ParamValues<C>>>;
  readonly tab: Tab | ((params: NoInfer<ParamValues<C>>) => Tab);
  /** Opens on a device with no commune yet (settings, enrolment); other screens wait for setup. */
  readonly beforeSetup?: true;
  /** Who may open the screen; a refusal opens the home screen instead. Absent: everyone. */
  readonly guard?: (context: RouteContext) => boolean;
}

/** A route spec whose names are checked: every `:name` and query key has a Param. */
export function route<
  const P extends string,
  const S extends readonly string[] = [],
  C extends Record<ArgNames<P, S>[number], Param<unknown>> = Record<ArgNames<P, S>[number], Param<unknown>>,
>(spec: RouteSpec<P, S, C>): RouteSpec<P, S, C> {
  return spec;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a table holds routes of any params
type AnyRoute = RouteSpec<string, readonly string[], any>;
export type RouteTable = Record<string, AnyRoute>;

/** A route matched from an address: its name and its typed params side by side. */
export type MatchOf<T extends RouteTable> = {
  [N in keyof T & string]: { readonly name: N } & ParamValues<T[N]['params']>;
}[keyof T & string];

/**
 * The screen behind `load`, picked from its module by `pick`. Not React.lazy: a Suspense boundary
 * shows its fallback for at least 300 ms once shown (React throttles reveals), which nested
 * lazy loads at start-up added up to over half a second; a plain store re-renders the moment the
 * code is here, and a preloaded screen renders at once.
 */
export function lazyScreen<M, Props>(
  load: () => Promise<M>,
  pick: (module: M) => ScreenComponent<Props>,
): LazyScreen<Props> {
  let state: LoadState<Props> = { status: 'idle' };
  let loading: Promise<unknown> | undefined;
  const listeners = new Set<() => void>();
  const set = (next: LoadState<Props>) => {
    state = next;
    listeners.forEach((listener) => listener());
  };
  const preload = () => {
    if (state.status === 'idle' || state.status === 'failed') {
      set({ status: 'loading' });
      loading = load().then(
        (module) => set({ status: 'loaded', Component: pick(module) }),
        (error: unknown) => {
          set({ status: 'failed' });
          throw error;
        },
      );
    }
    return loading!;
  };
  return {
    state: () => state,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    preload,
  };
}

/** The route an address names, with its params read, or undefined (an unknown address). */
export function matchAddress<T extends RouteTable>(routes: T, address: string): MatchOf<T> | undefined {
  const queryAt = address.indexOf('?');
  const path = queryAt < 0 ? address : address.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : address.slice(queryAt + 1));
  for (const [name, spec] of Object.entries(routes)) {
    const [matches, texts] = matchRoute<DefaultParams>(parse, spec.path, path || '/');
    if (!matches) continue;
    const params = readParams(spec, (key) => texts[key] ?? query.get(key) ?? undefined);
    if (params) return { name, ...params } as MatchOf<T>;
  }
  return undefined;
}

function readParams(spec: AnyRoute, textOf: (key: string) => string | undefined) {
  const values: Record<string, unknown> = {};
  for (const [key, param] of Object.entries<Param<unknown>>(spec.params)) {
    const text = textOf(key);
    const value = text === undefined ? undefined : param.read(text);
    if (value === undefined) return undefined;
    values[key] = value;
  }
  return values;
}

/** `href.name(...params)` for every route: `#/` addresses written from the same table that reads them. */
export function hrefsOf<T extends RouteTable>(routes: T): { [N in keyof T]: (...args: HrefArgsOf<T[N]>) => string } {
  return Object.fromEntries(
    Object.entries(routes).map(([name, spec]) => {
      const pathKeys = parse(spec.path).keys;
      const keys = [...pathKeys, ...(spec.search ?? [])];
      const build = (...args: unknown[]) => {
        const texts = Object.fromEntries(keys.map((key, i) => [key, spec.params[key].write(args[i])]));
        const path = inject(spec.path, texts);
        const query = (spec.search ?? []).map((key) => `${key}=${encodeURIComponent(texts[key])}`).join('&');
        return `#${path}${query ? `?${query}` : ''}`;
      };
      return [name, build];
    }),
  ) as never;
}

/** The route shown for the current address: unknown addresses and refused guards open `home`. */
export function useMatchedRoute<T extends RouteTable>(routes: T, home: MatchOf<T>, context: RouteContext): MatchOf<T> {
  const [address] = useLocation();
  const match = matchAddress(routes, address);
  if (!match) return home;
  const guard = routes[match.name]?.guard;
  return guard && !guard(context) ? home : match;
}

/**
 * wouter's hash location, with the query kept inside the hash (`#/ket-noi?code=…`, the form QR codes
 * carry) rather than moved to the page's own query string.
 */
export function useHashAddress(): [string, (to: string) => void] {
  const [address] = useHashLocation();
  return [address, navigate];
}

/** Opens an address (`href.x(...)`); a new history entry, so Back returns. */
export function navigate(to: string) {
  window.location.hash = to;
}

/**
 * Shows a lazily loaded screen with its params: `loading` until its code is here (fetching it if
 * nobody has yet), `failed` with a retry if it cannot be fetched (an on-demand area offline).
 */
export function RouteScreen<Props>(props: {
  readonly screen: LazyScreen<Props>;
  readonly params: Props;
  readonly loading: ReactNode;
  readonly failed: (retry: () => void) => ReactNode;
}) {
  const { screen } = props;
  const state = useSyncExternalStore(screen.subscribe, screen.state);
  const retry = () => void screen.preload().catch(() => undefined);
  useEffect(() => {
    if (state.status === 'idle') void screen.preload().catch(() => undefined);
  }, [screen, state.status]);
  if (state.status === 'failed') return props.failed(retry);
  if (state.status !== 'loaded') return props.loading;
  const Screen = state.Component as ComponentType<Props & object>;
  return <Screen {...(props.params as Props & object)} />;
}
