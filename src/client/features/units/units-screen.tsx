import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { href } from '../../app/routes';
import { useServices } from '../../app/services';
import { useDevice } from '../../app/use-device';
import { readResults } from '../../db/assessment.queries';
import { listUnits } from '../../db/unit.repository';

/** Units on the commune's territory with this year's Đơn vị học tập result. */
export function UnitsScreen() {
  const { t } = useTranslation();
  const { db } = useServices();
  const { workingYear } = useDevice();
  const units = useLiveQuery(() => listUnits(db), [db]);
  const results = useLiveQuery(() => readResults(db, 'learning_unit', workingYear), [db, workingYear]);
  return (
    <>
      <h1>{t('units.title')}</h1>
      <a className="button primary block" href={href.unitEdit(null)}>
        {t('units.add')}
      </a>
      {units && units.length === 0 && <p className="notice">{t('units.empty')}</p>}
      <ul className="record-list" aria-label={t('units.title')}>
        {units?.map((u) => {
          const result = results?.get(u.id);
          return (
            <li key={u.id} className="record-row">
              <a className="record-link" href={href.unitEdit(u.id)}>
                <span className="record-title">{u.data.name}</span>
                <span className="muted">
                  {t(`unitKinds.${u.data.kind}`)} ·{' '}
                  {t('units.memberSummary', { count: u.data.memberCount, holders: u.data.membersWithLearningCitizen })}
                </span>
              </a>
              <a
                className="button small"
                href={href.assessment('learning_unit', u.id, workingYear)}
                aria-label={t('units.assessNamed', { name: u.data.name })}
              >
                {result === undefined
                  ? t('titles.learning_unit.short')
                  : result
                    ? t('status.passed')
                    : t('status.failed')}
              </a>
            </li>
          );
        })}
      </ul>
    </>
  );
}
