import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import { listLiveHouseholdsIn, readHouseholds } from '../../db/household.queries';
import { useHouseholdSearch } from '../shared/use-household-search';

const SHOWN_MATCHES = 30;

/** Picks member households by searching (without diacritics) among the chosen villages. */
export function HouseholdPicker(props: {
  villageIds: readonly string[];
  selected: readonly string[];
  onChange: (ids: string[]) => void;
}) {
  const { t } = useTranslation();
  const { db } = useServices();
  const search = useHouseholdSearch(props.villageIds);
  const households = useLiveQuery(() => listLiveHouseholdsIn(db, props.villageIds), [db, props.villageIds.join(',')]);
  const selectedRows = useLiveQuery(() => readHouseholds(db, props.selected), [db, props.selected.join(',')]);
  const { isEmpty, matches: matchesSearch } = search;
  const matches = useMemo(
    () => (isEmpty ? [] : (households ?? []).filter(matchesSearch).slice(0, SHOWN_MATCHES)),
    [households, isEmpty, matchesSearch],
  );
  const chosen = new Set(props.selected);
  const toggle = (id: string) =>
    props.onChange(chosen.has(id) ? props.selected.filter((s) => s !== id) : [...props.selected, id]);

  return (
    <fieldset className="card">
      <legend>{t('clans.members', { count: props.selected.length })}</legend>
      <ul className="record-list" aria-label={t('clans.chosenMembers')}>
        {selectedRows?.map((h) => (
          <li key={h.id} className="record-row">
            <span className="record-link">{h.data.headName}</span>
            <button
              type="button"
              className="button small"
              onClick={() => toggle(h.id)}
              aria-label={t('clans.removeMember', { name: h.data.headName })}
            >
              {t('clans.remove')}
            </button>
          </li>
        ))}
      </ul>
      <div className="field">
        <label htmlFor="clan-member-search">{t('clans.findHousehold')}</label>
        <input
          id="clan-member-search"
          type="search"
          {...search.inputProps}
          autoComplete="off"
          disabled={props.villageIds.length === 0}
        />
        {props.villageIds.length === 0 && <p className="hint">{t('clans.chooseVillagesFirst')}</p>}
      </div>
      <ul className="choice-list" aria-label={t('clans.searchResults')}>
        {matches.map((h) => (
          <li key={h.id}>
            <label className="choice">
              <input type="checkbox" checked={chosen.has(h.id)} onChange={() => toggle(h.id)} />
              <span>
                {h.data.headName}
                {h.data.address ? <span className="muted"> · {h.data.address}</span> : null}
              </span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
