import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportFile } from '../../../shared/protocol/export-file.schema';
import { IMPORT_ERROR_MESSAGES, MAX_IMPORT_BYTES, type ImportResponse } from '../../../shared/protocol/import.schema';
import { useServices } from '../../app/services';
import { readSetting } from '../../db/settings.repository';
import type { SyncEngine } from '../../sync/sync-engine';
import type { TransportFailure } from '../../sync/transport';
import { formatBytes } from '../../ui/format-bytes';
import { formatSyncTime } from './format-time';
import { readExportFile, type ExportFileProblem } from './read-export-file';
import { useRejectionReason } from '../../ui/rejection-reason';

type Problem =
  | { readonly kind: 'file'; readonly problem: ExportFileProblem }
  | { readonly kind: 'send'; readonly failure: TransportFailure };
type Step =
  | { readonly kind: 'idle' }
  | { readonly kind: 'problem'; readonly problem: Problem }
  | { readonly kind: 'preview' | 'sending'; readonly file: ExportFile }
  | { readonly kind: 'done'; readonly result: ImportResponse };

function isImportRefusal(code: string | undefined): code is keyof typeof IMPORT_ERROR_MESSAGES {
  return code !== undefined && Object.hasOwn(IMPORT_ERROR_MESSAGES, code);
}

function ProblemText({ problem }: { problem: Problem }) {
  const { t, i18n } = useTranslation();
  let text: string;
  if (problem.kind === 'file')
    text = t(`sync.import.problems.${problem.problem}`, { max: formatBytes(MAX_IMPORT_BYTES, t, i18n.language) });
  else if (isImportRefusal(problem.failure.code)) text = t(IMPORT_ERROR_MESSAGES[problem.failure.code]);
  else if (problem.failure.kind === 'offline') text = t('sync.import.problems.unreachable');
  else if (problem.failure.kind === 'overloaded') text = t(IMPORT_ERROR_MESSAGES.overloaded);
  else if (problem.failure.kind === 'unauthorized') text = t('sync.status.blocked');
  else text = t('sync.import.problems.failed');
  return (
    <p className="field-error" role="alert">
      {text}
    </p>
  );
}

function ImportResult({ result }: { result: ImportResponse }) {
  const { t } = useTranslation();
  const reason = useRejectionReason();
  const { duplicate, conflict, rejected } = result.results;
  return (
    <div role="status" data-testid="import-result">
      <p className="success">
        {t('sync.import.done', {
          device: result.deviceName || t('sync.import.unnamed'),
          count: result.results.applied,
        })}
      </p>
      {duplicate > 0 && <p>{t('sync.import.duplicates', { count: duplicate })}</p>}
      {conflict > 0 && <p className="notice warning">{t('sync.import.conflicts', { count: conflict })}</p>}
      {rejected > 0 && (
        <div className="notice warning">
          <p>{t('sync.import.rejected', { count: rejected })}</p>
          <ul>
            {result.rejections.map((r) => (
              <li key={r.opId}>{t('sync.import.rejection', { seq: r.seq, reason: reason(r.code) })}</li>
            ))}
          </ul>
        </div>
      )}
      <p className="muted">{t('sync.import.comingDown')}</p>
    </div>
  );
}

/**
 * "Nhập tệp từ thiết bị khác": at the commune office, a device whose scope is the whole commune
 * sends another device's export file to the server. The file is checked and shown before it is
 * sent; nothing is written on this device (the records come down with the sync that follows).
 */
export function ImportFile({ engine }: { engine: SyncEngine }) {
  const { t, i18n } = useTranslation();
  const { db } = useServices();
  const inputId = useId();
  const account = useLiveQuery(() => readSetting(db, 'syncAccount'), [db]);
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  if (!account || account.scope.villageIds !== null) return null;

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    event.target.value = ''; // choosing the same file again is a new choice
    if (!chosen) return;
    const reading = await readExportFile(chosen, account.scope.communeCode);
    setStep(
      reading.ok
        ? { kind: 'preview', file: reading.file }
        : { kind: 'problem', problem: { kind: 'file', problem: reading.problem } },
    );
  };
  const send = async (file: ExportFile) => {
    setStep({ kind: 'sending', file });
    const answer = await engine.importFile(file);
    setStep(
      answer.ok
        ? { kind: 'done', result: answer.value }
        : { kind: 'problem', problem: { kind: 'send', failure: answer } },
    );
  };

  if (step.kind === 'preview' || step.kind === 'sending') {
    const { file } = step;
    return (
      <div className="confirm" role="group" aria-label={t('sync.import.previewTitle')}>
        <p>
          <strong>{t('sync.import.previewTitle')}</strong>
        </p>
        <p data-testid="import-preview">
          {t('sync.import.preview', {
            device: file.deviceName || t('sync.import.unnamed'),
            time: formatSyncTime(file.exportedAt, i18n.language),
            count: file.ops.length,
          })}
        </p>
        <p className="muted">{t('sync.import.previewNote')}</p>
        {step.kind === 'sending' && <p role="status">{t('sync.import.sending')}</p>}
        <div className="actions">
          <button
            type="button"
            className="button primary"
            disabled={step.kind === 'sending'}
            onClick={() => void send(file)}
          >
            {t('sync.import.confirm')}
          </button>
          <button
            type="button"
            className="button"
            disabled={step.kind === 'sending'}
            onClick={() => setStep({ kind: 'idle' })}
          >
            {t('common.cancel')}
          </button>
        </div>
      </div>
    );
  }
  return (
    <div>
      <div className="actions">
        <label className="button small" htmlFor={inputId}>
          {t('sync.import.button')}
        </label>
        <input
          id={inputId}
          type="file"
          accept=".json,application/json"
          className="visually-hidden"
          onChange={(event) => void choose(event)}
        />
      </div>
      {step.kind === 'problem' && <ProblemText problem={step.problem} />}
      {step.kind === 'done' && <ImportResult result={step.result} />}
    </div>
  );
}
