import { zodResolver } from '@hookform/resolvers/zod';
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { clanSchema, type ClanData, type ClanInput } from '../../../shared/schemas/clan.schema';
import { href, navigate } from '../../app/routes';
import { useServices } from '../../app/services';
import { useWriteContext } from '../../app/use-device';
import { deleteClan, restoreClan, saveClan } from '../../db/clan.repository';
import { listVillages } from '../../db/village.repository';
import { RecordValidationError } from '../../db/write-context';
import { useEditingMark } from '../../pwa/edit-guard';
import { ConfirmButton } from '../../ui/confirm-button';
import { describedBy, Field } from '../../ui/field';
import { useUndo } from '../../ui/undo-toast';
import { useErrorText } from '../../ui/use-error-text';
import { useFormDraft } from '../shared/use-form-draft';
import { HouseholdPicker } from './household-picker';

const EMPTY: ClanInput = {
  name: '',
  headName: '',
  villageIds: [],
  memberHouseholdIds: [],
  hasStudyBoard: false,
  hasStudyFund: false,
  notes: '',
};

/** Adds or edits a clan (dòng họ) with its villages and member households. Works offline. */
export function ClanFormScreen({ clanId }: { clanId: string | null }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { db } = useServices();
  const writeContext = useWriteContext();
  const villages = useLiveQuery(() => listVillages(db), [db]);
  const [ready, setReady] = useState(clanId === null);
  const form = useForm<ClanInput, unknown, ClanData>({ resolver: zodResolver(clanSchema), defaultValues: EMPTY });
  const { register, control, handleSubmit, reset, setError, getValues, formState } = form;
  const currentName = useWatch({ control, name: 'name' });
  const draft = useFormDraft(`clan:${clanId ?? 'new'}`, form, ready);
  useEditingMark(formState.isDirty);
  const offerUndo = useUndo();

  useEffect(() => {
    if (!clanId) return;
    void db.clans.get(clanId).then((row) => {
      if (row) reset({ ...row.data, headName: row.data.headName ?? '', notes: row.data.notes ?? '' });
      setReady(true);
    });
  }, [db, clanId, reset]);

  const onSubmit = handleSubmit(async (data) => {
    try {
      await saveClan(db, writeContext(), data, clanId ?? undefined);
      await draft.clear();
      reset(data);
      navigate(href.clans());
    } catch (error) {
      if (!(error instanceof RecordValidationError)) throw error;
      for (const issue of error.issues) setError(issue.path.join('.') as never, { message: issue.message });
    }
  });

  const remove = async () => {
    if (!clanId) return;
    const name = getValues('name');
    await deleteClan(db, writeContext(), clanId);
    await draft.clear();
    offerUndo({ message: t('clans.deleted', { name }), undo: () => restoreClan(db, writeContext(), clanId) });
    navigate(href.clans());
  };

  const nameError = errorText(formState.errors.name?.message);
  const nameAria = describedBy('clan-name', nameError);
  const fields = {
    name: register('name'),
    headName: register('headName'),
    board: register('hasStudyBoard'),
    fund: register('hasStudyFund'),
    amount: register('studyFundAmount'),
    notes: register('notes'),
  };
  const villageIds = useWatch({ control, name: 'villageIds' });
  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="clan-form-title">
      <p className="breadcrumb">
        <a href={href.clans()}>{t('common.back')}</a>
      </p>
      <h1 id="clan-form-title">{clanId ? t('clans.editTitle') : t('clans.newTitle')}</h1>
      {draft.restoredAt && (
        <p className="notice" role="status">
          {t('drafts.restored')}
        </p>
      )}
      <div className="card">
        <Field id="clan-name" label={t('clans.name')} hint={t('clans.nameHint')} error={nameError}>
          <input id="clan-name" autoComplete="off" {...nameAria} {...fields.name} />
        </Field>
        <Field id="clan-head" label={t('clans.headName')} error={errorText(formState.errors.headName?.message)}>
          <input id="clan-head" autoComplete="off" {...fields.headName} />
        </Field>
        <label className="choice">
          <input type="checkbox" {...fields.board} />
          <span>{t('clans.hasStudyBoard')}</span>
        </label>
        <label className="choice">
          <input type="checkbox" {...fields.fund} />
          <span>{t('clans.hasStudyFund')}</span>
        </label>
        <Field
          id="clan-fund"
          label={t('clans.studyFundAmount')}
          error={errorText(formState.errors.studyFundAmount?.message)}
        >
          <input id="clan-fund" inputMode="numeric" autoComplete="off" {...fields.amount} />
        </Field>
      </div>
      <Controller
        control={control}
        name="villageIds"
        render={({ field, fieldState }) => (
          <fieldset className="card">
            <legend>{t('clans.villages')}</legend>
            {villages?.map((v) => (
              <label key={v.id} className="choice">
                <input
                  type="checkbox"
                  checked={field.value.includes(v.id)}
                  onChange={(e) =>
                    field.onChange(e.target.checked ? [...field.value, v.id] : field.value.filter((id) => id !== v.id))
                  }
                />
                <span>{v.data.name}</span>
              </label>
            ))}
            <p className="field-error" role={fieldState.error ? 'alert' : undefined}>
              {errorText(fieldState.error?.message)}
            </p>
          </fieldset>
        )}
      />
      <Controller
        control={control}
        name="memberHouseholdIds"
        render={({ field }) => (
          <HouseholdPicker villageIds={villageIds} selected={field.value ?? []} onChange={field.onChange} />
        )}
      />
      <div className="card">
        <Field id="clan-notes" label={t('households.notes')} error={errorText(formState.errors.notes?.message)}>
          <textarea id="clan-notes" rows={2} {...fields.notes} />
        </Field>
      </div>
      <div className="sticky-action">
        <button type="submit" className="button primary block" disabled={formState.isSubmitting || !ready}>
          {t('clans.save')}
        </button>
      </div>
      {clanId && (
        <ConfirmButton
          label={t('clans.delete')}
          question={t('clans.deleteQuestion', { name: currentName })}
          onConfirm={() => void remove()}
        />
      )}
    </form>
  );
}
