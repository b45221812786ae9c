import { describe, expect, it } from 'vitest';
import { href, ROUTES, routeFromHash } from './routes';

const ID = '0196f0c2-8a4b-7c3d-9e8f-0123456789ab';

describe('routeFromHash', () => {
  it.each([
    ['', { name: 'home' }],
    ['#/', { name: 'home' }],
    [href.settings(), { name: 'settings' }],
    [href.villages(), { name: 'villages' }],
    [href.village(ID), { name: 'village', villageId: ID }],
    [href.householdNew(ID), { name: 'householdNew', villageId: ID }],
    [href.household(ID), { name: 'household', householdId: ID }],
    [href.householdEdit(ID), { name: 'householdEdit', householdId: ID }],
    [href.citizenNew(ID), { name: 'citizenNew', householdId: ID }],
    [href.citizenEdit(ID, ID), { name: 'citizenEdit', householdId: ID, citizenId: ID }],
    [
      href.assessment('learning_citizen', ID, 2026),
      { name: 'assessment', title: 'learning_citizen', subjectId: ID, year: 2026 },
    ],
    [href.conflicts(), { name: 'conflicts' }],
    [href.clans(), { name: 'clans' }],
    [href.clanEdit(null), { name: 'clanEdit', clanId: null }],
    [href.connect('K7M2Q-9XRTA'), { name: 'connect', code: 'K7M2Q-9XRTA' }],
    [href.clanEdit(ID), { name: 'clanEdit', clanId: ID }],
    [href.units(), { name: 'units' }],
    [href.unitEdit(null), { name: 'unitEdit', unitId: null }],
    [href.unitEdit(ID), { name: 'unitEdit', unitId: ID }],
  ])('reads %j as the matching screen', (hash, route) => {
    expect(routeFromHash(hash)).toEqual(route);
  });

  it('keeps a connect code with a stray "%" as typed instead of failing', () => {
    expect(routeFromHash('#/ket-noi?code=K7M2Q%9XRTA')).toEqual({ name: 'connect', code: 'K7M2Q%9XRTA' });
  });

  it.each([
    '#/khong-co',
    `#/danh-gia/hoc_gioi/${ID}/2026`,
    `#/danh-gia/learning_citizen/${ID}/26`,
    '#/ho/not-an-id',
    `#/ho/${ID.toUpperCase()}`,
    '#/dong-ho/khong-phai-ma',
    '#/ket-noi',
    '#/ket-noi?code=',
    `#/thon/${ID}/khong-co`,
  ])('opens the home screen for the unknown or malformed address %j', (hash) => {
    expect(routeFromHash(hash)).toEqual({ name: 'home' });
  });
});

describe('href', () => {
  it('writes the Vietnamese addresses that links and QR codes already carry', () => {
    expect([
      href.home(),
      href.settings(),
      href.villages(),
      href.village(ID),
      href.householdNew(ID),
      href.household(ID),
      href.householdEdit(ID),
      href.citizenNew(ID),
      href.citizenEdit(ID, 'c'),
      href.assessment('learning_family', ID, 2026),
      href.conflicts(),
      href.connect('K7M2Q 9X/RTA'),
      href.clans(),
      href.clanEdit(null),
      href.units(),
      href.unitEdit(ID),
    ]).toEqual([
      '#/',
      '#/cai-dat',
      '#/thon',
      `#/thon/${ID}`,
      `#/thon/${ID}/ho-moi`,
      `#/ho/${ID}`,
      `#/ho/${ID}/sua`,
      `#/ho/${ID}/them-nguoi`,
      `#/ho/${ID}/nguoi/c`,
      `#/danh-gia/learning_family/${ID}/2026`,
      '#/xung-dot',
      '#/ket-noi?code=K7M2Q%209X%2FRTA',
      '#/dong-ho',
      '#/dong-ho/moi',
      '#/don-vi',
      `#/don-vi/${ID}`,
    ]);
  });

  it('has a link for every route and no two routes at one address', () => {
    expect(Object.keys(href).sort()).toEqual(Object.keys(ROUTES).sort());
    const paths = Object.values(ROUTES).map((spec) => spec.path);
    expect(new Set(paths).size).toBe(paths.length);
  });
});
