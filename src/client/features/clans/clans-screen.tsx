import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { href } from '../../app/routes';
import { useServices } from '../../app/services';
import { useDevice } from '../../app/use-device';
import { readResults } from '../../db/assessment.queries';
import { listClans } from '../../db/clan.repository';

/** The commune's clans with this year's Dòng họ học tập result. */
export function ClansScreen() {
  const { t } = useTranslation();
  const { db } = useServices();
  const { workingYear } = useDevice();
  const clans = useLiveQuery(() => listClans(db), [db]);
  const results = useLiveQuery(() => readResults(db, 'learning_clan', workingYear), [db, workingYear]);

  return (
    <>
      <h1>{t('clans.title')}</h1>
      <a className="button primary block" href={href.clanEdit(null)}>
        {t('clans.add')}
      </a>
      {clans && clans.length === 0 && <p className="notice">{t('clans.empty')}</p>}
      <ul className="record-list" aria-label={t('clans.title')}>
        {clans?.map((c) => {
          const result = results?.get(c.id);
          return (
            <li key={c.id} className="record-row">
              <a className="record-link" href={href.clanEdit(c.id)}>
                <span className="record-title">{c.data.name}</span>
                <span className="muted">{t('clans.memberCount', { count: c.data.memberHouseholdIds.length })}</span>
              </a>
              <a
                className="button small"
                href={href.assessment('learning_clan', c.id, workingYear)}
                aria-label={t('clans.assessNamed', { name: c.data.name })}
              >
                {result === undefined
                  ? t('titles.learning_clan.short')
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
