import type { FieldErrors, UseFormRegister } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import {
  CDHT_GROUPS,
  LITERACY_STATES,
  RELATIONS,
  SCHOOLING_STATES,
  SEXES,
} from '../../../shared/schemas/citizen.schema';
import { describedBy, Field } from '../../ui/field';
import { useErrorText } from '../../ui/use-error-text';
import type { HouseholdFormRaw } from './household-form-schema';

/** One member's inputs inside the household form. */
export function MemberFields(props: {
  index: number;
  register: UseFormRegister<HouseholdFormRaw>;
  errors: FieldErrors<HouseholdFormRaw>;
  onRemove: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { index, register } = props;
  const errors = props.errors.members?.[index];
  const id = (field: string) => `member-${index}-${field}`;
  const ids = {
    fullName: id('fullName'),
    sex: id('sex'),
    birthYear: id('birthYear'),
    relation: id('relation'),
    schooling: id('schooling'),
    literacy: id('literacy'),
    cdhtGroup: id('cdhtGroup'),
    ethnicity: id('ethnicity'),
  };
  const nameError = errorText(errors?.fullName?.message);
  const sexError = errorText(errors?.sex?.message);
  const yearError = errorText(errors?.birthYear?.message);
  const relationError = errorText(errors?.relation?.message);
  const aria = {
    fullName: describedBy(ids.fullName, nameError),
    sex: describedBy(ids.sex, sexError),
    birthYear: describedBy(ids.birthYear, yearError),
    relation: describedBy(ids.relation, relationError),
  };
  const fields = {
    fullName: register(`members.${index}.fullName`),
    sex: register(`members.${index}.sex`),
    birthYear: register(`members.${index}.birthYear`),
    relation: register(`members.${index}.relation`),
    isWorker: register(`members.${index}.isWorker`),
    schooling: register(`members.${index}.schooling`),
    literacy: register(`members.${index}.literacy`),
    cdhtGroup: register(`members.${index}.cdhtGroup`),
    ethnicity: register(`members.${index}.ethnicity`),
  };
  return (
    <fieldset className="card member">
      <legend>{t('members.legend', { number: index + 1 })}</legend>
      <Field id={ids.fullName} label={t('members.fullName')} error={nameError}>
        <input id={ids.fullName} autoComplete="off" autoCapitalize="words" {...aria.fullName} {...fields.fullName} />
      </Field>
      <div className="field-row">
        <Field id={ids.sex} label={t('members.sex')} error={sexError}>
          <select id={ids.sex} {...aria.sex} {...fields.sex}>
            <option value="">{t('common.choose')}</option>
            {SEXES.map((s) => (
              <option key={s} value={s}>
                {t(`sexes.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id={ids.birthYear} label={t('members.birthYear')} error={yearError}>
          <input
            id={ids.birthYear}
            inputMode="numeric"
            autoComplete="off"
            maxLength={4}
            {...aria.birthYear}
            {...fields.birthYear}
          />
        </Field>
      </div>
      <Field id={ids.relation} label={t('members.relation')} error={relationError}>
        <select id={ids.relation} {...aria.relation} {...fields.relation}>
          {RELATIONS.map((r) => (
            <option key={r} value={r}>
              {t(`relations.${r}`)}
            </option>
          ))}
        </select>
      </Field>
      <label className="choice">
        <input type="checkbox" {...fields.isWorker} />
        <span>{t('members.isWorker')}</span>
      </label>
      <Field id={ids.schooling} label={t('members.schooling')}>
        <select id={ids.schooling} {...fields.schooling}>
          <option value="">{t('common.notApplicable')}</option>
          {SCHOOLING_STATES.map((s) => (
            <option key={s} value={s}>
              {t(`schooling.${s}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field id={ids.literacy} label={t('members.literacy')}>
        <select id={ids.literacy} {...fields.literacy}>
          {LITERACY_STATES.map((s) => (
            <option key={s} value={s}>
              {t(`literacy.${s}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field id={ids.cdhtGroup} label={t('members.cdhtGroup')}>
        <select id={ids.cdhtGroup} {...fields.cdhtGroup}>
          <option value="">{t('common.none')}</option>
          {CDHT_GROUPS.map((g) => (
            <option key={g} value={g}>
              {t(`cdhtGroups.${g}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field id={ids.ethnicity} label={t('members.ethnicity')} error={errorText(errors?.ethnicity?.message)}>
        <input id={ids.ethnicity} autoComplete="off" {...fields.ethnicity} />
      </Field>
      {props.onRemove && (
        <button type="button" className="button danger small" onClick={props.onRemove}>
          {t('members.remove')}
        </button>
      )}
    </fieldset>
  );
}
