import { useTranslation } from 'react-i18next';

/** The Vietnamese reason for a rejection code of the server (sync.rejectionCodes), or the code itself. */
export function useRejectionReason(): (code: string) => string {
  const { t, i18n } = useTranslation();
  // The code comes from the server, so its key cannot be typed at compile time.
  return (code) =>
    i18n.exists(`sync.rejectionCodes.${code}`) ? String(t(`sync.rejectionCodes.${code}` as never)) : code;
}
