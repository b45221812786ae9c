import { useTranslation } from 'react-i18next';
import type { ScoreResult } from '../../shared/schemas/assessment.schema';

/** "Chưa đánh giá", "Đạt (85/100)", "Chưa đạt", "Chưa đủ thông tin". */
export function ResultBadge({ result }: { result: ScoreResult | undefined }) {
  const { t } = useTranslation();
  if (!result) return <p className="badge">{t('status.notAssessed')}</p>;
  const points =
    result.totalPoints !== null && result.maxPoints !== null ? ` (${result.totalPoints}/${result.maxPoints})` : '';
  if (!result.complete)
    return (
      <p className="badge">
        {t('status.incomplete')}
        {points}
      </p>
    );
  return (
    <p className={result.passed ? 'badge pass' : 'badge fail'}>
      {(result.passed ? t('status.passed') : t('status.failed')) + points}
    </p>
  );
}
