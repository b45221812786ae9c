import { useLiveQuery } from 'dexie-react-hooks';
import { useState, useSyncExternalStore } from 'react';
import type { ReceiptResponse } from '../../../shared/protocol/sync.schema';
import { useTranslation } from 'react-i18next';
import { href } from '../../app/routes';
import { useServices } from '../../app/services';
import { useSyncEngine } from '../../app/sync-context';
import { countUnsynced } from '../../db/outbox.repository';
import { readSetting } from '../../db/settings.repository';
import { exportFileName, exportUnsynced } from '../../sync/export-unsynced';
import type { SyncEngine, SyncState } from '../../sync/sync-engine';
import { formatSyncTime } from './format-time';
import { ImportFile } from './import-file';
import { PushRefusedNotice, useRefusalReason } from './push-refused';

const IDLE: SyncState = { status: 'idle' };
/** Long enough for the browser to start the download. */
const EXPORT_URL_LIFETIME_MS = 60_000;
const noEngine = { subscribe: () => () => undefined, getState: () => IDLE };

/**
 * The status line's text. A sync that failed on the phone itself says what the person can do: free
 * some space when the storage is full (retrying alone never helps then), or carry the unsynced
 * work to the commune as a file if it keeps failing.
 */
export function statusLineKey(state: SyncState) {
  if (state.status === 'error' && state.failure?.kind === 'device') {
    return state.failure.reason === 'storage_full'
      ? ('sync.deviceFailure.storageFull' as const)
      : ('sync.deviceFailure.unexpected' as const);
  }
  return `sync.status.${state.status}` as const;
}

/** What is waiting to go, what the last sync did, and "Đồng bộ ngay". Reads the engine; never drives its status. */
export function SyncCard() {
  const { t, i18n } = useTranslation();
  const { db, now } = useServices();
  const engine: SyncEngine | null = useSyncEngine();
  const source = engine ?? noEngine;
  const state = useSyncExternalStore(source.subscribe, source.getState);
  const counts = useLiveQuery(
    async () => ({
      unsynced: await countUnsynced(db),
      conflicts: await db.conflicts.count(),
      rejections: await db.rejections.count(),
      last: await readSetting(db, 'lastSync'),
    }),
    [db],
  );
  const [receipt, setReceipt] = useState<ReceiptResponse | 'failed' | undefined>();
  const [exported, setExported] = useState<number | undefined>();
  const refusalReason = useRefusalReason();
  if (!counts) return null;
  // The server refused the push as a whole: the card says why and offers the export right there.
  const refused = state.failure?.kind === 'push_refused' ? state.failure : undefined;
  const exportFile = async () => {
    const file = await exportUnsynced(db, now());
    const url = URL.createObjectURL(new Blob([JSON.stringify(file, null, 1)], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = exportFileName(file);
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), EXPORT_URL_LIFETIME_MS);
    setExported(file.ops.length);
  };
  const check = async () => {
    if (!engine) return;
    const answer = await engine.checkReceipt();
    setReceipt(answer.ok ? answer.value : 'failed');
  };
  const isBusy = state.status === 'pushing' || state.status === 'pulling';
  return (
    <section className="card" aria-labelledby="sync-title" data-testid="sync-card">
      <h2 id="sync-title">{t('sync.title')}</h2>
      <p className={counts.unsynced > 0 ? 'notice' : 'muted'} data-testid="unsynced-count">
        {t('home.unsynced', { count: counts.unsynced })}
      </p>
      {counts.unsynced > 0 && !refused && (
        <button type="button" className="button small" onClick={() => void exportFile()}>
          {t('sync.export.button')}
        </button>
      )}
      {exported !== undefined && (
        <p className="success" role="status">
          {t('sync.export.done', { count: exported })}
        </p>
      )}
      {engine ? (
        <>
          <p
            role="status"
            className={state.failure?.kind === 'device' || refused ? 'notice warning' : undefined}
            data-testid="sync-status"
            data-sync-runs={state.completedRuns ?? 0}
          >
            {state.status === 'pulling' && state.pull
              ? t('sync.status.pullingCount', { count: state.pull.received })
              : refused
                ? t('sync.refused.status', { reason: refusalReason(refused) })
                : t(statusLineKey(state))}
          </p>
          {refused && <PushRefusedNotice failure={refused} onExport={() => void exportFile()} />}
          {counts.last && (
            <p className="muted">{t('sync.lastSync', { time: formatSyncTime(counts.last.at, i18n.language) })}</p>
          )}
          {counts.conflicts > 0 && (
            <p className="notice warning">
              {t('sync.conflicts', { count: counts.conflicts })}{' '}
              <a href={href.conflicts()}>{t('sync.openConflicts')}</a>
            </p>
          )}
          {counts.rejections > 0 && (
            <p className="notice warning">
              {t('sync.rejections', { count: counts.rejections })}{' '}
              <a href={href.conflicts()}>{t('sync.openConflicts')}</a>
            </p>
          )}
          <div className="actions">
            <button type="button" className="button primary" disabled={isBusy} onClick={() => void engine.syncNow()}>
              {t('sync.now')}
            </button>
            <button type="button" className="button" onClick={() => void check()}>
              {t('sync.receipt.check')}
            </button>
          </div>
          {receipt === 'failed' && <p className="notice warning">{t('sync.receipt.failed')}</p>}
          {receipt && receipt !== 'failed' && (
            <p className="notice" data-testid="receipt">
              {t('sync.receipt.summary', {
                list:
                  Object.entries(receipt.counts)
                    .filter(([, n]) => n > 0)
                    .map(
                      ([entity, n]) =>
                        `${n} ${i18n.exists(`entities.${entity}`) ? String(t(`entities.${entity}` as never)).toLowerCase() : entity}`,
                    )
                    .join(', ') || t('sync.receipt.nothing'),
                seq: receipt.ackSeq,
              })}
            </p>
          )}
          <ImportFile engine={engine} />
        </>
      ) : (
        <>
          <p>{t('sync.notConnected')}</p>
          <a className="button" href={href.settings()}>
            {t('sync.connect')}
          </a>
        </>
      )}
    </section>
  );
}
