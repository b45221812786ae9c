import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** How long "Hoàn tác" stays on screen after a delete. */
const UNDO_VISIBLE_MS = 10_000;

interface Offer {
  readonly message: string;
  readonly undo: () => Promise<unknown>;
}

const UndoContext = createContext<((offer: Offer) => void) | null>(null);

/** Shows "…đã xoá · Hoàn tác" after a delete; the record is a tombstone until then and after. */
export function UndoProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [offer, setOffer] = useState<Offer | null>(null);
  useEffect(() => {
    if (!offer) return;
    const timer = setTimeout(() => setOffer(null), UNDO_VISIBLE_MS);
    return () => clearTimeout(timer);
  }, [offer]);
  const show = useCallback((next: Offer) => setOffer(next), []);
  return (
    <UndoContext.Provider value={show}>
      {children}
      {offer && (
        <div className="toast" role="status">
          <span>{offer.message}</span>
          <button
            type="button"
            className="button small"
            onClick={() => {
              const current = offer;
              setOffer(null);
              void current.undo();
            }}
          >
            {t('common.undo')}
          </button>
        </div>
      )}
    </UndoContext.Provider>
  );
}

export function useUndo(): (offer: Offer) => void {
  const show = useContext(UndoContext);
  if (!show) throw new Error('UndoProvider is missing above this component');
  return show;
}
