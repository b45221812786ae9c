import { useTranslation } from 'react-i18next';
import type { Criterion } from '../../../domain/criteria/criteria-set';
import type { AnswerInput } from '../../../shared/schemas/assessment.schema';
import type { DerivedValue } from '../../../domain/criteria/criteria-set';
import { EvidencePicker } from './evidence-picker';

const CHECK_CHOICES = ['pass', 'fail'] as const;
const CHECK_CHOICES_WITH_NA = ['pass', 'fail', 'na'] as const;

function formatDerived(value: DerivedValue | undefined, t: ReturnType<typeof useTranslation>['t']): string {
  if (value === undefined) return t('assessments.derived.unknown');
  if (value === null) return t('assessments.derived.notApplicable');
  if (typeof value === 'boolean') return value ? t('assessments.derived.yes') : t('assessments.derived.no');
  return t('assessments.derived.share', { percent: Math.round(value * 100) });
}

/** The input for one criterion: pass/fail choice, points, or a value read from the register. */
export function CriterionInput(props: {
  ownerKey: string;
  criterion: Criterion;
  answer: AnswerInput | undefined;
  derived: DerivedValue | undefined;
  error: string | undefined;
  onChange: (answer: AnswerInput) => void;
}) {
  const { t } = useTranslation();
  const { criterion, answer } = props;
  const id = `criterion-${criterion.id}`;
  const setNote = (note: string) => props.onChange({ ...answer, note });
  return (
    <li className="criterion" aria-labelledby={`${id}-label`}>
      <p id={`${id}-label`} className="criterion-label">
        {criterion.label}
        {criterion.kind === 'points' && (
          <span className="muted"> {t('assessments.maxPoints', { max: criterion.maxPoints })}</span>
        )}
        {criterion.kind === 'disqualifier' && <span className="tag">{t('assessments.disqualifierTag')}</span>}
        {criterion.kind === 'check' && criterion.optional && (
          <span className="tag">{t('assessments.optionalTag')}</span>
        )}
      </p>
      {criterion.hint && <p className="hint">{criterion.hint}</p>}
      {(criterion.kind === 'check' || criterion.kind === 'disqualifier') && (
        <div className="segmented" role="radiogroup" aria-labelledby={`${id}-label`}>
          {(criterion.allowNotApplicable ? CHECK_CHOICES_WITH_NA : CHECK_CHOICES).map((value) => (
            <label key={value} className="segment">
              <input
                type="radio"
                name={id}
                checked={answer?.value === value}
                onChange={() => props.onChange({ ...answer, value })}
              />
              <span>{t(`assessments.values.${value}`)}</span>
            </label>
          ))}
        </div>
      )}
      {criterion.kind === 'points' && (
        <div className="points-input">
          <label id={`${id}-points`} htmlFor={id}>
            {t('assessments.points')}
          </label>
          <input
            id={id}
            aria-labelledby={`${id}-label ${id}-points`}
            inputMode="numeric"
            autoComplete="off"
            maxLength={3}
            value={answer?.points === undefined || Number.isNaN(answer.points) ? '' : String(answer.points)}
            aria-invalid={props.error ? true : undefined}
            aria-describedby={`${id}-error`}
            onChange={(e) => {
              const text = e.target.value.trim();
              props.onChange({ ...answer, points: text === '' ? undefined : Number(text.replace(',', '.')) });
            }}
          />
          {criterion.allowNotApplicable && (
            <label className="choice inline">
              <input
                type="checkbox"
                checked={answer?.value === 'na'}
                onChange={(e) => props.onChange({ ...answer, value: e.target.checked ? 'na' : undefined })}
              />
              <span>{t('assessments.values.na')}</span>
            </label>
          )}
        </div>
      )}
      {criterion.kind === 'derived' && (
        <p className="derived" data-testid={`derived-${criterion.id}`}>
          {t('assessments.derived.label', { value: formatDerived(props.derived, t) })}
        </p>
      )}
      <p id={`${id}-error`} className="field-error" role={props.error ? 'alert' : undefined}>
        {props.error}
      </p>
      {criterion.kind !== 'derived' && (
        <details className="note">
          <summary>
            {answer?.note || answer?.evidenceIds?.length
              ? t('assessments.noteEdit', { count: answer.evidenceIds?.length ?? 0 })
              : t('assessments.noteAdd')}
          </summary>
          <label htmlFor={`${id}-note`} className="visually-hidden">
            {t('assessments.note')}
          </label>
          <textarea id={`${id}-note`} rows={2} value={answer?.note ?? ''} onChange={(e) => setNote(e.target.value)} />
          <EvidencePicker
            ownerKey={props.ownerKey}
            criterionId={criterion.id}
            evidenceIds={answer?.evidenceIds ?? []}
            onChange={(evidenceIds) => props.onChange({ ...answer, evidenceIds })}
          />
        </details>
      )}
    </li>
  );
}
