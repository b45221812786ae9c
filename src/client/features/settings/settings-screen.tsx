import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import { attachmentUsage } from '../../db/attachment.repository';
import { readSetting, writeSetting } from '../../db/settings.repository';
import { LANGUAGES, type Language } from '../../i18n/i18n';
import { estimateStorage, requestPersistentStorage, type StorageUse } from '../../pwa/storage-persistence';
import { formatBytes } from '../../ui/format-bytes';
import { EnrollForm } from './enroll-form';
import { DeviceNameForm } from './device-name-form';

function LanguagePicker() {
  const { t, i18n } = useTranslation();
  const { db, now } = useServices();
  const choose = async (language: Language) => {
    await i18n.changeLanguage(language);
    await writeSetting(db, 'language', language, now());
  };
  return (
    <fieldset className="card">
      <legend>{t('settings.language.legend')}</legend>
      {LANGUAGES.map((language) => (
        <label key={language} className="choice">
          <input
            type="radio"
            name="language"
            value={language}
            checked={i18n.language === language}
            onChange={() => void choose(language)}
          />
          <span lang={language}>{t(`settings.language.${language}`)}</span>
        </label>
      ))}
    </fieldset>
  );
}

function StorageCard() {
  const { t, i18n } = useTranslation();
  const { db, now, storage } = useServices();
  const persistence = useLiveQuery(() => readSetting(db, 'storagePersistence'), [db]);
  const [use, setUse] = useState<StorageUse | undefined>();
  const photos = useLiveQuery(() => attachmentUsage(db), [db]);

  useEffect(() => {
    void estimateStorage(storage).then(setUse);
  }, [storage, persistence]);

  const retry = async () => {
    await writeSetting(db, 'storagePersistence', await requestPersistentStorage(storage), now());
  };

  return (
    <section className="card" aria-labelledby="settings-storage">
      <h2 id="settings-storage">{t('settings.storage.title')}</h2>
      <p data-testid="storage-persistence" className={persistence === 'granted' ? 'success' : 'notice warning'}>
        {t(`settings.storage.${persistence ?? 'unknown'}`)}
      </p>
      {use && (
        <p>
          {t('settings.storage.usage', {
            used: formatBytes(use.usedBytes, t, i18n.language),
            quota: formatBytes(use.quotaBytes, t, i18n.language),
          })}
        </p>
      )}
      {photos && (
        <p data-testid="photo-usage">
          {t('settings.storage.photos', { count: photos.count, size: formatBytes(photos.bytes, t, i18n.language) })}
        </p>
      )}
      {persistence !== 'granted' && persistence !== 'unsupported' && (
        <button type="button" className="button" onClick={() => void retry()}>
          {t('settings.storage.retry')}
        </button>
      )}
    </section>
  );
}

export function SettingsScreen({ enrollCode }: { enrollCode?: string } = {}) {
  const { t } = useTranslation();
  const { appVersion } = useServices();
  return (
    <>
      <h1>{t('settings.title')}</h1>
      <DeviceNameForm />
      <EnrollForm initialCode={enrollCode} />
      <LanguagePicker />
      <StorageCard />
      <section className="card" aria-labelledby="settings-about">
        <h2 id="settings-about">{t('settings.about.title')}</h2>
        <p>{t('settings.about.version', { version: appVersion })}</p>
        <p>{t('settings.about.dataNote')}</p>
      </section>
    </>
  );
}
