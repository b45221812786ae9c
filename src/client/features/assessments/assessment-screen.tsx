import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listCriteria, type CriteriaSet } from '../../../domain/criteria/criteria-set';
import { currentCriteriaSet, findCriteriaSet } from '../../../domain/criteria/registry';
import { scoreAssessment, validateAnswers } from '../../../domain/scoring/score-assessment';
import type { AnswerInput, Title } from '../../../shared/schemas/assessment.schema';
import { href, navigate } from '../../app/routes';
import { useServices } from '../../app/services';
import { useWriteContext } from '../../app/use-device';
import { assessmentDraftKey, findAssessment, subjectKey } from '../../db/assessment.queries';
import { parseAnswers, saveAssessment } from '../../db/assessment.repository';
import { readScoringContext } from '../../db/scoring-context';
import { RecordValidationError } from '../../db/write-context';
import { useEditingMark } from '../../pwa/edit-guard';
import { formatIsoDate } from '../../ui/format-date';
import { ResultBadge } from '../../ui/result-badge';
import { useErrorText } from '../../ui/use-error-text';
import { useDraft } from '../shared/use-form-draft';
import { CriterionInput } from './criterion-input';
import { ScorePanel } from './score-panel';
import { useAssessmentSubject } from './use-assessment-subject';

/** Live score of what is on screen; answers that do not parse yet count as unanswered. */
function liveResult(
  set: CriteriaSet,
  answers: Record<string, AnswerInput>,
  context: Parameters<typeof scoreAssessment>[2],
) {
  const usable: Record<string, AnswerInput> = {};
  for (const [id, a] of Object.entries(answers)) {
    const ok = a.points === undefined || (Number.isInteger(a.points) && a.points >= 0);
    usable[id] = ok ? a : { ...a, points: undefined };
  }
  let parsed;
  try {
    parsed = parseAnswers(usable);
  } catch {
    parsed = {};
  }
  const invalid = new Set(validateAnswers(set, parsed).map((i) => i.criterionId));
  return scoreAssessment(set, Object.fromEntries(Object.entries(parsed).filter(([id]) => !invalid.has(id))), context);
}

/**
 * Assess one subject for one title and year against the criteria set in force: tick or score each
 * criterion, see the result and the reasons as you go, save (offline too). Unsaved ticks are kept
 * as a draft on the device.
 */
