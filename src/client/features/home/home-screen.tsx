import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { readSetting } from '../../db/settings.repository';
import { ROUTES } from '../../app/routes';
import { useServices } from '../../app/services';
import { useOnlineStatus } from '../../ui/use-online-status';

export function HomeScreen() {
  const { t } = useTranslation();
  const { db, now } = useServices();
  const isOnline = useOnlineStatus();
  // Wrapped so "still loading" (undefined) differs from "no name stored" ({ name: undefined }).
  const device = useLiveQuery(async () => ({ name: await readSetting(db, 'deviceName') }), [db]);
  const persistence = useLiveQuery(() => readSetting(db, 'storagePersistence'), [db]);

  return (
    <>
      <h1>{t('home.title')}</h1>
      <p className="lead">{t('home.year', { year: now().getFullYear() })}</p>
      <p>{t('home.intro')}</p>
      {!isOnline && <p className="notice">{t('home.offlineNote')}</p>}
      {persistence === 'denied' && <p className="notice warning">{t('home.storageWarning')}</p>}
      <section className="card" aria-labelledby="home-device">
        <h2 id="home-device">{t('home.deviceLabel')}</h2>
        {device && <p data-testid="home-device-name">{device.name ?? t('home.deviceUnnamed')}</p>}
        {device && device.name === undefined && (
          <a className="button" href={ROUTES.settings}>
            {t('home.nameDevice')}
          </a>
        )}
      </section>
    </>
  );
}
