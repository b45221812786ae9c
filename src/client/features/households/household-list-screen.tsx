import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { href } from '../../app/routes';
import { useServices } from '../../app/services';
import { useDevice } from '../../app/use-device';
import { listHouseholds } from '../../db/household.repository';
import { readResultsFor } from '../../db/assessment.queries';
import { useHouseholdSearch } from '../shared/use-household-search';

const ROW_HEIGHT_PX = 72;
const FILTERS = ['all', 'notAssessed', 'passed', 'failed'] as const;
type Filter = (typeof FILTERS)[number];

/** One village's households: instant diacritic-insensitive search, a status filter, a long list. */
export function HouseholdListScreen({ villageId }: { villageId: string }) {
  const { t } = useTranslation();
  const { db } = useServices();
  const { workingYear } = useDevice();
  const village = useLiveQuery(() => db.villages.get(villageId), [db, villageId]);
  // One query, so every row appears with its real status (never a flash of "Chưa đánh giá").
  const listed = useLiveQuery(async () => {
    const rows = await listHouseholds(db, villageId);
    return {
      rows,
      results: await readResultsFor(
        db,
        'learning_family',
        workingYear,
        rows.map((h) => h.id),
      ),
    };
  }, [db, villageId, workingYear]);
  const households = listed?.rows;
  const results = listed?.results;
  const search = useHouseholdSearch([villageId]);
  const matchesSearch = search.matches;
  const [filter, setFilter] = useState<Filter>('all');

  const visible = useMemo(() => {
    const rows = households ?? [];
    return rows.filter((h) => {
      const result = results?.get(h.id);
      if (filter === 'notAssessed' && result !== undefined) return false;
      if (filter === 'passed' && result !== true) return false;
      if (filter === 'failed' && result !== false) return false;
      return matchesSearch(h);
    });
  }, [households, results, filter, matchesSearch]);

  const virtualizer = useWindowVirtualizer({
    count: visible.length,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: 8,
    initialRect: { width: 360, height: 640 },
  });

  if (village === undefined || households === undefined) return <p role="status">{t('common.loading')}</p>;
  return (
    <>
      <p className="breadcrumb">
        <a href={href.villages()}>{t('villages.title')}</a>
      </p>
      <h1>{village?.data.name ?? t('households.unknownVillage')}</h1>
      <a className="button block" href={href.assessment('learning_community', villageId, workingYear)}>
        {t('households.assessCommunity', { year: workingYear })}
      </a>
      <a className="button primary block" href={href.householdNew(villageId)}>
        {t('households.add')}
      </a>
      <div className="field search-field">
        <label htmlFor="household-search">{t('households.search')}</label>
        <input id="household-search" type="search" {...search.inputProps} autoComplete="off" enterKeyHint="search" />
      </div>
      <div className="segmented" role="group" aria-label={t('households.filterLabel', { year: workingYear })}>
        {FILTERS.map((f) => (
          <button key={f} type="button" aria-pressed={filter === f} onClick={() => setFilter(f)}>
            {t(`households.filters.${f}`)}
          </button>
        ))}
      </div>
      <p className="muted" role="status">
        {t('households.count', { count: visible.length, total: households.length })}
      </p>
      <ul
        className="record-list virtual"
        aria-label={t('households.listLabel')}
        style={{ height: virtualizer.getTotalSize() }}
      >
        {virtualizer.getVirtualItems().map((item) => {
          const h = visible[item.index];
          if (!h) return null;
          const result = results?.get(h.id);
          return (
            <li
              key={h.id}
              className="record-row virtual-row"
              style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT_PX }}
            >
              <a href={href.household(h.id)} className="record-link">
                <span className="record-title">{h.data.headName}</span>
                <span className="muted">{h.data.address ?? ''}</span>
              </a>
              <span className={result === undefined ? 'badge' : result ? 'badge pass' : 'badge fail'}>
                {result === undefined ? t('status.notAssessed') : result ? t('status.passed') : t('status.failed')}
              </span>
            </li>
          );
        })}
      </ul>
    </>
  );
}
