import { zodResolver } from '@hookform/resolvers/zod';
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useState } from 'react';
import { useForm, type FieldErrors, type Resolver } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { buildMemberSchema } from '../../../shared/schemas/citizen.schema';
import { href, navigate } from '../../app/routes';
import { useServices } from '../../app/services';
import { useWriteContext } from '../../app/use-device';
import { saveCitizen } from '../../db/citizen.repository';
import { RecordValidationError } from '../../db/write-context';
import { useEditingMark } from '../../pwa/edit-guard';
import { useFormDraft } from '../shared/use-form-draft';
import { emptyMember, normaliseHouseholdForm, type HouseholdFormRaw } from './household-form-schema';
import { MemberFields } from './member-fields';

/**
 * One citizen on their own: a new member of an existing household, or an edit of one. The same
 * fields and rules as in the household form (the form holds a single member).
 */
export function CitizenFormScreen(props: { householdId: string; citizenId?: string }) {
  const { t } = useTranslation();
  const { db, now } = useServices();
  const writeContext = useWriteContext();
  const household = useLiveQuery(() => db.households.get(props.householdId), [db, props.householdId]);
  const [ready, setReady] = useState(props.citizenId === undefined);

  const resolver = useMemo<Resolver<HouseholdFormRaw>>(() => {
    const zod = zodResolver(z.object({ members: z.array(buildMemberSchema(now().getFullYear())) }));
    return async (values, context, options) => {
      // The normalised values are what the schema parses; zod itself checks their types.
      const result = await zod({ members: normaliseHouseholdForm(values).members } as never, context, options as never);
      // Same field paths as the raw form; only the value types differ (numbers vs typed text).
      const errors = result.errors as FieldErrors<HouseholdFormRaw>;
      return Object.keys(errors).length > 0 ? { values: {}, errors } : { values, errors: {} };
    };
  }, [now]);
  const form = useForm<HouseholdFormRaw>({
    resolver,
    defaultValues: { household: { villageId: '', address: '', phone: '', notes: '' }, members: [emptyMember('con')] },
  });
  const { register, handleSubmit, reset, setError, formState } = form;
  const draft = useFormDraft(`citizen:${props.citizenId ?? `new:${props.householdId}`}`, form, ready);
  useEditingMark(formState.isDirty);

  useEffect(() => {
    if (!props.citizenId) return;
    void db.citizens.get(props.citizenId).then((row) => {
      if (row) {
        const m = row.data;
        reset({
          household: { villageId: '', address: '', phone: '', notes: '' },
          members: [
            {
              fullName: m.fullName,
              sex: m.sex,
              birthYear: String(m.birthYear),
              relation: m.relation,
              isWorker: m.isWorker,
              schooling: m.schooling ?? '',
              literacy: m.literacy,
              cdhtGroup: m.cdhtGroup ?? '',
              ethnicity: m.ethnicity ?? '',
            },
          ],
        });
      }
      setReady(true);
    });
  }, [db, props.citizenId, reset]);

  const onSubmit = handleSubmit(async (raw) => {
    const [member] = normaliseHouseholdForm(raw).members;
    try {
      await saveCitizen(db, writeContext(), { ...member, householdId: props.householdId }, props.citizenId);
      await draft.clear();
      reset(raw);
      navigate(href.household(props.householdId));
    } catch (error) {
      if (!(error instanceof RecordValidationError)) throw error;
      for (const issue of error.issues)
        setError(`members.0.${issue.path.join('.')}` as never, { message: issue.message });
    }
  });

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="citizen-form-title">
      <p className="breadcrumb">
        <a href={href.household(props.householdId)}>{t('common.back')}</a>
      </p>
      <h1 id="citizen-form-title">{props.citizenId ? t('citizens.editTitle') : t('citizens.newTitle')}</h1>
      {household && <p className="lead">{t('households.title', { name: household.data.headName })}</p>}
      {draft.restoredAt && (
        <p className="notice" role="status">
          {t('drafts.restored')}
        </p>
      )}
      <MemberFields index={0} register={register} errors={formState.errors} onRemove={undefined} />
      <div className="sticky-action">
        <button type="submit" className="button primary block" disabled={formState.isSubmitting || !ready}>
          {t('citizens.save')}
        </button>
      </div>
    </form>
  );
}
