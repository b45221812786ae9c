import { useTranslation } from 'react-i18next';
import type { PushRefused } from '../../sync/sync-engine';

/** Whole-push refusal codes with their own Vietnamese reason (sync.refused.codes); others say code and status. */
const KNOWN_CODES = [
  'invalid_request',
  'batch_too_large',
  'unsupported_media_type',
  'forbidden_scope',
  'commune_mismatch',
  'not_found',
] as const;
type KnownCode = (typeof KNOWN_CODES)[number];

function isKnownCode(code: string | undefined): code is KnownCode {
  return (KNOWN_CODES as readonly (string | undefined)[]).includes(code);
}

/** The reason, in the person's language, for what the server said (a 413 without our JSON came from a proxy: still "too large"). */
export function useRefusalReason(): (failure: PushRefused) => string {
  const { t } = useTranslation();
  return (failure) => {
    const code = failure.code ?? (failure.status === 413 ? 'batch_too_large' : undefined);
    if (isKnownCode(code)) return t(`sync.refused.codes.${code}`);
    return t('sync.refused.codes.other', { code: failure.code ?? '—', status: failure.status });
  };
}

/**
 * What the card says when the server refused a push as a whole: which change (when the refusal
 * was narrowed to one), that nothing is lost, when it is tried again, and the export right here.
 */
export function PushRefusedNotice({ failure, onExport }: { failure: PushRefused; onExport: () => void }) {
  const { t, i18n } = useTranslation();
  const entityKey = failure.op ? `entities.${failure.op.entity}` : undefined;
  const entity = entityKey && i18n.exists(entityKey) ? String(t(entityKey as never)) : failure.op?.entity;
  return (
    <div className="notice warning" data-testid="push-refused">
      {failure.op && <p>{t('sync.refused.which', { entity, seq: failure.op.wireSeq })}</p>}
      <p>{t('sync.refused.kept')}</p>
      <button type="button" className="button small" onClick={onExport}>
        {t('sync.export.button')}
      </button>
    </div>
  );
}
