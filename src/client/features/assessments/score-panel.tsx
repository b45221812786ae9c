import { useTranslation } from 'react-i18next';
import { listCriteria, type CriteriaSet } from '../../../domain/criteria/criteria-set';
import type { ScoreResult } from '../../../shared/schemas/assessment.schema';
import { ResultBadge } from '../../ui/result-badge';

/** The live result and, when it fails, every reason in plain Vietnamese. */
export function ScorePanel({ set, result }: { set: CriteriaSet; result: ScoreResult }) {
  const { t } = useTranslation();
  const labels = new Map(listCriteria(set).map((c) => [c.id, c.label]));
  return (
    <section className="card score" aria-labelledby="score-title" aria-live="polite">
      <h2 id="score-title">{t('assessments.result')}</h2>
      <ResultBadge result={result} />
      {result.threshold !== null && (
        <p className="muted">
          {t('assessments.passMark', { threshold: result.threshold, max: result.maxPoints ?? 0 })}
          {!set.rules.passMarkConfirmed && ` ${t('assessments.passMarkProvisional')}`}
        </p>
      )}
      {result.failures.length > 0 && (
        <>
          <h3>{result.complete ? t('assessments.whyFailed') : t('assessments.whatIsMissing')}</h3>
          <ul className="reasons" data-testid="failure-reasons">
            {result.failures.map((f, i) => (
              <li key={`${f.criterionId ?? 'total'}-${i}`}>
                {t(`assessments.reasons.${f.reason}`, {
                  label: f.criterionId ? (labels.get(f.criterionId) ?? f.criterionId) : '',
                  ...f.params,
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
