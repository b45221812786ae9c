import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { findProvince } from '../../../domain/places/commune-search';
import { useServices } from '../../app/services';
import { readSetting, writeSetting } from '../../db/settings.repository';
import { enrollWithServer } from '../../sync/transport';
import { loadAdminUnits } from '../shared/load-admin-units';
import type { ConnectLink } from './connect-link';
import { QrScanner, useCanScanQr, type ScanProblem } from './qr-scanner';

type Problem = 'noName' | 'noServer' | 'badCode' | 'unreachable' | 'otherCommune' | 'tooManyTries' | 'failed';

/** Wait shown when the server did not say how long (it limits wrong codes per 15 minutes). */
const DEFAULT_WAIT_MINUTES = 15;

/**
 * Joins this device to its commune's server with a one-time code from the commune office. The
 * token and scope stay on the device; the first sync (the commune's records) starts at once.
 */
export function EnrollForm({ initialCode }: { initialCode?: string }) {
  const { t } = useTranslation();
  const { db, now, fetch: fetchFn, qrCamera } = useServices();
  const account = useLiveQuery(async () => ({ value: await readSetting(db, 'syncAccount') }), [db]);
  const [serverUrl, setServerUrl] = useState(() => (typeof window === 'undefined' ? '' : window.location.origin));
  const [code, setCode] = useState(initialCode ?? '');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [waitMinutes, setWaitMinutes] = useState(DEFAULT_WAIT_MINUTES);
  const [isBusy, setBusy] = useState(false);
  const canScan = useCanScanQr(qrCamera);
  const [scan, setScan] = useState<'off' | 'on' | 'filled' | ScanProblem>('off');

  if (account === undefined) return null;
  if (account.value) {
    return (
      <section className="card" aria-labelledby="enroll-title">
        <h2 id="enroll-title">{t('sync.enroll.title')}</h2>
        <p className="success">
          {t('sync.enroll.connected', { server: account.value.serverUrl, commune: account.value.scope.communeCode })}
        </p>
      </section>
    );
  }

  const openScanner = () => setScan('on');
  const closeScanner = () => setScan('off');
  const fill = (link: ConnectLink) => {
    setServerUrl(link.serverUrl);
    setCode(link.code);
    setScan('filled');
    setProblem(null);
  };

  const submit = async () => {
    setProblem(null);
    const deviceName = await readSetting(db, 'deviceName');
    if (!deviceName) return setProblem('noName');
    if (!/^https?:\/\/\S+$/.test(serverUrl.trim())) return setProblem('noServer');
    if (!fetchFn) return setProblem('unreachable');
    setBusy(true);
    try {
      const answer = await enrollWithServer(serverUrl.trim(), { code: code.trim().toUpperCase(), deviceName }, fetchFn);
      if (!answer.ok) {
        // Too many wrong codes from here: say how long to wait, not just "try again".
        if (answer.kind === 'overloaded')
          setWaitMinutes(answer.retryAfterMs ? Math.ceil(answer.retryAfterMs / 60_000) : DEFAULT_WAIT_MINUTES);
        return setProblem(
          answer.kind === 'offline'
            ? 'unreachable'
            : answer.kind === 'overloaded'
              ? 'tooManyTries'
              : answer.code === 'invalid_enrollment_code'
                ? 'badCode'
                : 'failed',
        );
      }
      const { scope } = answer.value;
      const commune = await readSetting(db, 'commune');
      if (commune && commune.communeCode !== scope.communeCode) return setProblem('otherCommune');
      const at = now();
      if (!commune) {
        const units = await loadAdminUnits();
        const found = units.communes.find((c) => c.code === scope.communeCode);
        const province = found ? findProvince(units, found.provinceCode) : undefined;
        if (found && province) {
          await writeSetting(
            db,
            'commune',
            {
              communeCode: found.code,
              communeName: found.fullName,
              provinceCode: province.code,
              provinceName: province.fullName,
            },
            at,
          );
          await writeSetting(db, 'workingYear', at.getFullYear(), at);
        }
      }
      await writeSetting(
        db,
        'syncAccount',
        {
          serverUrl: serverUrl.trim(),
          deviceId: answer.value.deviceId,
          token: answer.value.token,
          scope,
          enrolledAt: at.toISOString(),
        },
        at,
      );
      if (window.location.hash.startsWith('#/ket-noi')) window.location.hash = '#/'; // the code in the address is spent
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card"
      aria-labelledby="enroll-title"
      noValidate
      onSubmit={(e) => (e.preventDefault(), void submit())}
    >
      <h2 id="enroll-title">{t('sync.enroll.title')}</h2>
      <p>{t('sync.enroll.intro')}</p>
      {qrCamera && canScan && scan !== 'on' && (
        <button type="button" className="button block" onClick={openScanner}>
          {t('sync.scan.open')}
        </button>
      )}
      {qrCamera && scan === 'on' && (
        <QrScanner camera={qrCamera} onScanned={fill} onProblem={setScan} onClose={closeScanner} />
      )}
      {scan === 'filled' && (
        <p className="success" role="status">
          {t('sync.scan.filled')}
        </p>
      )}
      {scan !== 'off' && scan !== 'on' && scan !== 'filled' && (
        <p className="notice warning" role="alert">
          {t(`sync.scan.problems.${scan}`)}
        </p>
      )}
      <div className="field">
        <label htmlFor="enroll-server">{t('sync.enroll.server')}</label>
        <input
          id="enroll-server"
          type="text"
          inputMode="url"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={serverUrl}
          onChange={(e) => setServerUrl(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="enroll-code">{t('sync.enroll.code')}</label>
        <input
          id="enroll-code"
          autoComplete="off"
          autoCapitalize="characters"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          aria-describedby="enroll-code-hint"
        />
        <p id="enroll-code-hint" className="hint">
          {t('sync.enroll.codeHint')}
        </p>
      </div>
      {problem && (
        <p className="field-error" role="alert">
          {t(`sync.enroll.problems.${problem}`, { minutes: waitMinutes })}
        </p>
      )}
      <button type="submit" className="button primary" disabled={isBusy || code.trim() === ''}>
        {isBusy ? t('sync.enroll.connecting') : t('sync.enroll.connect')}
      </button>
    </form>
  );
}
