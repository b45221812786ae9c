import { useSyncExternalStore } from 'react';
import { TITLES, type Title } from '../../shared/schemas/assessment.schema';

/** Hash routes: they work from the precache and from a home-screen icon with no server. */
export type Route =
  | { name: 'home' }
  | { name: 'settings' }
  | { name: 'villages' }
  | { name: 'village'; villageId: string }
  | { name: 'householdNew'; villageId: string }
  | { name: 'household'; householdId: string }
  | { name: 'householdEdit'; householdId: string }
  | { name: 'citizenNew'; householdId: string }
  | { name: 'citizenEdit'; householdId: string; citizenId: string }
  | { name: 'assessment'; title: Title; subjectId: string; year: number }
  | { name: 'conflicts' }
  | { name: 'connect'; code: string }
  | { name: 'clans' }
  | { name: 'clanEdit'; clanId: string | null }
  | { name: 'units' }
  | { name: 'unitEdit'; unitId: string | null };

/** A link typed or scanned by hand may hold a stray "%": keep it as typed rather than crash. */
function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export const href = {
  home: () => '#/',
  settings: () => '#/cai-dat',
  villages: () => '#/thon',
  village: (villageId: string) => `#/thon/${villageId}`,
  householdNew: (villageId: string) => `#/thon/${villageId}/ho-moi`,
  household: (householdId: string) => `#/ho/${householdId}`,
  householdEdit: (householdId: string) => `#/ho/${householdId}/sua`,
  citizenNew: (householdId: string) => `#/ho/${householdId}/them-nguoi`,
  citizenEdit: (householdId: string, citizenId: string) => `#/ho/${householdId}/nguoi/${citizenId}`,
  assessment: (title: Title, subjectId: string, year: number) => `#/danh-gia/${title}/${subjectId}/${year}`,
  conflicts: () => '#/xung-dot',
  connect: (code: string) => `#/ket-noi?code=${encodeURIComponent(code)}`,
  clans: () => '#/dong-ho',
  clanEdit: (clanId: string | null) => `#/dong-ho/${clanId ?? 'moi'}`,
  units: () => '#/don-vi',
  unitEdit: (unitId: string | null) => `#/don-vi/${unitId ?? 'moi'}`,
};

const ID = '([0-9a-f-]{36})';
const PATTERNS: [RegExp, (m: string[]) => Route | undefined][] = [
  [/^#?\/?$/, () => ({ name: 'home' })],
  [/^#\/cai-dat$/, () => ({ name: 'settings' })],
  [/^#\/thon$/, () => ({ name: 'villages' })],
  [new RegExp(`^#/thon/${ID}$`), ([, id]) => (id ? { name: 'village', villageId: id } : undefined)],
  [new RegExp(`^#/thon/${ID}/ho-moi$`), ([, id]) => (id ? { name: 'householdNew', villageId: id } : undefined)],
  [new RegExp(`^#/ho/${ID}$`), ([, id]) => (id ? { name: 'household', householdId: id } : undefined)],
  [new RegExp(`^#/ho/${ID}/sua$`), ([, id]) => (id ? { name: 'householdEdit', householdId: id } : undefined)],
  [new RegExp(`^#/ho/${ID}/them-nguoi$`), ([, id]) => (id ? { name: 'citizenNew', householdId: id } : undefined)],
  [
    new RegExp(`^#/ho/${ID}/nguoi/${ID}$`),
    ([, h, c]) => (h && c ? { name: 'citizenEdit', householdId: h, citizenId: c } : undefined),
  ],
  [
    new RegExp(`^#/danh-gia/([a-z_]+)/${ID}/(\\d{4})$`),
    ([, title, id, year]) =>
      TITLES.includes(title as Title) && id && year
        ? { name: 'assessment', title: title as Title, subjectId: id, year: Number(year) }
        : undefined,
  ],
  [/^#\/xung-dot$/, () => ({ name: 'conflicts' })],
  [/^#\/ket-noi\?code=([A-Za-z0-9%-]{1,64})$/, ([, code]) => ({ name: 'connect', code: decodeOrKeep(code ?? '') })],
  [/^#\/dong-ho$/, () => ({ name: 'clans' })],
  [
    new RegExp(`^#/dong-ho/(moi|${ID.slice(1, -1)})$`),
    ([, id]) => ({ name: 'clanEdit', clanId: id === 'moi' || !id ? null : id }),
  ],
  [/^#\/don-vi$/, () => ({ name: 'units' })],
  [
    new RegExp(`^#/don-vi/(moi|${ID.slice(1, -1)})$`),
    ([, id]) => ({ name: 'unitEdit', unitId: id === 'moi' || !id ? null : id }),
  ],
];

/** Unknown addresses open the home screen rather than a blank page. */
export function routeFromHash(hash: string): Route {
  for (const [pattern, build] of PATTERNS) {
    const match = pattern.exec(hash);
    if (match) {
      const route = build([...match]);
      if (route) return route;
    }
  }
  return { name: 'home' };
}

function subscribe(listener: () => void) {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

/** The current hash; components parse it with `routeFromHash` (a string keeps the snapshot stable). */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return routeFromHash(hash);
}

export function navigate(to: string) {
  window.location.hash = to;
}