export function AssessmentScreen({ title, subjectId, year }: { title: Title; subjectId: string; year: number }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { db } = useServices();
  const writeContext = useWriteContext();
  const subject = useAssessmentSubject(title, subjectId);
  const existing = useLiveQuery(
    async () => ({ row: await findAssessment(db, subjectId, title, year) }),
    [db, subjectId, title, year],
  );
  const lastYear = useLiveQuery(
    async () => ({ row: await findAssessment(db, subjectId, title, year - 1) }),
    [db, subjectId, title, year],
  );
  const context = useLiveQuery(() => readScoringContext(db, title, subjectId, year), [db, title, subjectId, year]);
  const [typed, setAnswers] = useState<Record<string, AnswerInput> | undefined>();
  const [isDirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const [registeredOn, setRegisteredOn] = useState<string | undefined>();
  const draft = useDraft<Record<string, AnswerInput>>(assessmentDraftKey(subjectId, title, year), true, (values) => {
    setAnswers(values);
    setDirty(true);
  });
  useEditingMark(isDirty);

  const set = useMemo(() => {
    if (!existing) return undefined;
    const row = existing.row;
    return (
      (row ? findCriteriaSet(row.data.criteriaSetId, row.data.criteriaSetVersion) : undefined) ??
      currentCriteriaSet(title, year)
    );
  }, [existing, title, year]);

  // What was typed (or restored from the draft); before that, the saved answers (if any).
  const answers = typed ?? (existing && draft.loaded ? (existing.row?.data.answers ?? {}) : undefined);

  if (!set) {
    return existing === undefined ? (
      <p role="status">{t('common.loading')}</p>
    ) : (
      <p className="notice warning">{t('assessments.noCriteriaSet', { year })}</p>
    );
  }
  if (!answers || !context || subject === undefined) return <p role="status">{t('common.loading')}</p>;

  const change = (criterionId: string, answer: AnswerInput) => {
    const next = { ...answers, [criterionId]: answer };
    setAnswers(next);
    setDirty(true);
    setSaved(false);
    setErrors((e) => ({ ...e, [criterionId]: '' }));
    draft.keep(next);
  };

  const copyLastYear = () => {
    const previous = lastYear?.row?.data.answers;
    if (!previous) return;
    const known = new Set(listCriteria(set).map((c) => c.id));
    const copied = Object.fromEntries(Object.entries(previous).filter(([id]) => known.has(id)));
    setAnswers(copied);
    setDirty(true);
    draft.keep(copied);
  };

  const save = async () => {
    try {
      await saveAssessment(
        db,
        writeContext(),
        { title, subjectId, year, answers, registeredOn: registered || undefined },
        set,
      );
      await draft.clear();
      setDirty(false);
      setErrors({});
      setSaved(true);
    } catch (error) {
      if (!(error instanceof RecordValidationError)) throw error;
      const next: Record<string, string> = {};
      for (const issue of error.issues) {
        const criterionId = issue.path[1];
        if (issue.path[0] === 'answers' && typeof criterionId === 'string')
          next[criterionId] = errorText(issue.message) ?? '';
      }
      setErrors(next);
    }
  };

  const result = liveResult(set, answers, context);
  // Until the person picks a date, the saved one (if any) shows.
  const registered = registeredOn ?? existing?.row?.data.registeredOn ?? '';
  const answeredCount = Object.keys(answers).length;
  return (
    <>
      <p className="breadcrumb">
        <a href={subject?.backHref ?? href.home()}>{t('common.back')}</a>
      </p>
      <h1>{t(`titles.${title}.name`, { year })}</h1>
      <p className="lead">{subject?.name ?? t('assessments.subjectMissing')}</p>
      {set.verification !== 'verified' && (
        <div className="notice warning" role="note" data-testid="unverified-warning">
          <p>
            <strong>{t('assessments.unverified')}</strong>
          </p>
          <details>
            <summary>{t('assessments.unverifiedWhy')}</summary>
            <p>{set.verificationNote}</p>
          </details>
        </div>
      )}
      <p className="muted legal-basis">
        {t('assessments.legalBasis', {
          name: set.name,
          document: set.legalBasis.documentNumber,
          issuer: set.legalBasis.issuer,
          date: set.legalBasis.date ? formatIsoDate(set.legalBasis.date) : t('assessments.dateUnknown'),
        })}
      </p>
      {lastYear?.row && answeredCount === 0 && (
        <button type="button" className="button block" onClick={copyLastYear}>
          {t('assessments.copyLastYear', { year: year - 1 })}
        </button>
      )}
      <div className="card field">
        <label htmlFor="assessment-registered">{t('assessments.registeredOn')}</label>
        <input
          id="assessment-registered"
          type="date"
          min={`${year}-01-01`}
          max={`${year}-12-31`}
          value={registered}
          aria-describedby="assessment-registered-hint"
          onChange={(e) => {
            setRegisteredOn(e.target.value);
            setDirty(true);
            setSaved(false);
          }}
        />
        <p id="assessment-registered-hint" className="hint">
          {t('assessments.registeredOnHint')}
        </p>
      </div>
      <ScorePanel set={set} result={result} />
      {set.groups.map((group) => (
        <section key={group.id} className="card" aria-labelledby={`group-${group.id}`}>
          <h2 id={`group-${group.id}`}>
            {group.label}
            {group.maxPoints !== undefined && (
              <span className="muted"> {t('assessments.maxPoints', { max: group.maxPoints })}</span>
            )}
          </h2>
          <ul className="criteria">
            {group.criteria.map((c) => (
              <CriterionInput
                key={c.id}
                ownerKey={subjectKey(subjectId, title, year)}
                criterion={c}
                answer={answers[c.id]}
                derived={c.kind === 'derived' ? context.derived[c.input] : undefined}
                error={errors[c.id] || undefined}
                onChange={(a) => change(c.id, a)}
              />
            ))}
          </ul>
        </section>
      ))}
      <div className="sticky-action">
        <div className="sticky-score" aria-hidden="true">
          <ResultBadge result={result} />
        </div>
        {saved && (
          <p className="success" role="status">
            {t('assessments.saved')}
          </p>
        )}
        <button type="button" className="button primary block" onClick={() => void save()} disabled={!subject}>
          {t('assessments.save')}
        </button>
        {saved && subject && (
          <button type="button" className="button block" onClick={() => navigate(subject.backHref)}>
            {t('assessments.done')}
          </button>
        )}
      </div>
    </>
  );
}
