import { createElement } from 'react';
import { TITLES, type Title } from '../../shared/schemas/titles';
import {
  hrefsOf,
  lazyScreen,
  matchAddress,
  route,
  useMatchedRoute,
  type Area,
  type LazyScreen,
  type MatchOf,
  type Param,
  type RouteContext,
  type Tab,
} from './router';

export { navigate } from './router';

const ID_PATTERN = /^[0-9a-f-]{36}$/;
const id: Param<string> = { read: (text) => (ID_PATTERN.test(text) ? text : undefined), write: (value) => value };
/** A record's id, or "moi" for a new one. */
const idOrNew: Param<string | null> = {
  read: (text) => (text === 'moi' ? null : id.read(text)),
  write: (value) => value ?? 'moi',
};
const title: Param<Title> = {
  read: (text) => TITLES.find((known) => known === text),
  write: (value) => value,
};
const year: Param<number> = { read: (text) => (/^\d{4}$/.test(text) ? Number(text) : undefined), write: String };
/** An enrolment code as typed or scanned; a stray "%" is kept as typed (connect-link.ts judges it). */
const enrolCode: Param<string> = {
  read: (text) => (/^[A-Za-z0-9%-]{1,64}$/.test(text) ? text : undefined),
  write: (value) => value,
};

/**
 * Every screen, declared once: its Vietnamese address (links and QR codes in the field depend on
 * these staying as they are), typed params, its lazily loaded code and the area that code belongs
 * to (vite.config.ts names each built chunk after it, and the service worker precaches by it).
 */
export const ROUTES = {
  home: route({
    path: '/',
    params: {},
    area: 'field',
    tab: 'home',
    screen: lazyScreen(
      () => import('../features/home/home-screen'),
      (m) => m.HomeScreen,
    ),
  }),
  settings: route({
    path: '/cai-dat',
    params: {},
    area: 'field',
    tab: 'settings',
    beforeSetup: true,
    screen: lazyScreen(
      () => import('../features/settings/settings-screen'),
      (m) => m.SettingsScreen,
    ),
  }),
  villages: route({
    path: '/thon',
    params: {},
    area: 'field',
    tab: 'villages',
    screen: lazyScreen(
      () => import('../features/villages/villages-screen'),
      (m) => m.VillagesScreen,
    ),
  }),
  village: route({
    path: '/thon/:villageId',
    params: { villageId: id },
    area: 'field',
    tab: 'villages',
    screen: lazyScreen(
      () => import('../features/households/household-list-screen'),
      (m) => m.HouseholdListScreen,
    ),
  }),
  householdNew: route({
    path: '/thon/:villageId/ho-moi',
    params: { villageId: id },
    area: 'field',
    tab: 'villages',
    screen: lazyScreen(
      () => import('../features/households/household-form-screen'),
      (m) => m.HouseholdFormScreen,
    ),
  }),
  household: route({
    path: '/ho/:householdId',
    params: { householdId: id },
    area: 'field',
    tab: 'villages',
    screen: lazyScreen(
      () => import('../features/households/household-screen'),
      (m) => m.HouseholdScreen,
    ),
  }),
  householdEdit: route({
    path: '/ho/:householdId/sua',
    params: { householdId: id },
    area: 'field',
    tab: 'villages',
    screen: lazyScreen(
      () => import('../features/households/household-form-screen'),
      (m) => m.HouseholdFormScreen,
    ),
  }),
  citizenNew: route({
    path: '/ho/:householdId/them-nguoi',
    params: { householdId: id },
    area: 'field',
    tab: 'villages',
    screen: lazyScreen(
      () => import('../features/households/citizen-form-screen'),
      (m) => m.CitizenFormScreen,
    ),
  }),
  citizenEdit: route({
    path: '/ho/:householdId/nguoi/:citizenId',
    params: { householdId: id, citizenId: id },
    area: 'field',
    tab: 'villages',
    screen: lazyScreen(
      () => import('../features/households/citizen-form-screen'),
      (m) => m.CitizenFormScreen,
    ),
  }),
  assessment: route({
    path: '/danh-gia/:title/:subjectId/:year',
    params: { title, subjectId: id, year },
    area: 'field',
    tab: ({ title }) => (title === 'learning_clan' ? 'clans' : title === 'learning_unit' ? 'units' : 'villages'),
    screen: lazyScreen(
      () => import('../features/assessments/assessment-screen'),
      (m) => m.AssessmentScreen,
    ),
  }),
  conflicts: route({
    path: '/xung-dot',
    params: {},
    area: 'field',
    tab: 'home',
    screen: lazyScreen(
      () => import('../features/sync/conflicts-screen'),
      (m) => m.ConflictsScreen,
    ),
  }),
  connect: route({
    path: '/ket-noi',
    search: ['code'],
    params: { code: enrolCode },
    area: 'field',
    tab: 'settings',
    beforeSetup: true,
    screen: lazyScreen(
      () => import('../features/settings/settings-screen'),
      (m) =>
        function EnrolScreen({ code }: { code: string }) {
          return createElement<{ enrollCode?: string }>(m.SettingsScreen, { enrollCode: code });
        },
    ),
  }),
  clans: route({
    path: '/dong-ho',
    params: {},
    area: 'field',
    tab: 'clans',
    screen: lazyScreen(
      () => import('../features/clans/clans-screen'),
      (m) => m.ClansScreen,
    ),
  }),
  clanEdit: route({
    path: '/dong-ho/:clanId',
    params: { clanId: idOrNew },
    area: 'field',
    tab: 'clans',
    screen: lazyScreen(
      () => import('../features/clans/clan-form-screen'),
      (m) => m.ClanFormScreen,
    ),
  }),
  units: route({
    path: '/don-vi',
    params: {},
    area: 'field',
    tab: 'units',
    screen: lazyScreen(
      () => import('../features/units/units-screen'),
      (m) => m.UnitsScreen,
    ),
  }),
  unitEdit: route({
    path: '/don-vi/:unitId',
    params: { unitId: idOrNew },
    area: 'field',
    tab: 'units',
    screen: lazyScreen(
      () => import('../features/units/unit-form-screen'),
      (m) => m.UnitFormScreen,
    ),
  }),
};

