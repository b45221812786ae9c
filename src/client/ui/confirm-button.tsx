import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A destructive action that asks once more, in place, before it acts. */
export function ConfirmButton(props: { label: string; question: string; onConfirm: () => void }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="button danger" onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <div className="confirm" role="alertdialog" aria-label={props.question}>
      <p>{props.question}</p>
      <div className="actions">
        <button type="button" className="button danger" onClick={props.onConfirm}>
          {t('common.confirmDelete')}
        </button>
        <button type="button" className="button" onClick={() => setAsking(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}
