import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import { useSyncEngine } from '../../app/sync-context';
import { addAttachment, getAttachments } from '../../db/attachment.repository';
import type { AttachmentRow } from '../../db/db';

function Thumbnail({ row, label, onRemove }: { row: AttachmentRow; label: string; onRemove: () => void }) {
  const image = useRef<HTMLImageElement>(null);
  // The object URL lives exactly as long as the thumbnail shows this blob.
  useEffect(() => {
    const objectUrl = URL.createObjectURL(row.blob);
    if (image.current) image.current.src = objectUrl;
    return () => URL.revokeObjectURL(objectUrl);
  }, [row.blob]);
  return (
    <li className="thumbnail">
      <img ref={image} alt={label} width={96} height={Math.round((96 * row.height) / row.width)} />
      <button type="button" className="button small" onClick={onRemove}>
        {label}
      </button>
    </li>
  );
}

/**
 * Evidence photos (minh chứng) for one criterion: from the camera or the gallery, shrunk on the
 * device and stored at once, so a photo taken is never lost even if the assessment is not saved.
 */
export function EvidencePicker(props: {
  ownerKey: string;
  criterionId: string;
  evidenceIds: readonly string[];
  onChange: (ids: string[]) => void;
}) {
  const { t } = useTranslation();
  const { db, now, newId, compressPhoto } = useServices();
  const [state, setState] = useState<'idle' | 'working' | 'failed'>('idle');
  const rows = useLiveQuery(() => getAttachments(db, props.evidenceIds), [db, props.evidenceIds.join(',')]);
  const engine = useSyncEngine();
  // Photos taken on another device are fetched once, when first shown, and kept here.
  useEffect(() => {
    if (!engine || !rows) return;
    props.evidenceIds.forEach((id, i) => {
      if (!rows[i]) void engine.fetchAttachment(id, props.ownerKey, props.criterionId);
    });
  }, [engine, rows, props.evidenceIds, props.ownerKey, props.criterionId]);

  const add = async (files: FileList | null) => {
    const file = files?.[0];
    if (!file) return;
    setState('working');
    try {
      const photo = await compressPhoto(file);
      const id = newId();
      await addAttachment(db, {
        id,
        ownerKey: props.ownerKey,
        criterionId: props.criterionId,
        blob: photo.blob,
        width: photo.width,
        height: photo.height,
        now: now(),
      });
      props.onChange([...props.evidenceIds, id]);
      setState('idle');
    } catch {
      setState('failed');
    }
  };

  const inputId = `evidence-${props.criterionId}`;
  return (
    <div className="evidence">
      <p className="evidence-title">{t('evidence.title', { count: props.evidenceIds.length })}</p>
      <ul className="thumbnails">
        {rows?.map((row, index) =>
          row ? (
            <Thumbnail
              key={row.id}
              row={row}
              label={t('evidence.remove', { number: index + 1 })}
              onRemove={() => props.onChange(props.evidenceIds.filter((id) => id !== row.id))}
            />
          ) : null,
        )}
      </ul>
      <div className="actions">
        <label className="button small" htmlFor={`${inputId}-camera`}>
          {t('evidence.take')}
        </label>
        <input
          id={`${inputId}-camera`}
          className="visually-hidden"
          type="file"
          accept="image/*"
          capture="environment"
          onChange={(e) => void add(e.target.files)}
        />
        <label className="button small" htmlFor={`${inputId}-gallery`}>
          {t('evidence.choose')}
        </label>
        <input
          id={`${inputId}-gallery`}
          className="visually-hidden"
          type="file"
          accept="image/*"
          onChange={(e) => void add(e.target.files)}
        />
      </div>
      {state === 'working' && <p role="status">{t('evidence.working')}</p>}
      {state === 'failed' && (
        <p className="field-error" role="alert">
          {t('evidence.failed')}
        </p>
      )}
    </div>
  );
}
