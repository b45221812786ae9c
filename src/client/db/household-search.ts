import { foldForSearch } from '../../shared/text/fold';

/** The folded text a household is found by: head, address, phone and every member's name. */
export function searchTextOf(household: { headName: string; address?: string; phone?: string }, memberNames: readonly string[]): string {
  return foldForSearch([household.headName, household.address ?? '', household.phone ?? '', ...memberNames].join(' '));
}
