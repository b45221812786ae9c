import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { href } from '../../app/routes';
import { useServices } from '../../app/services';
import { useDevice } from '../../app/use-device';
import { COUNTED_TABLES, COUNTS_INTERVAL_MS, readVillageCounts } from '../../db/summary.queries';
import { watchTables } from '../../db/watch-tables';
import { useThrottledQuery } from '../../ui/use-throttled-query';
import { listVillages } from '../../db/village.repository';
import { VillageForm } from './village-form';

/** The commune's villages (thôn / tổ dân phố / ấp / bản), with household counts. */
export function VillagesScreen() {
  const { t } = useTranslation();
  const { db } = useServices();
  const { commune, workingYear } = useDevice();
  const villages = useLiveQuery(() => listVillages(db), [db]);
  const counts = useThrottledQuery(
    () => readVillageCounts(db, workingYear),
    (onChange) => watchTables(db, COUNTED_TABLES, onChange),
    COUNTS_INTERVAL_MS,
    [db, workingYear],
  );
  const [editing, setEditing] = useState<string | null>(null);

  return (
    <>
      <h1>{t('villages.title')}</h1>
      {commune && <p className="lead">{commune.communeName}</p>}
      {villages && villages.length === 0 && <p className="notice">{t('villages.empty')}</p>}
      <ul className="record-list" aria-label={t('villages.title')}>
        {villages?.map((v) =>
          editing === v.id ? (
            <li key={v.id}>
              <VillageForm village={v} onDone={() => setEditing(null)} />
            </li>
          ) : (
            <li key={v.id} className="record-row">
              <a href={href.village(v.id)} className="record-link">
                <span className="record-title">{v.data.name}</span>
                <span className="muted">
                  {t(`villageKinds.${v.data.kind}`)} ·{' '}
                  {t('villages.households', { count: counts?.get(v.id)?.households ?? 0 })}
                </span>
              </a>
              <button
                type="button"
                className="button small"
                onClick={() => setEditing(v.id)}
                aria-label={t('villages.editNamed', { name: v.data.name })}
              >
                {t('common.edit')}
              </button>
            </li>
          ),
        )}
      </ul>
      {editing === null && <VillageForm onDone={() => undefined} />}
    </>
  );
}
