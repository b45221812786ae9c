import { useTranslation } from 'react-i18next';
import { DEVICE_NAME_MAX_LENGTH } from '../../shared/schemas/device.schema';

/** Values the shared schemas' messages may interpolate (their limits live with the schemas). */
const ERROR_PARAMS = { max: DEVICE_NAME_MAX_LENGTH };

/**
 * Shared schemas put locale keys in their error messages ("errors.deviceName.required");
 * this turns one into the text for the current language.
 */
export function useErrorText(): (message: string | undefined) => string | undefined {
  const { t, i18n } = useTranslation();
  return (message) => {
    if (message === undefined) return undefined;
    // The key comes from data (a schema's message), so it cannot be typed at compile time.
    return i18n.exists(message) ? String(t(message as never, ERROR_PARAMS)) : message;
  };
}
