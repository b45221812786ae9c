import { describe, expect, it } from 'vitest';
import { href, routeFromHash } from './routes';

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
    [href.clanEdit(null), { name: 'clanEdit', clanId: null }],
    [href.connect('K7M2Q-9XRTA'), { name: 'connect', code: 'K7M2Q-9XRTA' }],
    [href.clanEdit(ID), { name: 'clanEdit', clanId: ID }],
    [href.unitEdit(ID), { name: 'unitEdit', unitId: ID }],
  ])('reads %j as the matching screen', (hash, route) => {
    expect(routeFromHash(hash)).toEqual(route);
  });

  it('keeps a connect code with a stray "%" as typed instead of failing', () => {
    expect(routeFromHash('#/ket-noi?code=K7M2Q%9XRTA')).toEqual({ name: 'connect', code: 'K7M2Q%9XRTA' });
  });

  it.each(['#/khong-co', `#/danh-gia/hoc_gioi/${ID}/2026`, '#/ho/not-an-id'])(
    'opens the home screen for the unknown address %j',
    (hash) => {
      expect(routeFromHash(hash)).toEqual({ name: 'home' });
    },
  );
});
