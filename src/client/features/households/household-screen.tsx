import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { href, navigate } from '../../app/routes';
import { useServices } from '../../app/services';
import { useDevice, useWriteContext } from '../../app/use-device';
import { findAssessment, readResults } from '../../db/assessment.queries';
import { deleteHousehold, restoreHousehold } from '../../db/household.repository';
import { readSyncStates } from '../../db/sync-state.queries';
import { listMembers } from '../../db/citizen.repository';
import { ConfirmButton } from '../../ui/confirm-button';
import { useUndo } from '../../ui/undo-toast';
import { ResultBadge } from '../../ui/result-badge';

/** A household, its members, and this year's Gia đình học tập / Công dân học tập results. */
export function HouseholdScreen({ householdId }: { householdId: string }) {
  const { t } = useTranslation();
  const { db } = useServices();
  const { workingYear } = useDevice();
  const writeContext = useWriteContext();
  const offerUndo = useUndo();
  const household = useLiveQuery(() => db.households.get(householdId), [db, householdId]);
  const members = useLiveQuery(() => listMembers(db, householdId), [db, householdId]);
  const family = useLiveQuery(
    async () => ({ row: await findAssessment(db, householdId, 'learning_family', workingYear) }),
    [db, householdId, workingYear],
  );
  const citizenResults = useLiveQuery(() => readResults(db, 'learning_citizen', workingYear), [db, workingYear]);
  const syncStates = useLiveQuery(
    async () => readSyncStates(db, [householdId, ...(members ?? []).map((m) => m.id)]),
    [db, householdId, members],
  );
  const syncBadge = (id: string) => {
    const state = syncStates?.get(id);
    return state ? <span className={`sync-badge ${state}`}>{t(`sync.recordStates.${state}`)}</span> : null;
  };

  if (household === undefined || members === undefined) return <p role="status">{t('common.loading')}</p>;
  if (household.deleted === 1) {
    return (
      <>
        <h1>{t('households.deletedTitle')}</h1>
        <a className="button" href={href.village(household.data.villageId)}>
          {t('common.back')}
        </a>
      </>
    );
  }

  const remove = async () => {
    const ctx = writeContext();
    await deleteHousehold(db, ctx, householdId);
    offerUndo({
      message: t('households.deleted', { name: household.data.headName }),
      undo: () => restoreHousehold(db, writeContext(), householdId),
    });
    navigate(href.village(household.data.villageId));
  };

  return (
    <>
      <p className="breadcrumb">
        <a href={href.village(household.data.villageId)}>{t('common.back')}</a>
      </p>
      <h1>{t('households.title', { name: household.data.headName })}</h1>
      <p data-testid="household-sync-state">{syncBadge(householdId)}</p>
      <p className="muted">{[household.data.address, household.data.phone].filter(Boolean).join(' · ')}</p>
      <section className="card" aria-labelledby="household-family">
        <h2 id="household-family">{t('titles.learning_family.name', { year: workingYear })}</h2>
        {family && <ResultBadge result={family.row?.data.result} />}
        <a className="button primary" href={href.assessment('learning_family', householdId, workingYear)}>
          {family?.row ? t('assessments.open') : t('assessments.start')}
        </a>
      </section>
      <section aria-labelledby="household-members">
        <h2 id="household-members">{t('members.title')}</h2>
        <ul className="record-list">
          {members.map((m) => (
            <li key={m.id} className="record-row">
              <a
                className="record-link"
                href={href.citizenEdit(householdId, m.id)}
                aria-label={t('citizens.editNamed', { name: m.data.fullName })}
              >
                <span className="record-title">{m.data.fullName}</span>
                <span className="muted">
                  {t(`relations.${m.data.relation}`)} · {m.data.birthYear}
                  {m.data.cdhtGroup ? ` · ${t(`cdhtGroups.${m.data.cdhtGroup}`)}` : ''}
                </span>
                {syncBadge(m.id)}
              </a>
              <a
                className="button small"
                href={href.assessment('learning_citizen', m.id, workingYear)}
                aria-label={t('assessments.citizenFor', { name: m.data.fullName })}
              >
                {citizenResults?.has(m.id)
                  ? citizenResults.get(m.id)
                    ? t('status.passedShort')
                    : t('status.failedShort')
                  : t('titles.learning_citizen.short')}
              </a>
            </li>
          ))}
        </ul>
        <a className="button block" href={href.citizenNew(householdId)}>
          {t('citizens.add')}
        </a>
      </section>
      <div className="actions">
        <a className="button" href={href.householdEdit(householdId)}>
          {t('households.edit')}
        </a>
        <ConfirmButton
          label={t('households.delete')}
          question={t('households.deleteQuestion', { name: household.data.headName })}
          onConfirm={() => void remove()}
        />
      </div>
    </>
  );
}
