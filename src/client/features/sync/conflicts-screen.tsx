import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { differingFields, type FieldChoice } from '../../../domain/sync/merge-record';
import { useServices } from '../../app/services';
import { useWriteContext } from '../../app/use-device';
import { listConflicts, resolveConflict } from '../../db/conflict.repository';
import type { ConflictRow } from '../../db/db';
import { dismissOutOfScopeConflict, dismissRejection, listRejections } from '../../db/sync-notices.repository';
import { RecordValidationError } from '../../db/write-context';
import { useErrorText } from '../../ui/use-error-text';
import { useRejectionReason } from '../../ui/rejection-reason';

type Fields = Record<string, unknown>;
const SIDES = ['mine', 'theirs'] as const;
const asFields = (v: unknown): Fields => (typeof v === 'object' && v !== null ? (v as Fields) : {});

/** A field's value as a person reads it. */
function show(value: unknown, empty: string): string {
  if (value === undefined || value === null || value === '') return empty;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function titleOf(conflict: ConflictRow): string {
  const data = { ...asFields(conflict.theirs), ...asFields(conflict.mine) };
  return show(data.name ?? data.headName ?? data.fullName ?? conflict.recordId, '');
}

/**
 * A record that moved to another village while I had an unsent change to it: nothing to merge
 * (this device may no longer see the record); my change is shown so it can be noted down, and
 * leaves only when the person says so.
 */
function OutOfScopeCard({ conflict }: { conflict: ConflictRow }) {
  const { t, i18n } = useTranslation();
  const { db } = useServices();
  const mine = asFields(conflict.mine);
  const label = (field: string) => (i18n.exists(`fields.${field}`) ? String(t(`fields.${field}` as never)) : field);
  return (
    <section className="card conflict" aria-labelledby={`conflict-${conflict.opId}`}>
      <h2 id={`conflict-${conflict.opId}`}>
        {t(`entities.${conflict.entity}`)}: {titleOf(conflict)}
      </h2>
      <p>{t('conflicts.outOfScope')}</p>
      <dl>
        {Object.keys(mine).map((field) => (
          <div key={field}>
            <dt>{label(field)}</dt>
            <dd>{show(mine[field], t('conflicts.empty'))}</dd>
          </div>
        ))}
      </dl>
      <div className="actions">
        <button type="button" className="button" onClick={() => void dismissOutOfScopeConflict(db, conflict.opId)}>
          {t('conflicts.outOfScopeDismiss')}
        </button>
      </div>
    </section>
  );
}

function ConflictCard({ conflict }: { conflict: ConflictRow }) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const { db } = useServices();
  const writeContext = useWriteContext();
  const [choices, setChoices] = useState<Record<string, FieldChoice>>({});
  const [error, setError] = useState<string>();
  const mine = asFields(conflict.mine);
  const theirs = asFields(conflict.theirs);
  const fields = conflict.mineKind === 'delete' ? [] : differingFields(mine, theirs);
  const label = (field: string) => (i18n.exists(`fields.${field}`) ? String(t(`fields.${field}` as never)) : field);

  const resolve = async (fallback: FieldChoice, picked: Record<string, FieldChoice>) => {
    try {
      await resolveConflict(db, writeContext(), conflict.opId, picked, fallback);
    } catch (e) {
      if (!(e instanceof RecordValidationError)) throw e;
      setError(errorText(e.issues[0]?.message));
    }
  };

  return (
    <section className="card conflict" aria-labelledby={`conflict-${conflict.opId}`}>
      <h2 id={`conflict-${conflict.opId}`}>
        {t(`entities.${conflict.entity}`)}: {titleOf(conflict)}
      </h2>
      {conflict.mineKind === 'delete' ? (
        <p>{t('conflicts.deletedByMe')}</p>
      ) : (
        <table className="diff">
          <thead>
            <tr>
              <th scope="col">{t('conflicts.field')}</th>
              <th scope="col">{t('conflicts.mine')}</th>
              <th scope="col">{t('conflicts.theirs')}</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => (
              <tr key={field}>
                <th scope="row">{label(field)}</th>
                {SIDES.map((side) => (
                  <td key={side}>
                    <label className="choice">
                      <input
                        type="radio"
                        name={`${conflict.opId}-${field}`}
                        checked={(choices[field] ?? 'mine') === side}
                        onChange={() => setChoices((c) => ({ ...c, [field]: side }))}
                      />
                      <span>{show(side === 'mine' ? mine[field] : theirs[field], t('conflicts.empty'))}</span>
                    </label>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        {fields.length > 0 && (
          <button type="button" className="button primary" onClick={() => void resolve('mine', choices)}>
            {t('conflicts.saveChoices')}
          </button>
        )}
        <button type="button" className="button" onClick={() => void resolve('mine', {})}>
          {t('conflicts.keepMine')}
        </button>
        <button type="button" className="button" onClick={() => void resolve('theirs', {})}>
          {t('conflicts.takeTheirs')}
        </button>
      </div>
    </section>
  );
}

/** Changes the server refused, with its reasons, until the person has read them. */
function Rejections() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const reason = useRejectionReason();
  const { db } = useServices();
  const rejections = useLiveQuery(() => listRejections(db), [db]);
  if (!rejections || rejections.length === 0) return null;
  return (
    <section aria-labelledby="rejections-title">
      <h2 id="rejections-title">{t('conflicts.rejectedTitle')}</h2>
      <p>{t('conflicts.rejectedIntro')}</p>
      {rejections.map((r) => {
        const details = Array.isArray(r.details) ? (r.details as { path?: string; message?: string }[]) : [];
        const data = asFields(r.data);
        return (
          <div key={r.opId} className="card">
            <p>
              <strong>
                {t(`entities.${r.entity}`)}: {show(data.name ?? data.headName ?? data.fullName ?? r.recordId, '')}
              </strong>
            </p>
            <p>{reason(r.code)}</p>
            {details.length > 0 && (
              <ul>
                {details.map((d, i) => (
                  <li key={i}>{errorText(d.message) ?? d.path}</li>
                ))}
              </ul>
            )}
            <button type="button" className="button small" onClick={() => void dismissRejection(db, r.opId)}>
              {t('conflicts.understood')}
            </button>
          </div>
        );
      })}
    </section>
  );
}

/** Changes of mine that met a newer version on the server: nothing is lost until a person decides. */
export function ConflictsScreen() {
  const { t } = useTranslation();
  const { db } = useServices();
  const conflicts = useLiveQuery(() => listConflicts(db), [db]);
  if (!conflicts) return <p role="status">{t('common.loading')}</p>;
  return (
    <>
      <h1>{t('conflicts.title')}</h1>
      <p>{conflicts.length === 0 ? t('conflicts.none') : t('conflicts.intro')}</p>
      {conflicts.map((c) =>
        c.outOfScope ? <OutOfScopeCard key={c.opId} conflict={c} /> : <ConflictCard key={c.opId} conflict={c} />,
      )}
      <Rejections />
    </>
  );
}
