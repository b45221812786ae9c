import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { deviceNameSchema } from '../../../shared/schemas/device.schema';
import { useServices } from '../../app/services';
import { readSetting, writeSetting } from '../../db/settings.repository';
import { useEditingMark } from '../../pwa/edit-guard';
import { useErrorText } from '../../ui/use-error-text';

const formSchema = z.object({ deviceName: deviceNameSchema });
type FormInput = z.input<typeof formSchema>;
type FormOutput = z.output<typeof formSchema>;

/** Saves to this device only (works offline); the name is sent at enrolment. */
export function DeviceNameForm() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { db, now } = useServices();
  const [status, setStatus] = useState<'idle' | 'saved' | 'failed'>('idle');
  const { register, handleSubmit, reset, formState } = useForm<FormInput, unknown, FormOutput>({
    resolver: zodResolver(formSchema),
    defaultValues: { deviceName: '' },
  });
  useEditingMark(formState.isDirty);

  useEffect(() => {
    let cancelled = false;
    void readSetting(db, 'deviceName').then((name) => {
      if (!cancelled && name !== undefined) reset({ deviceName: name });
    });
    return () => {
      cancelled = true;
    };
  }, [db, reset]);

  const onSubmit = handleSubmit(async ({ deviceName }) => {
    try {
      const saved = await writeSetting(db, 'deviceName', deviceName, now());
      reset({ deviceName: saved });
      setStatus('saved');
    } catch {
      setStatus('failed');
    }
  });

  const error = errorText(formState.errors.deviceName?.message);
  const deviceNameField = register('deviceName', { onChange: () => setStatus('idle') });
  return (
    <form className="card" onSubmit={(event) => void onSubmit(event)} noValidate>
      <h2>{t('settings.deviceName.legend')}</h2>
      <div className="field">
        <label htmlFor="device-name">{t('settings.deviceName.label')}</label>
        <input
          id="device-name"
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby="device-name-hint device-name-error"
          {...deviceNameField}
        />
        <p id="device-name-hint" className="hint">
          {t('settings.deviceName.hint')}
        </p>
        <p id="device-name-error" className="field-error" role={error ? 'alert' : undefined}>
          {error}
        </p>
      </div>
      <button type="submit" className="button primary" disabled={formState.isSubmitting}>
        {t('settings.deviceName.save')}
      </button>
      {status === 'saved' && (
        <p className="success" role="status">
          {t('settings.deviceName.saved')}
        </p>
      )}
      {status === 'failed' && (
        <p className="field-error" role="alert">
          {t('errors.saveFailed')}
        </p>
      )}
    </form>
  );
}
