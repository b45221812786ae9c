import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import {
  VILLAGE_KINDS,
  villageSchema,
  type VillageData,
  type VillageInput,
} from '../../../shared/schemas/village.schema';
import { useServices } from '../../app/services';
import { useWriteContext } from '../../app/use-device';
import { saveVillage } from '../../db/village.repository';
import { useEditingMark } from '../../pwa/edit-guard';
import { describedBy, Field } from '../../ui/field';
import { useErrorText } from '../../ui/use-error-text';

/** Adds a village, or edits one when `village` is given. Works offline like every write. */
export function VillageForm({ village, onDone }: { village?: { id: string; data: VillageData }; onDone: () => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { db } = useServices();
  const writeContext = useWriteContext();
  const { register, handleSubmit, reset, formState } = useForm<VillageInput, unknown, VillageData>({
    resolver: zodResolver(villageSchema),
    defaultValues: village?.data ?? { name: '', kind: 'thon', code: '', isDisadvantagedArea: false },
  });
  useEditingMark(formState.isDirty);

  const onSubmit = handleSubmit(async (data) => {
    await saveVillage(db, writeContext(), data, village?.id);
    reset({ name: '', kind: 'thon', code: '', isDisadvantagedArea: false });
    onDone();
  });
  const nameError = errorText(formState.errors.name?.message);
  const nameField = register('name');
  const nameAria = describedBy('village-name', nameError);
  const kindField = register('kind');
  const codeField = register('code');
  const areaField = register('isDisadvantagedArea');
  return (
    <form className="card" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="village-form-title">
      <h2 id="village-form-title">{village ? t('villages.editTitle') : t('villages.addTitle')}</h2>
      <Field id="village-name" label={t('villages.name')} hint={t('villages.nameHint')} error={nameError}>
        <input id="village-name" autoComplete="off" {...nameAria} {...nameField} />
      </Field>
      <Field id="village-kind" label={t('villages.kind')}>
        <select id="village-kind" {...kindField}>
          {VILLAGE_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`villageKinds.${k}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field id="village-code" label={t('villages.code')} error={errorText(formState.errors.code?.message)}>
        <input id="village-code" autoComplete="off" {...codeField} />
      </Field>
      <label className="choice">
        <input type="checkbox" {...areaField} />
        <span>{t('villages.disadvantaged')}</span>
      </label>
      <div className="actions">
        <button type="submit" className="button primary" disabled={formState.isSubmitting}>
          {village ? t('common.save') : t('villages.add')}
        </button>
        {village && (
          <button type="button" className="button" onClick={onDone}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
