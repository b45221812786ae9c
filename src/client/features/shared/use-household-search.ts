import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useDeferredValue, useMemo, useState, type ChangeEvent } from 'react';
import { useServices } from '../../app/services';
import type { HouseholdRow } from '../../db/db';
import { householdMatches, queryWords, readVillagesMemberSearchText } from '../../db/household-search';

/**
 * The search box of a household list (a village's list, the clan form's picker): what was typed,
 * its words (deferred, so typing stays smooth) and a matcher over each household's own fields and
 * its members' names. The members of these villages are read once the person goes to search (on
 * focus, while a phone's keyboard opens), so opening or scrolling a list never pays for them.
 */
export function useHouseholdSearch(villageIds: readonly string[]) {
  const { db } = useServices();
  const [query, setQuery] = useState('');
  const [wantsMembers, setWantsMembers] = useState(false);
  const memberNames = useLiveQuery(
    () => (wantsMembers ? readVillagesMemberSearchText(db, villageIds) : undefined),
    [db, villageIds.join(','), wantsMembers],
  );
  const typed = useDeferredValue(query);
  const words = useMemo(() => queryWords(typed), [typed]); // folded once per query, not once per household
  // Stable while neither the words nor the members' names change, so it can be a memo's dependency.
  const matches = useCallback(
    (household: Pick<HouseholdRow, 'id' | 'searchText'>) => householdMatches(household, memberNames, words),
    [memberNames, words],
  );
  return {
    /** Spread on the `<input type="search">`. */
    inputProps: {
      value: query,
      onFocus: () => setWantsMembers(true),
      onChange: (event: ChangeEvent<HTMLInputElement>) => {
        setWantsMembers(true);
        setQuery(event.target.value);
      },
    },
    /** Nothing typed yet (after deferral). */
    isEmpty: words.length === 0,
    matches,
  };
}
