import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useMemo, useState } from 'react';
import { useFieldArray, useForm, type FieldErrors, type Resolver } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { href, navigate } from '../../app/routes';
import { useServices } from '../../app/services';
import { useWriteContext } from '../../app/use-device';
import { saveHouseholdWithMembers } from '../../db/household.repository';
import { listMembers } from '../../db/citizen.repository';
import { RecordValidationError } from '../../db/write-context';
import { useEditingMark } from '../../pwa/edit-guard';
import { describedBy, Field } from '../../ui/field';
import { useErrorText } from '../../ui/use-error-text';
import { useFormDraft } from '../shared/use-form-draft';
import {
  buildHouseholdFormSchema,
  emptyMember,
  normaliseHouseholdForm,
  type HouseholdFormRaw,
} from './household-form-schema';
import { MemberFields } from './member-fields';

/**
 * Adds a household with its members, or edits one. Every keystroke is kept as a draft on the
 * device, so a reload or a crash loses nothing; saving writes all records and their outbox ops
 * in one transaction (offline too).
 */
export function HouseholdFormScreen(props: { villageId?: string; householdId?: string }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { db, now } = useServices();
  const writeContext = useWriteContext();
  const [loadedVillageId, setLoadedVillageId] = useState(props.villageId);
  const [ready, setReady] = useState(props.householdId === undefined);
  const [saveFailed, setSaveFailed] = useState(false);

  const resolver = useMemo<Resolver<HouseholdFormRaw>>(() => {
    const zod = zodResolver(buildHouseholdFormSchema(now().getFullYear()));
    return async (values, context, options) => {
      // The normalised values are what the schema parses; zod itself checks their types.
      const result = await zod(normaliseHouseholdForm(values) as never, context, options as never);
      // Errors come from zod; the values the form keeps stay the raw text the person typed.
      // Same field paths as the raw form; only the value types differ (numbers vs typed text).
      const errors = result.errors as FieldErrors<HouseholdFormRaw>;
      return Object.keys(errors).length > 0 ? { values: {}, errors } : { values, errors: {} };
    };
  }, [now]);

  const form = useForm<HouseholdFormRaw>({
    resolver,
    defaultValues: {
      household: { villageId: props.villageId ?? '', address: '', phone: '', notes: '' },
      members: [emptyMember()],
    },
  });
  const { register, control, handleSubmit, reset, setError, formState } = form;
  const members = useFieldArray({ control, name: 'members' });
  const draftKey = `household:${props.householdId ?? `new:${props.villageId ?? ''}`}`;
  const draft = useFormDraft(draftKey, form, ready);
  useEditingMark(formState.isDirty);

  useEffect(() => {
    if (!props.householdId) return;
    let cancelled = false;
    void (async () => {
      const household = await db.households.get(props.householdId ?? '');
      if (!household || cancelled) return;
      const rows = await listMembers(db, household.id);
      setLoadedVillageId(household.data.villageId);
      reset({
        household: {
          villageId: household.data.villageId,
          address: household.data.address ?? '',
          phone: household.data.phone ?? '',
          notes: household.data.notes ?? '',
        },
        members: rows.map((m) => ({
          id: m.id,
          fullName: m.data.fullName,
          sex: m.data.sex,
          birthYear: String(m.data.birthYear),
          relation: m.data.relation,
          isWorker: m.data.isWorker,
          schooling: m.data.schooling ?? '',
          literacy: m.data.literacy,
          cdhtGroup: m.data.cdhtGroup ?? '',
          ethnicity: m.data.ethnicity ?? '',
        })),
      });
      setReady(true);
    })();
    return () => {
      cancelled = true;
    };
  }, [db, props.householdId, reset]);

  const onSubmit = handleSubmit(async (raw) => {
    setSaveFailed(false);
    try {
      const row = await saveHouseholdWithMembers(db, writeContext(), normaliseHouseholdForm(raw), props.householdId);
      await draft.clear();
      reset(raw);
      navigate(href.household(row.id));
    } catch (error) {
      if (error instanceof RecordValidationError) {
        for (const issue of error.issues) setError(issue.path.join('.') as never, { message: issue.message });
      } else {
        setSaveFailed(true);
      }
    }
  });

  const discardDraft = async () => {
    await draft.clear();
    window.location.reload();
  };

  const phoneError = errorText(formState.errors.household?.phone?.message);
  const phoneAria = describedBy('household-phone', phoneError);
  const addressField = register('household.address');
  const phoneField = register('household.phone');
  const notesField = register('household.notes');
  const membersError = errorText(formState.errors.members?.message ?? formState.errors.members?.root?.message);
  const villageId = loadedVillageId ?? '';
  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="household-form-title">
      <p className="breadcrumb">
        <a href={props.householdId ? href.household(props.householdId) : href.village(villageId)}>{t('common.back')}</a>
      </p>
      <h1 id="household-form-title">{props.householdId ? t('households.editTitle') : t('households.newTitle')}</h1>
      {draft.restoredAt && (
        <div className="notice" role="status">
          <p>{t('drafts.restored')}</p>
          <button type="button" className="button small" onClick={() => void discardDraft()}>
            {t('drafts.discard')}
          </button>
        </div>
      )}
      <div className="card">
        <Field
          id="household-address"
          label={t('households.address')}
          hint={t('households.addressHint')}
          error={errorText(formState.errors.household?.address?.message)}
        >
          <input id="household-address" autoComplete="off" {...addressField} />
        </Field>
        <Field id="household-phone" label={t('households.phone')} error={phoneError}>
          <input id="household-phone" type="tel" inputMode="tel" autoComplete="off" {...phoneAria} {...phoneField} />
        </Field>
        <Field
          id="household-notes"
          label={t('households.notes')}
          error={errorText(formState.errors.household?.notes?.message)}
        >
          <textarea id="household-notes" rows={2} {...notesField} />
        </Field>
      </div>
      <h2>{t('members.title')}</h2>
      {membersError && (
        <p className="field-error" role="alert">
          {membersError}
        </p>
      )}
      {members.fields.map((field, index) => (
        <MemberFields
          key={field.id}
          index={index}
          register={register}
          errors={formState.errors}
          onRemove={members.fields.length > 1 ? () => members.remove(index) : undefined}
        />
      ))}
      <button type="button" className="button block" onClick={() => members.append(emptyMember('con'))}>
        {t('members.add')}
      </button>
      {saveFailed && (
        <p className="field-error" role="alert">
          {t('errors.saveFailed')}
        </p>
      )}
      <div className="sticky-action">
        <button type="submit" className="button primary block" disabled={formState.isSubmitting || !ready}>
          {t('households.save')}
        </button>
      </div>
    </form>
  );
}
