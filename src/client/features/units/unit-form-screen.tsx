import { zodResolver } from '@hookform/resolvers/zod';
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { UNIT_KINDS, unitSchema, type UnitData, type UnitInput } from '../../../shared/schemas/unit.schema';
import { href, navigate } from '../../app/routes';
import { useServices } from '../../app/services';
import { useWriteContext } from '../../app/use-device';
import { deleteUnit, restoreUnit, saveUnit } from '../../db/unit.repository';
import { listVillages } from '../../db/village.repository';
import { useEditingMark } from '../../pwa/edit-guard';
import { ConfirmButton } from '../../ui/confirm-button';
import { describedBy, Field } from '../../ui/field';
import { useUndo } from '../../ui/undo-toast';
import { useErrorText } from '../../ui/use-error-text';
import { useFormDraft } from '../shared/use-form-draft';

/** Form values: selects give "" for "none". */
type UnitFormValues = Omit<UnitInput, 'villageId'> & { villageId: string };
const EMPTY: UnitFormValues = {
  name: '',
  kind: 'co_quan',
  memberCount: 0,
  membersWithLearningCitizen: 0,
  villageId: '',
  notes: '',
};
const formSchema = unitSchema;

/** Adds or edits a unit (cơ quan, trường học, doanh nghiệp…). Works offline. */
export function UnitFormScreen({ unitId }: { unitId: string | null }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { db } = useServices();
  const writeContext = useWriteContext();
  const offerUndo = useUndo();
  const villages = useLiveQuery(() => listVillages(db), [db]);
  const [ready, setReady] = useState(unitId === null);
  const form = useForm<UnitFormValues, unknown, UnitData>({
    // "" from the village select means "no village".
    resolver: (values, ctx, options) =>
      zodResolver(formSchema)({ ...values, villageId: values.villageId || undefined } as never, ctx, options as never),
    defaultValues: EMPTY,
  });
  const { register, control, handleSubmit, reset, getValues, formState } = form;
  const currentName = useWatch({ control, name: 'name' });
  const draft = useFormDraft(`unit:${unitId ?? 'new'}`, form, ready);
  useEditingMark(formState.isDirty);

  useEffect(() => {
    if (!unitId) return;
    void db.units.get(unitId).then((row) => {
      if (row) reset({ ...row.data, villageId: row.data.villageId ?? '', notes: row.data.notes ?? '' });
      setReady(true);
    });
  }, [db, unitId, reset]);

  const onSubmit = handleSubmit(async (data) => {
    await saveUnit(db, writeContext(), data, unitId ?? undefined);
    await draft.clear();
    navigate(href.units());
  });

  const remove = async () => {
    if (!unitId) return;
    const name = getValues('name');
    await deleteUnit(db, writeContext(), unitId);
    offerUndo({ message: t('units.deleted', { name }), undo: () => restoreUnit(db, writeContext(), unitId) });
    navigate(href.units());
  };

  const nameError = errorText(formState.errors.name?.message);
  const countError = errorText(formState.errors.memberCount?.message);
  const holdersError = errorText(formState.errors.membersWithLearningCitizen?.message);
  const aria = {
    name: describedBy('unit-name', nameError),
    count: describedBy('unit-members', countError),
    holders: describedBy('unit-holders', holdersError),
  };
  const fields = {
    name: register('name'),
    kind: register('kind'),
    count: register('memberCount'),
    holders: register('membersWithLearningCitizen'),
    village: register('villageId'),
    notes: register('notes'),
  };
  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="unit-form-title">
      <p className="breadcrumb">
        <a href={href.units()}>{t('common.back')}</a>
      </p>
      <h1 id="unit-form-title">{unitId ? t('units.editTitle') : t('units.newTitle')}</h1>
      {draft.restoredAt && (
        <p className="notice" role="status">
          {t('drafts.restored')}
        </p>
      )}
      <div className="card">
        <Field id="unit-name" label={t('units.name')} error={nameError}>
          <input id="unit-name" autoComplete="off" {...aria.name} {...fields.name} />
        </Field>
        <Field id="unit-kind" label={t('units.kind')}>
          <select id="unit-kind" {...fields.kind}>
            {UNIT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`unitKinds.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="unit-members" label={t('units.memberCount')} error={countError}>
          <input id="unit-members" inputMode="numeric" autoComplete="off" {...aria.count} {...fields.count} />
        </Field>
        <Field
          id="unit-holders"
          label={t('units.membersWithLearningCitizen')}
          hint={t('units.membersWithLearningCitizenHint')}
          error={holdersError}
        >
          <input id="unit-holders" inputMode="numeric" autoComplete="off" {...aria.holders} {...fields.holders} />
        </Field>
        <Field id="unit-village" label={t('units.village')}>
          <select id="unit-village" {...fields.village}>
            <option value="">{t('common.none')}</option>
            {villages?.map((v) => (
              <option key={v.id} value={v.id}>
                {v.data.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="unit-notes" label={t('households.notes')} error={errorText(formState.errors.notes?.message)}>
          <textarea id="unit-notes" rows={2} {...fields.notes} />
        </Field>
      </div>
      <div className="sticky-action">
        <button type="submit" className="button primary block" disabled={formState.isSubmitting || !ready}>
          {t('units.save')}
        </button>
      </div>
      {unitId && (
        <ConfirmButton
          label={t('units.delete')}
          question={t('units.deleteQuestion', { name: currentName })}
          onConfirm={() => void remove()}
        />
      )}
    </form>
  );
}