/** The first run: a device chooses its commune before any screen but settings and enrolment. */
export const FIRST_RUN: { readonly area: Area; readonly screen: LazyScreen<object> } = {
  area: 'setup',
  screen: lazyScreen(
    () => import('../features/setup/commune-setup-screen'),
    (m) => m.CommuneSetupScreen,
  ),
};

export type Route = MatchOf<typeof ROUTES>;
const HOME: Route = { name: 'home' };

/** Links to every screen, written from the table: `href.village(id)` is `#/thon/<id>`. */
export const href = hrefsOf(ROUTES);

/** The route an address names (`#/thon/<id>`); unknown or malformed addresses are the home screen. */
export function routeFromHash(hash: string): Route {
  return matchAddress(ROUTES, `/${hash.replace(/^#?\/?/, '')}`) ?? HOME;
}

/** The route on screen now; a route whose guard refuses `context` opens the home screen. */
export function useRoute(context: RouteContext): Route {
  return useMatchedRoute(ROUTES, HOME, context);
}

/** The screen a route shows, and the props it takes (the route's params). */
export function screenOf(route: Route): { readonly screen: LazyScreen<object>; readonly params: object } {
  const { name, ...params } = route;
  return { screen: ROUTES[name].screen as LazyScreen<object>, params };
}

/** Which bottom-navigation tab a route lights. */
export function tabOf(route: Route): Tab {
  const { tab } = ROUTES[route.name];
  return typeof tab === 'function' ? (tab as (params: Route) => Tab)(route) : tab;
}

/** Fetches a screen's code ahead of time (at start, in parallel with opening the database). */
export function preloadScreen(hash: string): Promise<unknown> {
  return ROUTES[routeFromHash(hash).name].screen.preload();
}

/** Fetches the screens of some areas (all when none are named), so moving between them never waits. */
export function preloadScreens(...areas: Area[]): Promise<unknown> {
  const screens = [...Object.values(ROUTES), FIRST_RUN].filter((spec) => !areas.length || areas.includes(spec.area));
  return Promise.allSettled(screens.map((spec) => spec.screen.preload()));
}
