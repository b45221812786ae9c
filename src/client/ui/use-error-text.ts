import { useTranslation } from 'react-i18next';
import { parseMessageKey } from '../../shared/schemas/messages';

/**
 * Shared schemas put locale keys in their error messages ("errors.text.tooLong?max=100");
 * this turns one into the text for the current language.
 */
export function useErrorText(): (message: string | undefined) => string | undefined {
  const { t, i18n } = useTranslation();
  return (message) => {
    if (message === undefined || message === '') return undefined;
    const { key, params } = parseMessageKey(message);
    // The key comes from data (a schema's message), so it cannot be typed at compile time.
    return i18n.exists(key) ? String(t(key as never, params)) : String(t('errors.generic'));
  };
}
