import { useLiveQuery } from 'dexie-react-hooks';
import type { Title } from '../../../shared/schemas/assessment.schema';
import { href } from '../../app/routes';
import { useServices } from '../../app/services';

export interface AssessmentSubject {
  readonly name: string;
  readonly backHref: string;
}

/** The name of what is being assessed and where "back" goes; null when it is not on the device. */
export function useAssessmentSubject(title: Title, subjectId: string): AssessmentSubject | null | undefined {
  const { db } = useServices();
  return useLiveQuery(async (): Promise<AssessmentSubject | null> => {
    switch (title) {
      case 'learning_family': {
        const h = await db.households.get(subjectId);
        return h && h.deleted === 0 ? { name: h.data.headName, backHref: href.household(h.id) } : null;
      }
      case 'learning_citizen': {
        const c = await db.citizens.get(subjectId);
        return c && c.deleted === 0 ? { name: c.data.fullName, backHref: href.household(c.data.householdId) } : null;
      }
      case 'learning_community': {
        const v = await db.villages.get(subjectId);
        return v && v.deleted === 0 ? { name: v.data.name, backHref: href.village(v.id) } : null;
      }
      case 'learning_clan': {
        const c = await db.clans.get(subjectId);
        return c && c.deleted === 0 ? { name: c.data.name, backHref: href.clans() } : null;
      }
      case 'learning_unit': {
        const u = await db.units.get(subjectId);
        return u && u.deleted === 0 ? { name: u.data.name, backHref: href.units() } : null;
      }
    }
  }, [db, title, subjectId]);
}
