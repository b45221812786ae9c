import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { href } from '../../app/routes';
import { useServices } from '../../app/services';
import { useDevice } from '../../app/use-device';
import { readSetting } from '../../db/settings.repository';
import { COUNTED_TABLES, COUNTS_INTERVAL_MS, readVillageCounts } from '../../db/summary.queries';
import { watchTables } from '../../db/watch-tables';
import { useThrottledQuery } from '../../ui/use-throttled-query';
import { listVillages } from '../../db/village.repository';
import { useOnlineStatus } from '../../ui/use-online-status';
import { SyncCard } from './sync-card';

export function HomeScreen() {
  const { t } = useTranslation();
  const { db } = useServices();
  const { commune, workingYear } = useDevice();
  const isOnline = useOnlineStatus();
  // Wrapped so "still loading" (undefined) differs from "no name stored" ({ name: undefined }).
  const device = useLiveQuery(async () => ({ name: await readSetting(db, 'deviceName') }), [db]);
  const persistence = useLiveQuery(() => readSetting(db, 'storagePersistence'), [db]);
  const villages = useLiveQuery(() => listVillages(db), [db]);
  const counts = useThrottledQuery(
    () => readVillageCounts(db, workingYear),
    (onChange) => watchTables(db, COUNTED_TABLES, onChange),
    COUNTS_INTERVAL_MS,
    [db, workingYear],
  );

  return (
    <>
      <h1>{t('home.title')}</h1>
      {commune && (
        <p className="lead">{t('home.commune', { commune: commune.communeName, province: commune.provinceName })}</p>
      )}
      <p className="lead">{t('home.year', { year: workingYear })}</p>
      {!isOnline && <p className="notice">{t('home.offlineNote')}</p>}
      {persistence === 'denied' && <p className="notice warning">{t('home.storageWarning')}</p>}
      <SyncCard />
      {villages && villages.length > 0 && (
        <nav className="quick-actions" aria-label={t('home.quickActions')}>
          {/* With one village the new household goes straight there; otherwise pick the village first. */}
          <a
            className="button primary"
            href={villages.length === 1 && villages[0] ? href.householdNew(villages[0].id) : href.villages()}
          >
            {t('home.addHousehold')}
          </a>
          <a className="button" href={href.clanEdit(null)}>
            {t('home.addClan')}
          </a>
          <a className="button" href={href.unitEdit(null)}>
            {t('home.addUnit')}
          </a>
        </nav>
      )}
      <section className="card" aria-labelledby="home-villages">
        <h2 id="home-villages">{t('home.villages')}</h2>
        {villages && villages.length === 0 && (
          <>
            <p>{t('home.noVillages')}</p>
            <a className="button primary" href={href.villages()}>
              {t('home.addVillage')}
            </a>
          </>
        )}
        {villages && villages.length > 0 && (
          <table className="counts">
            <thead>
              <tr>
                <th scope="col">{t('home.village')}</th>
                <th scope="col">{t('home.households')}</th>
                <th scope="col">{t('home.familyPassed')}</th>
              </tr>
            </thead>
            <tbody>
              {villages.map((v) => {
                const c = counts?.get(v.id);
                return (
                  <tr key={v.id}>
                    <th scope="row">
                      <a href={href.village(v.id)}>{v.data.name}</a>
                    </th>
                    <td>{c?.households ?? 0}</td>
                    <td>
                      {t('home.passedOfAssessed', { passed: c?.familyPassed ?? 0, assessed: c?.familyAssessed ?? 0 })}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      <section className="card" aria-labelledby="home-device">
        <h2 id="home-device">{t('home.deviceLabel')}</h2>
        {device && <p data-testid="home-device-name">{device.name ?? t('home.deviceUnnamed')}</p>}
        {device && device.name === undefined && (
          <a className="button" href={href.settings()}>
            {t('home.nameDevice')}
          </a>
        )}
      </section>
    </>
  );
}
